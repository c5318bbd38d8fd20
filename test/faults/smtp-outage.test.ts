import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { issueInquiry } from '../../src/client/supervision';
import { inquiryWorkflowId } from '../../src/contracts/inquiry';
import { SmtpSink } from '../../src/infra/smtp-sink';
import { DeliveryDelayedKey } from '../../src/search-attributes';
import { sampleRosterFile } from '../support/mail';
import { startPostgres, type Postgres } from '../support/postgres';
import { freePort, startWorkerProcess, type WorkerProcess } from '../support/processes';
import { createTimeSkippingEnv } from '../support/temporal';

/**
 * The mail server refusing connections for a simulated hour, with real processes: the
 * time-skipping server (the hour passes in seconds), the worker as a child process with the sent
 * journal in PostgreSQL, and an SMTP server that is not there, then is. Letters issued meanwhile
 * wait on their workflows, visibly; once the server is back each arrives once.
 */
const roster = readRosterFile(sampleRosterFile);
let env: TestWorkflowEnvironment;
let postgres: Postgres;
let sink: SmtpSink | undefined;
let worker: WorkerProcess;

beforeAll(async () => {
  [env, postgres] = await Promise.all([createTimeSkippingEnv(), startPostgres()]);
}, 120_000);
afterAll(async () => {
  await worker?.stop('SIGKILL');
  await sink?.close();
  await env?.teardown();
  await postgres?.stop();
});

test('the SMTP server refuses connections for an hour: the delay is visible meanwhile, then every letter arrives once', async () => {
  const smtpPort = await freePort(); // nothing listens there yet: connections are refused
  const taskQueue = 'fault-smtp';
  worker = startWorkerProcess({
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    DATABASE_URL: postgres.url,
    ROSTER_FILE: sampleRosterFile,
    CALENDAR_DIR: mkdtempSync(path.join(tmpdir(), 'fault-calendar-')),
    SENT_JOURNAL_DIR: mkdtempSync(path.join(tmpdir(), 'fault-journal-')),
  });
  await worker.polling;

  const N = 80;
  const townships = roster.townships.map((t) => t.code);
  const ids = Array.from({ length: N }, (_, i) => `SMTP-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < N; i += 25) {
    await Promise.all(ids.slice(i, i + 25).map((caseId, k) => issueInquiry(env.client, taskQueue, roster, { township: townships[(i + k) % townships.length]!, reason: '半月进展报送不及时', issuedBy: 'zzb-zhang', caseId })));
  }

  // The quick retries run out; every case holds its letter and says so to operators.
  await env.sleep('10 minutes');
  const delayed = async (): Promise<number> =>
    (await Promise.all(ids.map(async (id) => (await env.client.workflow.getHandle(inquiryWorkflowId(id)).describe()).typedSearchAttributes.get(DeliveryDelayedKey)))).filter(Boolean).length;
  expect(await delayed()).toBe(N);
  await env.sleep('50 minutes');
  expect(await delayed()).toBe(N);

  // An hour after the burst, the server is back; the held letters go out at their next retry.
  sink = await SmtpSink.start({ port: smtpPort });
  await env.sleep('3 hours');
  const letters = sink.received.filter((m) => m.subject.startsWith('【函询】'));
  const pairs = new Map<string, number>();
  for (const m of letters) for (const to of m.envelopeTo) pairs.set(`${m.messageId} ${to}`, (pairs.get(`${m.messageId} ${to}`) ?? 0) + 1);
  const counted = { due: 2 * N, received: letters.length, duplicates: [...pairs.values()].filter((v) => v > 1).length, lost: 2 * N - pairs.size };
  console.log(`SMTP server down for an hour: ${JSON.stringify(counted)}`);
  expect(counted).toEqual({ due: 2 * N, received: 2 * N, duplicates: 0, lost: 0 });
  expect(await delayed()).toBe(0);
}, 900_000);
