/**
 * One township's supervision: the half-monthly progress report (六(三)) and the party committee's
 * quarterly study (五(三)) in its obligation book with their reminder ladders, each report's
 * entries forwarded to the village workflows, and a proposal to the organization department when
 * reports are missed or late beyond the policy's threshold in a quarter (六(四)); the department
 * decides.
 *
 * A township owes a half month's report (or a quarter's study) when one of its targets is under
 * rectification on the period's last day. The targets come as `targetChanged` signals
 * (designation, transformation, withdrawal). The workflow ends when it has no target under
 * rectification and nothing owed; a new designation starts it again. It continues as new at the
 * first wake-up of each calendar year.
 */
import { handoverQuery } from '../contracts/entity';
import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { MailRequest } from '../contracts/mail';
import {
  decideProposalSchema,
  decideProposalUpdate,
  recordInspectionSchema,
  recordInspectionUpdate,
  recordStudySchema,
  recordStudyUpdate,
  recordTrainingSchema,
  recordTrainingUpdate,
  trainingAttendedSchema,
  trainingAttendedSignal,
  trainingKindLabels,
  submitReportSchema,
  submitReportUpdate,
  targetChangeSchema,
  targetChangedSignal,
  targetChangesSchema,
  targetsChangedSignal,
  townshipInputSchema,
  townshipStateQuery,
  inspectionMethodLabels,
  type InspectionRecord,
  type Proposal,
  type RecordStudy,
  type ReportRecord,
  type SentReport,
  type TargetChange,
  type TownshipInput,
  type TownshipView,
  type TrainingRecord,
  type TrainingYear,
} from '../contracts/township';
import { progressReportedSignal, villageWorkflowId, type ForwardedProgress } from '../contracts/village';
import {
  activeDuring,
  activeOn,
  activeUntil,
  builtinPolicy,
  dueDateOf,
  duty,
  isoInstant,
  localDateOf,
  periodById,
  quartersToPropose,
  reportLapses,
  townshipDuties,
  trainingCutoff,
  trainingDateIssues,
  TRAINING_DAYS,
  yearOf,
  type Duty,
  type Lapse,
  type LocalDate,
  type Period,
} from '../domain';
import { chinaTime } from '../domain/names';
import { StageKey, TownshipKey } from '../search-attributes';
import { fieldError, parseOrReject, refused } from './support/history';
import { Entity, newCore, type CoreState, type NoticeWhere } from './support/runtime';
import { registerCommonHandlers } from './support/handlers';
import { continueEntity, runEntity } from './support/run';

/** Reports, lapses and proposals are kept this long; what is older has been acted on. */
const KEEP_DAYS = 400;

export interface TownshipState {
  core: CoreState;
  township: string;
  county: string;
  targets: TargetChange[];
  /** Half month id → its report. */
  reports: Record<string, ReportRecord>;
  /** The last report received, as sent (one only: its entries may be long). */
  lastReport?: SentReport;
  lapses: Lapse[];
  proposals: Proposal[];
  studies: RecordStudy[];
  /**
   * First-half entries that attest no duty wait here for the village's next entry, and go with it
   * in one signal: each signal costs the village's history about four events, and a year of
   * reports one by one would take a worst-case village year past its budget of 400.
   */
  held: Record<string, ForwardedProgress[]>;
  /** The inspection group's visits (六(三)). */
  inspections: InspectionRecord[];
  /** Training days by year (四(一)5), this year and the last; absent in states from before they were kept. */
  training?: TrainingYear[];
  /** Keys of the county's course records taken (a re-sent one is ignored). */
  coursesTaken?: string[];
}

/** The report entries on their way to one village's workflow, in one signal. */
interface Forward {
  readonly village: string;
  readonly entries: ForwardedProgress[];
}

/** Records designations, transformations or withdrawals (one, or a round of them), sorting once; returns those that changed something. */
export function applyTargetChanges(targets: TargetChange[], changes: readonly TargetChange[]): TargetChange[] {
  const at = new Map(targets.map((x, i) => [x.village, i]));
  const applied: TargetChange[] = [];
  for (const change of changes) {
    const i = at.get(change.village);
    if (i !== undefined && JSON.stringify(targets[i]) === JSON.stringify(change)) continue;
    if (i !== undefined) targets[i] = change;
    else at.set(change.village, targets.push(change) - 1);
    applied.push(change);
  }
  if (applied.length > 0) targets.sort((a, b) => a.village.localeCompare(b.village));
  return applied;
}

