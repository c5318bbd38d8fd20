/**
 * Letters and notices as a Party organ issues them, written with the `docx` library in the 信函格式
 * of GB/T 9704-2012 (§10.1): the issuing body's mark (发文机关标志) in red and centred, a red double
 * line under it (thick over thin) and another at the foot of the first page (thin over thick), the
 * document number (文号, e.g. 云组函〔2026〕12号) flush right under the upper line, the title in
 * 小标宋 2号, the addressee (主送), the body in 仿宋 3号 with 28-point lines and a two-character
 * indent, the issuing body and the date right-aligned at the end, the 附注 (the case number) in
 * brackets under the date, and page numbers as “— 2 —” from the second page on (none on the first).
 * A draft for the department to decide on (送审稿: the 呈批件, the bulletin) carries no issuing
 * mark, lines or number. A4 with the standard margins.
 * Text is made safe for XML first: characters XML cannot carry are dropped, and Word's own line
 * break (U+000B) and other line breaks become line breaks.
 */
import { AlignmentType, BorderStyle, Document, Footer, Packer, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';

/** A table in a document's body (a report's figures): a header row and rows of cells. */
export interface LetterTable {
  readonly table: { readonly head: readonly string[]; readonly rows: readonly (readonly (string | number)[])[] };
}

/** A paragraph of the body, or a table. */
export type LetterBlock = string | LetterTable;

/** A block as plain text lines (a mail's body): a table's cells separated by two full-width spaces. */
export function blockLines(b: LetterBlock): string[] {
  return typeof b === 'string' ? [b] : [b.table.head, ...b.table.rows].map((r) => r.join('　　'));
}

export interface OfficialLetter {
  /** 发文机关: e.g. 中共云岭县委组织部. */
  readonly issuer: string;
  /** 文号, when one was allocated: e.g. 云组函〔2026〕12号. */
  readonly docNumber?: string;
  readonly title: string;
  /** 主送: e.g. 王某、李某同志： */
  readonly addressee: string;
  readonly paragraphs: readonly LetterBlock[];
  /** The date as written under the issuer: 2026年11月29日. */
  readonly date: string;
  /** 附注 under the date, e.g. （案号：…）. */
  readonly note?: string;
  /** A draft (送审稿) for the department to decide on: no issuing mark, lines or number. */
  readonly draft?: boolean;
}

const FANGSONG = { ascii: 'FangSong', hAnsi: 'FangSong', eastAsia: '仿宋_GB2312' };
const XIAOBIAOSONG = { ascii: 'FZXiaoBiaoSong-B05S', hAnsi: 'FZXiaoBiaoSong-B05S', eastAsia: '方正小标宋简体' };
const HEITI = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体' };
/** Half-points: 2号 22pt, 3号 16pt, 4号 14pt, 小四 12pt. */
const SIZE = { er: 44, san: 32, si: 28, xiaosi: 24, mark: 52 } as const;
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

/** A red double line as a paragraph border: thick over thin under the mark, thin over thick at the foot. */
const RED_DOUBLE_LINE = { color: 'FF0000', size: 18, space: 4 } as const;
/** The lines are 170 mm long, 7 mm wider than the 156 mm text on each side (in twips). */
const LINE_OVERHANG = { left: -397, right: -397 } as const;

/** A table the text's full width, in 仿宋 小四 with single lines (the header row in 黑体), each cell centred. */
function table(t: LetterTable): Table {
  const cell = (text: string | number, head: boolean): TableCell =>
    new TableCell({
      verticalAlign: VerticalAlign.CENTER,
      margins: { top: 40, bottom: 40, left: 60, right: 60 },
      children: [new Paragraph({ alignment: AlignmentType.CENTER, children: runs(String(text), { font: head ? HEITI : FANGSONG, size: SIZE.xiaosi }) })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: t.table.head.map((h) => cell(h, true)) }), ...t.table.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c) => cell(c, false)) }))],
  });
}

export async function officialLetterDocx(l: OfficialLetter): Promise<Uint8Array> {
  const body = (text: string, indent = true): Paragraph =>
    new Paragraph({ spacing: LINE, ...(indent ? { indent: { firstLine: 640 } } : {}), children: runs(text, { font: FANGSONG, size: SIZE.san }) });
  const letterhead = l.draft
    ? []
    : [
        // 发文机关标志, red, centred, with the upper red double line (thick over thin) under it.
        new Paragraph({
          alignment: AlignmentType.CENTER,
          indent: LINE_OVERHANG,
          border: { bottom: { style: BorderStyle.THICK_THIN_SMALL_GAP, ...RED_DOUBLE_LINE } },
          children: runs(l.issuer, { font: XIAOBIAOSONG, size: SIZE.mark, color: 'FF0000' }),
        }),
        // 文号 flush right under the line (an empty line when the letter has none).
        new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { ...LINE, before: 160, after: 280 }, children: l.docNumber ? runs(l.docNumber, { font: FANGSONG, size: SIZE.san }) : [] }),
      ];
  const pageNumber = new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE.si })] })],
  });
  // The first page has no number; a letter's has the lower red double line (thin over thick) instead.
  const firstPage = new Footer({
    // (A top border's pair of lines is drawn mirrored: thickThin on top is thin over thick.)
    children: [new Paragraph({ indent: LINE_OVERHANG, border: l.draft ? {} : { top: { style: BorderStyle.THICK_THIN_SMALL_GAP, ...RED_DOUBLE_LINE } }, children: [] })],
  });
  const doc = new Document({
    creator: l.issuer,
    title: l.title,
    styles: { default: { document: { run: { font: FANGSONG, size: SIZE.san } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          // A4; GB/T 9704: the mark's top 30 mm from the page's top in a letter (37 mm otherwise), bottom 35 mm, left 28 mm, right 26 mm (in twips).
          page: { size: { width: 11906, height: 16838 }, margin: { top: l.draft ? 2098 : 1701, bottom: 1984, left: 1588, right: 1474, footer: 992 } },
        },
        footers: { first: firstPage, default: pageNumber },
        children: [
          ...letterhead,
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { ...LINE, after: 280 }, children: runs(l.title, { font: XIAOBIAOSONG, size: SIZE.er }) }),
          body(l.addressee, false),
          // A first-level heading (一、…, short, no full stop) in 黑体, as GB/T 9704 sets them.
          ...l.paragraphs.map((p) =>
            typeof p !== 'string'
              ? table(p)
              : /^[一二三四五六七八九十]+、[^。]{1,30}$/.test(p)
                ? new Paragraph({ spacing: LINE, indent: { firstLine: 640 }, children: runs(p, { font: HEITI, size: SIZE.san }) })
                : body(p),
          ),
          new Paragraph({ spacing: LINE, children: [] }),
          // Signed without a seal: the issuer two characters from the right, the date under it.
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: LINE, indent: { right: 640 }, children: runs(l.issuer, { font: FANGSONG, size: SIZE.san }) }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: LINE, indent: { right: 640 }, children: runs(l.date, { font: FANGSONG, size: SIZE.san }) }),
          // 附注: two characters in, in brackets, on the line under the date.
          ...(l.note ? [body(/^[（(].*[）)]$/.test(l.note) ? l.note : `（${l.note}）`)] : []),
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
  readonly paragraphs: readonly LetterBlock[];
  /** The issuing body and the date. */
  readonly signature: readonly string[];
  /** Small print under the letter, e.g. the case number. */
  readonly footer?: string;
  /** A draft (送审稿) for the department to decide on: printed without the issuing mark. */
  readonly draft?: boolean;
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
    ...(letter.draft ? { draft: true } : {}),
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
