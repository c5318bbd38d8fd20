/**
 * The 15th of the month: `--mails` reminders fall due at one instant, one per target. Measured
 * twice against the same counting SMTP server (its own process), with the same pool size:
 * - product: the worker's mail activity (`deliverMail`), each call one target's batch, at most
 *   WORKER_MAX_CONCURRENT_ACTIVITIES calls at a time, with the sent journal on disk;
 * - floor: nodemailer alone sending the same mails (the same text, headers and Message-ID form),
 *   rendered beforehand, all queued at once.
 * Prints one JSON line: both wall times and their ratio (the goal: at most 1.2).
 *
 *   npx tsx bench/fanout.ts [--mails 10000] [--pool 5] [--concurrency 20]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities';
import { calendarStore } from '../src/activities/calendar-store';
import { createSmtpMailer, messageIdFor } from '../src/activities/mailer';
import { mailMeta } from '../src/activities/notifications';
import { renderNotice, resolveRecipients } from '../src/activities/notices';
import { rosterFileSource } from '../src/activities/roster-file';
import { openSentJournal } from '../src/activities/sent-journal';
import type { NoticeRequest } from '../src/contracts/mail';
import { arg, generatedRoster, note, result, startCountingSink, writeRoster } from './support';

const mails = arg('mails', 10_000);
const pool = arg('pool', 5);
const concurrency = arg('concurrency', 20);
const from = '整顿提升工作提醒 <noreply@bench.example.org>';

function requests(villages: readonly { code: string; township: string }[]): NoticeRequest[] {
  return villages.map((v) => ({
    type: 'notice',
    key: `village:${v.code}/first-secretary-visit/2026-12/reminder`,
    village: v.code,
    township: v.township,
    subject: 'village',
    obligation: {
      id: `first-secretary-visit/village:${v.code}/2026-12`,
      kind: 'first-secretary-visit',
      title: '第一书记每月到村开展服务',
      clause: '四(一)1',
      periodLabel: '2026年12月',
      dueDate: '2026-12-31',
      nominalDue: '2026-12-31',
      provisional: false,
      deadlineBasis: '《方案》四(一)1',
      deadlineRule: 'last-working-day',
    },
    step: { id: 'reminder', severity: 'reminder' },
    notify: ['first-secretary'],
    assigned: {},
  }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-fanout-'));
  const rosterFile = path.join(dir, 'roster.json');
  const input = generatedRoster(mails, Math.max(1, Math.ceil(mails / 15)), '2026-10-15');
  writeRoster(rosterFile, input);
  const roster = rosterFileSource(rosterFile, undefined, { watch: true }); // as the worker reads it
  const journal = openSentJournal(path.join(dir, 'journal'));

  /** nodemailer alone: the same mails, rendered beforehand, all queued at once on one pool. */
  const floor = async (reqs: readonly NoticeRequest[]): Promise<{ ms: number; received: number }> => {
    const sink = await startCountingSink();
    // The same message as the product's: its recipient, text, Message-ID and X-Rectification-* headers.
    const rendered = reqs.map((r) => {
      const people = resolveRecipients(r, roster.current()).people;
      const key = `${r.key}>${people[0]!.email}`;
      const headers = { 'X-Rectification-Key': key, ...Object.fromEntries(Object.entries(mailMeta(r, 'reminder', input.county.code)).map(([k, v]) => [`X-Rectification-${k}`, v])) };
      return { to: people.map((p) => p.email), messageId: messageIdFor(`floor/${key}`, from), headers, ...renderNotice(r, roster.current(), people, 'http://rect.bench.example.org') };
    });
    const transport = nodemailer.createTransport({ pool: true, maxConnections: pool, maxMessages: Infinity, host: '127.0.0.1', port: sink.port, secure: false });
    const t0 = performance.now();
    await Promise.all(rendered.map((m) => transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: m.messageId, headers: m.headers })));
    const ms = performance.now() - t0;
    transport.close();
    return { ms, received: await sink.stop() };
  };

  /** The worker's mail activity: one target's batch per call, at most `concurrency` calls at a time. */
  const product = async (reqs: readonly NoticeRequest[]): Promise<{ ms: number; received: number }> => {
    const sink = await startCountingSink();
    const mailer = createSmtpMailer({ host: '127.0.0.1', port: sink.port, secure: false, auth: undefined, poolSize: pool, from });
    const activities = createActivities({ mailer, journal, roster, baseUrl: 'http://rect.bench.example.org', calendar: calendarStore(path.join(dir, 'calendar')) });
    // In an activity's context, as the worker runs it (the activity reads its attempt).
    const activity = new MockActivityEnvironment();
    const queue = [...reqs];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let r = queue.shift(); r; r = queue.shift()) await activity.run(activities.deliverMail, [r]);
      }),
    );
    const ms = performance.now() - t0;
    mailer.close();
    return { ms, received: await sink.stop() };
  };

  // Both paths warmed up first (JIT, connections' code paths), on mails of their own.
  const warm = requests(input.villages.slice(0, Math.min(200, mails))).map((r) => ({ ...r, key: `warm/${r.key}` }));
  await floor(warm);
  await product(warm);
  const reqs = requests(input.villages);
  const f = await floor(reqs);
  note(`floor: ${f.received} mails in ${Math.round(f.ms)} ms`);
  const p = await product(reqs);
  note(`product: ${p.received} mails in ${Math.round(p.ms)} ms`);
  result({ bench: 'fanout', mails, pool, concurrency, floorMs: Math.round(f.ms), productMs: Math.round(p.ms), ratio: Number((p.ms / f.ms).toFixed(2)), received: { floor: f.received, product: p.received }, goal: 1.2 });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