export function targetsView(targets: readonly TargetChange[], today: LocalDate): (TargetChange & { readonly active: boolean })[] {
  return targets.map((t) => ({ ...t, active: activeOn(t, today) }));
}

class Township extends Entity<TownshipState> {
  get code(): string {
    return this.s.township;
  }

  protected duties(from: LocalDate, to: LocalDate): Duty[] {
    return townshipDuties(this.code, this.s.targets, from, to, this.core.policy);
  }

  finished(now: number): boolean {
    const today = localDateOf(now);
    return !this.s.targets.some((t) => activeOn(t, today)) && this.openNow(now).length === 0;
  }

  protected where(): NoticeWhere {
    return { village: '', township: this.code, subject: 'township', assigned: {} };
  }

  activeIn(p: Period): TargetChange[] {
    return this.s.targets.filter((t) => activeDuring(t, p));
  }

  /** Lapses as of now (六(三)); a quarter reaching the threshold gets one proposal to the department (六(四)). */
  protected override extraDue(now: number): MailRequest[] {
    for (const l of reportLapses(this.book.open, this.core.book.closed, now)) {
      const known = this.s.lapses.findIndex((x) => x.periodId === l.periodId);
      if (known < 0) this.s.lapses.push(l);
      else this.s.lapses[known] = l;
    }
    // A report no longer owed (waived, or its targets left before the half month's last day) is no lapse.
    this.s.lapses = this.s.lapses.filter((l) => !this.core.book.closed.some((c) => c.period.id === l.periodId && c.kind === 'half-monthly-report' && c.closed.how !== 'late'));
    this.s.lapses.sort((a, b) => a.periodId.localeCompare(b.periodId));
    const out: MailRequest[] = [];
    for (const { quarter, lapses } of quartersToPropose(this.s.lapses, this.core.policy)) {
      if (this.s.proposals.some((p) => p.quarter === quarter)) continue;
      const quarterLabel = periodById(quarter).label;
      this.s.proposals.push({ quarter, quarterLabel, proposedAt: isoInstant(now), lapses });
      this.log(now, 'inquiry-proposed', `${quarterLabel}半月进展报告${lapses.length}次未按时报送，已提请县委组织部研究是否函询（六(四)）`);
      out.push({
        type: 'case',
        key: `${this.workflowId}/proposal/${quarter}`,
        kind: 'inquiry-proposal',
        township: this.code,
        people: [],
        roles: ['org-department-staff'],
        proposal: { quarter, quarterLabel, lapses: lapses.map((l) => ({ ...l, label: periodById(l.periodId).label })), threshold: this.core.policy.supervision.lapsesPerQuarter.value },
      });
    }
    return out;
  }

  view(now: number): TownshipView {
    return {
      ...this.status(now),
      township: this.code,
      county: this.s.county,
      targets: targetsView(this.s.targets, localDateOf(now)),
      reports: Object.values(this.s.reports).sort((a, b) => a.period.localeCompare(b.period)),
      ...(this.s.lastReport ? { lastReport: this.s.lastReport } : {}),
      lapses: this.s.lapses,
      proposals: this.s.proposals,
      studies: this.s.studies,
      inspections: this.s.inspections,
      training: this.s.training ?? [],
      trainingCountedBy: trainingCutoff(this.core.policy, yearOf(localDateOf(now))),
    };
  }

  checkTraining(now: number, raw: unknown): void {
    const r = parseOrReject(recordTrainingSchema, raw);
    const [first] = trainingDateIssues(r, localDateOf(now));
    if (first) throw fieldError(first.path, first.message);
  }

  /**
   * Adds a training to its year (四(一)5): the days to each cadre trained, or to the members'
   * days; the township's duty of the year is done once its members have had 5 days.
   */
  addTraining(now: number, record: TrainingRecord): void {
    this.sync(now);
    const year = yearOf(record.startOn);
    const years = (this.s.training ??= []);
    let y = years.find((x) => x.year === year);
    if (!y) {
      y = { year, days: {}, memberDays: 0, records: [] };
      years.push(y);
      years.sort((a, b) => a.year - b.year);
      while (years.length > 2) years.shift();
    }
    const days = { ...y.days };
    for (const id of record.people ?? []) days[id] = (days[id] ?? 0) + record.days;
    const memberDays = y.memberDays + (record.kind === 'members' ? record.days : 0);
    const records = [...y.records, record].slice(-30);
    Object.assign(y, { days, memberDays, records });
    if (record.kind === 'members' && memberDays >= TRAINING_DAYS.member) {
      const duty = this.book.open.find((e) => e.kind === 'member-training' && e.period.id === String(year));
      if (duty) this.fulfil(duty.id, record.endOn, now, record.by, `全年${memberDays}天`);
    }
    const who = record.kind === 'members' ? `${record.headcount ?? 0}人` : `${record.people?.length ?? 0}人`;
    this.log(now, 'training', `${trainingKindLabels[record.kind]}（${record.startOn}至${record.endOn}，${record.days}天，${who}）：${record.topic}（四(一)5）`, record.by);
    this.dirty = true;
  }

