import { appendFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSentJournal, type SentJournal } from '../../src/activities/sent-journal';
import { openPgSentJournal, SENT_JOURNAL_TABLE } from '../../src/activities/pg-sent-journal';
import { startPostgres, type Postgres } from '../support/postgres';

const day = 86_400_000;
const fresh = (): string => mkdtempSync(path.join(tmpdir(), 'journal-'));

let postgres: Postgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

/** Two processes (or hosts) sharing one journal: the file store on one directory, or one database. */
const stores: { name: string; open: () => Promise<() => Promise<SentJournal>> }[] = [
  {
    name: 'files',
    open: async () => {
      const dir = fresh();
      return async () => openSentJournal(dir);
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const db = `j${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.end();
      const url = postgres.url.replace(/\/postgres$/, `/${db}`);
      return () => openPgSentJournal(url);
    },
  },
];

describe.each(stores)('the sent journal in $name', ({ open }) => {
  const key = 'village:QS03@2018-10-15/rectification-plan/village:QS03/2018/reminder>zhang@qs.example.org';

  test('a key recorded by one process is found by another on the same store', async () => {
    const opener = await open();
    const a = await opener();
    await a.record(key, '<a@x>');
    const b = await opener();
    await b.refresh();
    expect(await b.sent([key, 'another>x@y'])).toEqual(new Set([key]));
    await Promise.all([a.close(), b.close()]);
  });

  test('after a refresh, what another process recorded since is found', async () => {
    const opener = await open();
    const a = await opener();
    const b = await opener();
    await b.record('k1>li@x', '<1@x>');
    await a.refresh();
    expect(await a.sent(['k1>li@x'])).toEqual(new Set(['k1>li@x']));
    await Promise.all([a.close(), b.close()]);
  });

  test('recording the same key twice keeps one record; a key without a recipient works too', async () => {
    const opener = await open();
    const a = await opener();
    await a.record('k2>wang@x', '<2@x>');
    await a.record('k2>wang@x', '<2@x>');
    await a.record('legacy-key', '<3@x>');
    expect(await a.sent(['k2>wang@x', 'k2>zhao@x', 'legacy-key'])).toEqual(new Set(['k2>wang@x', 'legacy-key']));
    expect(await a.sent([])).toEqual(new Set());
    await a.close();
  });
});

test('several workers opening the PostgreSQL journal at once on a fresh database all start', async () => {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('CREATE DATABASE racing');
  await admin.end();
  const url = postgres.url.replace(/\/postgres$/, '/racing');
  const opened = await Promise.all(Array.from({ length: 6 }, () => openPgSentJournal(url)));
  await opened[0]!.record('n>a@x', '<1@x>');
  expect(await opened[5]!.sent(['n>a@x'])).toEqual(new Set(['n>a@x']));
  await Promise.all(opened.map((j) => j.close()));
});

test('the PostgreSQL journal keeps one row per notice and recipient, and deletes rows older than its retention', async () => {
  const url = postgres.url;
  const j = await openPgSentJournal(url);
  await j.record('n1>a@x', '<1@x>');
  await j.record('n1>b@x', '<2@x>');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(`SELECT notice_key, recipient, message_id FROM ${SENT_JOURNAL_TABLE} WHERE notice_key = 'n1' ORDER BY recipient`);
  expect(rows).toEqual([
    { notice_key: 'n1', recipient: 'a@x', message_id: '<1@x>' },
    { notice_key: 'n1', recipient: 'b@x', message_id: '<2@x>' },
  ]);
  await client.query(`UPDATE ${SENT_JOURNAL_TABLE} SET sent_at = now() - interval '40 days' WHERE recipient = 'a@x'`);
  await j.close();
  const reopened = await openPgSentJournal(url, { retentionDays: 30 });
  expect(await reopened.sent(['n1>a@x', 'n1>b@x'])).toEqual(new Set(['n1>b@x']));
  await reopened.close();
  await client.end();
});

test('a line of the file journal cut short by a kill is skipped; the rest of the file still counts', async () => {
  const dir = fresh();
  const j = openSentJournal(dir);
  await j.record('k1', '<1@x>');
  const file = path.join(dir, readdirSync(dir)[0]!);
  appendFileSync(file, '{"key":"k2","messageId":"<2@');
  writeFileSync(path.join(dir, 'unrelated.txt'), 'x');
  expect(await openSentJournal(dir).sent(['k1', 'k2'])).toEqual(new Set(['k1']));
});

test('files older than the retention are removed', async () => {
  const dir = fresh();
  const t0 = Date.parse('2026-11-01T12:00:00Z');
  await openSentJournal(dir, 14, () => t0).record('old', '<o@x>');
  const later = openSentJournal(dir, 14, () => t0 + 20 * day);
  expect(await later.sent(['old'])).toEqual(new Set());
  expect(existsSync(path.join(dir, 'sent-2026-11-01.jsonl'))).toBe(false);
});
