import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

/**
 * The benchmarks run here only at a size that proves they work (`npm run bench` for figures):
 * every benchmark prints its result lines, each with its measurements and the floor or goal it
 * is compared with.
 */
test('npm run bench at a tiny size prints a result line for every benchmark', () => {
  const root = path.resolve(__dirname, '../..');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/run.ts'), '--size', '0.02'], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  expect(r.status, r.stderr.slice(-3000)).toBe(0);
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { bench: string });
  const by: Record<string, unknown> = Object.fromEntries(lines.map((l) => [l.bench, l]));
  expect(Object.keys(by).sort()).toEqual(['designation', 'fanout', 'figures', 'history', 'history-growth', 'target-year', 'worker-catch-up', 'worker-idle']);

  // The fan-out: every mail reached the SMTP server on both paths, and the ratio is theirs.
  const fanout = by.fanout as { mails: number; floorMs: number; productMs: number; ratio: number; received: { floor: number; product: number } };
  expect(fanout.received).toEqual({ floor: fanout.mails, product: fanout.mails });
  expect(fanout.ratio).toBeCloseTo(fanout.productMs / fanout.floorMs, 1);

  expect(by.designation).toMatchObject({ targets: 4, perSecond: expect.any(Number), floorPerSecond: expect.any(Number), ratio: expect.any(Number) });
  expect((by['worker-idle'] as { rssMiB: number }).rssMiB).toBeGreaterThan(50);
  expect((by['history-growth'] as { programmeEvents: number }).programmeEvents).toBeGreaterThan(0);
  expect(by['worker-catch-up']).toMatchObject({ openTargets: 4, quiet: true, floorMs: expect.any(Number) });
  expect(by.figures).toMatchObject({ targets: 4, coldMs: expect.any(Number), cachedMs: expect.any(Number) });
  const year = by['target-year'] as { wakesPerTargetYear: { product: number; floor: number }; workerCpuMsPerTargetYear: { product: number; floor: number }; activationsPerTargetYear: { village: number; total: number }; timerWakesDid: { village: Record<string, number> } };
  expect(year.wakesPerTargetYear.floor).toBe(48);
  // Each entity's activations, and what each timer wake-up of the target did.
  expect(year.activationsPerTargetYear.total).toBeGreaterThanOrEqual(year.activationsPerTargetYear.village);
  expect(Object.keys(year.timerWakesDid.village).length).toBeGreaterThan(0);
  expect(year.workerCpuMsPerTargetYear.product).toBeGreaterThan(0);
  expect((by.history as { eventsPerTargetYear: { mean: number } }).eventsPerTargetYear.mean).toBeGreaterThan(0);
}, 660_000);