  checkInspection(now: number, raw: unknown): void {
    const r = parseOrReject(recordInspectionSchema, raw);
    const today = localDateOf(now);
    if (r.on > today) throw fieldError('on', `${r.on}晚于今天`);
    r.findings.forEach((f, i) => {
      if (f.correctBy <= today) throw fieldError(`findings.${i}.correctBy`, `整改期限${f.correctBy}应晚于今天（${today}）`);
      if (f.village !== undefined && !this.s.targets.some((t) => t.village === f.village)) throw fieldError(`findings.${i}.village`, `${f.village}不是本乡镇的整顿对象`);
    });
    if (this.s.inspections.some((x) => x.on === r.on && x.summary === r.summary)) throw refused(`${r.on}的这次检查已经记录`);
  }

  /** Records an inspection; each finding becomes a duty of the township, due on the day the department set. */
  applyInspection(now: number, raw: unknown): void {
    const r = recordInspectionSchema.parse(raw);
    const list = this.s.inspections;
    const id = `${r.on}-${list.filter((x) => x.on === r.on).length + 1}`;
    const subject = { type: 'township' as const, code: this.code, township: this.code };
    const findings = r.findings.map((f, i) => {
      const place = f.village ? `${f.village}：` : '';
      const d = duty('inspection-finding', subject, { id: `${id}/${i + 1}`, start: r.on, end: f.correctBy, label: `${r.on}督导检查第${i + 1}项：${place}${f.problem.slice(0, 40)}` }, f.correctBy);
      this.openEvent(d, now, f.correctBy);
      return { ...(f.village ? { village: f.village } : {}), problem: f.problem, correctBy: f.correctBy, obligationId: d.id };
    });
    list.push({ id, on: r.on, method: r.method, summary: r.summary, by: r.by, findings });
    if (list.length > 24) list.shift();
    this.log(now, 'inspection', `县委组织部督导组${inspectionMethodLabels[r.method]}（${r.on}）：${r.summary}${findings.length ? `；发现问题${findings.length}个，限期整改` : ''}`, r.by);
    this.dirty = true;
  }

  protected searchAttributes(): Record<string, SearchAttributeUpdatePair> {
    const pending = this.s.proposals.some((p) => !p.decision);
    return { stage: { key: StageKey, value: pending ? 'proposal-pending' : 'supervising' }, township: { key: TownshipKey, value: this.code } };
  }

  override carry(now: number): TownshipState {
    const kept = localDateOf(now - KEEP_DAYS * 86_400_000);
    this.s.reports = Object.fromEntries(Object.entries(this.s.reports).filter(([id]) => periodById(id).end >= kept));
    this.s.lapses = this.s.lapses.filter((l) => periodById(l.periodId).end >= kept);
    this.s.proposals = this.s.proposals.filter((p) => p.proposedAt >= `${kept}T`);
    this.s.studies = this.s.studies.slice(-8);
    if (this.s.coursesTaken) this.s.coursesTaken = this.s.coursesTaken.slice(-20);
    // Targets closed long ago no longer shape any duty.
    this.s.targets = this.s.targets.filter((t) => activeUntil(t) >= kept);
    return super.carry(now);
  }

