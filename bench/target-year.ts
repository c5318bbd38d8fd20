/**
 * One village-year with nobody acting, on the time-skipping server (as the tests run it): `--targets`
 * floor workflows (bench/floor: 48 wake-ups a year, each one local activity) run through a
 * simulated year, then as many targets designated in October with the product's worker in this
 * process, mailing a counting SMTP server in its own process (so that receiving is not counted).
 * Prints JSON lines:
 * - target-year: wall time and worker CPU per target-year, product against floor, and the ratio
 *   (goal: at most 1.5); `ratioWithMail` sets the product against the floor plus nodemailer alone
 *   sending as many mails as the product sent (rendered beforehand, the same pool and server):
 *   what a target-year costs beyond the wake-ups and the mail it must send;
 * - history: events per target-year (village) and per township-year (goal: at most 600 a target-year with every duty of the plan).
 *
 * With `--cache N` both workers keep at most N workflows cached (2: nearly every wake-up replays
 * its workflow's history with its modules evaluated afresh, as a province's worker does when its
 * cache is full).
 *
 *   npx tsx bench/target-year.ts [--targets 20] [--townships 4] [--months 12] [--cache N]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { History } from '../test/support/clock';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { calendarStore } from '../src/activities/calendar-store';
import { createSmtpMailer } from '../src/activities/mailer';
import { rosterFileSource } from '../src/activities/roster-file';
import { openSentJournal } from '../src/activities/sent-journal';
import { designateTarget } from '../src/client/supervision';
import { ledgerWorkflowId } from '../src/contracts/ledger';
import { programmeWorkflowId } from '../src/contracts/programme';
import { townshipWorkflowId } from '../src/contracts/township';
import { villageWorkflowId } from '../src/contracts/village';
import nodemailer from 'nodemailer';
import { renderNotice, resolveRecipients } from '../src/activities/notices';
import type { NoticeRequest } from '../src/contracts/mail';
import { bundle, createTimeSkippingEnv } from '../test/support/temporal';
import { advanceTo, arg, generatedRoster, note, result, runHistories, startCountingSink, writeRoster } from './support';

const targets = arg('targets', 20);
const townships = arg('townships', 4);
const months = arg('months', 12);
const cache = process.argv.includes('--cache') ? { maxCachedWorkflows: arg('cache', 0) } : {};
const START = '2018-10-20T00:00:00Z';
const DAY = 86_400_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-year-'));
  const rosterFile = path.join(dir, 'roster.json');
  writeRoster(rosterFile, generatedRoster(targets, townships, '2018-10-15'));
  const roster = rosterFileSource(rosterFile, undefined, { watch: true }); // as the worker reads it
  const span = months * 30.4 * DAY;
  const years = span / (365 * DAY);

  // Two servers: the floor's and the product's, each from the same instant.
  const [floorEnv, env, productBundle, floorBundle, sink] = await Promise.all([
    createTimeSkippingEnv({ startAt: START }),
    createTimeSkippingEnv({ startAt: START }),
    bundle(path.resolve(__dirname, '../src/workflows')),
    bundle(path.join(__dirname, 'floor/workflows.ts')),
    startCountingSink(),
  ]);
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: sink.port, secure: false, auth: undefined, poolSize: 5, from: '整顿提升工作提醒 <noreply@bench.example.org>' });
  try {
    // The floor first (a stopped worker's open workflows would hold the time-skipping clock):
    // 48 wake-ups a year (two a half month), each one local activity.
    const floorWakes = Math.max(1, Math.round((48 * months) / 12));
    const floor = await Worker.create({ connection: floorEnv.nativeConnection, taskQueue: 'bench-floor', workflowBundle: floorBundle, activities: { touch: async (i: number) => i }, ...cache });
    const runningFloor = floor.run();
    const handles = await Promise.all(Array.from({ length: targets }, (_, i) => floorEnv.client.workflow.start('floorYear', { taskQueue: 'bench-floor', workflowId: `floor-${i}`, args: [floorWakes, span], workflowExecutionTimeout: '3650 days' })));
    let cpu = process.cpuUsage();
    let t0 = performance.now();
    await advanceTo(floorEnv, new Date(Date.parse(START) + span + DAY).toISOString());
    await Promise.all(handles.map((h) => h.result()));
    const floorWall = performance.now() - t0;
    const floorCpu = process.cpuUsage(cpu);
    floor.shutdown();
    await runningFloor;

    // The product.
    const activities = createActivities({ mailer, journal: openSentJournal(path.join(dir, 'journal')), roster, baseUrl: 'http://rect.bench.example.org', calendar: calendarStore(path.join(dir, 'calendar')), temporal: env.client });
    const product = await Worker.create({ connection: env.nativeConnection, taskQueue: 'bench-product', workflowBundle: productBundle, activities, ...cache });
    const runningProduct = product.run();
    const firstRuns = new Map<string, string>();
    for (const d of roster.current().designations) {
      const h = await designateTarget(env.client, 'bench-product', roster.current(), d.village);
      firstRuns.set(d.village, h.firstExecutionRunId);
    }
    const firstTownship = townshipWorkflowId(roster.current().townships[0]!.code);
    // Every entity's first run, for its activations (workflow tasks) over the year.
    const others = [...roster.current().townships.map((t) => townshipWorkflowId(t.code)), programmeWorkflowId(roster.current().county.code), ledgerWorkflowId(roster.current().county.code)];
    const described = await Promise.all(others.map(async (id) => [id, await env.client.workflow.getHandle(id).describe().then((d) => d.runId, () => undefined)] as const));
    const otherFirstRuns = new Map(described.filter((d): d is readonly [string, string] => d[1] !== undefined));
    const townshipFirstRun = otherFirstRuns.get(firstTownship)!;
    cpu = process.cpuUsage();
    t0 = performance.now();
    await advanceTo(env, new Date(Date.parse(START) + span).toISOString());
    const productWall = performance.now() - t0;
    const productCpu = process.cpuUsage(cpu);
    const villageEvents: number[] = [];
    const wakes: number[] = [];
    // What woke each entity: per workflow task, the events since the previous one (a timer, a
    // signal, an activity's completion, an update, the start or a continue-as-new).
    const wokenBy: Record<string, Record<string, number>> = {};
    // What a wake-up by a timer did: the kinds of command its task gave (a mail is a local
    // activity's marker; a wake-up that gives only its next timer is one a better next-wake would save).
    const timerWakes: Record<string, Record<string, number>> = {};
    const tasks = (who: string, hs: readonly History[]): number => {
      let n = 0;
      for (const h of hs) {
        let since: string[] = [];
        let commands: string[] | undefined;
        let byTimer = false;
        const closeTask = (): void => {
          if (commands && byTimer) {
            const did = [...new Set(commands)].sort().join('+') || 'nothing';
            (timerWakes[who] ??= {})[did] = (timerWakes[who]![did] ?? 0) + 1;
          }
          commands = undefined;
        };
        for (const e of h.events ?? []) {
          // The events a task's commands made follow its completion, each naming it.
          const attributes = Object.values(e).find((v): v is { workflowTaskCompletedEventId?: unknown } => typeof v === 'object' && v !== null && 'workflowTaskCompletedEventId' in v);
          if (commands && attributes) commands.push(e.timerStartedEventAttributes || e.timerCanceledEventAttributes ? 'timer' : e.markerRecordedEventAttributes ? 'mail' : e.upsertWorkflowSearchAttributesEventAttributes ? 'search-attributes' : e.workflowPropertiesModifiedEventAttributes ? 'memo' : 'other');
          else if (commands && !e.workflowTaskCompletedEventAttributes) closeTask();
          if (e.workflowTaskCompletedEventAttributes) {
            n++;
            const why = since.length ? [...new Set(since)].sort().join('+') : 'other';
            (wokenBy[who] ??= {})[why] = (wokenBy[who]![why] ?? 0) + 1;
            byTimer = why === 'timer';
            since = [];
            commands = [];
          } else if (e.timerFiredEventAttributes) since.push('timer');
          else if (e.workflowExecutionSignaledEventAttributes) since.push(`signal:${e.workflowExecutionSignaledEventAttributes.signalName}`);
          else if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes) since.push('activity');
          else if (e.workflowExecutionUpdateAdmittedEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes) since.push('update');
          else if (e.workflowExecutionStartedEventAttributes) since.push('start');
        }
        closeTask();
      }
      return n;
    };
    const activations = { village: 0, township: 0, county: 0, ledger: 0 };
    for (const d of roster.current().designations) {
      const hs = await runHistories(env, villageWorkflowId(d.village), firstRuns.get(d.village)!);
      villageEvents.push(hs.reduce((n, h) => n + (h.events?.length ?? 0), 0));
      wakes.push(hs.reduce((n, h) => n + (h.events?.filter((e) => e.timerFiredEventAttributes).length ?? 0), 0));
      activations.village += tasks('village', hs);
    }
    for (const [id, run] of otherFirstRuns) {
      const who = id.startsWith('township:') ? 'township' : id === ledgerWorkflowId(roster.current().county.code) ? 'ledger' : 'county';
      activations[who] += tasks(who, await runHistories(env, id, run));
    }
    const townshipEvents = (await runHistories(env, firstTownship, townshipFirstRun)).reduce((n, h) => n + (h.events?.length ?? 0), 0);
    product.shutdown();
    await runningProduct;
    mailer.close();
    const sent = await sink.stop();
    note(`product: ${targets} targets, ${months} months in ${Math.round(productWall)} ms; ${sent} mails`);
    const mailCpu = await nodemailerAlone(roster.current(), sent);

    const meanWakes = wakes.reduce((a, b) => a + b, 0) / wakes.length;
    const perTargetYear = (us: number): number => Math.round(us / 1000 / targets / years);
    const productCpuMs = perTargetYear(productCpu.user + productCpu.system);
    const floorCpuMs = perTargetYear(floorCpu.user + floorCpu.system);
    const mailCpuMs = perTargetYear(mailCpu);
    result({
      bench: 'target-year',
      targets,
      months,
      ...(cache.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: cache.maxCachedWorkflows } : {}),
      wakesPerTargetYear: { product: Math.round(meanWakes / years), floor: Math.round(floorWakes / years) },
      // Workflow tasks (activations) per target-year: the village's own, and its share of its
      // township's, the county programme's and the ledger's; the floor has one per wake-up.
      activationsPerTargetYear: {
        ...Object.fromEntries(Object.entries(activations).map(([k, n]) => [k, Math.round(n / targets / years)])),
        total: Math.round(Object.values(activations).reduce((a, b) => a + b, 0) / targets / years),
        floor: Math.round((floorWakes + 1) / years),
      },
      wokenBy,
      timerWakesDid: timerWakes,
      wallMsPerTargetYear: { product: Math.round(productWall / targets / years), floor: Math.round(floorWall / targets / years) },
      mailsPerTargetYear: Math.round(sent / targets / years),
      workerCpuMsPerTargetYear: { product: productCpuMs, floor: floorCpuMs, nodemailerAlone: mailCpuMs },
      // Per workflow task: the product's CPU beyond what nodemailer alone needs for its mail,
      // against the floor's; what the plan's extra wake-ups do not explain.
      cpuMsPerActivation: perActivation(productCpuMs - mailCpuMs, Object.values(activations).reduce((a, b) => a + b, 0) / targets / years, floorCpuMs, (floorWakes + 1) / years),
      ratio: Number((productCpuMs / Math.max(1, floorCpuMs)).toFixed(2)),
      ratioWithMail: Number((productCpuMs / Math.max(1, floorCpuMs + mailCpuMs)).toFixed(2)),
      goal: 1.5,
    });
    result({
      bench: 'history',
      eventsPerTargetYear: { mean: Math.round(villageEvents.reduce((a, b) => a + b, 0) / villageEvents.length / years), max: Math.round(Math.max(...villageEvents) / years) },
      eventsPerTownshipYear: Math.round(townshipEvents / years),
      goal: 600,
    });
  } finally {
    mailer.close();
    await env.teardown();
    await floorEnv.teardown();
  }
}

function perActivation(productMs: number, productTasks: number, floorMs: number, floorTasks: number): { product: number; floor: number; ratio: number } {
  const product = productMs / productTasks;
  const floor = floorMs / floorTasks;
  return { product: Number(product.toFixed(1)), floor: Number(floor.toFixed(1)), ratio: Number((product / floor).toFixed(2)) };
}

/**
 * CPU (µs) of nodemailer alone sending `count` reminders like the product's (rendered beforehand)
 * on a pool of the same size to a counting server of its own.
 */
