import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { patchDocument } from 'docx';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from 'vitest';
import { docxToPdf } from '../../src/documents/pdf';
import { officialLetterDocx, type OfficialLetter } from '../../src/documents/official-letter';

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
    '根据《某县软弱涣散农村基层党组织整顿提升两年行动工作方案》六(四)的规定，现就以下问题向你们函询：2026年第三季度两次未按时报送整顿工作进展。',
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
