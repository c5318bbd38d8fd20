/**
 * One township's supervision: the half-monthly progress report (六(三)) and the party committee's
 * quarterly study (五(三)) with their reminder ladders, each report's entries forwarded to the
 * village workflows, and a proposal to the organization department when reports are missed or
 * late beyond the policy's threshold in a quarter (六(四)); the department decides.
 *
 * The township's targets come as `targetChanged` signals (designation, transformation,
 * withdrawal). The workflow ends when it has no target left under rectification; a new
 * designation starts it again. It continues as new at the first wake-up of each calendar year.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseMailRequest } from './contracts/inquiry';
import {
  decideProposalSchema,
  decideProposalUpdate,
  recordStudySchema,
  recordStudyUpdate,
  submitReportSchema,
  submitReportUpdate,
  targetChangedSignal,
  townshipInputSchema,
  townshipStateQuery,
  type Proposal,
  type RecordStudy,
  type ReportRecord,
  type TargetChange,
  type TownshipInput,
  type TownshipView,
} from './contracts/township';
import { progressReportedSignal, villageWorkflowId, type FailedDelivery, type ForwardedProgress, type HistoryEntry, type NoticeRequest, type NoticeResult } from './contracts/village';
import {
  activeDuring,
  activeUntil,
  addDays,
  adjustDeadline,
  defaultSupervisionPolicy,
  instantOf,
  isoInstant,
  localDateOf,
  periodById,
  quartersToPropose,
  reportLapses,
  townshipObligations,
  yearOf,
  type Lapse,
  type LocalDate,
  type Obligation,
  type Period,
} from './domain';
import { NextDueKey, OverdueKey, StageKey, TownshipKey, FailedDeliveriesKey, DeliveryDelayedKey } from '../../search-attributes';
import { sendCaseMails, sendNotices } from './support/mail';
import {
  Outbox,
  Publisher,
  appendHistory,
  applyTargetChange,
  noticeFor,
  runUntilDone,
  dueSteps,
  invalid,
  keepSince,
  nextStepTimes,
  parseOrReject,
  refused,
  targetsView,
  upcomingView,
  type Deferred,
} from './support/entity';


const WINDOW_BACK_DAYS = 45;
const WINDOW_AHEAD_DAYS = 100;
/** Reports, lapses and proposals are kept this long; what is older has been acted on. */
const KEEP_DAYS = 400;

/** A notice of a duty or a mail to the department; both go through one outbox. */
type Outgoing = { readonly key: string; readonly notice: NoticeRequest } | { readonly key: string; readonly mail: CaseMailRequest };

export interface TownshipState {
  input: TownshipInput;
  startedAt: string;
  runYear: number;
  targets: TargetChange[];
  /** Half month id → its report. */
  reports: Record<string, ReportRecord>;
  lapses: Lapse[];
  proposals: Proposal[];
  studies: RecordStudy[];
  settled: Record<string, LocalDate>;
  sent: Record<string, LocalDate>;
  failedDeliveries: FailedDelivery[];
  failedDeliveryCount: number;
  deferred?: Deferred<Outgoing>;
  history: HistoryEntry[];
  /**
   * First-half entries that attest no duty wait here for the village's next entry, and go with it
   * in one signal: each signal costs the village's history about four events, and a year of
   * reports one by one would take a worst-case village year past its budget of 400.
   */
  held?: Record<string, ForwardedProgress[]>;
}

/** The report entries on their way to one village's workflow, in one signal. */
interface Forward {
  readonly village: string;
  readonly entries: ForwardedProgress[];
}


class Township {
  readonly outbox: Outbox<Outgoing>;
  readonly publisher = new Publisher();
  dirty = false;

  constructor(
    readonly s: TownshipState,
    private readonly workflowId: string,
  ) {
    this.outbox = new Outbox(s, (r) =>
      'notice' in r
        ? { obligationId: r.notice.obligation.id, step: r.notice.step.id, label: `${r.notice.obligation.title}（${r.notice.obligation.periodLabel}）` }
        : { obligationId: `proposal/${r.mail.proposal?.quarter ?? ''}`, step: r.mail.kind, label: `函询建议（${r.mail.proposal?.quarterLabel ?? ''}）` },
    );
  }

