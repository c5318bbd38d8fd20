/**
 * One rectification target (整顿对象): from designation through plan, rectification, acceptance,
 * consolidation and upgrade (五(一), 五(二)), with every duty's reminder and escalation ladder.
 *
 * History budget: a year's history must stay well under 400 events. All ladder steps falling due
 * at the same instant go out in one local activity (about 6 events a wake-up, against about 11
 * for a regular activity), the target's duties share their month-end wake-ups (see
 * `threeMeetingsWindows`), the wake-up timer is only replaced when the next wake-up moves, and the
 * workflow continues as new at the first wake-up of each calendar year.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  fulfilObligationSchema,
  fulfilObligationUpdate,
  progressReportedSignal,
  reassignSchema,
  reassignUpdate,
  recordAcceptanceSchema,
  recordAcceptanceUpdate,
  recordProgressSchema,
  recordProgressUpdate,
  reviewPlanSchema,
  reviewPlanUpdate,
  stageLabels,
  stateQuery,
  submitPlanSchema,
  submitPlanUpdate,
  villageInputSchema,
  waiveObligationSchema,
  waiveObligationUpdate,
  withdrawSchema,
  withdrawUpdate,
  type AcceptanceRecord,
  type FailedDelivery,
  type ForwardedProgress,
  type HistoryEntry,
  type NoticeRequest,
  type NoticeResult,
  type Stage,
  type UpcomingObligation,
  type VillageInput,
  type VillageOutcome,
  type VillageView,
} from './contracts/village';
import {
  activeUntil,
  addDays,
  cyclePosition,
  instantOf,
  isoInstant,
  lateNovember,
  localDateOf,
  makeObligation,
  pairedDepartmentConsequences,
  periodById,
  removability,
  targetObligations,
  yearOf,
  type LocalDate,
  type Obligation,
  type ObligationSubject,
} from './domain';
import { ledgerWorkflowId, recordConsequencesSignal } from './contracts/ledger';
import { programmeWorkflowId } from './contracts/programme';
import { targetChangedSignal, townshipWorkflowId } from './contracts/township';
import { sendNotices } from './support/mail';
import {
  Outbox,
  noticeFor,
  runUntilDone,
  type Deferred,
  appendHistory,
  dueSteps,
  invalid,
  keepSince,
  nextStepTimes,
  parseOrReject,
  refused,
  upcomingView,
} from './support/entity';
import { CycleYearKey, DeliveryDelayedKey, FailedDeliveriesKey, NextDueKey, OverdueKey, StageKey, TownshipKey, VillageKey } from '../../search-attributes';


/** Obligations are looked at in a rolling window around today. */
const WINDOW_BACK_DAYS = 45;
const WINDOW_AHEAD_DAYS = 100;

/** Everything the workflow knows, as plain JSON: it crosses continue-as-new as it is. */
export interface VillageState {
  /** The designation is replaced when the target is transformed or withdrawn. */
  input: VillageInput;
  /** Instant the target's first run started; ladder steps before it are not sent. */
  readonly startedAt: string;
  /** Calendar year of this run; the first wake-up in a later year continues as new. */
  runYear: number;
  firstSecretary?: string;
  liaison?: string;
  plan: {
    status: 'due' | 'submitted' | 'returned' | 'approved';
    submittedOn?: LocalDate;
    summary?: string;
    measures?: string[];
    revisions: number;
    revisionDue?: LocalDate;
  };
  acceptances: AcceptanceRecord[];
  /** Obligation id → the day it was fulfilled or waived; kept while it is in the window. */
  settled: Record<string, LocalDate>;
  /** Ladder step key → due date of its obligation; a step is sent, superseded or skipped once. */
  sent: Record<string, LocalDate>;
  threeMeetings: LocalDate[];
  withdrawn?: { on: LocalDate; by: string; reason: string };
  failedDeliveries: FailedDelivery[];
  failedDeliveryCount: number;
  /** Notices the mail server has not taken yet (an outage), tried again at `retryAt`. */
  deferred?: Deferred<NoticeRequest>;
  history: HistoryEntry[];
  /** Keys of the latest report entries forwarded by the township: a re-sent one is ignored. */
  forwarded?: string[];
}

