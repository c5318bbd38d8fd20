import { appendFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { openSentJournal } from '../../src/activities/sent-journal';

const day = 86_400_000;
const fresh = (): string => mkdtempSync(path.join(tmpdir(), 'journal-'));

test('a key recorded by one process is found by the next one on the same directory', () => {
  const dir = fresh();
  openSentJournal(dir).record('village:QS03@2018-10-15/rectification-plan/village:QS03/2018/reminder', '<a@x>');
  expect(openSentJournal(dir).has('village:QS03@2018-10-15/rectification-plan/village:QS03/2018/reminder')).toBe(true);
  expect(openSentJournal(dir).has('another')).toBe(false);
});

test('reload picks up what another process recorded since', () => {
  const dir = fresh();
  const a = openSentJournal(dir);
  openSentJournal(dir).record('k1', '<1@x>');
  expect(a.has('k1')).toBe(false);
  a.reload();
  expect(a.has('k1')).toBe(true);
});

test('a line cut short by a kill is skipped; the rest of the file still counts', () => {
  const dir = fresh();
  const j = openSentJournal(dir);
  j.record('k1', '<1@x>');
  const file = path.join(dir, readdirSync(dir)[0]!);
  appendFileSync(file, '{"key":"k2","messageId":"<2@');
  writeFileSync(path.join(dir, 'unrelated.txt'), 'x');
  const reopened = openSentJournal(dir);
  expect(reopened.has('k1')).toBe(true);
  expect(reopened.has('k2')).toBe(false);
});

test('files older than the retention are removed', () => {
  const dir = fresh();
  const t0 = Date.parse('2026-11-01T12:00:00Z');
  openSentJournal(dir, 14, () => t0).record('old', '<o@x>');
  const later = openSentJournal(dir, 14, () => t0 + 20 * day);
  expect(later.has('old')).toBe(false);
  expect(existsSync(path.join(dir, 'sent-2026-11-01.jsonl'))).toBe(false);
});