  get runYear(): number {
    return this.s.runYear;
  }

  async send(batch: Outgoing[]): Promise<NoticeResult[]> {
    const notices = batch.flatMap((b) => ('notice' in b ? [b.notice] : []));
    const mails = batch.flatMap((b) => ('mail' in b ? [b.mail] : []));
    return [...(notices.length ? await sendNotices(notices) : []), ...(mails.length ? await sendCaseMails(mails) : [])];
  }

  get code(): string {
    return this.s.input.township;
  }

  log(now: number, type: string, text: string, by?: string): void {
    appendHistory(this.s.history, now, type, text, by);
  }

  obligations(now: number): Obligation[] {
    const today = localDateOf(now);
    return townshipObligations(this.code, this.s.targets, { from: addDays(today, -WINDOW_BACK_DAYS), to: addDays(today, WINDOW_AHEAD_DAYS) }, this.s.input.policy);
  }

  /**
   * Duties not yet done. Reports are owed from the first half month that begins once supervision
   * has started: a target designated on the 15th is first reported on for the 16th onwards.
   */
  open(now: number): Obligation[] {
    const started = localDateOf(Date.parse(this.s.startedAt));
    return this.obligations(now).filter((o) => this.s.settled[o.id] === undefined && !(o.kind === 'half-monthly-report' && o.period.start < started));
  }

  activeIn(p: Period): TargetChange[] {
    return this.s.targets.filter((t) => activeDuring(t, p));
  }

  finished(now: number): boolean {
    const today = localDateOf(now);
    return this.s.targets.every((t) => activeUntil(t) < addDays(today, -WINDOW_BACK_DAYS)) && !this.s.deferred;
  }

  /** Notices newly due, and a proposal for each quarter whose lapses reach the threshold. */
  due(now: number): Outgoing[] {
    const notices: Outgoing[] = dueSteps(this.open(now), this.s.sent, Date.parse(this.s.startedAt), now).map(({ o, step }) => {
      const key = `${this.workflowId}/${o.id}/${step.id}`;
      return { key, notice: noticeFor(o, step, key, { village: '', township: this.code, subject: 'township', assigned: {} }) };
    });
    return [...notices, ...this.proposals(now)];
  }

  /** Lapses as of now (六(三)); a quarter reaching the threshold gets one proposal (六(四)). */
  private proposals(now: number): Outgoing[] {
    // Half months that began before supervision started are not owed (see `open`).
    const started = localDateOf(Date.parse(this.s.startedAt));
    const reportsDue = this.obligations(now)
      .filter((o) => o.kind === 'half-monthly-report' && o.period.start >= started)
      .map((o) => ({ periodId: o.period.id, periodStart: o.period.start, dueInstant: o.due.instant }));
    const received = Object.fromEntries(Object.values(this.s.reports).map((r) => [r.period, r.receivedAt]));
    for (const l of reportLapses(reportsDue, received, now)) {
      const known = this.s.lapses.findIndex((x) => x.periodId === l.periodId);
      if (known < 0) this.s.lapses.push(l);
      else this.s.lapses[known] = l;
    }
    const out: Outgoing[] = [];
    const policy = { ...defaultSupervisionPolicy, ...this.s.input.supervision };
    for (const { quarter, lapses } of quartersToPropose(this.s.lapses, policy)) {
      if (this.s.proposals.some((p) => p.quarter === quarter)) continue;
      const quarterLabel = periodById(quarter).label;
      this.s.proposals.push({ quarter, quarterLabel, proposedAt: isoInstant(now), lapses });
      this.log(now, 'inquiry-proposed', `${quarterLabel}半月进展报告${lapses.length}次未按时报送，已建议县委组织部函询（六(四)）`);
      const key = `${this.workflowId}/proposal/${quarter}`;
      out.push({
        key,
        mail: {
          key,
          kind: 'inquiry-proposal',
          township: this.code,
          people: [],
          roles: ['org-department-staff'],
          proposal: { quarter, quarterLabel, lapses: lapses.map((l) => ({ ...l, label: periodById(l.periodId).label })) },
        },
      });
    }
    return out;
  }