class VillageTarget {
  dirty = false;
  /**
   * Search attribute values last written. A continued run inherits its predecessor's values; of
   * them only RectDeliveryDelayed is read back, so that a delay flagged before continue-as-new is
   * cleared after it, and runs that never had one write nothing new.
   */
  private published: Record<string, unknown> = { delayed: workflowInfo().typedSearchAttributes.get(DeliveryDelayedKey) };

  readonly outbox: Outbox<NoticeRequest>;

  constructor(
    readonly s: VillageState,
    private readonly workflowId: string,
  ) {
    this.outbox = new Outbox(s, (r) => ({ obligationId: r.obligation.id, step: r.step.id, label: `${r.obligation.title}（${r.obligation.periodLabel}）` }));
  }

  get village(): string {
    return this.s.input.designation.village;
  }

  private get subject(): ObligationSubject {
    return { type: 'village', code: this.village, township: this.s.input.township };
  }

  log(now: number, type: string, text: string, by?: string): void {
    appendHistory(this.s.history, now, type, text, by);
  }

  // --- Obligations ---------------------------------------------------------------------------

  obligations(now: number): Obligation[] {
    const today = localDateOf(now);
    const list = targetObligations(
      { designation: this.s.input.designation, township: this.s.input.township, hasFirstSecretary: this.s.firstSecretary !== undefined },
      { from: addDays(today, -WINDOW_BACK_DAYS), to: addDays(today, WINDOW_AHEAD_DAYS) },
      this.s.input.policy,
    );
    const revision = this.planRevision();
    return revision ? [...list, revision] : list;
  }

  /** A plan returned for revision is due again by its new deadline (五(一)). */
  private planRevision(): Obligation | undefined {
    const { plan } = this.s;
    if (plan.revisions === 0 || !plan.revisionDue) return undefined;
    const year = yearOf(this.s.input.designation.date);
    return makeObligation(
      'rectification-plan',
      this.subject,
      { id: `${year}-r${plan.revisions}`, start: plan.revisionDue, end: plan.revisionDue, label: `${year}年整顿方案（第${plan.revisions}次修改）` },
      plan.revisionDue,
      this.s.input.policy,
    );
  }

  open(now: number): Obligation[] {
    return this.obligations(now).filter((o) => this.s.settled[o.id] === undefined);
  }

  get runYear(): number {
    return this.s.runYear;
  }

  /** The notices due now (see `dueSteps`). */
  due(now: number): NoticeRequest[] {
    const assigned = {
      ...(this.s.firstSecretary ? { 'first-secretary': this.s.firstSecretary } : {}),
      ...(this.s.liaison ? { 'township-liaison': this.s.liaison } : {}),
    };
    return dueSteps(this.open(now), this.s.sent, Date.parse(this.s.startedAt), now).map(({ o, step }) =>
      noticeFor(o, step, `${this.workflowId}@${this.s.input.designation.date}/${o.id}/${step.id}`, { village: this.village, township: this.s.input.township, assigned }),
    );
  }

  send(batch: NoticeRequest[]): Promise<NoticeResult[]> {
    return sendNotices(batch);
  }

