/**
 * What the long-running entities (village, township, county programme, inquiry case) share:
 * update rejection, one re-armable wake-up timer, the ladder arithmetic of obligations, and an
 * outbox that survives a mail-server outage. Plain functions and small classes, no I/O.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TemporalFailure,
  condition,
  isCancellation,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { z } from 'zod';
import type { DeliveryDelay, FailedDelivery, HistoryEntry, NoticeRequest, NoticeResult, UpcomingObligation } from '../contracts/village';
import type { TargetChange } from '../contracts/township';
import { activeUntil, addDays, isoInstant, localDateOf, yearOf, type LocalDate, type LadderStep, type Obligation } from '../domain';

export function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidInput');
}

export function refused(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidState');
}

/** Parses an update's input, or rejects it naming every wrong field. */
export function parseOrReject<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw invalid(r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  }
  return r.data;
}

const HISTORY_KEPT = 120;
const FAILED_KEPT = 30;

export function appendHistory(history: HistoryEntry[], now: number, type: string, text: string, by?: string): void {
  history.push({ at: isoInstant(now), type, text, ...(by ? { by } : {}) });
  if (history.length > HISTORY_KEPT) history.splice(0, history.length - HISTORY_KEPT);
}

/** One timer for the next wake-up, replaced only when that moment moves (each timer costs events). */
export class WakeTimer {
  private timer: { at: number; scope: CancellationScope; fired: boolean } | undefined;

  get fired(): boolean {
    return this.timer?.fired ?? false;
  }

  arm(at: number): void {
    if (this.timer && this.timer.at === at && !this.timer.fired) return;
    this.timer?.scope.cancel();
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

  /** No wake-up any more; a timer that already fired no longer counts as fired. */
  cancel(): void {
    this.timer?.scope.cancel();
    this.timer = undefined;
  }
}

// --- Ladders ------------------------------------------------------------------------------------

export function stepKey(o: Obligation, stepId: string): string {
  return `${o.id}#${stepId}`;
}

/**
 * The steps due now: per open obligation the latest step whose time has come. Earlier steps not
 * yet sent (the worker was down) are superseded rather than sent late one after another; steps
 * from before the entity started are skipped. All of them are marked in `sent`.
 */
export function dueSteps(open: readonly Obligation[], sent: Record<string, LocalDate>, startedAt: number, now: number): { o: Obligation; step: LadderStep }[] {
  const out: { o: Obligation; step: LadderStep }[] = [];
  for (const o of open) {
    const pending = o.steps.filter((st) => sent[stepKey(o, st.id)] === undefined && Date.parse(st.at) <= now);
    const latest = pending.at(-1);
    if (!latest) continue;
    for (const st of pending) sent[stepKey(o, st.id)] = o.due.date;
    if (Date.parse(latest.at) >= startedAt) out.push({ o, step: latest });
  }
  return out;
}

/** The notice of one ladder step; `where` says whose duty it is and who holds assigned posts. */
export function noticeFor(
  o: Obligation,
  step: LadderStep,
  key: string,
  where: Pick<NoticeRequest, 'village' | 'township' | 'subject' | 'assigned' | 'targets'>,
): NoticeRequest {
  return {
    key,
    village: where.village,
    township: where.township,
    ...(where.subject ? { subject: where.subject } : {}),
    obligation: {
      id: o.id,
      kind: o.kind,
      title: o.title,
      clause: o.clause,
      periodLabel: o.period.label,
      dueDate: o.due.date,
      nominalDue: o.due.nominal,
      provisional: o.due.provisional,
    },
    step: { id: step.id, severity: step.severity },
    notify: step.notify,
    assigned: where.assigned,
    ...(where.targets?.length ? { targets: where.targets } : {}),
  };
}

/** The next moments a step of an open obligation falls due. */
export function nextStepTimes(open: readonly Obligation[], sent: Readonly<Record<string, LocalDate>>, now: number): number[] {
  const out: number[] = [];
  for (const o of open) {
    const next = o.steps.find((st) => sent[stepKey(o, st.id)] === undefined && Date.parse(st.at) > now);
    if (next) out.push(Date.parse(next.at));
  }
  return out;
}

export function upcomingView(open: readonly Obligation[], sent: Readonly<Record<string, LocalDate>>, now: number, backDays: number): UpcomingObligation[] {
  return open
    .filter((o) => o.due.date >= addDays(localDateOf(now), -backDays))
    .slice(0, 30)
    .map((o) => {
      const next = o.steps.find((st) => sent[stepKey(o, st.id)] === undefined);
      return {
        id: o.id,
        kind: o.kind,
        title: o.title,
        clause: o.clause,
        periodLabel: o.period.label,
        dueDate: o.due.date,
        provisional: o.due.provisional,
        overdue: Date.parse(o.due.instant) <= now,
        ...(next ? { nextStep: { id: next.id, severity: next.severity, at: next.at } } : {}),
      };
    });
}

/** Keeps only the entries of a date map on or after a horizon: what crosses continue-as-new. */
export function keepSince(m: Readonly<Record<string, LocalDate>>, horizon: LocalDate): Record<string, LocalDate> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v >= horizon));
}

