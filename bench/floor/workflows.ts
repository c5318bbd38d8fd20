/**
 * The floor the target-year benchmark is measured against: a workflow that does nothing but wake
 * `wakes` times a year, evenly spaced, and run one local activity each time. Whatever a target's
 * workflow spends beyond this is the product's own cost.
 */
import { proxyLocalActivities, sleep } from '@temporalio/workflow';

const { touch } = proxyLocalActivities<{ touch(i: number): Promise<number> }>({ startToCloseTimeout: '1 minute' });

export async function floorYear(wakes: number, yearMs: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < wakes; i++) {
    await sleep(Math.floor(yearMs / wakes));
    sum += await touch(i);
  }
  return sum;
}

/**
 * The floor of a designation: a workflow started with a target's input that runs one local
 * activity, as a target's first task does, and then waits out its cycle.
 */
export async function floorTarget(input: unknown, cycleMs: number): Promise<number> {
  const n = await touch(JSON.stringify(input).length);
  await sleep(cycleMs);
  return n;
}