  /** A progress report settles the duties it attests (四(一)1, 四(一)3, 四(五)15) and is logged. */
  applyProgress(now: number, p: Omit<ForwardedProgress, 'key' | 'amendment'>, amendment = false): void {
    const open = this.obligations(now);
    for (const duty of p.duties) {
      if (duty.kind === 'three-meetings-one-lesson' && !this.s.threeMeetings.includes(duty.date)) this.s.threeMeetings.push(duty.date);
      const o = open.find((x) => x.kind === duty.kind && x.period.start <= duty.date && duty.date <= x.period.end);
      if (o && this.s.settled[o.id] === undefined) this.settle(o.id, duty.date);
    }
    this.s.threeMeetings.sort();
    const label = periodById(p.period).label;
    const text = `${label}${amendment ? '进展（更正）' : '进展'}：${p.progress}${p.problems ? `；问题：${p.problems}` : ''}${p.nextSteps ? `；下步：${p.nextSteps}` : ''}`;
    this.log(now, 'progress', text, p.reportedBy);
  }

  /**
   * Tells the township and the county programme that the designation changed (transformed,
   * withdrawn), so that their duties follow the targets actually under rectification. Histories
   * recorded before this existed replay without it.
   */
  tellSupervisors(): void {
    if (!patched('target-sync')) return;
    const d = this.s.input.designation;
    const change = {
      village: d.village,
      date: d.date,
      ...(d.transformedOn ? { transformedOn: d.transformedOn } : {}),
      ...(d.withdrawnOn ? { withdrawnOn: d.withdrawnOn } : {}),
    };
    const ids = [townshipWorkflowId(this.s.input.township), ...(this.s.input.county ? [programmeWorkflowId(this.s.input.county)] : [])];
    for (const id of ids) {
      // Not running (a target designated before townships had workflows): nothing to tell.
      this.telling.push(getExternalWorkflowHandle(id).signal(targetChangedSignal, change).catch(() => undefined));
    }
  }

  /**
   * 五(四): a third consecutive failed acceptance blocks the paired department's leader; a later
   * transformation ends it. The county's ledger gets the target's current 五(四) entries (it keeps
   * one per kind, subject, start and case, the latest version).
   */
  tellLedger(): void {
    const county = this.s.input.county;
    const d = this.s.input.designation;
    const list = pairedDepartmentConsequences(
      { village: this.village, caseId: this.workflowId, ...(d.pairedDepartment ? { pairedDepartment: d.pairedDepartment } : {}) },
      this.s.acceptances,
    );
    if (!county || list.length === 0 || !patched('ledger-sync')) return;
    this.telling.push(
      getExternalWorkflowHandle(ledgerWorkflowId(county))
        .signal(recordConsequencesSignal, { caseId: this.workflowId, consequences: list })
        .catch(() => undefined),
    );
  }

  /** Signals to other workflows still on their way; the server drops them if this run ends first. */
  readonly telling: Promise<unknown>[] = [];

  settle(id: string, on: LocalDate): void {
    this.s.settled[id] = on;
  }

  // --- Stage and lists -----------------------------------------------------------------------

  finished(now: number): boolean {
    return this.s.withdrawn !== undefined || localDateOf(now) > activeUntil(this.s.input.designation);
  }

  stage(now: number): Stage {
    const d = this.s.input.designation;
    const today = localDateOf(now);
    if (this.s.withdrawn) return 'withdrawn';
    if (today > activeUntil(d)) return 'closed';
    if (this.s.acceptances.at(-1)?.transformed) return cyclePosition(d.date, today).cycleYear >= 3 ? 'upgrading' : 'consolidating';
    const year = yearOf(today);
    if (year > yearOf(d.date) && today >= lateNovember(year).start && !this.s.acceptances.some((a) => a.year === year)) return 'acceptance';
    const planStages = { due: 'plan-due', submitted: 'plan-submitted', returned: 'plan-returned', approved: 'rectifying' } as const;
    return planStages[this.s.plan.status];
  }

  upcoming(now: number): UpcomingObligation[] {
    return upcomingView(this.open(now), this.s.sent, now, WINDOW_BACK_DAYS);
  }