  nextWake(now: number): number {
    const candidates = [instantOf(addDays(localDateOf(now), WINDOW_AHEAD_DAYS - 1)), ...nextStepTimes(this.open(now), this.s.sent, now)];
    const retryAt = this.outbox.retryAt;
    if (retryAt !== undefined) candidates.push(retryAt);
    return Math.max(now + 1000, Math.min(...candidates));
  }

  view(now: number): TownshipView {
    const today = localDateOf(now);
    const upcoming = upcomingView(this.open(now), this.s.sent, now, WINDOW_BACK_DAYS);
    const delay = this.outbox.delay();
    return {
      township: this.code,
      county: this.s.input.county,
      targets: targetsView(this.s.targets, today),
      reports: Object.values(this.s.reports).sort((a, b) => a.period.localeCompare(b.period)),
      lapses: this.s.lapses,
      proposals: this.s.proposals,
      studies: this.s.studies,
      upcoming,
      overdue: upcoming.some((o) => o.overdue),
      failedDeliveries: this.s.failedDeliveries,
      failedDeliveryCount: this.s.failedDeliveryCount,
      ...(delay ? { deliveryDelayed: delay } : {}),
      history: this.s.history,
    };
  }

  publish(now: number): void {
    const v = this.view(now);
    const nextDue = v.upcoming.filter((o) => !o.overdue).map((o) => instantOf(addDays(o.dueDate, 1)))[0];
    const pending = v.proposals.some((p) => !p.decision);
    this.publisher.publish({
      stage: { key: StageKey, value: pending ? 'proposal-pending' : 'supervising' },
      township: { key: TownshipKey, value: this.code },
      nextDue: { key: NextDueKey, value: nextDue === undefined ? null : new Date(nextDue) },
      overdue: { key: OverdueKey, value: v.overdue },
      failed: { key: FailedDeliveriesKey, value: v.failedDeliveryCount },
      delayed: { key: DeliveryDelayedKey, value: v.deliveryDelayed !== undefined },
    });
  }

  carry(now: number): TownshipState {
    const today = localDateOf(now);
    const horizon = addDays(today, -WINDOW_BACK_DAYS - 30);
    const kept = addDays(today, -KEEP_DAYS);
    return {
      ...this.s,
      runYear: yearOf(today),
      reports: Object.fromEntries(Object.entries(this.s.reports).filter(([id]) => periodById(id).end >= kept)),
      lapses: this.s.lapses.filter((l) => periodById(l.periodId).end >= kept),
      proposals: this.s.proposals.filter((p) => p.proposedAt >= isoInstant(instantOf(kept))),
      studies: this.s.studies.slice(-8),
      settled: keepSince(this.s.settled, horizon),
      sent: keepSince(this.s.sent, horizon),
      // Targets closed long ago no longer shape any duty.
      targets: this.s.targets.filter((t) => activeUntil(t) >= kept),
    };
  }

  // --- Update rules ---------------------------------------------------------------------------

