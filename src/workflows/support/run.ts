/** The wake-up loop of every entity, and its continue-as-new with what outside readers rely on carried. */
import { CancellationScope, condition, isCancellation, makeContinueAsNewFunc, sleep, workflowInfo } from '@temporalio/workflow';
import type { Workflow } from '@temporalio/workflow';
import { localDateOf, yearOf } from '../../domain';
import { type Entity, type CoreState } from './runtime';

/** One timer for the next wake-up, replaced only when that moment moves (each timer costs events). */
class WakeTimer {
  private timer: { at: number; scope: CancellationScope; fired: boolean } | undefined;

  get fired(): boolean {
    return this.timer?.fired ?? false;
  }

  arm(at: number): void {
    if (this.timer && this.timer.at === at && !this.timer.fired) return;
    // A timer whose moment has come is left to fire (harmlessly): cancelling it as it fires is a
    // race the time-skipping test server rejects ("invalid history builder state for action").
    if (this.timer && this.timer.at > Date.now()) this.timer.scope.cancel();
    const next = { at, scope: new CancellationScope(), fired: false };
    next.scope
      .run(() => sleep(at - Date.now()))
      .then(
        () => {
          next.fired = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
    this.timer = next;
  }

  cancel(): void {
    if (this.timer && this.timer.at > Date.now()) this.timer.scope.cancel();
    this.timer = undefined;
  }
}

/**
 * Continues the workflow as new with what readers outside it rely on carried explicitly: the memo
 * (the red-warned duties the county's urging digest reads) and the search attributes operators
 * list by, so that no reader finds them missing between the two runs.
 */
export function continueEntity<F extends Workflow>(...args: Parameters<F>): Promise<never> {
  const info = workflowInfo();
  return makeContinueAsNewFunc<F>({ ...(info.memo ? { memo: info.memo } : {}), typedSearchAttributes: info.typedSearchAttributes })(...args);
}

/**
 * The wake-up loop: sends what falls due, sleeps until the next moment something will (or a
 * handler changes something), and returns when the entity is finished or should continue as new:
 * at the first wake-up of a new calendar year, or when the server suggests it. One timer at a time.
 */
export async function runEntity<S extends { core: CoreState }>(e: Entity<S>): Promise<'finished' | 'continue-as-new'> {
  const timer = new WakeTimer();
  for (;;) {
    const now = Date.now();
    if (yearOf(localDateOf(now)) > e.core.runYear && !e.finished(now)) {
      // A new year is opened by the next run, which first loads that year's calendar: no duty of
      // the new year is dated by a run that does not hold it. Mail already queued goes first.
      const queued = e.outbox.sendable(e.takeQueued(), now);
      if (queued.length > 0) {
        await e.outbox.deliver(queued, (b) => e.send(b));
        continue;
      }
      timer.cancel();
      return 'continue-as-new';
    }
    const batch = e.outbox.sendable(e.due(now), now);
    if (batch.length > 0) {
      await e.outbox.deliver(batch, (b) => e.send(b));
      continue;
    }
    if (await e.work(now)) continue;
    e.afterWake(now);
    if (e.finished(now) && e.outbox.idle) {
      timer.cancel();
      return 'finished';
    }
    // What opens in the coming months, laid out once for both the search attributes and the timer.
    const soon = e.upcoming(now);
    e.publish(now, soon);
    if (yearOf(localDateOf(now)) > e.core.runYear || workflowInfo().continueAsNewSuggested) {
      timer.cancel();
      return 'continue-as-new';
    }
    timer.arm(e.nextWake(now, soon));
    e.dirty = false;
    await condition(() => e.dirty || timer.fired || workflowInfo().continueAsNewSuggested);
  }
}
