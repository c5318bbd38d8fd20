/**
 * A province on one machine: `--targets` villages in `--townships` townships designated on the
 * embedded default (the dev server on its SQLite file, the product's worker as its own process,
 * an SMTP server that counts). First the floor on the same server: a trivial workflow per target
 * (bench/floor: one local activity, then a timer), started as a designation starts a target (its
 * input and search attributes) and run by a worker configured as the product's. Prints JSON lines:
 * - designation: how fast the product's designation round (`designateTargets`, `--pool` villages
 *   at a time, then each township and the county told once) starts them, against the floor's
 *   start of as many workflows (goals: at least 100 a second, at most 1.5 times the floor's time);
 * - worker-catch-up: how long after the last designation the worker is quiet (every new workflow's
 *   first tasks run), against the floor worker's (goal: at most 1.5 times);
 * - worker-idle: the worker's resident memory and CPU once everything is started and quiet, over
 *   `--idle-seconds` (goal: under 1 GiB at 10,000 open targets, CPU near 0);
 * - history-growth: events in the county programme's and one township's history after the
 *   designations (goal: not growing with the number of targets);
 * - figures: the department's figures over every target and township, cold and from the cache
 *   (goal: under a second from the cache).
 *
 *   npx tsx bench/province.ts [--targets 2000] [--townships 150] [--pool 32] [--idle-seconds 20] [--cache N]
 *                             [--quiet-timeout 900] [--figures 0] [--profile DIR]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { designateTargets } from '../src/client/supervision';
import { villageInputFromRoster } from '../src/client/village';
import { StageKey, TownshipKey, VillageKey } from '../src/search-attributes';
import { programmeWorkflowId } from '../src/contracts/programme';
import { townshipWorkflowId } from '../src/contracts/township';
import { localDateOf, addDays } from '../src/domain/calendar';
import { parseRoster } from '../src/domain/roster';
import { builtinPolicy } from '../src/domain/policy';
import { calendarStore } from '../src/activities/calendar-store';
import { Service } from '../src/service/service';
import { startDevServerProcess, startWorkerProcess } from '../test/support/processes';
import { arg, cpuMs, generatedRoster, note, result, rssMiB, startCountingSink, writeRoster } from './support';

const targets = arg('targets', 2000);
const townships = arg('townships', 150);
const pool = arg('pool', 32);
const idleSeconds = arg('idle-seconds', 20);
/** WORKER_MAX_CACHED_WORKFLOWS for the worker (0: the product's default). */
const cache = arg('cache', 0);
/** How long to wait for the worker to become quiet after the designations, in seconds. */
const quietTimeout = arg('quiet-timeout', 900);
/** `--figures 0` leaves out the figures (their cold read queries every target: minutes at 10,000). */
const withFigures = arg('figures', 1) > 0;
/** With `--profile DIR`, the worker writes a CPU profile there when it stops. */
const profileDir = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;

async function historyLength(client: Client, workflowId: string): Promise<number> {
  const h = await client.workflow.getHandle(workflowId).fetchHistory();
  return h.events?.length ?? 0;
}

/**
 * Waits until the worker's CPU stays low (under 10 % over two seconds: it has run every new
 * workflow's first tasks), at most `--quiet-timeout` seconds; how long that took.
 */