  checkReport(now: number, raw: unknown): void {
    const r = parseOrReject(submitReportSchema, raw);
    const today = localDateOf(now);
    const period = periodById(r.period);
    if (period.start > today) throw invalid(`period: ${r.period} has not begun`);
    const active = this.activeIn(period).map((t) => t.village);
    if (active.length === 0) throw invalid(`period: ${this.code} has no target under rectification in ${r.period}`);
    r.entries.forEach((e, i) => {
      if (!active.includes(e.village)) {
        const known = this.s.targets.some((t) => t.village === e.village);
        throw invalid(`entries.${i}.village: ${e.village} is ${known ? `not under rectification in ${r.period}` : `not a target of ${this.code}`}`);
      }
      e.duties.forEach((d, j) => {
        if (d.date > today) throw invalid(`entries.${i}.duties.${j}.date: ${d.date} is in the future`);
      });
    });
    const missing = active.filter((v) => !r.entries.some((e) => e.village === v));
    if (missing.length > 0) throw invalid(`entries: no entry for ${missing.join(', ')} (one entry per target under rectification)`);
    const previous = this.s.reports[r.period];
    if (previous && !r.amendment) throw refused(`period: ${r.period} was already reported at ${previous.receivedAt}; mark the report as an amendment to replace it`);
    if (!previous && r.amendment) throw invalid(`amendment: there is no report for ${r.period} to amend`);
  }

  applyReport(now: number, raw: unknown): Forward[] {
    const r = submitReportSchema.parse(raw);
    const period = periodById(r.period);
    const previous = this.s.reports[r.period];
    const obligation = this.obligations(now).find((o) => o.kind === 'half-monthly-report' && o.period.id === r.period);
    const dueInstant = instantOf(addDays(adjustDeadline(period.end).date, 1));
    const receivedAt = previous?.receivedAt ?? isoInstant(now);
    const late = previous?.late ?? now > dueInstant;
    const amendments = (previous?.amendments ?? -1) + 1;
    this.s.reports[r.period] = { period: r.period, periodLabel: period.label, receivedAt, reportedBy: r.reportedBy, villages: r.entries.map((e) => e.village), amendments, late };
    if (obligation && this.s.settled[obligation.id] === undefined) this.s.settled[obligation.id] = localDateOf(now);
    this.log(now, r.amendment ? 'report-amended' : 'report', `${r.amendment ? '更正' : '报送'}${period.label}整顿工作进展（${r.entries.length}个整顿对象）${late ? '，逾期报送' : ''}`, r.reportedBy);
    const forwarded = r.entries.map((entry) => ({
      village: entry.village,
      progress: {
        key: `${this.workflowId}/${r.period}/${amendments}/${entry.village}`,
        period: r.period,
        reportedBy: r.reportedBy,
        progress: entry.progress,
        problems: entry.problems,
        nextSteps: entry.nextSteps,
        duties: entry.duties,
        amendment: r.amendment,
      },
    }));
    if (!patched('hold-first-half')) return forwarded.map((f) => ({ village: f.village, entries: [f.progress] }));
    const held = (this.s.held ??= {});
    const out: Forward[] = [];
    for (const f of forwarded) {
      const waiting = [...(held[f.village] ?? []), f.progress];
      // A duty attested in the first half settles the month's reminders: it goes at once.
      if (r.period.endsWith('H1') && f.progress.duties.length === 0) {
        held[f.village] = waiting;
        continue;
      }
      delete held[f.village];
      out.push({ village: f.village, entries: waiting });
    }
    return out;
  }
}

function newState(input: TownshipInput, now: number): TownshipState {
  return {
    input,
    startedAt: isoInstant(now),
    runYear: yearOf(localDateOf(now)),
    targets: [],
    reports: {},
    lapses: [],
    proposals: [],
    studies: [],
    settled: {},
    sent: {},
    failedDeliveries: [],
    failedDeliveryCount: 0,
    history: [],
  };
}

