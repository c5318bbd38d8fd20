import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { createActivities } from '../../src/activities';
import { calendarStore } from '../../src/activities/calendar-store';
import { meterMailMetrics } from '../../src/activities/mail-metrics';
import { createSmtpMailer } from '../../src/activities/mailer';
import { rosterFileSource } from '../../src/activities/roster-file';
import { openSentJournal } from '../../src/activities/sent-journal';
import type { NoticeRequest } from '../../src/contracts/mail';
import { SmtpSink } from '../../src/infra/smtp-sink';
import { rosterInvalidGauge, watchOverdue } from '../../src/infra/overdue-metrics';
import { OverdueKey, TownshipKey } from '../../src/search-attributes';
import { APP_BASE_URL, sampleRosterFile } from '../support/mail';
import { freePort } from '../support/processes';
import { createDevServerEnv, uniqueId } from '../support/temporal';

/**
 * What an operator's Prometheus scrapes from the worker's endpoint, beside the SDK's own metrics:
 * mails by kind and outcome, and open entities with overdue duties per township. Real servers: the
 * worker runtime's exporter, a dev server, an SMTP server that refuses one address for good.
 */
let port: number;
let env: TestWorkflowEnvironment;
let sink: SmtpSink;

beforeAll(async () => {
  // test/support/setup.ts leaves the runtime to this file (its name ends in .metrics.test.ts).
  port = await freePort();
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } } });
  env = await createDevServerEnv();
  // The township secretary's mailbox does not exist: refused for good, on every attempt.
  sink = await SmtpSink.start({ policy: (a) => (a === 'qs-sec@township.example.org' ? 'reject-permanent' : 'accept') });
});
afterAll(async () => {
  await sink?.close();
  await env?.teardown();
});

const scrape = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
const sample = (text: string, name: string, labels: Record<string, string>): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

test('mails are counted by kind and outcome: sent, refused for good, already sent on a retry', async () => {
  const mailer = createSmtpMailer({ host: sink.host, port: sink.port, secure: false, auth: undefined, poolSize: 2, from: '整顿提升工作提醒 <noreply@county.example.org>' });
  const roster = rosterFileSource(sampleRosterFile);
  const secretary = roster.current().people.find((p) => p.id === 'qs-sec')!;
  const activities = createActivities({
    mailer,
    roster,
    journal: openSentJournal(mkdtempSync(path.join(tmpdir(), 'journal-'))),
    baseUrl: APP_BASE_URL,
    calendar: calendarStore(mkdtempSync(path.join(tmpdir(), 'calendar-'))),
    metrics: meterMailMetrics(Runtime.instance().metricMeter),
  });
  const request: NoticeRequest = {
    type: 'notice',
    key: 'metrics-test/red',
    village: 'QS03',
    township: 'QS',
    subject: 'village',
    obligation: {
      id: 'first-secretary-visit/village:QS03/2027-12',
      kind: 'first-secretary-visit',
      title: '第一书记每月到村开展服务',
      clause: '四(一)1',
      periodLabel: '2027年12月',
      dueDate: '2027-12-31',
      nominalDue: '2027-12-31',
      provisional: false,
      deadlineBasis: '《方案》四(一)1',
      deadlineRule: 'last-working-day',
    },
    step: { id: 'red-warning', severity: 'red-warning' },
    notify: ['first-secretary', 'township-party-secretary'],
    assigned: {},
  };
  const [first] = await activities.deliverMail([request]);
  expect(first).toMatchObject({ status: 'sent', refused: [secretary.email] });
  await activities.deliverMail([request]);
  mailer.close();

  await vi.waitFor(async () => {
    const text = await scrape();
    expect(sample(text, 'rect_mails_total', { kind: 'red-warning', outcome: 'sent' })).toBe(1);
    expect(sample(text, 'rect_mails_total', { kind: 'red-warning', outcome: 'refused' })).toBe(2);
    expect(sample(text, 'rect_mails_total', { kind: 'red-warning', outcome: 'already-sent' })).toBe(1);
  });
});

test('open entities with overdue duties are counted per township; a township that catches up drops to 0', async () => {
  const start = (township: string, overdue: boolean) =>
    env.client.workflow.start('nobodyRunsThis', {
      taskQueue: uniqueId('metrics'),
      workflowId: uniqueId(`metrics-${township}`),
      typedSearchAttributes: [
        { key: TownshipKey, value: township },
        { key: OverdueKey, value: overdue },
      ],
    });
  const a = await start('QS', true);
  await start('QS', true);
  await start('DP', true);
  await start('HL', false);
  const gauges = watchOverdue(env.client, Runtime.instance().metricMeter, 3_600_000);
  try {
    await vi.waitFor(
      async () => {
        await gauges.refresh();
        const text = await scrape();
        expect(sample(text, 'rect_overdue_entities', { township: 'QS' })).toBe(2);
        expect(sample(text, 'rect_overdue_entities', { township: 'DP' })).toBe(1);
        expect(sample(text, 'rect_overdue_entities', { township: 'HL' })).toBeUndefined();
      },
      { timeout: 15_000, interval: 300 },
    );
    await a.terminate('caught up');
    const dp = env.client.workflow.list({ query: `${TownshipKey.name} = 'DP' AND ExecutionStatus = 'Running'` });
    for await (const wf of dp) await env.client.workflow.getHandle(wf.workflowId).terminate('caught up');
    await vi.waitFor(
      async () => {
        await gauges.refresh();
        const text = await scrape();
        expect(sample(text, 'rect_overdue_entities', { township: 'QS' })).toBe(1);
        expect(sample(text, 'rect_overdue_entities', { township: 'DP' })).toBe(0);
      },
      { timeout: 15_000, interval: 300 },
    );
  } finally {
    gauges.stop();
  }
});

test("the sample Grafana dashboard and alert rules in deploy/ ask only for product metrics the worker exports", async () => {
  const { readFileSync } = await import('node:fs');
  const root = path.resolve(__dirname, '../..');
  const dashboard = JSON.parse(readFileSync(path.join(root, 'deploy/grafana-dashboard.json'), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
  const alerts = readFileSync(path.join(root, 'deploy/prometheus-alerts.yml'), 'utf8');
  const asked = new Set([...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)), alerts].flatMap((e) => e.match(/\brect_[a-z_]+\b/g) ?? []));
  // (temporal_* are the SDK's own, exported once a worker polls.)
  expect(asked.size).toBe(5);
  rosterInvalidGauge(Runtime.instance().metricMeter); // as the worker registers it at start
  const text = await scrape();
  const exported = new Set(text.split('\n').filter((l) => !l.startsWith('#') && l).map((l) => l.split(/[{ ]/)[0]!));
  expect([...asked].filter((m) => !exported.has(m))).toEqual([]);
});
