/**
 * Letters and notices as a Party organ issues them, written with the `docx` library in the layout
 * of GB/T 9704 as far as it applies to a letter: the issuing body's mark (发文机关标志) in red,
 * the document number (文号, e.g. 云组函〔2026〕12号) above a red line, the title in 小标宋 2号,
 * the addressee (主送), the body in 仿宋 3号 with 28-point lines and a two-character indent,
 * the issuing body and the date at the end, page numbers as “— 1 —”. A4 with the standard margins.
 * Text is made safe for XML first: characters XML cannot carry are dropped, and Word's own line
 * break (U+000B) and other line breaks become line breaks.
 */
import { AlignmentType, BorderStyle, Document, Footer, Packer, PageNumber, Paragraph, TextRun } from 'docx';

export interface OfficialLetter {
  /** 发文机关: e.g. 中共云岭县委组织部. */
  readonly issuer: string;
  /** 文号, when one was allocated: e.g. 云组函〔2026〕12号. */
  readonly docNumber?: string;
  readonly title: string;
  /** 主送: e.g. 王某、李某同志： */
  readonly addressee: string;
  readonly paragraphs: readonly string[];
  /** The date as written under the issuer: 2026年11月29日. */
  readonly date: string;
  /** Small print after the letter, e.g. the case number. */
  readonly note?: string;
}

const FANGSONG = { ascii: 'FangSong', hAnsi: 'FangSong', eastAsia: '仿宋_GB2312' };
const XIAOBIAOSONG = { ascii: 'FZXiaoBiaoSong-B05S', hAnsi: 'FZXiaoBiaoSong-B05S', eastAsia: '方正小标宋简体' };
const HEITI = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体' };
/** Half-points: 2号 22pt, 3号 16pt, 4号 14pt. */
const SIZE = { er: 44, san: 32, si: 28, mark: 52 } as const;
/** 28-point lines, in twips. */
const LINE = { line: 560, lineRule: 'exact' as const };

/* eslint-disable no-control-regex -- removing control characters is the point */
/** Text as XML 1.0 can carry it, split into lines at every kind of line break. */
export function safeLines(s: string): string[] {
  return s
    .replace(/\r\n|[\u000b\u000c\r\u2028\u2029\u0085]/g, '\n')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .split(/\n+/);
}
/* eslint-enable no-control-regex */

function runs(text: string, opts: { font: typeof FANGSONG; size: number; bold?: boolean; color?: string }): TextRun[] {
  return safeLines(text).map((line, i) => new TextRun({ text: line, font: opts.font, size: opts.size, ...(opts.bold ? { bold: true } : {}), ...(opts.color ? { color: opts.color } : {}), ...(i > 0 ? { break: 1 } : {}) }));
}

export async function officialLetterDocx(l: OfficialLetter): Promise<Uint8Array> {
  const body = (text: string, indent = true): Paragraph =>
    new Paragraph({ spacing: LINE, ...(indent ? { indent: { firstLine: 640 } } : {}), children: runs(text, { font: FANGSONG, size: SIZE.san }) });
  const doc = new Document({
    creator: l.issuer,
    title: l.title,
    styles: { default: { document: { run: { font: FANGSONG, size: SIZE.san } } } },
    sections: [
      {
        properties: {
          // A4; GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (in twips).
          page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474, footer: 992 } },
        },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.si })] })],
          }),
        },
        children: [
          // 发文机关标志, red, centred.
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: runs(l.issuer, { font: XIAOBIAOSONG, size: SIZE.mark, color: 'FF0000' }) }),
          // 文号 above the red line (the paragraph's bottom border).
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 480 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: 'FF0000', space: 8 } },
            children: l.docNumber ? runs(l.docNumber, { font: FANGSONG, size: SIZE.san }) : [],
          }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { ...LINE, after: 280 }, children: runs(l.title, { font: XIAOBIAOSONG, size: SIZE.er }) }),
          body(l.addressee, false),
          // A first-level heading (一、…, short, no full stop) in 黑体, as GB/T 9704 sets them.
          ...l.paragraphs.map((p) =>
            /^[一二三四五六七八九十]+、[^。]{1,30}$/.test(p) ? new Paragraph({ spacing: LINE, indent: { firstLine: 640 }, children: runs(p, { font: HEITI, size: SIZE.san }) }) : body(p),
          ),
          new Paragraph({ spacing: LINE, children: [] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: LINE, indent: { right: 640 }, children: runs(l.issuer, { font: FANGSONG, size: SIZE.san }) }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: LINE, indent: { right: 640 }, children: runs(l.date, { font: FANGSONG, size: SIZE.san }) }),
          ...(l.note ? [new Paragraph({ spacing: { before: 560 }, children: runs(l.note, { font: HEITI, size: SIZE.si }) })] : []),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const PDF_CONTENT_TYPE = 'application/pdf';

/** What a letter says, before its layout. */
export interface LetterDocument {
  /** 文号, e.g. 云组函〔2026〕12号 (letters of cases issued before the sequence was kept have none). */
  readonly docNumber?: string;
  readonly title: string;
  /** To whom, e.g. 张三、李四同志： */
  readonly salutation: string;
  readonly paragraphs: readonly string[];
  /** The issuing body and the date. */
  readonly signature: readonly string[];
  /** Small print under the letter, e.g. the case number. */
  readonly footer?: string;
}

/** The letter in the layout of a Party organ's document (GB/T 9704). */
export function officialLetter(letter: LetterDocument): OfficialLetter {
  return {
    issuer: letter.signature[0] ?? '',
    ...(letter.docNumber ? { docNumber: letter.docNumber } : {}),
    title: letter.title,
    addressee: letter.salutation,
    paragraphs: letter.paragraphs,
    date: letter.signature[1] ?? '',
    ...(letter.footer ? { note: letter.footer } : {}),
  };
}

export type Attachment = { readonly filename: string; readonly content: Uint8Array; readonly contentType: string };

/** The letter's files: the DOCX, and its PDF when a converter is given (LibreOffice, LETTER_PDF). */
export async function letterFiles(letter: LetterDocument, basename: string, pdf?: (docx: Uint8Array) => Promise<Uint8Array>): Promise<Attachment[]> {
  const docx = await officialLetterDocx(officialLetter(letter));
  return [
    { filename: `${basename}.docx`, content: docx, contentType: DOCX_CONTENT_TYPE },
    ...(pdf ? [{ filename: `${basename}.pdf`, content: await pdf(docx), contentType: PDF_CONTENT_TYPE }] : []),
  ];
}