  /** When to look again: the next unsent step, the acceptance window opening, or the close. */
  nextWake(now: number): number {
    const today = localDateOf(now);
    const candidates = [instantOf(addDays(today, WINDOW_AHEAD_DAYS - 1)), ...nextStepTimes(this.open(now), this.s.sent, now)];
    const retryAt = this.outbox.retryAt;
    if (retryAt !== undefined) candidates.push(retryAt);
    const until = activeUntil(this.s.input.designation);
    if (until < '9999-12-31') candidates.push(instantOf(addDays(until, 1)));
    const window = lateNovember(yearOf(today));
    if (today < window.start && yearOf(today) > yearOf(this.s.input.designation.date)) candidates.push(instantOf(window.start));
    return Math.max(now + 1000, Math.min(...candidates));
  }

  view(now: number): VillageView {
    const d = this.s.input.designation;
    const today = localDateOf(now);
    const position = cyclePosition(d.date, today < d.date ? d.date : today);
    const upcoming = this.upcoming(now);
    const stage = this.stage(now);
    return {
      village: this.village,
      township: this.s.input.township,
      stage,
      stageLabel: stageLabels[stage],
      designation: d,
      cycleYear: position.cycleYear,
      phase: position.phase,
      ...(this.s.firstSecretary ? { firstSecretary: this.s.firstSecretary } : {}),
      ...(this.s.liaison ? { liaison: this.s.liaison } : {}),
      plan: { ...this.s.plan },
      acceptances: this.s.acceptances,
      upcoming,
      overdue: upcoming.some((o) => o.overdue),
      failedDeliveries: this.s.failedDeliveries,
      failedDeliveryCount: this.s.failedDeliveryCount,
      ...(this.outbox.delay() ? { deliveryDelayed: this.outbox.delay()! } : {}),
      consequences: [
        ...pairedDepartmentConsequences(
          { village: this.village, caseId: this.workflowId, ...(d.pairedDepartment ? { pairedDepartment: d.pairedDepartment } : {}) },
          this.s.acceptances,
        ),
        ...removability(this.village, d.date, this.s.threeMeetings, today),
      ],
      history: this.s.history,
    };
  }

  /** Keeps the operators' search attributes current; only changed values are written. */
  publish(now: number): void {
    const v = this.view(now);
    const nextDue = v.upcoming.filter((o) => !o.overdue).map((o) => instantOf(addDays(o.dueDate, 1)))[0];
    const wanted: Record<string, unknown> = {
      stage: v.stage,
      township: v.township,
      village: v.village,
      nextDue: nextDue ?? null,
      overdue: v.overdue,
      cycleYear: v.cycleYear,
      failed: v.failedDeliveryCount,
      delayed: v.deliveryDelayed !== undefined,
    };
    const updates: SearchAttributeUpdatePair[] = [];
    const changed = (k: string): boolean => this.published[k] !== wanted[k];
    if (changed('stage')) updates.push({ key: StageKey, value: v.stage });
    if (changed('township')) updates.push({ key: TownshipKey, value: v.township });
    if (changed('village')) updates.push({ key: VillageKey, value: v.village });
    if (changed('nextDue')) updates.push({ key: NextDueKey, value: nextDue === undefined ? null : new Date(nextDue) });
    if (changed('overdue')) updates.push({ key: OverdueKey, value: v.overdue });
    if (changed('cycleYear')) updates.push({ key: CycleYearKey, value: v.cycleYear });
    if (changed('failed')) updates.push({ key: FailedDeliveriesKey, value: v.failedDeliveryCount });
    // Written only once an outage has happened, so that earlier histories replay unchanged.
    if (changed('delayed') && (v.deliveryDelayed || this.published.delayed !== undefined)) {
      updates.push({ key: DeliveryDelayedKey, value: v.deliveryDelayed !== undefined });
    }
    if (updates.length > 0) upsertSearchAttributes(updates);
    this.published = wanted;
  }