async function nodemailerAlone(roster: ReturnType<ReturnType<typeof rosterFileSource>['current']>, count: number): Promise<number> {
  const sink = await startCountingSink();
  const reqs: NoticeRequest[] = Array.from({ length: count }, (_, i) => {
    const v = roster.villages[i % roster.villages.length]!;
    return {
      type: 'notice',
      key: `village:${v.code}/first-secretary-visit/2019-${i}/reminder`,
      village: v.code,
      township: v.township,
      subject: 'village',
      obligation: { id: `first-secretary-visit/village:${v.code}/2019-${i}`, kind: 'first-secretary-visit', title: '第一书记每月到村开展服务', clause: '四(一)1', periodLabel: '2019年3月', dueDate: '2019-03-29', nominalDue: '2019-03-31', provisional: false, deadlineBasis: '《方案》四(一)1', deadlineRule: 'last-working-day' },
      step: { id: 'reminder', severity: 'reminder' },
      notify: ['first-secretary'],
      assigned: {},
    };
  });
  const rendered = reqs.map((r) => {
    const people = resolveRecipients(r, roster).people;
    return { to: people.map((p) => p.email), ...renderNotice(r, roster, people, 'http://rect.bench.example.org') };
  });
  const transport = nodemailer.createTransport({ pool: true, maxConnections: 5, maxMessages: Infinity, host: '127.0.0.1', port: sink.port, secure: false });
  const cpu = process.cpuUsage();
  await Promise.all(rendered.map((m, i) => transport.sendMail({ from: '整顿提升工作提醒 <noreply@bench.example.org>', to: m.to, subject: m.subject, text: m.text, html: m.html, messageId: `<floor-${i}@bench.example.org>` })));
  const used = process.cpuUsage(cpu);
  transport.close();
  await sink.stop();
  return used.user + used.system;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