// --- Outbox -------------------------------------------------------------------------------------

/** Held-back mails are tried again after 15 minutes, doubling up to 6 hours: a long outage costs few events. */
const DELIVERY_RETRY_FIRST_MS = 15 * 60_000;
const DELIVERY_RETRY_MAX_MS = 6 * 3_600_000;

export interface Deferred<R> {
  requests: R[];
  since: string;
  attempts: number;
  lastError: string;
  retryAt: string;
}

/** The part of an entity's state the outbox keeps (plain JSON). */
export interface OutboxState<R> {
  failedDeliveries: FailedDelivery[];
  failedDeliveryCount: number;
  /** Mails the mail server has not taken yet (an outage), tried again at `retryAt`. */
  deferred?: Deferred<R>;
  history: HistoryEntry[];
}

/** How a request reads in the record: which duty and step, and a label for officials. */
export interface Described {
  readonly obligationId: string;
  readonly step: string;
  readonly label: string;
}

export class Outbox<R extends { readonly key: string }> {
  constructor(
    private readonly s: OutboxState<R>,
    private readonly describe: (r: R) => Described,
  ) {}

  /**
   * What to send now: the mails newly due, and those held back by an outage once their retry time
   * has come. While an outage lasts, newly due mails wait with the held-back ones.
   */
  sendable(fresh: readonly R[], now: number): R[] {
    const deferred = this.s.deferred;
    if (!deferred) return [...fresh];
    deferred.requests.push(...fresh);
    return Date.parse(deferred.retryAt) <= now ? deferred.requests : [];
  }

  /** Sends a batch; an outage (the activity out of quick retries) holds it back, visibly. */
  async deliver(batch: readonly R[], send: (batch: R[]) => Promise<NoticeResult[]>): Promise<void> {
    try {
      this.record(batch, await send([...batch]), Date.now());
    } catch (err) {
      // A local activity out of retries throws its failure as it is (not inside an ActivityFailure).
      if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
      this.defer(batch, Date.now(), err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : err.message);
    }
  }

  private defer(requests: readonly R[], now: number, error: string): void {
    const first = !this.s.deferred;
    const attempts = (this.s.deferred?.attempts ?? 0) + 1;
    this.s.deferred = {
      requests: [...requests],
      since: this.s.deferred?.since ?? isoInstant(now),
      attempts,
      lastError: error,
      retryAt: isoInstant(now + Math.min(DELIVERY_RETRY_FIRST_MS * 2 ** (attempts - 1), DELIVERY_RETRY_MAX_MS)),
    };
    if (first) appendHistory(this.s.history, now, 'delivery-delayed', `通知暂未发出（${requests.length}条，邮件服务器暂不可用：${error}），将自动重试`);
  }