  /** What crosses continue-as-new: entries that left the window are dropped. */
  carry(now: number): VillageState {
    const horizon = addDays(localDateOf(now), -WINDOW_BACK_DAYS - 30);
    return { ...this.s, runYear: yearOf(localDateOf(now)), settled: keepSince(this.s.settled, horizon), sent: keepSince(this.s.sent, horizon) };
  }

  // --- Update rules ---------------------------------------------------------------------------

  assertActive(now: number): void {
    if (this.s.withdrawn) throw refused(`the designation was withdrawn on ${this.s.withdrawn.on}`);
    if (this.finished(now)) throw refused('the rectification of this target is closed');
  }

  assertNotFuture(field: string, date: LocalDate, now: number): void {
    if (date > localDateOf(now)) throw invalid(`${field}: ${date} is in the future`);
  }

  findOpen(id: string, now: number): Obligation {
    const open = this.open(now);
    const o = open.find((x) => x.id === id);
    if (!o) {
      const known = open.slice(0, 5).map((x) => x.id);
      throw invalid(`obligationId: no open obligation ${id}${known.length ? `; open ones include ${known.join(', ')}` : ''}`);
    }
    return o;
  }
}

function newState(input: VillageInput, now: number): VillageState {
  return {
    input,
    startedAt: isoInstant(now),
    runYear: yearOf(localDateOf(now)),
    ...(input.firstSecretary ? { firstSecretary: input.firstSecretary } : {}),
    ...(input.liaison ? { liaison: input.liaison } : {}),
    plan: { status: 'due', revisions: 0 },
    acceptances: [],
    settled: {},
    sent: {},
    threeMeetings: [],
    failedDeliveries: [],
    failedDeliveryCount: 0,
    history: [],
  };
}