export async function legacyTownshipSupervision(input: TownshipInput, carried?: TownshipState): Promise<TownshipView> {
  const parsed = parseOrReject(townshipInputSchema, input);
  const startNow = Date.now();
  const t = new Township(carried ?? newState(parsed, startNow), workflowInfo().workflowId);

  setHandler(townshipStateQuery, () => t.view(Date.now()));

  setHandler(targetChangedSignal, (change: TargetChange) => {
    const now = Date.now();
    if (!applyTargetChange(t.s.targets, change)) return;
    const what = change.withdrawnOn ? `撤销认定（${change.withdrawnOn}）` : change.transformedOn ? `转化提升（${change.transformedOn}）` : `认定为整顿对象（${change.date}）`;
    t.log(now, 'target', `${change.village}${what}`);
    t.dirty = true;
  });

  setHandler(
    submitReportUpdate,
    async (raw) => {
      const now = Date.now();
      const forwards = t.applyReport(now, raw);
      t.dirty = true;
      // Each entry goes to its village's workflow (its history and attested duties).
      const results = await Promise.allSettled(
        forwards.map((f) =>
          getExternalWorkflowHandle(villageWorkflowId(f.village)).signal(progressReportedSignal, f.entries.length === 1 ? f.entries[0]! : f.entries),
        ),
      );
      results.forEach((r, i) => {
        if (r.status === 'rejected') t.log(Date.now(), 'forward-failed', `进展未能转送${forwards[i]!.village}：${(r.reason as Error).message}`);
      });
      return t.view(Date.now());
    },
    { validator: (raw) => t.checkReport(Date.now(), raw) },
  );

  setHandler(
    recordStudyUpdate,
    (raw) => {
      const now = Date.now();
      const s = recordStudySchema.parse(raw);
      t.s.studies.push(s);
      t.s.studies.sort((a, b) => a.quarter.localeCompare(b.quarter));
      const o = t.obligations(now).find((x) => x.kind === 'township-quarterly-study' && x.period.id === s.quarter);
      if (o && t.s.settled[o.id] === undefined) t.s.settled[o.id] = s.heldOn;
      t.log(now, 'quarterly-study', `乡镇党委专题研究整顿工作（${periodById(s.quarter).label}，${s.heldOn}）：${s.summary}`, s.by);
      t.dirty = true;
      return t.view(now);
    },
    {
      validator: (raw) => {
        const s = parseOrReject(recordStudySchema, raw);
        const today = localDateOf(Date.now());
        const q = periodById(s.quarter);
        if (q.start > today) throw invalid(`quarter: ${s.quarter} has not begun`);
        if (s.heldOn > today) throw invalid(`heldOn: ${s.heldOn} is in the future`);
        if (s.heldOn < q.start) throw invalid(`heldOn: ${s.heldOn} is before ${s.quarter} began`);
        if (t.s.studies.some((x) => x.quarter === s.quarter)) throw refused(`quarter: the study of ${s.quarter} is already recorded`);
      },
    },
  );

  setHandler(
    decideProposalUpdate,
    (raw) => {
      const now = Date.now();
      const d = decideProposalSchema.parse(raw);
      const i = t.s.proposals.findIndex((p) => p.quarter === d.quarter);
      const decision = { decision: d.decision, by: d.by, on: localDateOf(now), note: d.note, ...(d.caseId ? { caseId: d.caseId } : {}) };
      t.s.proposals[i] = { ...t.s.proposals[i]!, decision };
      t.log(now, 'proposal-decided', d.decision === 'inquiry' ? `县委组织部决定函询（案号${d.caseId}）` : `县委组织部决定不予函询：${d.note}`, d.by);
      t.dirty = true;
      return t.view(now);
    },
    {
      validator: (raw) => {
        const d = parseOrReject(decideProposalSchema, raw);
        const p = t.s.proposals.find((x) => x.quarter === d.quarter);
        if (!p) throw invalid(`quarter: there is no proposal for ${d.quarter}`);
        if (p.decision) throw refused(`quarter: the proposal for ${d.quarter} was already decided on ${p.decision.on}`);
      },
    },
  );

  // Started by its first target's signal, which is delivered after this first run of the code.
  await condition(() => t.s.targets.length > 0);
  const ending = await runUntilDone(t);
  await condition(allHandlersFinished);
  if (ending === 'continue-as-new') return continueAsNew<typeof legacyTownshipSupervision>(t.s.input, t.carry(Date.now()));
  const end = Date.now();
  t.log(end, 'closed', '本乡镇已无整顿对象，督促工作结束');
  t.publish(end);
  return t.view(end);
}