  checkReport(now: number, raw: unknown): void {
    const r = parseOrReject(submitReportSchema, raw);
    const today = localDateOf(now);
    const period = periodById(r.period);
    if (period.start > today) throw fieldError('period', `${period.label}尚未开始`);
    const active = this.activeIn(period).map((t) => t.village);
    if (active.length === 0) throw fieldError('period', `${period.label}本乡镇没有整顿对象`);
    r.entries.forEach((e, i) => {
      if (!active.includes(e.village)) {
        const known = this.s.targets.some((t) => t.village === e.village);
        throw fieldError(`entries.${i}.village`, known ? `${e.village}在${period.label}不在整顿期内` : `${e.village}不是本乡镇的整顿对象`);
      }
      e.duties.forEach((d, j) => {
        if (d.date > today) throw fieldError(`entries.${i}.duties.${j}.date`, `${d.date}晚于今天`);
        // 六(三): a half month's report says what was done in that half month.
        if (d.date < period.start || d.date > period.end) throw fieldError(`entries.${i}.duties.${j}.date`, `${d.date}不在${period.label}（${period.start}至${period.end}）内：半月进展只报本半月完成的事项（六(三)），其他日期请在所在半月的进展中填报`);
      });
    });
    const missing = active.filter((v) => !r.entries.some((e) => e.village === v));
    if (missing.length > 0) throw fieldError('entries', `缺少${missing.join('、')}的进展（每个整顿对象一条）`);
    const previous = this.s.reports[r.period];
    if (previous && !r.amendment) throw refused(`${period.label}的进展已于${chinaTime(previous.receivedAt)}报送；如需替换，请标明为更正`);
    if (!previous && r.amendment) throw fieldError('amendment', `${period.label}尚未报送，无可更正`);
  }

  applyReport(now: number, raw: unknown): Forward[] {
    const r = submitReportSchema.parse(raw);
    this.sync(now);
    const period = periodById(r.period);
    const previous = this.s.reports[r.period];
    const due = this.book.open.find((e) => e.kind === 'half-monthly-report' && e.period.id === r.period)?.due ?? dueDateOf('half-monthly-report', period.end, this.ctx);
    const receivedAt = previous?.receivedAt ?? isoInstant(now);
    const late = previous?.late ?? now > Date.parse(due.instant);
    const amendments = (previous?.amendments ?? -1) + 1;
    this.s.reports[r.period] = { period: r.period, periodLabel: period.label, receivedAt, reportedBy: r.reportedBy, villages: r.entries.map((e) => e.village), amendments, late };
    this.s.lastReport = { period: r.period, entries: r.entries };
    const open = this.book.open.find((e) => e.kind === 'half-monthly-report' && e.period.id === r.period);
    if (open) this.book.fulfil(open.id, localDateOf(now), now, r.reportedBy);
    this.log(now, r.amendment ? 'report-amended' : 'report', `${r.amendment ? '更正' : '报送'}${period.label}整顿工作进展（${r.entries.length}个整顿对象）${late ? '，逾期报送' : ''}`, r.reportedBy);
    const out: Forward[] = [];
    for (const entry of r.entries) {
      const progress: ForwardedProgress = {
        key: `${this.workflowId}/${r.period}/${amendments}/${entry.village}`,
        period: r.period,
        reportedBy: r.reportedBy,
        progress: entry.progress,
        problems: entry.problems,
        nextSteps: entry.nextSteps,
        duties: entry.duties,
        amendment: r.amendment,
      };
      const waiting = [...(this.s.held[entry.village] ?? []), progress];
      // A duty attested in the first half settles the month's reminders: it goes at once.
      if (r.period.endsWith('H1') && entry.duties.length === 0) {
        this.s.held[entry.village] = waiting;
        continue;
      }
      delete this.s.held[entry.village];
      out.push({ village: entry.village, entries: waiting });
    }
    this.dirty = true;
    return out;
  }
}