export async function legacyVillageRectification(input: VillageInput, carried?: VillageState): Promise<VillageOutcome> {
  const parsed = villageInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const startNow = Date.now();
  if (!carried && parsed.data.designation.date > localDateOf(startNow)) {
    throw invalid(`designation.date: ${parsed.data.designation.date} is in the future`);
  }
  const t = new VillageTarget(carried ?? newState(parsed.data, startNow), workflowInfo().workflowId);
  if (!carried) {
    const d = t.s.input.designation;
    t.log(startNow, 'designated', `认定为整顿对象（${d.date}），认定标准：${d.criteria.map((c) => `三(${'一二三四五六'[c.criterion - 1]})`).join('、')}`);
  }

  setHandler(stateQuery, () => t.view(Date.now()));

  const update = <A extends unknown[]>(
    validate: (now: number, ...args: A) => void,
    apply: (now: number, ...args: A) => void,
  ): { handler: (...args: A) => VillageView; validator: (...args: A) => void } => ({
    validator: (...args) => validate(Date.now(), ...args),
    handler: (...args) => {
      const now = Date.now();
      apply(now, ...args);
      t.dirty = true;
      return t.view(now);
    },
  });

  const submitPlan = update(
    (now, raw) => {
      parseOrReject(submitPlanSchema, raw);
      t.assertActive(now);
      if (t.s.plan.status === 'submitted') throw refused('the plan is already submitted and awaits review');
      if (t.s.plan.status === 'approved') throw refused('the plan is already approved');
    },
    (now, raw) => {
      const p = submitPlanSchema.parse(raw);
      const current = t.open(now).find((o) => o.kind === 'rectification-plan');
      if (current) t.settle(current.id, localDateOf(now));
      t.s.plan = { ...t.s.plan, status: 'submitted', submittedOn: localDateOf(now), summary: p.summary, measures: p.measures };
      t.log(now, 'plan-submitted', `报送整顿方案：${p.summary}`, p.submittedBy);
    },
  );
  setHandler(submitPlanUpdate, submitPlan.handler, { validator: submitPlan.validator });

  const reviewPlan = update(
    (now, raw) => {
      const r = parseOrReject(reviewPlanSchema, raw);
      t.assertActive(now);
      if (t.s.plan.status !== 'submitted') throw refused(`there is no submitted plan to review (plan is ${t.s.plan.status})`);
      if (r.revisionDue && r.revisionDue <= localDateOf(now)) throw invalid(`revisionDue: ${r.revisionDue} must be after today (${localDateOf(now)})`);
    },
    (now, raw) => {
      const r = reviewPlanSchema.parse(raw);
      if (r.decision === 'approve') {
        t.s.plan = { ...t.s.plan, status: 'approved' };
        delete t.s.plan.revisionDue;
        t.log(now, 'plan-approved', `整顿方案审核通过${r.comments ? `：${r.comments}` : ''}`, r.reviewer);
      } else {
        t.s.plan = { ...t.s.plan, status: 'returned', revisions: t.s.plan.revisions + 1, revisionDue: r.revisionDue! };
        t.log(now, 'plan-returned', `整顿方案退回修改：${r.comments}；修改后于${r.revisionDue}前重新报送`, r.reviewer);
      }
    },
  );
  setHandler(reviewPlanUpdate, reviewPlan.handler, { validator: reviewPlan.validator });

  const recordProgress = update(
    (now, raw) => {
      const p = parseOrReject(recordProgressSchema, raw);
      t.assertActive(now);
      const half = periodById(p.period);
      if (half.start > localDateOf(now)) throw invalid(`period: ${p.period} has not begun`);
      if (half.end < t.s.input.designation.date) throw invalid(`period: ${p.period} ends before the designation (${t.s.input.designation.date})`);
      p.duties.forEach((duty, i) => {
        if (duty.date > localDateOf(now)) throw invalid(`duties.${i}.date: ${duty.date} is in the future`);
        if (duty.date < t.s.input.designation.date) throw invalid(`duties.${i}.date: ${duty.date} is before the designation`);
      });
    },
    (now, raw) => t.applyProgress(now, recordProgressSchema.parse(raw)),
  );
  setHandler(recordProgressUpdate, recordProgress.handler, { validator: recordProgress.validator });

  const fulfil = update(
    (now, raw) => {
      const f = parseOrReject(fulfilObligationSchema, raw);
      t.assertActive(now);
      t.assertNotFuture('fulfilledOn', f.fulfilledOn, now);
      t.findOpen(f.obligationId, now);
    },
    (now, raw) => {
      const f = fulfilObligationSchema.parse(raw);
      const o = t.findOpen(f.obligationId, now);
      t.settle(o.id, f.fulfilledOn);
      t.log(now, 'fulfilled', `办结：${o.title}（${o.period.label}）${f.note ? `：${f.note}` : ''}`, f.by);
    },
  );
  setHandler(fulfilObligationUpdate, fulfil.handler, { validator: fulfil.validator });

  const waive = update(
    (now, raw) => {
      const w = parseOrReject(waiveObligationSchema, raw);
      t.assertActive(now);
      t.findOpen(w.obligationId, now);
    },
    (now, raw) => {
      const w = waiveObligationSchema.parse(raw);
      const o = t.findOpen(w.obligationId, now);
      t.settle(o.id, localDateOf(now));
      t.log(now, 'waived', `免除：${o.title}（${o.period.label}）：${w.reason}`, w.by);
    },
  );
  setHandler(waiveObligationUpdate, waive.handler, { validator: waive.validator });

  const recordAcceptance = update(
    (now, raw) => {
      const a = parseOrReject(recordAcceptanceSchema, raw);
      t.assertActive(now);
      const first = yearOf(t.s.input.designation.date) + 1;
      if (a.year < first) throw invalid(`year: the first acceptance is in late November ${first} (五(一))`);
      if (String(a.year) !== a.evaluatedOn.slice(0, 4)) throw invalid(`evaluatedOn: ${a.evaluatedOn} is not in ${a.year}`);
      t.assertNotFuture('evaluatedOn', a.evaluatedOn, now);
      if (t.s.acceptances.some((x) => x.year === a.year)) throw refused(`the acceptance of ${a.year} is already recorded`);
    },
    (now, raw) => {
      const a = recordAcceptanceSchema.parse(raw);
      t.s.acceptances.push({ year: a.year, date: a.evaluatedOn, transformed: a.transformed, evaluator: a.evaluator, summary: a.summary });
      t.s.acceptances.sort((x, y) => x.year - y.year);
      const acceptance = t.obligations(now).find((o) => o.kind === 'acceptance-evaluation' && o.period.id === `${a.year}-11-late`);
      if (acceptance) t.settle(acceptance.id, a.evaluatedOn);
      if (a.transformed) {
        const d = t.s.input.designation;
        t.s.input = { ...t.s.input, designation: { ...d, transformedOn: a.evaluatedOn } };
        t.tellSupervisors();
      }
      t.log(now, 'acceptance', `${a.year}年验收评价：${a.transformed ? '转化提升' : '未转化'}。${a.summary}`, a.evaluator);
      t.tellLedger();
    },
  );
  setHandler(recordAcceptanceUpdate, recordAcceptance.handler, { validator: recordAcceptance.validator });

  const reassign = update(
    (now, raw) => {
      parseOrReject(reassignSchema, raw);
      t.assertActive(now);
    },
    (now, raw) => {
      const r = reassignSchema.parse(raw);
      if (r.role === 'first-secretary') t.s.firstSecretary = r.person;
      else t.s.liaison = r.person;
      t.log(now, 'reassigned', `${r.role === 'first-secretary' ? '第一书记' : '包村领导'}调整为${r.person}（${r.effectiveOn}起）`, r.by);
    },
  );
  setHandler(reassignUpdate, reassign.handler, { validator: reassign.validator });

  const withdraw = update(
    (now, raw) => {
      parseOrReject(withdrawSchema, raw);
      t.assertActive(now);
    },
    (now, raw) => {
      const w = withdrawSchema.parse(raw);
      const on = localDateOf(now);
      t.s.withdrawn = { on, by: w.by, reason: w.reason };
      const d = t.s.input.designation;
      t.s.input = { ...t.s.input, designation: { ...d, withdrawnOn: on, withdrawalReason: w.reason } };
      t.tellSupervisors();
      t.log(now, 'withdrawn', `撤销认定：${w.reason}`, w.by);
    },
  );
  setHandler(withdrawUpdate, withdraw.handler, { validator: withdraw.validator });

  // 六(三): the township's half-monthly report, validated there, forwarded here.
  setHandler(progressReportedSignal, (forwarded: ForwardedProgress | readonly ForwardedProgress[]) => {
    const now = Date.now();
    if (t.finished(now)) return;
    const seen = (t.s.forwarded ??= []);
    const list: readonly ForwardedProgress[] = Array.isArray(forwarded) ? (forwarded as readonly ForwardedProgress[]) : [forwarded as ForwardedProgress];
    for (const p of list) {
      if (seen.includes(p.key)) continue;
      seen.push(p.key);
      if (seen.length > 60) seen.shift();
      t.applyProgress(now, { ...p, duties: p.duties.filter((d) => d.date >= t.s.input.designation.date && d.date <= localDateOf(now)) }, p.amendment);
      t.dirty = true;
    }
  });

  const ending = await runUntilDone(t);
  await condition(allHandlersFinished);
  await Promise.all(t.telling);
  if (ending === 'continue-as-new') return continueAsNew<typeof legacyVillageRectification>(t.s.input, t.carry(Date.now()));
  const end = Date.now();
  t.log(end, 'closed', t.s.withdrawn ? '已撤销认定，工作流结束' : '整顿周期结束');
  t.publish(end);
  return { village: t.village, stage: t.stage(end), acceptances: t.s.acceptances };
}
