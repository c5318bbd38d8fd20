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
  note: '案号：柳河镇2026年第三季度函询',
};

function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pdf-'));
  const file = path.join(dir, 'l.pdf');
  writeFileSync(file, pdf);
  // The text as read, without the layout's spaces and line breaks (a long title wraps).
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

interface Word {
  readonly page: number;
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

/** Every word of the PDF with its page and box in points (pdftotext -bbox). */
function pdfWords(file: string): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  const words: Word[] = [];
  html.split('<page ').slice(1).forEach((page, i) => {
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      words.push({ page: i + 1, text: m[5]!, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) });
    }
  });
  return words;
}

/**
 * The rows of a page, rendered at 150 dpi, that are mostly red: printed lines across the page.
 * Returned as bands of consecutive rows, in points from the page's top, with their thickness.
 */
function redBands(file: string, page: number): { top: number; rows: number; widthMm: number }[] {
  const ppm = execFileSync('pdftoppm', ['-r', '150', '-f', String(page), '-l', String(page), file], { maxBuffer: 64 * 1024 * 1024 });
  const [, size, , ] = ppm.subarray(0, 40).toString('latin1').split('\n');
  const [w, h] = size!.split(' ').map(Number) as [number, number];
  const header = ppm.indexOf('255\n') + 4;
  const bands: { top: number; rows: number; widthMm: number }[] = [];
  let last = -2;
  for (let y = 0; y < h; y++) {
    let red = 0;
    for (let x = 0; x < w; x++) {
      const o = header + (y * w + x) * 3;
      if (ppm[o]! > 180 && ppm[o + 1]! < 120 && ppm[o + 2]! < 120) red++;
    }
    if (red < w / 2) continue;
    if (y === last + 1) bands[bands.length - 1]!.rows++;
    else bands.push({ top: (y * 72) / 150, rows: 1, widthMm: (red / 150) * 25.4 });
    last = y;
  }
  return bands;
}

/** Points in a millimetre. */
const MM = 72 / 25.4;
const A4_WIDTH = 595.3;
/** The right edge of the text: 26 mm from the page's right edge, in points. */
const TEXT_RIGHT = A4_WIDTH - 26 * MM;

test('the letter in the 信函格式: the red mark, a red double line under it, the 文号 flush right under the line, no page number on page 1, the date under the signature, the case number as a bracketed 附注', async () => {
  const docx = await officialLetterDocx({ ...letter, paragraphs: [...letter.paragraphs, ...Array.from({ length: 12 }, (_, i) => `${i + 1}. ${letter.paragraphs[0]!}`)] });
  const xml = strFromU8(unzipSync(docx)['word/document.xml']!);
  expect(xml).toMatch(/<w:color w:val="FF0000"\/>[\s\S]*中共云岭县委组织部/);
  expect(xml).toContain('方正小标宋简体');
  expect(xml).toContain('w:firstLine="640"');

  const pdf = await docxToPdf(docx);
  const text = pdfText(pdf);
  for (const line of ['中共云岭县委组织部', '云组函〔2026〕12号', '关于柳河镇软弱涣散农村基层党组织整顿工作的函询函', '赵志刚、钱丽同志：', '2026年11月29日', '（案号：柳河镇2026年第三季度函询）']) {
    expect(text).toContain(line.replace(/\s+/g, ''));
  }
  mkdirSync(artifacts, { recursive: true });
  const pdfFile = path.join(artifacts, 'inquiry-letter.pdf');
  writeFileSync(pdfFile, pdf);
  const words = pdfWords(pdfFile);
  const on1 = words.filter((w) => w.page === 1);
  const mark = on1.find((w) => w.text === '中共云岭县委组织部')!;
  const number = on1.filter((w) => /云组函|^号$/.test(w.text));
  const title = on1.find((w) => w.text.startsWith('关于柳河镇'))!;
  // The mark centred on the text (left margin 28 mm, right 26 mm); the 文号 under it, its last character at the text's right edge, above the title.
  expect(Math.abs((mark.xMin + mark.xMax) / 2 - (28 * MM + TEXT_RIGHT) / 2)).toBeLessThan(4);
  expect(number.length).toBeGreaterThan(0);
  expect(Math.max(...number.map((w) => w.xMax))).toBeCloseTo(TEXT_RIGHT, -1);
  expect(Math.min(...number.map((w) => w.yMin))).toBeGreaterThan(mark.yMax);
  expect(Math.max(...number.map((w) => w.yMax))).toBeLessThan(title.yMin);
  // Two red lines between the mark and the 文号, the upper thicker, 170 mm long; at the foot of the
  // first page the pair again, the lower thicker.
  const bands = redBands(pdfFile, 1);
  const upper = bands.filter((b) => b.top > mark.yMax && b.top < Math.min(...number.map((w) => w.yMin)));
  expect(upper).toHaveLength(2);
  expect(upper[0]!.rows).toBeGreaterThan(upper[1]!.rows);
  const lower = bands.filter((b) => b.top > 700);
  expect(lower).toHaveLength(2);
  expect(lower[0]!.rows).toBeLessThan(lower[1]!.rows);
  for (const b of [...upper, ...lower]) expect(Math.abs(b.widthMm - 170)).toBeLessThan(2);
  // No page number on the first page; “— 2 —” on the second.
  expect(on1.some((w) => w.text === '—')).toBe(false);
  const on2 = words.filter((w) => w.page === 2);
  expect(on2.filter((w) => w.yMin > 700).map((w) => w.text)).toEqual(['—', '2', '—']);
  // The signature and the date right-aligned, the date under the signature, the 附注 under the date two characters in.
  const last = Math.max(...words.map((w) => w.page));
  const end = words.filter((w) => w.page === last);
  const signature = end.filter((w) => w.text === '中共云岭县委组织部').at(-1)!;
  const date = end.find((w) => w.text.includes('29') || w.text === '日')!;
  const note = end.find((w) => w.text.startsWith('（案号'))!;
  expect(signature.xMax).toBeCloseTo(TEXT_RIGHT - 32, -1);
  expect(date.yMin).toBeGreaterThan(signature.yMax - 1);
  expect(note.yMin).toBeGreaterThan(date.yMax - 1);
  expect(note.xMin).toBeCloseTo(28 * MM + 32, -1);

  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdfFile, path.join(artifacts, 'inquiry-letter')]);
  expect(readdirSync(artifacts).some((f) => /^inquiry-letter-1\.png$/.test(f))).toBe(true);
}, 180_000);

test('a draft for the department (the 呈批件, the bulletin) carries no issuing mark and no red line', async () => {
  const roster = readRosterFile(sampleRosterFile);
  const proposal = proposalDocument('LH', { quarter: '2026-Q4', quarterLabel: '2026年第四季度', lapses: [{ periodId: '2026-10-H1', quarter: '2026-Q4', kind: 'missing', label: '2026年10月上半月' }] }, roster, new Date('2026-11-02T01:00:00Z'));
  const dir = mkdtempSync(path.join(tmpdir(), 'draft-'));
  const file = path.join(dir, 'draft.pdf');
  writeFileSync(file, await docxToPdf(await officialLetterDocx(officialLetter(proposal))));
  const words = pdfWords(file);
  // The title comes first; the department's name only as the signature at the end.
  expect(words[0]!.text).toMatch(/^关于对柳河镇/);
  expect(words.filter((w) => w.text === '中共云岭县委组织部')).toHaveLength(1);
  expect(redBands(file, 1)).toEqual([]);
}, 120_000);

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
