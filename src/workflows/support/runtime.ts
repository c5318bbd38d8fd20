/**
 * The one runtime of every long-running entity (a target, a township, the county programme, an
 * inquiry case): the obligation book, the outbox, the holiday calendar and the county's policy it
 * holds, the wake-up loop, the view, the search attributes, and the messages all of them accept.
 * An entity differs only in which duties it owes and what its own updates do.
 *
 * Beside it: the wake-up loop and continue-as-new (./run.ts), the messages every entity accepts
 * (./handlers.ts), a duty as officials see it (./view.ts), delivery with retries (./outbox.ts),
 * history and refusals (./history.ts). This file stays over 400 lines on purpose: the book, the
 * calendar, the mail queue and the published view are one state (CoreState) whose methods call
 * one another on every wake-up; split into classes they would pass that state back and forth.
 */
import { condition, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { SignalDefinition } from '@temporalio/workflow';
import type { z } from 'zod';
import { issuesOf, issuesText, type ClosedObligationView, type DroppedInput, type EntityStatus, type FailedDelivery, type HistoryEntry } from '../../contracts/common';
import { RED_WARNED_MEMO, type RedWarnedItem } from '../../contracts/entity';
import type { MailRequest, NoticeRequest, NoticeResult } from '../../contracts/mail';
import {
  Book,
  WorkCalendar,
  addDays,
  basisText,
  byDue,
  deadlineOf,
  emptyBook,
  instantOf,
  isoInstant,
  isRoutine,
  kindSpecs,
  localDateOf,
  fixedDueDate,
  openEntry,
  owedFromOf,
  EARLY_NOTICE_DAYS,
  periodOf,
  yearOf,
  type BookEntry,
  type ClosedEntry,
  type BookState,
  type CalendarYear,
  type Duty,
  type LayoutContext,
  type LocalDate,
  type Policy,
  type StepState,
} from '../../domain';
import { DeliveryDelayedKey, FailedDeliveriesKey, NextDueKey, OverdueKey } from '../../search-attributes';
import { appendHistory, recordDropped } from './history';
import { Outbox, type Deferred } from './outbox';
import { calendarYears, deliverMail } from './mail';
import { caseMailLabels, viewOf } from './view';

/** The part of every entity's state the runtime owns: plain JSON, carried across continue-as-new. */
export interface CoreState {
  readonly v: 2;
  /** Instant the entity's first run started: what fell due before it is not owed to it. */
  readonly startedAt: string;
  /** Calendar year of this run; the first wake-up in a later year continues as new. */
  runYear: number;
  policy: Policy;
  /** The holiday arrangement of the years the entity works with. */
  calendar: CalendarYear[];
  book: BookState;
  /** Mails to send at a moment (a talk's eve reminder). */
  timed: { at: string; mail: MailRequest }[];
  failedDeliveries: FailedDelivery[];
  failedDeliveryCount: number;
  deferred?: Deferred;
  history: HistoryEntry[];
  dropped: DroppedInput[];
}

export function newCore(now: number, policy: Policy): CoreState {
  return {
    v: 2,
    startedAt: isoInstant(now),
    runYear: yearOf(localDateOf(now)),
    policy,
    calendar: [],
    book: emptyBook(),
    timed: [],
    failedDeliveries: [],
    failedDeliveryCount: 0,
    history: [],
    dropped: [],
  };
}

/** Where a notice of a duty goes, and what it says about whose duty it is. */
export type NoticeWhere = Pick<NoticeRequest, 'village' | 'township' | 'subject' | 'caseId' | 'targets' | 'assigned'>;

export abstract class Entity<S extends { core: CoreState }> {
  /** Set by handlers: something changed, look again now. */
  dirty = false;
  readonly book: Book;
  readonly outbox: Outbox;
  /** Signals to other workflows still on their way; the server drops them if this run ends first. */
  readonly telling: Promise<unknown>[] = [];
  private calendarCache: WorkCalendar | undefined;
  private readonly published: Record<string, unknown>;
  private calendarReady = false;

  constructor(
    readonly s: S,
    readonly workflowId: string,
  ) {
    this.book = new Book(s.core.book);
    this.outbox = new Outbox(s.core, (r) => this.describe(r), (r, result, now) => this.onResult(r, result, now));
    // A continued run inherits its predecessor's search attributes; they are written again only when they change.
    this.published = {};
  }

  get core(): CoreState {
    return this.s.core;
  }

  // --- What each entity says -------------------------------------------------------------------

  /** The duties the entity owes for periods overlapping [from, to], given what it knows now. */
  protected abstract duties(from: LocalDate, to: LocalDate): Duty[];
  /** Whether the entity is done: nothing more is owed to or by it. */
  abstract finished(now: number): boolean;
  /** Whose duty a notice is about, for its wording and recipients. */
  protected abstract where(entry: BookEntry): NoticeWhere;
  /** The prefix of the idempotency keys of the entity's mail. */
  protected get keyPrefix(): string {
    return this.workflowId;
  }
  /** A step of a duty went out (a case orders a talk when its explanation is overdue). */
  protected onStepSent(_entry: BookEntry, _step: StepState, _now: number): void {}
  /** Mail due now besides the duties' ladders (a township's proposal). */
  protected extraDue(_now: number): MailRequest[] {
    return [];
  }
  /** Called at each wake-up once the mail due is out (a village tells the ledger of 五(四)). */
  afterWake(_now: number): void {}
  /** Work of the entity's own that takes an activity (the county's urging digest); true if it did some. */
  async work(_now: number): Promise<boolean> {
    return false;
  }
  /** Moments to wake besides the duties' ladders. */
  protected extraWakes(_now: number): number[] {
    return [];
  }
  /** Entity-specific search attributes. */
  protected abstract searchAttributes(now: number): Record<string, SearchAttributeUpdatePair>;

  // --- Calendar and policy ---------------------------------------------------------------------

  get calendar(): WorkCalendar {
    this.calendarCache ??= new WorkCalendar(this.core.calendar);
    return this.calendarCache;
  }

  get ctx(): LayoutContext {
    return { calendar: this.calendar, policy: this.core.policy };
  }

  /** The years a run works with: last year's late duties, this year, next year's first weeks. */
  private neededYears(now: number): number[] {
    const y = yearOf(localDateOf(now));
    return [y - 1, y, y + 1];
  }

  /**
   * Fetches the holiday arrangement of the years the run needs from the worker (an activity: a
   * replay uses what was recorded). Years it already holds officially are not asked again.
   */
  async loadCalendar(now: number): Promise<void> {
    const missing = this.neededYears(now).filter((y) => this.calendar.isProvisionalYear(y));
    if (missing.length > 0) {
      const years = await calendarYears(missing);
      const taken = years.filter((y) => this.takeYear(y));
      // Duties carried from the run before were dated with what it held: a year now known (the
      // worker's data, a file published since) re-dates them once this wake-up's mail is out.
      if (taken.length > 0 && this.book.open.length > 0) this.calendarChanged = taken.map((y) => `${y.year}年节假日安排（${y.official ? '正式' : '暂定'}，${y.source}）`).join('、');
    }
    const keep = new Set(this.neededYears(now));
    this.core.calendar = this.core.calendar.filter((c) => keep.has(c.year) || c.year >= yearOf(localDateOf(now)));
    this.calendarCache = undefined;
    this.calendarReady = true;
  }

  /**
   * Runs `fn` once the calendar is loaded: at once when it is (a handler stays synchronous, which
   * the time-skipping test server needs for an update that ends the workflow), else after.
   */
  whenReady<T>(fn: () => T): T | Promise<T> {
    return this.calendarReady ? fn() : condition(() => this.calendarReady).then(fn);
  }

  /** A year's arrangement taken at the start of the run that open duties have not been re-dated with. */
  private calendarChanged: string | undefined;

  /** Takes a year's arrangement when it is newer than what the entity holds; true if it did. */
  private takeYear(y: CalendarYear): boolean {
    const held = this.core.calendar.find((c) => c.year === y.year);
    if (held && (held.official || !y.official) && JSON.stringify(held) === JSON.stringify(y)) return false;
    if (held?.official && !y.official) return false;
    this.core.calendar = [...this.core.calendar.filter((c) => c.year !== y.year), y].sort((a, b) => a.year - b.year);
    this.calendarCache = undefined;
    return true;
  }

  /**
   * A newly published arrangement: open duties are laid out again, and whoever owes a duty whose
   * due date moved is told (截止日期调整通知).
   */
  acceptCalendar(y: CalendarYear, now: number): void {
    if (!this.takeYear(y)) return;
    this.log(now, 'calendar', `收到${y.year}年节假日安排（${y.official ? '正式' : '暂定'}，${y.source}）`);
    this.redate(now, `${y.year}年节假日安排（${y.source}）`);
  }

  applyPolicy(policy: Policy, by: string, now: number): void {
    const before = this.core.policy.version;
    // Applying the version it has is a no-op: `cli policy apply` may be run again after a partial failure.
    if (before === policy.version && JSON.stringify(this.core.policy) === JSON.stringify(policy)) return;
    this.core.policy = policy;
    this.log(now, 'policy', `适用县委组织部工作规则${policy.version}（原为${before}）`, by);
    this.redate(now, `县委组织部工作规则${policy.version}`);
  }

  private redate(now: number, reason: string): void {
    for (const { entry, from } of this.book.redate(this.ctx, now, (e) => e.fixedDue === true)) {
      this.log(now, 'redated', `${kindSpecs[entry.kind].title}（${entry.period.label}）截止日期由${from.date}调整为${entry.due.date}：${reason}`);
      if (Date.parse(entry.due.instant) <= now) continue;
      this.queueMail({
        ...this.notice(entry, { id: `redated-${entry.due.date}`, severity: 'reminder', at: isoInstant(now), notify: ['responsible'] }),
        notify: [entry.people ? 'responsible' : kindSpecs[entry.kind].responsible],
        redated: { from: from.date, reason },
      });
    }
    this.dirty = true;
  }

  // --- The book ---------------------------------------------------------------------------------

  log(now: number, type: string, text: string, by?: string): void {
    appendHistory(this.core.history, now, type, text, by);
  }

  /** Set by handlers when what the entity owes may have changed (targets, posts): open duties are checked again. */
  factsChanged = true;

  /**
   * Opens what has become owed since the last look (periods begun by today), and, when the facts
   * changed, closes what is no longer owed because its subject left supervision (a township's
   * only target withdrawn before the half month's last day).
   */
  sync(now: number): void {
    const today = localDateOf(now);
    const from = this.core.book.syncedThrough && this.core.book.syncedThrough < today ? this.core.book.syncedThrough : today;
    const startedAt = Date.parse(this.core.startedAt);
    // A duty opened at a later wake-up than the day it became owed still gets the steps due since
    // then, and is recorded as owed from that day: what the book says does not depend on how soon
    // the worker (or a new run after continue-as-new) came to it.
    const lay = (d: Duty): BookEntry => {
      const owedFrom = owedFromOf(d, this.ctx, startedAt);
      return openEntry(d, this.ctx, owedFrom, undefined, owedFrom);
    };
    // Duties of the next days too: one whose notice comes before its period opens with that notice.
    const opened = this.book.sync(this.duties(from, addDays(today, EARLY_NOTICE_DAYS)), now, startedAt, lay);
    for (const e of opened) this.onOpened(e, now);
    if (!this.factsChanged) return;
    this.factsChanged = false;
    for (const e of [...this.book.open]) {
      if (e.source === 'event' || this.owes(e)) continue;
      this.book.close(e.id, { how: 'left-supervision', on: today, at: isoInstant(now) });
      this.log(now, 'closed', `${kindSpecs[e.kind].title}（${e.period.label}）不再需要办理：整顿对象已不在整顿范围内`);
    }
  }

  /**
   * A routine activity not recorded by the time its last step told the township (the end of its
   * half month): it cannot be done after its day, so it is recorded as missed (未落实) rather than
   * kept open; the bulletin and the township's next report list it.
   */
  private recordMissed(entry: BookEntry, now: number): void {
    this.book.close(entry.id, { how: 'missed', on: localDateOf(now), at: isoInstant(now) });
    this.log(now, 'closed', `${kindSpecs[entry.kind].title}（${entry.period.label}）未落实：至${periodOf('half-month', entry.due.date).label}结束仍无开展记录`);
  }

  /** An entry the book opened (a village remembers which years' acceptances were owed). */
  protected onOpened(_entry: BookEntry, _now: number): void {}

  /** A duty fulfilled, by whichever path (the duty's own 已完成, a report attesting it): for what the entity keeps of it. */
  protected onFulfilled(_entry: ClosedEntry, _on: LocalDate): void {}

  /** Whether a duty opened from the entity's periods is still owed, given what it knows now. */
  protected owes(e: BookEntry): boolean {
    return this.duties(e.period.start, e.period.end).some((d) => d.id === e.id);
  }

  /**
   * Duties that will open within the next months, laid out as they would be (not yet in the book):
   * the view shows what is coming, and the entity wakes for the first step of each.
   */
  upcoming(now: number, days = 100): BookEntry[] {
    const today = localDateOf(now);
    return this.duties(addDays(today, 1), addDays(today, days))
      .filter((d) => d.period.start > today && !this.book.knows(d.id))
      .map((d) => this.layPending(d))
      .filter((e) => Date.parse(e.due.instant) > Date.parse(this.core.startedAt));
  }

  /**
   * A duty not in the book yet, laid out as it will be when it opens (from when it is owed: a view
   * answers the same whenever asked). The layout depends only on the duty, the calendar and the
   * policy, so it is kept until one of those changes: every wake-up looks at the same months ahead.
   * Callers only read what it returns.
   */
  private layPending(d: Duty): BookEntry {
    const ctx = this.ctx;
    let memo = this.layouts;
    if (!memo || memo.calendar !== ctx.calendar || memo.policy !== ctx.policy || memo.entries.size > 400) {
      memo = this.layouts = { calendar: ctx.calendar, policy: ctx.policy, entries: new Map() };
    }
    const key = `${d.id}|${d.nominalDue}|${d.people?.join(',') ?? ''}`;
    let e = memo.entries.get(key);
    if (!e) {
      const owedFrom = owedFromOf(d, ctx, Date.parse(this.core.startedAt));
      e = openEntry(d, ctx, owedFrom, undefined, owedFrom);
      memo.entries.set(key, e);
    }
    return e;
  }

  private layouts: { calendar: WorkCalendar; policy: Policy; entries: Map<string, BookEntry> } | undefined;

  /**
   * Duties whose period has begun but which the book has not opened yet (it opens them at the next
   * wake-up or message): shown as open, so that what officials see never lags.
   */
  pendingOpen(now: number): BookEntry[] {
    const today = localDateOf(now);
    const from = this.core.book.syncedThrough && this.core.book.syncedThrough < today ? this.core.book.syncedThrough : today;
    return this.duties(from, today)
      .filter((d) => d.period.start <= today && !this.book.knows(d.id))
      .map((d) => this.layPending(d))
      .filter((e) => Date.parse(e.due.instant) > Date.parse(this.core.startedAt));
  }

  /** Every open duty as of now: the book's and those pending. */
  openNow(now: number): BookEntry[] {
    const pending = this.pendingOpen(now);
    const all = pending.length ? [...this.book.open, ...pending] : [...this.book.open];
    return all.sort(byDue);
  }

  /** Opens a duty an event creates (a plan returned for revision, an explanation received). */
  openEvent(d: Duty, now: number, fixedDue?: LocalDate): BookEntry {
    const entry = openEntry(d, this.ctx, now, fixedDue ? fixedDueDate(fixedDue, this.calendar) : undefined);
    const e: BookEntry = { ...entry, source: 'event', ...(fixedDue ? { fixedDue: true } : {}) };
    this.book.add(e);
    this.dirty = true;
    return e;
  }

  /** Records a fulfilment (on time or late by the day it was done). */
  fulfil(id: string, on: LocalDate, now: number, by?: string, note?: string): void {
    const closed = this.book.fulfil(id, on, now, by, note);
    if (closed) this.onFulfilled(closed, on);
    if (closed) this.log(now, 'fulfilled', `办结：${kindSpecs[closed.kind].title}（${closed.period.label}）${closed.closed.how === 'late' ? '，逾期完成' : ''}${note ? `：${note}` : ''}`, by);
    this.dirty = true;
  }

  /** Records a result (an acceptance, a review, a talk held) as closing its duty. */
  closeWithResult(id: string, on: LocalDate, now: number, by: string, note: string): void {
    this.book.close(id, { how: 'result', on, at: isoInstant(now), by, note });
    this.dirty = true;
  }

  /** The subject left supervision (withdrawn, its cycle closed): every open duty ends with it. */
  closeAll(now: number, note: string): void {
    const today = localDateOf(now);
    for (const e of [...this.book.open]) this.book.close(e.id, { how: 'left-supervision', on: today, at: isoInstant(now), note });
  }

  // --- Mail -------------------------------------------------------------------------------------

  private readonly queue: MailRequest[] = [];

  queueMail(m: MailRequest): void {
    this.queue.push(m);
    this.dirty = true;
  }

  scheduleMail(at: number, mail: MailRequest): void {
    this.core.timed.push({ at: isoInstant(at), mail });
    this.dirty = true;
  }

  notice(entry: BookEntry, step: StepState): NoticeRequest {
    const spec = kindSpecs[entry.kind];
    const deadline = deadlineOf(this.core.policy, entry.kind);
    const ladder = this.core.policy.ladders[spec.ladder];
    return {
      type: 'notice',
      key: `${this.keyPrefix}/${entry.id}/${step.id}`,
      ...this.where(entry),
      obligation: {
        id: entry.id,
        kind: entry.kind,
        title: spec.title,
        clause: spec.clause,
        periodLabel: entry.period.label,
        dueDate: entry.due.date,
        nominalDue: entry.due.nominal,
        provisional: entry.due.provisional,
        deadlineBasis: basisText(deadline.basis),
        deadlineRule: deadline.rule,
      },
      step: { id: step.id, severity: step.severity },
      notify: step.notify,
      ...(entry.people ? { people: entry.people } : {}),
      ladderBasis: basisText(ladder.basis),
    };
  }

  /** Mail due now: ladder steps of open duties, timed mails whose moment came, and the entity's own. */
  due(now: number): MailRequest[] {
    this.sync(now);
    const out: MailRequest[] = [];
    for (const { entry, step } of this.book.due(now)) {
      out.push(this.notice(entry, step));
      this.onStepSent(entry, step, now);
      if (isRoutine(entry.kind) && step === entry.steps.at(-1)) this.recordMissed(entry, now);
    }
    if (this.calendarChanged) {
      // After the steps due now are taken, so that none of them is skipped by the new layout.
      const reason = this.calendarChanged;
      this.calendarChanged = undefined;
      this.redate(now, reason);
    }
    const timedDue = this.core.timed.filter((t) => Date.parse(t.at) <= now);
    if (timedDue.length > 0) {
      this.core.timed = this.core.timed.filter((t) => Date.parse(t.at) > now);
      out.push(...timedDue.map((t) => t.mail));
    }
    out.push(...this.extraDue(now), ...this.queue.splice(0));
    return out;
  }

  /** Mail queued by handlers and not yet sent (taken off the queue). */
  takeQueued(): MailRequest[] {
    return this.queue.splice(0);
  }

  private describe(r: MailRequest): { obligationId: string; step: string; label: string } {
    if (r.type === 'notice') return { obligationId: r.obligation.id, step: r.step.id, label: `${r.obligation.title}（${r.obligation.periodLabel}）` };
    if (r.type === 'digest') return { obligationId: `urging/${r.date}`, step: 'digest', label: `督办通知（${r.items.length}项）` };
    if (r.type === 'result') return { obligationId: `acceptance/${r.year}`, step: 'result', label: `${r.year}年度验收评价结果通知` };
    if (r.type === 'plan') return { obligationId: `plan/${r.village}/${r.plan.approvedOn ?? ''}`, step: 'plan', label: `整顿方案审核通过（${r.village}）` };
    if (r.type === 'task-book') return { obligationId: `task-book/${r.village}/${r.studyOn}`, step: 'task-book', label: `交办任务书（${r.village}，${r.tasks.length}项）` };
    return { obligationId: r.case ? `case/${r.case.caseId}` : `proposal/${r.proposal?.quarter ?? ''}`, step: r.kind, label: caseMailLabels[r.kind] };
  }

  private onResult(r: MailRequest, result: NoticeResult, now: number): void {
    if (r.type === 'notice' && result.recipients.length > 0) this.book.delivered(r.obligation.id, r.step.id, result.recipients);
    this.onMailResult(r, result, now);
  }

  /** A refused mail as it is sent again (a case's letter with its deadline counted anew). */
  protected resending(m: MailRequest, _now: number): MailRequest {
    return m;
  }

  /** What a mail came to, for the entity's own record (a case's letter refused, then delivered). */
  protected onMailResult(_r: MailRequest, _result: NoticeResult, _now: number): void {}

  send(batch: MailRequest[]): Promise<NoticeResult[]> {
    return deliverMail(batch);
  }

  /**
   * An operator's "retry now": held-back mail is tried at once, and a step whose delivery failed
   * for good (a wrong address, a post nobody held) is sent again if its duty is still open; other
   * mail refused for good (a case's letter, a plan…) is sent again as it was.
   */
  retryDeliveries(now: number, by: string): number {
    let n = this.outbox.retryNow(now) ? (this.core.deferred?.requests.length ?? 0) : 0;
    for (const m of this.outbox.takeRefused()) {
      this.queueMail(this.resending(m, now));
      n++;
    }
    for (const f of this.core.failedDeliveries.splice(0)) {
      const entry = this.book.find(f.obligationId);
      const step = entry?.steps.find((st) => st.id === f.step);
      if (!entry || !step) continue;
      this.queueMail({ ...this.notice(entry, step), key: `${this.keyPrefix}/${entry.id}/${step.id}/retry-${localDateOf(now)}` });
      n++;
    }
    this.log(now, 'retry', `运维人员要求立即重发通知（${n}条）`, by);
    this.dirty = true;
    return n;
  }

  // --- Waking ------------------------------------------------------------------------------------

  /**
   * The next moment something is due: a step of an open duty, the first step of a duty about to
   * open (it opens then; no wake-up of its own), held-back mail, a timed mail, the entity's own.
   * At least every 60 days the entity looks again.
   */
  nextWake(now: number, soon: readonly BookEntry[] = this.upcoming(now)): number {
    let next = now + 60 * 86_400_000;
    const consider = (t: number | undefined): void => {
      if (t !== undefined && t < next) next = t;
    };
    consider(this.book.nextStepAt(now));
    consider(this.outbox.retryAt);
    for (const t of this.core.timed) consider(Date.parse(t.at));
    for (const t of this.extraWakes(now)) consider(t);
    for (const e of soon) consider(e.steps.map((st) => Date.parse(st.at)).find((t) => t > now));
    return Math.max(now + 1000, next);
  }

  // --- What operators and officials see ----------------------------------------------------------

  status(now: number): EntityStatus {
    const open = this.openNow(now).map((e) => viewOf(e, now));
    const closed: ClosedObligationView[] = this.core.book.closed.slice(-30).map((c) => ({
      id: c.id,
      kind: c.kind,
      title: kindSpecs[c.kind].title,
      clause: kindSpecs[c.kind].clause,
      periodLabel: c.period.label,
      dueDate: c.due.date,
      closed: c.closed,
    }));
    const delay = this.outbox.delay();
    const overdueCount = open.filter((o) => o.overdue).length;
    return {
      asOf: isoInstant(now),
      open,
      upcoming: this.upcoming(now, 62).map((e) => viewOf(e, now)),
      overdue: overdueCount > 0,
      overdueCount,
      recentlyClosed: closed,
      dutyYears: this.core.book.tally ?? {},
      failedDeliveries: this.core.failedDeliveries,
      failedDeliveryCount: this.core.failedDeliveryCount,
      ...(delay ? { deliveryDelayed: delay } : {}),
      history: this.core.history,
      policyVersion: this.core.policy.version,
      calendarYears: this.core.calendar.map((c) => ({ year: c.year, official: c.official, source: c.source })),
      dropped: this.core.dropped,
    };
  }

  /** Keeps the operators' search attributes current; only changed values are written. */
  publish(now: number, soon?: readonly BookEntry[]): void {
    const openNow = this.openNow(now);
    const overdue = openNow.some((e) => Date.parse(e.due.instant) <= now);
    // The next due date of what is open or about to open: it moves once per duty done, not twice.
    const within = addDays(localDateOf(now), 62);
    const next62 = soon ? soon.filter((e) => e.period.start <= within) : this.upcoming(now, 62);
    const nextDue = [...openNow, ...next62].map((e) => e.due.instant).filter((t) => Date.parse(t) > now).sort()[0];
    const wanted: Record<string, SearchAttributeUpdatePair> = {
      overdue: { key: OverdueKey, value: overdue },
      nextDue: { key: NextDueKey, value: nextDue ? new Date(nextDue) : null },
      failed: { key: FailedDeliveriesKey, value: this.core.failedDeliveryCount },
      delayed: { key: DeliveryDelayedKey, value: !this.outbox.idle },
      ...this.searchAttributes(now),
    };
    this.publishRedWarned(now);
    const updates: SearchAttributeUpdatePair[] = [];
    for (const [name, pair] of Object.entries(wanted)) {
      const value = pair.value instanceof Date ? pair.value.getTime() : pair.value;
      if (this.published[name] === value) continue;
      updates.push(pair);
      this.published[name] = value;
    }
    if (updates.length > 0) upsertSearchAttributes(updates);
  }

  /** The open duties past their red warning, as the county's urging digest reads them (see RED_WARNED_MEMO). */
  redWarned(now: number): RedWarnedItem[] {
    const policy = this.core.policy.urging;
    // Only those still within the urging window: the memo stays small, whoever neglects what.
    const since = isoInstant(instantOf(this.calendar.addWorkingDays(localDateOf(now), -policy.everyWorkingDays * policy.maxTimes - 1)));
    return this.book.open.flatMap((e): RedWarnedItem[] => {
      const red = e.steps.find((st) => st.severity === 'red-warning' && st.sentAt);
      if (!red || red.sentAt! < since) return [];
      const spec = kindSpecs[e.kind];
      const w = this.where(e);
      return [
        {
          obligationId: e.id,
          kind: e.kind,
          title: spec.title,
          clause: spec.clause,
          subject: w.subject,
          village: w.village,
          township: w.township,
          ...(w.caseId ? { caseId: w.caseId } : {}),
          periodLabel: e.period.label,
          dueDate: e.due.date,
          redWarnedAt: red.sentAt!,
          roles: red.notify.filter((r) => r !== 'responsible'),
        },
      ];
    });
  }

  /** The duties last written to the memo. */
  private memoTold: readonly string[] = [];

  /**
   * Writes the memo when a duty was red-warned or an urged one closed; one that merely aged out of
   * the window stays until the next write (the digest counts by date anyway): each write is an
   * event in the history.
   */
  private publishRedWarned(now: number): void {
    const items = this.redWarned(now);
    const ids = items.map((i) => i.obligationId);
    const added = ids.some((id) => !this.memoTold.includes(id));
    const closed = this.memoTold.some((id) => !this.book.find(id));
    if (!added && !closed) return;
    this.memoTold = ids;
    upsertMemo({ [RED_WARNED_MEMO]: items });
  }

  /** What crosses continue-as-new: closed duties long past are forgotten, the run year moves on. */
  carry(now: number): S {
    this.book.prune(localDateOf(now));
    this.core.runYear = yearOf(localDateOf(now));
    return this.s;
  }

  // --- Messages every entity accepts ---------------------------------------------------------------

  /** A signal handler that validates its payload: an invalid one is recorded and dropped. */
  onSignal<Args extends unknown[], Sch extends z.ZodType>(def: SignalDefinition<Args>, schema: Sch, what: string, apply: (payload: z.output<Sch>) => void): void {
    setHandler(def as unknown as SignalDefinition<[unknown]>, (payload: unknown) => {
      const r = schema.safeParse(payload);
      if (!r.success) {
        const problem = issuesText(issuesOf(r.error, '内容'));
        recordDropped(this.core.dropped, Date.now(), `${what}（${def.name}）`, problem);
        this.log(Date.now(), 'dropped', `收到的${what}无效，已忽略：${problem}`);
        this.dirty = true;
        return;
      }
      apply(r.data);
    });
  }
}
