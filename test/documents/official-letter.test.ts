import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { patchDocument } from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from 'vitest';
import { docxToPdf } from '../../src/documents/pdf';
import { officialLetter, officialLetterDocx, type OfficialLetter } from '../../src/documents/official-letter';
import { proposalDocument, talkNotice } from '../../src/documents/letters';
import { readRosterFile } from '../../src/activities/roster-file';
import { bulletinLetter } from '../../src/documents/bulletin';
import { sampleRosterFile } from '../support/mail';

/**
 * The inquiry letter in the layout of a Party organ's document, opened by real readers: the DOCX
 * converted by LibreOffice to PDF, the PDF's text read back with pdftotext and its first page
 * rendered to PNG with pdftoppm (kept in test-artifacts/ to look at).
 */
const artifacts = path.resolve(__dirname, '../../test-artifacts');
const letter: OfficialLetter = {
  issuer: '中共云岭县委组织部',
  docNumber: '云组函〔2026〕12号',
  title: '关于柳河镇软弱涣散农村基层党组织整顿工作的函询函',
  addressee: '赵志刚、钱丽同志：',
  paragraphs: [
    '根据《云岭县软弱涣散农村基层党组织整顿提升两年行动工作方案》六(四)的规定，现就以下问题向你们函询：2026年第三季度两次未按时报送整顿工作进展。',
    '请你们作出书面说明，检讨问题根源、提出整顿措施、明确整顿时限，并于2026年12月9日前通过整顿工作系统报送，或书面报送县委组织部。',
  ],
  date: '2026年11月29日',
  note: '案号：LH-2026-Q3-inquiry',
};

function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pdf-'));
  const file = path.join(dir, 'l.pdf');
  writeFileSync(file, pdf);
  // The text as read, without the layout's spaces and line breaks (a long title wraps).
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

test('the letter has the issuing mark in red, the document number above a red line, the title, the addressee, the body, the issuer and the date', async () => {
  const docx = await officialLetterDocx(letter);
  const xml = strFromU8(unzipSync(docx)['word/document.xml']!);
  expect(xml).toMatch(/<w:color w:val="FF0000"\/>[\s\S]*中共云岭县委组织部/);
  expect(xml).toMatch(/<w:bottom w:val="single" w:color="FF0000"[^>]*\/>[\s\S]*云组函〔2026〕12号/);
  expect(xml).toContain('方正小标宋简体');
  expect(xml).toContain('w:firstLine="640"');

  const pdf = await docxToPdf(docx);
  const text = pdfText(pdf);
  for (const line of ['中共云岭县委组织部', '云组函〔2026〕12号', '关于柳河镇软弱涣散农村基层党组织整顿工作的函询函', '赵志刚、钱丽同志：', '2026年11月29日', '案号：LH-2026-Q3-inquiry', '— 1 —']) {
    expect(text).toContain(line.replace(/\s+/g, ''));
  }
  mkdirSync(artifacts, { recursive: true });
  const pdfFile = path.join(artifacts, 'inquiry-letter.pdf');
  writeFileSync(pdfFile, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdfFile, path.join(artifacts, 'inquiry-letter')]);
  expect(readdirSync(artifacts).some((f) => /^inquiry-letter-1\.png$/.test(f))).toBe(true);
}, 180_000);

test('a reason full of control characters, emoji and 20,000 characters gives a document Word and LibreOffice open', async () => {
  const hostile = `第一行\u000b第二行（Word的换行）\u0000\u0007\u001f\ufffe😀👍🏽 <b>&"'` + '长'.repeat(20_000) + '\ud800';
  const docx = await officialLetterDocx({ ...letter, paragraphs: [hostile] });
  // A reader that parses the package: the docx library opens it to patch it.
  await expect(patchDocument({ outputType: 'uint8array', data: Buffer.from(docx), patches: {} })).resolves.toBeInstanceOf(Uint8Array);
  const xml = strFromU8(unzipSync(docx)['word/document.xml']!);
  // eslint-disable-next-line no-control-regex
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe]/);
  expect(xml).toContain('😀👍🏽');
  expect(xml).toContain('&lt;b&gt;&amp;');
  const text = pdfText(await docxToPdf(docx));
  expect(text).toContain('第一行');
  expect(text).toContain('第二行（Word的换行）');
}, 180_000);

test('the monthly bulletin, the proposal (呈批件) and the notice of a scheduled talk convert with LibreOffice and read back', async () => {
  const roster = readRosterFile(sampleRosterFile);
  const bulletin = bulletinLetter(
    {
      month: '2026-10',
      date: '2026-11-02',
      targets: 4,
      reports: [{ township: 'LH', missing: ['2026-10-H1'], late: ['2026-10-H2'] }],
      overdue: [{ township: 'LH', items: [{ village: 'LH02', title: '第一书记每月到村开展服务', periodLabel: '2026年10月', dueDate: '2026-10-30', clause: '四(一)1' }] }],
      behind: [{ village: 'LH09', township: 'LH', reasons: ['整顿方案逾期未报送（截止2026年10月30日）'] }],
      missed: [{ township: 'LH', items: [{ village: 'LH02', title: '每月1日升国旗', periodLabel: '2026年10月', dueDate: '2026-10-01', clause: '四(四)12' }] }],
    },
    roster,
    '《方案》',
  );
  const proposal = proposalDocument('LH', { quarter: '2026-Q4', quarterLabel: '2026年第四季度', lapses: [{ periodId: '2026-10-H1', quarter: '2026-Q4', kind: 'missing', label: '2026年10月上半月' }] }, roster, new Date('2026-11-02T01:00:00Z'));
  const talk = talkNotice(
    { caseId: 'LH-1', kind: 'inquiry', reason: '半月进展多次逾期', issuedBy: 'zzb-zhang', issuedOn: '2026-11-02', recipients: ['lh-sec', 'lh-org'], talk: { why: '问题突出', scheduled: { at: '2026-11-10T09:30', place: '县委组织部', conductor: 'zzb-head', docNumber: { year: 2026, seq: 7 } } } },
    'LH',
    roster,
    new Date('2026-11-03T01:00:00Z'),
  );
  for (const [doc, expected] of [
    [bulletin, ['关于2026年10月全县软弱涣散村党组织整顿工作进展情况的通报', '柳河镇：10月上半月未报送；10月下半月逾期报送。', '三、例行活动未落实情况', '柳河镇（1项）：', '每月1日升国旗（2026年10月）', '送审稿']],
    [proposal, ['进行函询的呈批件', '部领导：', '妥否，请批示。']],
    [talk, ['云组函〔2026〕7号', '进行约谈的通知', '2026年11月10日09:30']],
  ] as const) {
    const text = pdfText(await docxToPdf(await officialLetterDocx(officialLetter(doc))));
    for (const e of expected) expect(text).toContain(e.replace(/\s+/g, ''));
  }
}, 120_000);
