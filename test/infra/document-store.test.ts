import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { fileDocumentStore, type StoredFile } from '../../src/infra/document-store';

/** The documents as mailed: kept on the first rendering, given back while the letter is the same, replaced when it changed. */
test('a document is rendered once for the same letter, replaced when the letter changes, and listed and read by its workflow', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'documents-test-'));
  let t = Date.parse('2026-12-07T02:00:00Z');
  const store = fileDocumentStore(dir, { now: () => t });
  let renders = 0;
  const render = (text: string) => async (): Promise<StoredFile[]> => {
    renders++;
    return [
      { filename: 'BT-1-函询函.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: new TextEncoder().encode(`${text} #${renders}`) },
      { filename: 'BT-1-函询函.pdf', contentType: 'application/pdf', content: new TextEncoder().encode(`pdf ${text} #${renders}`) },
    ];
  };
  const key = 'inquiry:BT-1/inquiry-letter/letter';
  const describe = { title: '关于白塔乡的函询函', docNumber: '云组函〔2026〕1号' };
  const first = await store.filesFor(key, describe, { deadline: '2026-12-21' }, render('截止12月21日'));
  // The same letter again (a retry, another addressee): the kept bytes, not a new rendering.
  const again = await store.filesFor(key, describe, { deadline: '2026-12-21' }, render('截止12月21日'));
  expect(renders).toBe(1);
  expect(again.map((f) => Buffer.from(f.content).toString())).toEqual(first.map((f) => Buffer.from(f.content).toString()));
  expect(await store.list('inquiry:BT-1')).toEqual([
    {
      key,
      title: '关于白塔乡的函询函',
      docNumber: '云组函〔2026〕1号',
      at: '2026-12-07T02:00:00.000Z',
      files: [
        { filename: 'BT-1-函询函.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: first[0]!.content.byteLength },
        { filename: 'BT-1-函询函.pdf', contentType: 'application/pdf', size: first[1]!.content.byteLength },
      ],
    },
  ]);

  // Resent with its deadline counted anew: the new letter replaces the old, whose files are gone.
  t += 86_400_000;
  await store.filesFor(key, describe, { deadline: '2026-12-22' }, render('截止12月22日'));
  expect(renders).toBe(2);
  expect(Buffer.from((await store.file('inquiry:BT-1', 'BT-1-函询函.docx'))!.content).toString()).toBe('截止12月22日 #2');
  expect((await store.list('inquiry:BT-1')).map((d) => d.at)).toEqual(['2026-12-08T02:00:00.000Z']);
  const [folder] = readdirSync(dir);
  expect(readdirSync(path.join(dir, folder!)).filter((n) => !n.endsWith('.json'))).toHaveLength(2);

  // Only a listed file of that workflow is read; another workflow has nothing; a path is just a name.
  expect(await store.file('inquiry:BT-1', '../../etc/passwd')).toBeUndefined();
  expect(await store.file('inquiry:BT-2', 'BT-1-函询函.docx')).toBeUndefined();
  expect(await store.list('village:QS03')).toEqual([]);
});

test('a folder that cannot be written holds no mail up: the files are made and given, and the failure is told', async () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'documents-test-')), 'file-not-folder');
  writeFileSync(dir, 'not a folder');
  const failed: string[] = [];
  const store = fileDocumentStore(dir, { keepFailed: (key) => failed.push(key) });
  const files = await store.filesFor('inquiry:X/inquiry-letter/letter', { title: '函询函' }, { a: 1 }, async () => [{ filename: 'x.docx', contentType: 'application/octet-stream', content: new Uint8Array([1, 2, 3]) }]);
  expect(files.map((f) => [...f.content])).toEqual([[1, 2, 3]]);
  expect(failed).toEqual(['inquiry:X/inquiry-letter/letter']);
});
