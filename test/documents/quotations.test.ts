import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

/**
 * Every quotation of the work plan that names its clause, in the code (mails, documents, pages,
 * comments), the docs and the README, is the plan's own words: a part of one of that clause's
 * sentences (test/fixtures/plan-sentences.json). Punctuation is compared by kind (，and , alike,
 * “” and ‘’ alike), and "…" stands for words left out, the parts in the plan's order.
 */
const root = path.resolve(__dirname, '../..');
const sentences = JSON.parse(readFileSync(path.join(root, 'test/fixtures/plan-sentences.json'), 'utf8')) as Record<string, string[]>;

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full, ext);
    return ext.test(name) ? [full] : [];
  });
}

const normal = (s: string): string =>
  s
    .replace(/[，,]/g, '，')
    .replace(/[；;]/g, '；')
    .replace(/[（(]/g, '（')
    .replace(/[）)]/g, '）')
    .replace(/[“”‘’"']/g, '"')
    .replace(/[。.]$/, '')
    .replace(/\s+/g, '');

/** Whether the quoted words appear, in order, in one of the clause's sentences. */
function found(clause: string, quote: string): boolean {
  const parts = normal(quote).split(/…+|\.\.\./).filter(Boolean);
  return (sentences[clause] ?? []).some((s) => {
    const text = normal(s);
    let at = 0;
    for (const p of parts) {
      const i = text.indexOf(p, at);
      if (i < 0) return false;
      at = i + p.length;
    }
    return true;
  });
}

const CLAUSE = '([一二三四五六])[(（]([一二三四五六七])[)）](\\d{0,2})';
const CJK = /[\u4e00-\u9fff]/;
/** `六(三) "…"`, `六(三)“…”`, `六(三)规定，“…”`: the clause, then within a few characters the quotation. */
const clauseThenQuote = new RegExp(`${CLAUSE}[^“"\\n]{0,12}?[“"]([^”"\\n]{2,300})[”"]`, 'g');
/** `“…”（六(四)）`: the quotation, then the clause in brackets. */
const quoteThenClause = new RegExp(`[“"]([^”"\\n]{2,300})[”"][^“"\\n]{0,3}?[（(]${CLAUSE}`, 'g');

test('every quotation credited to a clause of the plan is in the plan, word for word', () => {
  const sources = [...files(path.join(root, 'src'), /\.ts$/), ...files(path.join(root, 'docs'), /\.md$/), path.join(root, 'README.md')];
  const quotations: { where: string; clause: string; quote: string }[] = [];
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    const where = path.relative(root, file);
    for (const m of text.matchAll(clauseThenQuote)) quotations.push({ where, clause: `${m[1]}(${m[2]})`, quote: m[4]! });
    for (const m of text.matchAll(quoteThenClause)) quotations.push({ where, clause: `${m[2]}(${m[3]})`, quote: m[1]! });
  }
  const checked = quotations.filter((q) => CJK.test(q.quote));
  // Enough of them are found for the check to mean something.
  expect(checked.length).toBeGreaterThan(10);
  const wrong = checked.filter((q) => !found(q.clause, q.quote)).map((q) => `${q.where}: ${q.clause}“${q.quote}”`);
  expect(wrong).toEqual([]);
});

test('the check catches a misquotation', () => {
  expect(found('六(三)', '对工作不力、进展缓慢的，予以通报')).toBe(false);
  expect(found('六(三)', '定期不定期地对整顿工作进行督促检查，并进行通报')).toBe(true);
  expect(found('六(四)', '县委将…进行函询')).toBe(true);
  expect(found('六(四)', '进行函询…县委将')).toBe(false);
});