export async function townshipSupervision(input: TownshipInput, carried?: TownshipState): Promise<TownshipView> {
  const startNow = Date.now();
  let state: TownshipState;
  if (carried) state = carried;
  else {
    const parsed = parseOrReject(townshipInputSchema, input);
    state = { core: newCore(startNow, parsed.policy ?? builtinPolicy()), township: parsed.township, county: parsed.county, targets: [], reports: {}, lapses: [], proposals: [], studies: [], held: {}, inspections: [] };
  }
  const t = new Township(state, workflowInfo().workflowId);

  setHandler(townshipStateQuery, () => t.view(Date.now()));
  setHandler(handoverQuery, () => ({ workflowType: 'townshipSupervision', args: [input, t.s] }));
  registerCommonHandlers(t, () => t.view(Date.now()));

  const takeChanges = (changes: readonly TargetChange[]): void => {
    const now = Date.now();
    const applied = applyTargetChanges(t.s.targets, changes);
    for (const change of applied) {
      const what = change.withdrawnOn
        ? `撤销认定（${change.withdrawnOn}）`
        : change.transformedOn
          ? `转化提升（${change.transformedOn}）`
          : change.reopenedOn
            ? `验收评价未通过，重新整顿（${change.reopenedOn}）`
            : `认定为整顿对象（${change.date}）`;
      t.log(now, 'target', `${change.village}${what}`);
    }
    if (applied.length === 0) return;
    t.factsChanged = true;
    t.dirty = true;
  };
  t.onSignal(targetChangedSignal, targetChangeSchema, '整顿对象变动', (change) => takeChanges([change]));
  t.onSignal(targetsChangedSignal, targetChangesSchema, '整顿对象变动', takeChanges);

  setHandler(
    submitReportUpdate,
    async (raw) => {
      const forwards = await t.whenReady(() => t.applyReport(Date.now(), raw));
      // Each entry goes to its village's workflow (its history and attested duties).
      const results = await Promise.allSettled(
        forwards.map((f) => getExternalWorkflowHandle(villageWorkflowId(f.village)).signal(progressReportedSignal, f.entries.length === 1 ? f.entries[0]! : f.entries)),
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
    (raw) =>
      t.whenReady(() => {
        const now = Date.now();
        const s = recordStudySchema.parse(raw);
        t.sync(now);
        t.s.studies.push(s);
        t.s.studies.sort((a, b) => a.quarter.localeCompare(b.quarter));
        const o = t.book.open.find((x) => x.kind === 'township-quarterly-study' && x.period.id === s.quarter);
        if (o) t.book.fulfil(o.id, s.heldOn, now, s.by);
        t.log(now, 'quarterly-study', `乡镇党委专题研究整顿工作（${periodById(s.quarter).label}，${s.heldOn}）：${s.summary}`, s.by);
        t.dirty = true;
        return t.view(now);
      }),
    {
      validator: (raw) => {
        const s = parseOrReject(recordStudySchema, raw);
        const today = localDateOf(Date.now());
        const q = periodById(s.quarter);
        if (q.start > today) throw fieldError('quarter', `${s.quarter}尚未开始`);
        if (s.heldOn > today) throw fieldError('heldOn', `${s.heldOn}晚于今天`);
        if (s.heldOn < q.start) throw fieldError('heldOn', `${s.heldOn}早于${s.quarter}开始`);
        if (t.s.studies.some((x) => x.quarter === s.quarter)) throw refused(`${s.quarter}的专题研究已经记录`);
      },
    },
  );

  setHandler(
    recordTrainingUpdate,
    (raw) =>
      t.whenReady(() => {
        const now = Date.now();
        const { by, kind, startOn, endOn, days, topic, people, headcount } = recordTrainingSchema.parse(raw);
        t.addTraining(now, { kind, startOn, endOn, days, topic, by, ...(kind === 'cadres' ? { people } : { headcount: headcount! }) });
        return t.view(now);
      }),
    { validator: (raw) => t.checkTraining(Date.now(), raw) },
  );

  // 四(一)5: the county's course, attended by cadres of this township: their days count towards the seven.
  t.onSignal(trainingAttendedSignal, trainingAttendedSchema, '县委专题研修班', (a) => {
    void t.whenReady(() => {
      const taken = (t.s.coursesTaken ??= []);
      if (taken.includes(a.key)) return;
      taken.push(a.key);
      t.addTraining(Date.now(), { kind: 'county-course', startOn: a.startOn, endOn: a.endOn, days: a.days, topic: a.topic, people: a.people });
    });
  });

  setHandler(
    recordInspectionUpdate,
    (raw) =>
      t.whenReady(() => {
        const now = Date.now();
        t.sync(now);
        t.applyInspection(now, raw);
        return t.view(now);
      }),
    { validator: (raw) => t.checkInspection(Date.now(), raw) },
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
        if (!p) throw fieldError('quarter', `${d.quarter}没有函询建议`);
        if (p.decision) throw refused(`${d.quarter}的函询建议已于${p.decision.on}作出决定`);
      },
    },
  );

  await t.loadCalendar(startNow);
  // Started by its first target's signal, which is delivered after this first run of the code.
  await condition(() => t.s.targets.length > 0);
  const ending = await runEntity(t);
  await condition(allHandlersFinished);
  if (ending === 'continue-as-new') return continueEntity<typeof townshipSupervision>(input, t.carry(Date.now()));
  const end = Date.now();
  t.log(end, 'closed', '本乡镇已无整顿对象，督促工作结束');
  t.publish(end);
  return t.view(end);
}