async function untilQuiet(pid: number): Promise<{ quiet: boolean; ms: number }> {
  const q0 = performance.now();
  let quiet = false;
  let last = q0;
  while (!quiet && performance.now() - q0 < quietTimeout * 1000) {
    const c0 = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 2_000));
    quiet = cpuMs(pid) - c0 < 200;
    if (!quiet) last = performance.now();
  }
  // The last busy interval's end: when it became quiet, not when that was noticed.
  return { quiet, ms: last - q0 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-province-'));
  const rosterFile = path.join(dir, 'roster.json');
  const input = generatedRoster(targets, townships, addDays(localDateOf(Date.now()), -3));
  writeRoster(rosterFile, input);
  const parsed = parseRoster(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
  const roster = parsed.roster;

  const sink = await startCountingSink();
  const smtpPort = sink.port;
  const server = await startDevServerProcess();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const villages = roster.designations.map((d) => d.village);

  // The floor first, on the same server: a trivial workflow per target (one local activity, then
  // a timer) started with the target's input, as many at a time, by a worker configured as the
  // product's is.
  const floorQueue = 'bench-province-floor';
  const floorWorker = startWorkerProcess({ TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: floorQueue, ...(cache ? { WORKER_MAX_CACHED_WORKFLOWS: String(cache) } : {}) }, [], path.join(__dirname, 'floor/worker.ts'));
  let floor: { ms: number; catchUpMs: number; cpuMs: number; rssMiB: number };
  try {
    await floorWorker.polling;
    note(`floor worker polling; starting ${targets} floor workflows, ${pool} at a time`);
    const inputs = villages.map((v) => villageInputFromRoster(roster, v));
    const cpu0 = cpuMs(floorWorker.child.pid!);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: pool }, async () => {
        for (let i = next++; i < inputs.length; i = next++) {
          // The same start request as a designation's: the target's input and search attributes.
          await client.workflow.start('floorTarget', {
            taskQueue: floorQueue,
            workflowId: `floor:${villages[i]}`,
            args: [inputs[i], 3 * 365 * 86_400_000],
            typedSearchAttributes: [
              { key: StageKey, value: 'plan-due' },
              { key: TownshipKey, value: inputs[i]!.township },
              { key: VillageKey, value: villages[i]! },
            ],
          });
        }
      }),
    );
    const ms = performance.now() - t0;
    const quiet = await untilQuiet(floorWorker.child.pid!);
    floor = { ms, catchUpMs: quiet.ms, cpuMs: cpuMs(floorWorker.child.pid!) - cpu0, rssMiB: rssMiB(floorWorker.child.pid!) };
  } finally {
    await floorWorker.stop();
  }

  const taskQueue = 'bench-province';
  const worker = startWorkerProcess({
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    ROSTER_FILE: rosterFile,
    CALENDAR_DIR: path.join(dir, 'calendar'),
    SENT_JOURNAL_DIR: path.join(dir, 'journal'),
    ...(cache ? { WORKER_MAX_CACHED_WORKFLOWS: String(cache) } : {}),
  }, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  try {
    await worker.polling;
    note(`worker polling (pid ${worker.child.pid}); designating ${targets} targets in ${townships} townships, ${pool} at a time`);
    const cpu0 = cpuMs(worker.child.pid!);
    const t0 = performance.now();
    // The product's designation round (what `designate --all` and POST /api/designations run).
    const outcomes = await designateTargets(client, taskQueue, roster, villages, {
      pool,
      onProgress: (done) => {
        if (done % 500 === 0) note(`  ${done}/${targets}`);
      },
    });
    const refused = outcomes.filter((o) => 'refused' in o).length;
    if (refused > 0) throw new Error(`${refused} designations refused`);
    const ms = performance.now() - t0;
    const rate = (t: number): number => Number(((targets * 1000) / t).toFixed(1));
    result({ bench: 'designation', targets, townships, pool, ms: Math.round(ms), perSecond: rate(ms), floorMs: Math.round(floor.ms), floorPerSecond: rate(floor.ms), ratio: Number((ms / floor.ms).toFixed(2)), goal: { perSecond: 100, ratio: 1.5 } });

    // Quiet: the worker has run every new workflow's first tasks; then memory and idle CPU.
    const pid = worker.child.pid!;
    const quiet = await untilQuiet(pid);
    // The worker's CPU from the first designation until quiet: the work itself, which the time to
    // quiet (read every two seconds, the floor's varying most) shows only coarsely.
    const workerCpu = cpuMs(pid) - cpu0;
    result({
      bench: 'worker-catch-up',
      openTargets: targets,
      quiet: quiet.quiet,
      msAfterDesignation: Math.round(quiet.ms),
      floorMs: Math.round(floor.catchUpMs),
      ratio: Number((quiet.ms / Math.max(1, floor.catchUpMs)).toFixed(2)),
      workerCpuMs: { product: Math.round(workerCpu), floor: Math.round(floor.cpuMs) },
      cpuRatio: Number((workerCpu / Math.max(1, floor.cpuMs)).toFixed(2)),
      goal: { ratio: 1.5 },
    });
    const c0 = cpuMs(pid);
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const idleCpu = ((cpuMs(pid) - c0) / (performance.now() - w0)) * 100;
    result({ bench: 'worker-idle', openTargets: targets, maxCachedWorkflows: cache || 'default', rssMiB: rssMiB(pid), floorRssMiB: floor.rssMiB, idleCpuPercent: Number(idleCpu.toFixed(1)), idleSeconds, goal: { rssMiBAt10000: 1024 } });

    const programme = await historyLength(client, programmeWorkflowId(roster.county.code));
    const township = await historyLength(client, townshipWorkflowId(roster.townships[0]!.code));
    result({ bench: 'history-growth', targets, townships, programmeEvents: programme, firstTownshipEvents: township, programmeEventsPerTarget: Number((programme / targets).toFixed(2)) });

    if (!withFigures) return;
    // The department's figures (GET /api/figures): every target's and township's view read once
    // (cold), then from the cache.
    const service = new Service({ client, taskQueue, roster: () => roster, policy: () => builtinPolicy(), calendar: calendarStore(path.join(dir, 'calendar')) });
    const staff = roster.people.find((p) => p.role === 'org-department-staff')!;
    const actor = { id: staff.id, name: staff.name, role: staff.role };
    const f0 = performance.now();
    const figures = await service.figures(actor, {});
    const coldMs = performance.now() - f0;
    const f1 = performance.now();
    await service.figures(actor, {});
    const cachedMs = performance.now() - f1;
    result({ bench: 'figures', targets: figures.totals.targets, townships: figures.byTownship.length, coldMs: Math.round(coldMs), cachedMs: Number(cachedMs.toFixed(2)), goal: { cachedMs: 1000 } });
  } finally {
    await worker.stop();
    await connection.close();
    await server.stop();
    await sink.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
