/**
 * Documents officials print: a letter as a Word document (DOCX), in Simplified Chinese. A DOCX
 * is a zip of a few XML parts; the minimal set Word, WPS and LibreOffice open is written here
 * directly, without a document library.
 */
import { strToU8, zipSync } from 'fflate';

export interface LetterDocument {
  readonly title: string;
  /** To whom, e.g. 张三、李四同志： */
  readonly salutation: string;
  readonly paragraphs: readonly string[];
  /** Right-aligned lines at the end: the issuing body and the date. */
  readonly signature: readonly string[];
  /** Small print under the letter, e.g. the case number. */
  readonly footer?: string;
}

/**
 * Text as XML 1.0 can carry it: markup escaped, and the characters XML forbids (control characters
 * other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF) removed. Word's own line break
 * (U+000B, pasted from a Word document) and other line breaks become line breaks in the document.
 */
/* eslint-disable no-control-regex -- removing control characters is the point */
function xml(s: string): string {
  return s
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    .replace(/\r\n|[\u000b\u000c\n\r\u2028\u2029]/g, '\n')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/\n+/g, '</w:t><w:br/><w:t xml:space="preserve">');
}
/* eslint-enable no-control-regex */

function paragraph(text: string, opts: { align?: 'center' | 'right'; bold?: boolean; size?: number; indent?: boolean } = {}): string {
  const pPr = [
    opts.align ? `<w:jc w:val="${opts.align}"/>` : '',
    opts.indent ? '<w:ind w:firstLineChars="200" w:firstLine="640"/>' : '',
    '<w:spacing w:line="560" w:lineRule="exact"/>',
  ].join('');
  const rPr = [
    '<w:rFonts w:ascii="FangSong" w:hAnsi="FangSong" w:eastAsia="仿宋"/>',
    opts.bold ? '<w:b/>' : '',
    `<w:sz w:val="${opts.size ?? 32}"/><w:szCs w:val="${opts.size ?? 32}"/>`,
  ].join('');
  return `<w:p><w:pPr>${pPr}</w:pPr><w:r><w:rPr>${rPr}</w:rPr><w:t xml:space="preserve">${xml(text)}</w:t></w:r></w:p>`;
}

export function letterDocx(letter: LetterDocument): Uint8Array {
  const body = [
    paragraph(letter.title, { align: 'center', bold: true, size: 44 }),
    paragraph(''),
    paragraph(letter.salutation),
    ...letter.paragraphs.map((p) => paragraph(p, { indent: true })),
    paragraph(''),
    ...letter.signature.map((line) => paragraph(line, { align: 'right' })),
    ...(letter.footer ? [paragraph(''), paragraph(letter.footer, { size: 24 })] : []),
  ].join('');
  const document =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
    body +
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>' +
    '</w:body></w:document>';
  const contentTypes =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
    '</Types>';
  const rels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
    '</Relationships>';
  // A fixed timestamp: the same letter always gives the same bytes.
  const mtime = new Date('2018-01-01T00:00:00Z');
  return zipSync(
    {
      '[Content_Types].xml': [strToU8(contentTypes), { mtime }],
      '_rels/.rels': [strToU8(rels), { mtime }],
      'word/document.xml': [strToU8(document), { mtime }],
    },
    { level: 6 },
  );
}

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
