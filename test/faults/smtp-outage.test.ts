import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities } from '../../src/activities';
import { calendarStore } from '../../src/activities/calendar-store';
import { createSmtpMailer, type Mailer } from '../../src/activities/mailer';
import { readRosterFile, rosterFileSource } from '../../src/activities/roster-file';
import { openSentJournal } from '../../src/activities/sent-journal';
import { designateVillage, villageInputFromRoster } from '../../src/client/village';
import { stateQuery } from '../../src/contracts/village';
import { SmtpSink, type ReceivedMail } from '../../src/infra/smtp-sink';
import { DeliveryDelayedKey } from '../../src/search-attributes';
import { APP_BASE_URL, sampleRosterFile } from '../support/mail';
import { freePort } from '../support/processes';
import { bundle, createTimeSkippingEnv, uniqueId } from '../support/temporal';
import { advanceTo } from '../support/village';

/**
 * The county's mail server goes away for a simulated hour while the month-end reminders of every
 * village of the county fall due at 09:00: nothing listens on its port (connections refused, the
 * pooled ones ended with 421). Operators see the delay on every target while it lasts; when the
 * server is back on the same port, every reminder arrives, none twice. The worker runs in the test
 * process on the time-skipping server, so the hour passes in simulated time.
 */
const rosterFile = path.join(mkdtempSync(path.join(tmpdir(), 'outage-roster-')), 'roster.json');
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let mailer: Mailer;
let port: number;
let sink: SmtpSink | undefined;
const received: ReceivedMail[] = [];
let villages: string[];
const handles: Awaited<ReturnType<typeof designateVillage>>[] = [];

/** The sample county with every village of 青石镇 and 柳河镇 designated, each with a first secretary. */
function twoTownshipsRoster(): void {
  const input = JSON.parse(readFileSync(sampleRosterFile, 'utf8')) as {
    villages: { code: string; township: string }[];
    people: { id: string; role: string; village?: string; [k: string]: unknown }[];
    designations: { village: string }[];
  };
  const designated = new Set(input.designations.map((d) => d.village));
  const ids = new Set(input.people.map((p) => p.id));
  const hasFirstSecretary = new Set(input.people.filter((p) => p.role === 'first-secretary').map((p) => p.village));
  // Two townships' worth: the retries of local activities take real seconds, and CI runs test files side by side.
  for (const v of input.villages.filter((x) => x.township === 'QS' || x.township === 'LH')) {
    const code = v.code.toLowerCase();
    if (!designated.has(v.code)) {
      input.designations.push({ village: v.code, date: '2018-10-15', criteria: [{ criterion: 1, evidence: '村党支部书记长期外出务工，一年来仅召开两次支委会。' }] } as never);
    }
    const people = [
      { id: `${code}-fs`, name: `${v.code}第一书记`, email: `${code}-fs@county.example.org`, role: 'first-secretary', village: v.code, since: '2018-10-01' },
      { id: `${code}-vs`, name: `${v.code}村书记`, email: `${code}-vs@village.example.net`, role: 'village-party-secretary', village: v.code },
    ];
    input.people.push(...people.filter((p) => !ids.has(p.id) && (p.role !== 'first-secretary' || !hasFirstSecretary.has(v.code))));
  }
  writeFileSync(rosterFile, JSON.stringify(input));
}

const startSink = async (): Promise<SmtpSink> => SmtpSink.start({ port, closeTimeoutMs: 1, onMail: (m) => received.push(m) });

beforeAll(async () => {
  twoTownshipsRoster();
  port = await freePort();
  const taskQueue = uniqueId('outage');
  let workflowBundle;
  [env, workflowBundle, sink] = await Promise.all([
    createTimeSkippingEnv({ startAt: '2018-10-22T00:00:00Z' }),
    bundle(path.resolve(__dirname, '../../src/workflows')),
    startSink(),
  ]);
  mailer = createSmtpMailer({ host: '127.0.0.1', port, secure: false, auth: undefined, poolSize: 4, from: '整顿提升工作提醒 <noreply@county.example.org>' });
  const activities = createActivities({
    mailer,
    journal: openSentJournal(mkdtempSync(path.join(tmpdir(), 'outage-journal-'))),
    roster: rosterFileSource(rosterFile),
    baseUrl: APP_BASE_URL,
    calendar: calendarStore(mkdtempSync(path.join(tmpdir(), 'outage-calendar-'))),
  });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  running = worker.run();
  const roster = readRosterFile(rosterFile);
  villages = roster.designations.map((d) => d.village).filter((v) => v.startsWith('QS') || v.startsWith('LH'));
  for (const v of villages) handles.push(await designateVillage(env.client, taskQueue, villageInputFromRoster(roster, v)));
}, 180_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  mailer?.close();
  await sink?.close();
  await env?.teardown();
});

const monthEnd = (m: ReceivedMail): boolean => m.subject.startsWith('【提醒】') && m.subject.endsWith('（2018年11月）');

test('an hour without a mail server: the delay is visible on every target, then every reminder arrives once', async () => {
  expect(villages).toHaveLength(20);
  await advanceTo(env, '2018-11-26T12:00:00Z');
  await sink!.close(); // nothing listens on the port any more
  sink = undefined;
  const before = received.length;
  await advanceTo(env, '2018-11-27T01:40:00Z'); // the month-end reminders were due at 09:00 China time

  const during = await Promise.all(handles.map((h) => h.query(stateQuery)));
  const delayed = during.filter((s) => s.deliveryDelayed);
  expect(delayed).toHaveLength(villages.length);
  for (const s of delayed) expect(s.deliveryDelayed?.lastError).toMatch(/ECONNREFUSED|connect/i);
  for (const h of handles) expect((await h.describe()).typedSearchAttributes.get(DeliveryDelayedKey)).toBe(true);
  const due = delayed.reduce((n, s) => n + (s.deliveryDelayed?.pending ?? 0), 0);
  expect(received.length).toBe(before);

  // Back on the same port an hour after the reminders were due.
  await advanceTo(env, '2018-11-27T02:00:00Z');
  sink = await startSink();
  await advanceTo(env, '2018-11-27T03:00:00Z');

  const after = received.slice(before).filter(monthEnd);
  const byKey = new Map<string, number>();
  for (const m of after) for (const to of m.envelopeTo) byKey.set(`${m.messageId} ${to}`, (byKey.get(`${m.messageId} ${to}`) ?? 0) + 1);
  const duplicates = [...byKey.values()].reduce((n, c) => n + c - 1, 0);
  const arrived = byKey.size;
  console.log(JSON.stringify({ fault: 'smtp-outage-1h', due, received: after.reduce((n, m) => n + m.envelopeTo.length, 0), duplicates, lost: due - arrived }));
  expect(due).toBeGreaterThanOrEqual(2 * villages.length);
  expect(arrived).toBe(due);
  expect(duplicates).toBe(0);
  // Each village's first secretary got both reminders of the month, once each.
  for (const v of villages) {
    const subjects = after.filter((m) => m.envelopeTo.includes(`${v.toLowerCase()}-fs@county.example.org`)).map((m) => m.subject);
    expect(subjects.filter((s) => s.includes('第一书记每月到村开展服务'))).toHaveLength(1);
    expect(subjects.filter((s) => s.includes('第一书记每月与村民座谈交流'))).toHaveLength(1);
  }
  const cleared = await Promise.all(handles.map((h) => h.query(stateQuery)));
  expect(cleared.filter((s) => s.deliveryDelayed)).toEqual([]);
  for (const h of handles) expect((await h.describe()).typedSearchAttributes.get(DeliveryDelayedKey)).toBe(false);
}, 900_000);