  private record(requests: readonly R[], results: readonly NoticeResult[], now: number): void {
    if (this.s.deferred) {
      appendHistory(this.s.history, now, 'delivery-resumed', `邮件服务器恢复，延迟的通知已发出（自${localDateOf(Date.parse(this.s.deferred.since))}起）`);
      delete this.s.deferred;
    }
    const sent: string[] = [];
    for (const r of results) {
      const req = requests.find((q) => q.key === r.key);
      if (!req) continue;
      const d = this.describe(req);
      if (r.status === 'sent' || r.status === 'already-sent') sent.push(d.label);
      if (r.error) {
        this.s.failedDeliveryCount++;
        this.s.failedDeliveries.push({ key: r.key, obligationId: d.obligationId, step: d.step, at: isoInstant(now), recipients: r.refused ?? [], error: r.error });
        if (this.s.failedDeliveries.length > FAILED_KEPT) this.s.failedDeliveries.shift();
        appendHistory(this.s.history, now, 'delivery-failed', `通知未能送达：${d.label}：${r.error}`);
      }
    }
    if (sent.length > 0) appendHistory(this.s.history, now, 'notices-sent', `已发送通知${sent.length}条：${sent.join('；')}`);
  }

  get retryAt(): number | undefined {
    return this.s.deferred ? Date.parse(this.s.deferred.retryAt) : undefined;
  }

  delay(): DeliveryDelay | undefined {
    const d = this.s.deferred;
    return d ? { since: d.since, attempts: d.attempts, lastError: d.lastError, retryAt: d.retryAt, pending: d.requests.length } : undefined;
  }
}

// --- Targets of a township or the county -----------------------------------------------------------

/** Records a designation, transformation or withdrawal; false when it changes nothing. */
export function applyTargetChange(targets: TargetChange[], change: TargetChange): boolean {
  const i = targets.findIndex((x) => x.village === change.village);
  if (i >= 0 && JSON.stringify(targets[i]) === JSON.stringify(change)) return false;
  if (i >= 0) targets[i] = change;
  else targets.push(change);
  targets.sort((a, b) => a.village.localeCompare(b.village));
  return true;
}

export function targetsView(targets: readonly TargetChange[], today: LocalDate): (TargetChange & { readonly active: boolean })[] {
  return targets.map((t) => ({ ...t, active: t.date <= today && today <= activeUntil(t) }));
}

// --- Search attributes ----------------------------------------------------------------------------

/** Writes search attributes, only those whose value changed since the last write. */
export class Publisher {
  private readonly published: Record<string, unknown> = {};

  publish(wanted: Record<string, SearchAttributeUpdatePair>): void {
    const updates: SearchAttributeUpdatePair[] = [];
    for (const [name, pair] of Object.entries(wanted)) {
      const value = pair.value instanceof Date ? pair.value.getTime() : pair.value;
      if (this.published[name] === value) continue;
      updates.push(pair);
      this.published[name] = value;
    }
    if (updates.length > 0) upsertSearchAttributes(updates);
  }
}

// --- The wake-up loop ------------------------------------------------------------------------------

/** A long-running entity as its wake-up loop sees it. */
export interface LoopEntity<R extends { readonly key: string }> {
  readonly outbox: Outbox<R>;
  /** Set by handlers: something changed, look again now. */
  dirty: boolean;
  /** Calendar year of this run; the first wake-up in a later year continues as new. */
  readonly runYear: number;
  finished(now: number): boolean;
  /** Mails newly due now (marked as handled). */
  due(now: number): R[];
  send(batch: R[]): Promise<NoticeResult[]>;
  publish(now: number): void;
  nextWake(now: number): number;
}

/**
 * Sends what falls due, sleeps until the next moment something will (or a handler changes
 * something), and returns when the entity is finished or should continue as new: at the first
 * wake-up of a new calendar year, or when the server suggests it. One timer at a time.
 */
export async function runUntilDone<R extends { readonly key: string }>(e: LoopEntity<R>): Promise<'finished' | 'continue-as-new'> {
  const timer = new WakeTimer();
  for (;;) {
    const now = Date.now();
    if (e.finished(now)) {
      timer.cancel();
      return 'finished';
    }
    const batch = e.outbox.sendable(e.due(now), now);
    if (batch.length > 0) {
      await e.outbox.deliver(batch, (b) => e.send(b));
      continue;
    }
    e.publish(now);
    if (yearOf(localDateOf(now)) > e.runYear || workflowInfo().continueAsNewSuggested) {
      timer.cancel();
      return 'continue-as-new';
    }
    timer.arm(e.nextWake(now));
    e.dirty = false;
    await condition(() => e.dirty || timer.fired || workflowInfo().continueAsNewSuggested);
  }
}
