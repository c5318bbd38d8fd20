/**
 * One rectification target (整顿对象): from designation through plan, rectification, acceptance,
 * consolidation and upgrade (五(一), 五(二)), with every duty in its obligation book until it is
 * closed, and every duty's reminder and escalation ladder. (Over 400 lines: the target's stages, its
 * updates and the duties it owes are one state machine; what every entity shares is in support/.)
 *
 * History budget: a year's history must stay under 450 events (the target is 600 with every duty). All ladder steps falling due
 * at the same instant go out in one local activity, the target's duties share their month-end
 * wake-ups (三会一课 alone keeps the six months of 四(五)15, see `threeMeetingsWindows`), a duty opens at the first step of its ladder rather than
 * with a wake-up of its own, the urging of overdue duties (督办) is the county programme's digest,
 * and the workflow continues as new at the first wake-up of each calendar year.
 */
import { handoverQuery } from '../contracts/entity';
import { TemporalFailure, allHandlersFinished, condition, getExternalWorkflowHandle, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  progressReportedPayloadSchema,
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
  tasksAssignedSchema,
  tasksAssignedSignal,
  diagnosedSchema,
  diagnosedSignal,
  type Diagnosed,
  planReturnedSchema,
  planReturnedSignal,
  villageInputSchema,
  withdrawSchema,
  withdrawUpdate,
  planStageLabels,
  planStages,
  type AcceptanceRecord,
  type ForwardedProgress,
  type PlanMeasure,
  type Roadmap,
  type Stage,
  type VillageInput,
  type VillageOutcome,
  type VillageView,
} from '../contracts/village';
import { ledgerWorkflowId, recordConsequencesSignal } from '../contracts/ledger';
import { programmeWorkflowId } from '../contracts/programme';
import { targetChangedSignal, townshipWorkflowId } from '../contracts/township';
import {
  acceptanceResults,
  activeUntil,
  consecutiveFailureStarts,
  cyclePosition,
  builtinPolicy,
  duty,
  groundClause,
  instantOf,
  isoInstant,
  lateNovember,
  localDateOf,
  pairedDepartmentConsequences,
  pairedLeaderLifted,
  periodById,
  periodOf,
  removability,
  villageDuties,
  yearOf,
  type BookEntry,
  type ClosedEntry,
  type Consequence,
  type Designation,
  type Duty,
  type LocalDate,
} from '../domain';
import { CycleYearKey, StageKey, TownshipKey, VillageKey } from '../search-attributes';
import { fieldError, parseOrReject, refused } from './support/history';
import { postHolders } from './support/mail';
import { Entity, newCore, type CoreState, type NoticeWhere } from './support/runtime';
import { registerCommonHandlers } from './support/handlers';
import { continueEntity, runEntity } from './support/run';

/** Everything the workflow knows, as plain JSON: it crosses continue-as-new as it is. */
export interface VillageState {
  core: CoreState;
  township: string;
  county?: string;
  /** Replaced when the target is transformed or withdrawn. */
  designation: Designation;
  firstSecretary?: string;
  liaison?: string;
  plan: {
    status: 'due' | 'submitted' | 'returned' | 'approved';
    submittedOn?: LocalDate;
    summary?: string;
    problems?: { criterion: number; problem: string }[];
    measures?: PlanMeasure[];
    economicallyWeak?: boolean;
    roadmap?: Roadmap;
    approvedOn?: LocalDate;
    revisions: number;
    revisionDue?: LocalDate;
  };
  acceptances: AcceptanceRecord[];
  /** Years whose late-November acceptance was owed: one that ends with no result counts as not transformed (五(四)). */
  acceptanceYears: number[];
  /** The department's 会诊 of the target (五(二)), the latest three. */
  diagnoses?: Omit<Diagnosed, 'key'>[];
  /** 五(四): the paired department's principal leader in post when each block began (by its first day; null: nobody). */
  pairedLeaders?: Record<string, string | null>;
  /** The day a later acceptance undid the target's transformation, while it is not transformed again. */
  reopenedOn?: LocalDate;
  threeMeetings: LocalDate[];
  withdrawn?: { on: LocalDate; by: string; reason: string };
  /** Keys of the latest report entries forwarded by the township: a re-sent one is ignored. */
  forwarded: string[];
  /** The 五(四) entries last told to the county's ledger. */
  ledgerTold?: string;
}

class Village extends Entity<VillageState> {
  get village(): string {
    return this.s.designation.village;
  }

  // A village designated again after an earlier cycle keeps its workflow id: the designation date tells its mail apart.
  override get keyPrefix(): string {
    return `${this.workflowId}@${this.s.designation.date}`;
  }

  protected duties(from: LocalDate, to: LocalDate): Duty[] {
    const s = this.s;
    return villageDuties({ village: this.village, township: s.township, designation: s.designation, hasFirstSecretary: s.firstSecretary !== undefined }, s.core.policy, from, to);
  }

  finished(now: number): boolean {
    return this.s.withdrawn !== undefined || localDateOf(now) > activeUntil(this.s.designation);
  }

  protected where(): NoticeWhere {
    return {
      village: this.village,
      township: this.s.township,
      subject: 'village',
      assigned: {
        ...(this.s.firstSecretary ? { 'first-secretary': this.s.firstSecretary } : {}),
        ...(this.s.liaison ? { 'township-liaison': this.s.liaison } : {}),
      },
    };
  }

  /**
   * The late-November acceptance opens with a wake-up of its own: from that day the target is in
   * acceptance (its stage, the operators' lists). Other duties open at the first wake-up in their
   * period, at the latest with their first reminder.
   */
  protected override extraWakes(now: number): number[] {
    const year = yearOf(localDateOf(now));
    const window = lateNovember(year);
    if (year <= yearOf(this.s.designation.date) || this.book.knows(`acceptance-evaluation/village:${this.village}/${window.id}`)) return [];
    const at = instantOf(window.start);
    return at > now ? [at] : [];
  }

  protected override onOpened(e: BookEntry): void {
    if (e.kind === 'acceptance-evaluation') {
      const year = yearOf(e.period.start);
      if (!this.s.acceptanceYears.includes(year)) this.s.acceptanceYears.push(year);
    }
  }

  /**
   * A 三会一课 session counts wherever it was recorded: closed with 已完成 on the duty, or attested
   * in a half-monthly report (四(五)15); `removability` reads them all.
   */
  protected override onFulfilled(e: ClosedEntry, on: LocalDate): void {
    if (e.kind !== 'three-meetings-one-lesson' || this.s.threeMeetings.includes(on)) return;
    this.s.threeMeetings.push(on);
    this.s.threeMeetings.sort();
  }

  /** A progress report settles the duties it attests (四(一)1, 四(一)3, 四(五)15) and is logged. */
  applyProgress(now: number, p: Omit<ForwardedProgress, 'key'>, amendment = false): void {
    this.sync(now);
    for (const d of p.duties ?? []) {
      if (d.kind === 'three-meetings-one-lesson' && !this.s.threeMeetings.includes(d.date)) this.s.threeMeetings.push(d.date);
      const e = 'obligationId' in d ? this.book.open.find((x) => x.kind === d.kind && x.id === d.obligationId) : this.book.open.find((x) => x.kind === d.kind && x.period.start <= d.date && d.date <= x.period.end);
      if (e) this.fulfil(e.id, d.date, now, p.reportedBy);
    }
    this.s.threeMeetings.sort();
    const label = periodById(p.period).label;
    const text = `${label}${amendment ? '进展（更正）' : '进展'}：${p.progress}${p.problems ? `；问题：${p.problems}` : ''}${p.nextSteps ? `；下步：${p.nextSteps}` : ''}`;
    this.log(now, 'progress', text, p.reportedBy);
    this.dirty = true;
  }

  /** Whether a forwarded message (a report entry, a 交办任务书, a returned plan) is new; it is remembered, so a re-sent one is ignored. */
  firstForwarded(key: string): boolean {
    if (this.s.forwarded.includes(key)) return false;
    this.s.forwarded.push(key);
    if (this.s.forwarded.length > 60) this.s.forwarded.shift();
    return true;
  }

  /** The plan goes back to the township (the department's review, or the standing committee's): its revision is a duty by the new deadline. */
  returnPlan(now: number, revisionDue: LocalDate, text: string, by?: string): void {
    const revisions = this.s.plan.revisions + 1;
    this.s.plan = { ...this.s.plan, status: 'returned', revisions, revisionDue };
    delete this.s.plan.approvedOn;
    // The measures of a plan sent back are set again by the revised plan.
    for (const e of this.book.open.filter((x) => x.kind === 'plan-measure')) {
      this.book.close(e.id, { how: 'waived', on: localDateOf(now), at: isoInstant(now), note: '整顿方案退回修改，措施以修改后的方案为准' });
    }
    const year = yearOf(this.s.designation.date);
    // 五(一): the revised plan is due by the new deadline, reminded like the first.
    this.openEvent(
      duty('rectification-plan', { type: 'village', code: this.village, township: this.s.township }, { id: `${year}-r${revisions}`, start: localDateOf(now), end: revisionDue, label: `${year}年整顿方案（第${revisions}次修改）` }, revisionDue),
      now,
      revisionDue,
    );
    this.log(now, 'plan-returned', text, by);
  }

  /**
   * 五(一), 五(二): the approved plan's dated measures and the 时间表's milestones, each a duty of
   * the person the plan names, reminded on the local ladder and closed with 已完成.
   */
  openPlanMeasures(now: number): number {
    const p = this.s.plan;
    const village = { type: 'village' as const, code: this.village, township: this.s.township };
    const today = localDateOf(now);
    const round = `${yearOf(this.s.designation.date)}-r${p.revisions}`;
    const items = [
      ...(p.measures ?? []).flatMap((m, i) => (m.due && m.owner ? [{ id: `${round}/m${i + 1}`, label: `${planStageLabels[m.stage]}措施${i + 1}：${m.what}`, due: m.due, owner: m.owner }] : [])),
      ...(p.roadmap?.milestones ?? []).map((m, i) => ({ id: `${round}/t${i + 1}`, label: `时间表节点${i + 1}：${m.goal}`, due: m.date, owner: m.owner })),
    ];
    for (const item of items) {
      // Owed in the month of its date and reminded with the target's month-end duties (county
      // practice): a plan's many dates share the month's wake-ups instead of four each.
      const month = periodOf('month', item.due > today ? item.due : today);
      const label = `${item.label.slice(0, 50)}，${Number(item.due.slice(5, 7))}月${Number(item.due.slice(8, 10))}日前`;
      const d = duty('plan-measure', village, { id: item.id, start: today, end: month.end, label }, month.end, [item.owner]);
      if (!this.book.knows(d.id)) this.openEvent(d, now);
    }
    return items.length;
  }

  /** Tells the township and the county programme that the designation changed (transformed, withdrawn). */
  tellSupervisors(): void {
    const d = this.s.designation;
    const change = {
      village: d.village,
      township: this.s.township,
      date: d.date,
      ...(d.transformedOn ? { transformedOn: d.transformedOn } : {}),
      ...(d.withdrawnOn ? { withdrawnOn: d.withdrawnOn } : {}),
      ...(this.s.reopenedOn && !d.transformedOn ? { reopenedOn: this.s.reopenedOn } : {}),
    };
    const ids = [townshipWorkflowId(this.s.township), ...(this.s.county ? [programmeWorkflowId(this.s.county)] : [])];
    // Not running (a target designated before townships had workflows): nothing to tell.
    for (const id of ids) this.telling.push(getExternalWorkflowHandle(id).signal(targetChangedSignal, change).catch(() => undefined));
  }

  /** Recorded results, and "not transformed" for a year whose acceptance ended with none (五(四)). */
  results(now: number): ReturnType<typeof acceptanceResults> {
    return acceptanceResults(this.s.acceptances, this.s.acceptanceYears, localDateOf(now));
  }

  pairedConsequences(now: number): Consequence[] {
    const d = this.s.designation;
    return pairedDepartmentConsequences(
      {
        village: this.village,
        caseId: this.workflowId,
        ...(d.pairedDepartment ? { pairedDepartment: d.pairedDepartment } : {}),
        leaders: this.s.pairedLeaders ?? {},
        liftOnTransformation: pairedLeaderLifted(this.core.policy),
      },
      this.results(now),
    );
  }

  /**
   * 五(四): when a third consecutive failure begins a block, the paired department's principal
   * leader in post that day is asked of the roster and kept, so that the block names the person
   * (nobody in post: the department). A roster that cannot be read is asked again at the next wake-up.
   */
  override async work(now: number): Promise<boolean> {
    const department = this.s.designation.pairedDepartment;
    if (!department) return false;
    const known = (this.s.pairedLeaders ??= {});
    const starts = consecutiveFailureStarts(this.results(now)).filter((day) => !(day in known));
    if (starts.length === 0) return false;
    try {
      const [leader] = await postHolders({ role: 'paired-department-leader', department });
      for (const day of starts) known[day] = leader ?? null;
      return true;
    } catch (err) {
      if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
      return false;
    }
  }

  /**
   * 五(四): a third consecutive failed (or unrecorded) acceptance blocks the paired department's
   * leader; a later transformation ends it. The ledger gets the target's current entries when they
   * change.
   */
  override afterWake(now: number): void {
    const list = this.pairedConsequences(now);
    const told = JSON.stringify(list);
    if (!this.s.county || (list.length === 0 && this.s.ledgerTold === undefined) || told === this.s.ledgerTold) return;
    this.s.ledgerTold = told;
    this.telling.push(
      getExternalWorkflowHandle(ledgerWorkflowId(this.s.county))
        .signal(recordConsequencesSignal, { caseId: this.workflowId, consequences: list })
        .catch(() => undefined),
    );
  }

  stage(now: number): Stage {
    const d = this.s.designation;
    const today = localDateOf(now);
    if (this.s.withdrawn) return 'withdrawn';
    if (today > activeUntil(d)) return 'closed';
    // 五(二): a transformed target consolidates, then upgrades: as the county decided at its last
    // acceptance, or by the cycle year when it decided nothing.
    const last = this.s.acceptances.at(-1);
    if (last?.transformed) return last.nextStage ?? (cyclePosition(d.date, today).cycleYear >= 3 ? 'upgrading' : 'consolidating');
    // An acceptance not yet recorded keeps the target in acceptance, however long that takes.
    if (this.openNow(now).some((e) => e.kind === 'acceptance-evaluation' && e.period.start <= today)) return 'acceptance';
    const planStages = { due: 'plan-due', submitted: 'plan-submitted', returned: 'plan-returned', approved: 'rectifying' } as const;
    return planStages[this.s.plan.status];
  }

  view(now: number): VillageView {
    const d = this.s.designation;
    const today = localDateOf(now);
    const position = cyclePosition(d.date, today < d.date ? d.date : today);
    const stage = this.stage(now);
    return {
      ...this.status(now),
      village: this.village,
      township: this.s.township,
      stage,
      stageLabel: stageLabels[stage],
      designation: d,
      cycleYear: position.cycleYear,
      phase: position.phase,
      ...(this.s.firstSecretary ? { firstSecretary: this.s.firstSecretary } : {}),
      ...(this.s.liaison ? { liaison: this.s.liaison } : {}),
      plan: { ...this.s.plan },
      acceptances: this.s.acceptances,
      diagnoses: this.s.diagnoses ?? [],
      acceptanceResults: this.results(now),
      consequences: [...this.pairedConsequences(now), ...removability(this.village, d.date, this.s.threeMeetings, today)],
    };
  }

  protected searchAttributes(now: number): Record<string, SearchAttributeUpdatePair> {
    const d = this.s.designation;
    const today = localDateOf(now);
    return {
      stage: { key: StageKey, value: this.stage(now) },
      township: { key: TownshipKey, value: this.s.township },
      village: { key: VillageKey, value: this.village },
      cycleYear: { key: CycleYearKey, value: cyclePosition(d.date, today < d.date ? d.date : today).cycleYear },
    };
  }

  assertActive(now: number): void {
    if (this.s.withdrawn) throw refused(`该整顿对象已于${this.s.withdrawn.on}撤销认定`);
    if (this.finished(now)) throw refused('该整顿对象的整顿周期已结束');
  }

  /** The plan duty open now: the plan itself, or its revision. */
  planDuty(): BookEntry | undefined {
    return this.book.open.find((e) => e.kind === 'rectification-plan');
  }
}

function newVillageState(input: ReturnType<typeof villageInputSchema.parse>, now: number): VillageState {
  return {
    core: newCore(now, input.policy ?? builtinPolicy()),
    township: input.township,
    ...(input.county ? { county: input.county } : {}),
    designation: input.designation,
    ...(input.firstSecretary ? { firstSecretary: input.firstSecretary } : {}),
    ...(input.liaison ? { liaison: input.liaison } : {}),
    plan: { status: 'due', revisions: 0 },
    acceptances: [],
    acceptanceYears: [],
    threeMeetings: [],
    forwarded: [],
  };
}

export async function villageRectification(input: VillageInput, carried?: VillageState): Promise<VillageOutcome> {
  const startNow = Date.now();
  let state: VillageState;
  if (carried) state = carried;
  else {
    const parsed = parseOrReject(villageInputSchema, input);
    if (parsed.designation.date > localDateOf(startNow)) throw fieldError('designation.date', `认定日期${parsed.designation.date}晚于今天`);
    state = newVillageState(parsed, startNow);
  }
  const t = new Village(state, workflowInfo().workflowId);
  if (!carried) {
    const d = t.s.designation;
    t.log(startNow, 'designated', `认定为整顿对象（${d.date}），认定标准：${d.criteria.map((c) => `三(${'一二三四五六'[c.criterion - 1]})`).join('、')}`);
  }

  setHandler(stateQuery, () => t.view(Date.now()));
  setHandler(handoverQuery, () => ({ workflowType: 'villageRectification', args: [input, t.s] }));
  registerCommonHandlers(t, () => t.view(Date.now()));

  const update = <A extends unknown[]>(
    validate: (now: number, ...args: A) => void,
    apply: (now: number, ...args: A) => void,
  ): [(...args: A) => VillageView | Promise<VillageView>, { validator: (...args: A) => void }] => [
    (...args) =>
      t.whenReady(() => {
        const now = Date.now();
        apply(now, ...args);
        t.dirty = true;
        return t.view(now);
      }),
    { validator: (...args) => validate(Date.now(), ...args) },
  ];

  setHandler(
    submitPlanUpdate,
    ...update(
      (now, raw) => {
        const p = parseOrReject(submitPlanSchema, raw);
        t.assertActive(now);
        if (t.s.plan.status === 'submitted') throw refused('整顿方案已报送，正在审核');
        if (t.s.plan.status === 'approved') throw refused('整顿方案已审核通过');
        // The problems by the grounds the target was designated on (三), each once.
        const designated = t.s.designation.criteria.map((c) => c.criterion as number);
        p.problems.forEach((x, i) => {
          if (!designated.includes(x.criterion)) throw fieldError(`problems.${i}.criterion`, `${t.village}不是依据${groundClause(x.criterion)}认定的`);
          if (p.problems.findIndex((y) => y.criterion === x.criterion) !== i) throw fieldError(`problems.${i}.criterion`, `${groundClause(x.criterion)}重复`);
        });
        // A date within the target's cycle, after today.
        const today = localDateOf(now);
        const end = activeUntil(t.s.designation);
        const dated = (path: string, date: LocalDate, what: string): void => {
          if (date <= today) throw fieldError(path, `${what}${date}须晚于今天（${today}）`);
          if (date > end) throw fieldError(path, `${what}${date}晚于整顿周期的结束（${end}）`);
        };
        p.measures.forEach((m, i) => m.due && dated(`measures.${i}.due`, m.due, '完成时限'));
        p.roadmap?.milestones.forEach((m, i) => dated(`roadmap.milestones.${i}.date`, m.date, '节点日期'));
      },
      (now, raw) => {
        const p = submitPlanSchema.parse(raw);
        t.sync(now);
        const open = t.planDuty();
        if (open) t.fulfil(open.id, localDateOf(now), now, p.submittedBy);
        const { roadmap: _roadmap, ...kept } = t.s.plan;
        t.s.plan = {
          ...kept,
          status: 'submitted',
          submittedOn: localDateOf(now),
          summary: p.summary,
          problems: [...p.problems].sort((x, y) => x.criterion - y.criterion),
          measures: p.measures,
          economicallyWeak: p.economicallyWeak || p.roadmap !== undefined,
          ...(p.roadmap ? { roadmap: p.roadmap } : {}),
        };
        const counts = planStages.map((st) => `${planStageLabels[st]}${p.measures.filter((m) => m.stage === st).length}项`).join('、');
        t.log(now, 'plan-submitted', `报送整顿方案：${p.summary}（措施：${counts}${p.roadmap ? `；时间表节点${p.roadmap.milestones.length}个` : ''}）`, p.submittedBy);
      },
    ),
  );

  setHandler(
    reviewPlanUpdate,
    ...update(
      (now, raw) => {
        const r = parseOrReject(reviewPlanSchema, raw);
        t.assertActive(now);
        if (t.s.plan.status !== 'submitted') throw refused(`没有待审核的整顿方案（方案状态：${{ due: '待报送', returned: '退回修改', approved: '已通过', submitted: '待审核' }[t.s.plan.status]}）`);
        if (r.revisionDue && r.revisionDue <= localDateOf(now)) throw fieldError('revisionDue', `重新报送期限${r.revisionDue}须晚于今天（${localDateOf(now)}）`);
      },
      (now, raw) => {
        const r = reviewPlanSchema.parse(raw);
        if (r.decision === 'approve') {
          t.s.plan = { ...t.s.plan, status: 'approved', approvedOn: localDateOf(now) };
          delete t.s.plan.revisionDue;
          t.sync(now);
          const opened = t.openPlanMeasures(now);
          // The plan as approved, with its Word document, to the township and the department.
          t.queueMail({
            type: 'plan',
            key: `${t.keyPrefix}/plan/r${t.s.plan.revisions}/approved`,
            village: t.village,
            township: t.s.township,
            designation: t.s.designation,
            plan: { ...t.s.plan },
            roles: ['township-party-secretary', 'org-department-staff'],
            assigned: {},
          });
          t.log(now, 'plan-approved', `整顿方案审核通过${r.comments ? `：${r.comments}` : ''}${opened ? `；有完成时限的措施${opened}项落实到责任人（五(一)）` : ''}`, r.reviewer);
          return;
        }
        t.returnPlan(now, r.revisionDue!, `整顿方案退回修改：${r.comments}；修改后于${r.revisionDue}前重新报送`, r.reviewer);
      },
    ),
  );

  setHandler(
    recordProgressUpdate,
    ...update(
      (now, raw) => {
        const p = parseOrReject(recordProgressSchema, raw);
        t.assertActive(now);
        const half = periodById(p.period);
        if (half.start > localDateOf(now)) throw fieldError('period', `${p.period}尚未开始`);
        if (half.end < t.s.designation.date) throw fieldError('period', `${p.period}早于认定日期（${t.s.designation.date}）`);
        p.duties.forEach((d, i) => {
          if (d.date > localDateOf(now)) throw fieldError(`duties.${i}.date`, `${d.date}晚于今天`);
          if (d.date < t.s.designation.date) throw fieldError(`duties.${i}.date`, `${d.date}早于认定日期`);
        });
      },
      (now, raw) => t.applyProgress(now, recordProgressSchema.parse(raw)),
    ),
  );

  setHandler(
    recordAcceptanceUpdate,
    ...update(
      (now, raw) => {
        const a = parseOrReject(recordAcceptanceSchema, raw);
        t.assertActive(now);
        const first = yearOf(t.s.designation.date) + 1;
        if (a.year < first) throw fieldError('year', `首次验收评价在${first}年11月下旬（五(一)）`);
        if (a.year > yearOf(localDateOf(now))) throw fieldError('year', `${a.year}年尚未到来`);
        if (a.evaluatedOn < `${a.year}-01-01`) throw fieldError('evaluatedOn', `${a.evaluatedOn}早于${a.year}年`);
        if (a.evaluatedOn > localDateOf(now)) throw fieldError('evaluatedOn', `${a.evaluatedOn}晚于今天`);
        if (t.s.acceptances.some((x) => x.year === a.year)) throw refused(`${a.year}年的验收评价已经记录`);
        // Every ground the target was designated on, each once, and no other (三).
        const designated = t.s.designation.criteria.map((c) => c.criterion);
        a.grounds.forEach((g, i) => {
          if (!designated.includes(g.criterion as never)) throw fieldError(`grounds.${i}.criterion`, `${t.village}不是依据${groundClause(g.criterion)}认定的`);
          if (a.grounds.findIndex((x) => x.criterion === g.criterion) !== i) throw fieldError(`grounds.${i}.criterion`, `${groundClause(g.criterion)}重复`);
        });
        const missing = designated.filter((c) => !a.grounds.some((g) => g.criterion === c));
        if (missing.length) throw fieldError('grounds', `还须评价认定时依据的${missing.map(groundClause).join('、')}`);
        const open = a.grounds.filter((g) => !g.resolved);
        if (a.transformed && open.length) throw fieldError('transformed', `${open.map((g) => groundClause(g.criterion)).join('、')}尚未解决，不能评定为转化提升`);
        if (!a.transformed && a.nextStage) throw fieldError('nextStage', '未转化的整顿对象继续整治，不进入巩固或提升阶段（五(二)）');
      },
      (now, raw) => {
        const a = recordAcceptanceSchema.parse(raw);
        t.sync(now);
        // A later acceptance that finds a transformed target not transformed reopens it (五(二), 五(四)).
        const reopened = !a.transformed && t.s.designation.transformedOn !== undefined;
        t.s.acceptances.push({
          year: a.year,
          date: a.evaluatedOn,
          grounds: [...a.grounds].sort((x, y) => x.criterion - y.criterion),
          sixHas: a.sixHas,
          ...(a.rating ? { rating: a.rating } : {}),
          transformed: a.transformed,
          ...(a.nextStage ? { nextStage: a.nextStage } : {}),
          ...(a.nextFocus ? { nextFocus: a.nextFocus } : {}),
          ...(reopened ? { reopened } : {}),
          meeting: a.meeting,
          evaluator: a.evaluator,
          summary: a.summary,
        });
        t.s.acceptances.sort((x, y) => x.year - y.year);
        const open = t.book.open.find((e) => e.kind === 'acceptance-evaluation' && e.period.id === lateNovember(a.year).id);
        if (open) t.closeWithResult(open.id, a.evaluatedOn, now, a.evaluator, a.transformed ? '转化提升' : '未转化');
        if (a.transformed && !t.s.designation.transformedOn) {
          t.s.designation = { ...t.s.designation, transformedOn: a.evaluatedOn };
          t.s.reopenedOn = undefined;
          t.factsChanged = true;
          t.tellSupervisors();
        }
        if (reopened) {
          const { transformedOn: _undone, ...rest } = t.s.designation;
          t.s.designation = rest;
          t.s.reopenedOn = a.evaluatedOn;
          t.factsChanged = true;
          t.tellSupervisors();
          t.log(now, 'reopened', `${a.year}年验收评价未通过：此前的转化提升不再成立，重新进入整治，直至转化（五(二)、五(四)）`, a.evaluator);
        }
        const resolved = a.grounds.filter((g) => g.resolved).length;
        t.log(now, 'acceptance', `${a.year}年验收评价（${a.meeting}）：${a.transformed ? '转化提升' : '未转化'}；认定情形${a.grounds.length}项，已解决${resolved}项。${a.summary}`, a.evaluator);
        // 五(三), 五(四): the liaison's and the paired department's assessment take the target's result into account.
        t.queueMail({
          type: 'result',
          key: `${t.keyPrefix}/acceptance/${a.year}/result`,
          village: t.village,
          township: t.s.township,
          year: a.year,
          transformed: a.transformed,
          evaluatedOn: a.evaluatedOn,
          summary: a.summary,
          roles: ['township-liaison', 'paired-department-leader', 'township-party-secretary'],
          assigned: { ...(t.s.firstSecretary ? { 'first-secretary': t.s.firstSecretary } : {}), ...(t.s.liaison ? { 'township-liaison': t.s.liaison } : {}) },
        });
        t.afterWake(now);
      },
    ),
  );

  setHandler(
    reassignUpdate,
    ...update(
      (now, raw) => {
        parseOrReject(reassignSchema, raw);
        t.assertActive(now);
      },
      (now, raw) => {
        const r = reassignSchema.parse(raw);
        if (r.role === 'first-secretary') t.s.firstSecretary = r.person;
        else t.s.liaison = r.person;
        t.factsChanged = true;
        t.log(now, 'reassigned', `${r.role === 'first-secretary' ? '第一书记' : '包村领导'}调整为${r.person}（${r.effectiveOn}起）`, r.by);
      },
    ),
  );

  setHandler(
    withdrawUpdate,
    ...update(
      (now, raw) => {
        parseOrReject(withdrawSchema, raw);
        t.assertActive(now);
      },
      (now, raw) => {
        const w = withdrawSchema.parse(raw);
        const on = localDateOf(now);
        t.s.withdrawn = { on, by: w.by, reason: w.reason };
        t.s.designation = { ...t.s.designation, withdrawnOn: on, withdrawalReason: w.reason };
        t.closeAll(now, '撤销认定');
        t.tellSupervisors();
        t.log(now, 'withdrawn', `撤销认定：${w.reason}`, w.by);
      },
    ),
  );

  // 六(三): the township's half-monthly report, validated there, forwarded here.
  t.onSignal(progressReportedSignal, progressReportedPayloadSchema, '半月进展', (payload) => {
    const list = Array.isArray(payload) ? payload : [payload];
    void t.whenReady(() => {
      const now = Date.now();
      if (t.finished(now)) return;
      for (const p of list) {
        if (!t.firstForwarded(p.key)) continue;
        t.applyProgress(now, { ...p, duties: (p.duties ?? []).filter((d) => d.date >= t.s.designation.date && d.date <= localDateOf(now)) }, p.amendment);
      }
    });
  });

  // 五(二): the standing committee returned the plan it reviewed; a plan no longer approved (returned meanwhile) is left as it is.
  t.onSignal(planReturnedSignal, planReturnedSchema, '常委会退回整顿方案', (a) => {
    void t.whenReady(() => {
      const now = Date.now();
      if (t.finished(now) || !t.firstForwarded(a.key)) return;
      if (t.s.plan.status !== 'approved') {
        t.log(now, 'plan-return-ignored', `县委常委会${a.studyOn}退回整顿方案，但方案当前不是已通过状态，未作改动：${a.opinion}`);
        return;
      }
      const due = a.revisionDue > localDateOf(now) ? a.revisionDue : localDateOf(now);
      t.returnPlan(now, due, `县委常委会${a.studyOn}专题审核，整顿方案退回修改（五(二)）：${a.opinion}；修改后于${due}前重新报送`);
      t.dirty = true;
    });
  });

  // 五(二): the items of a 交办任务书 for this target, each a duty of the person who answers for it.
  t.onSignal(diagnosedSignal, diagnosedSchema, '会诊', (a) => {
    void t.whenReady(() => {
      const now = Date.now();
      if (t.finished(now) || !t.firstForwarded(a.key)) return;
      const { key: _key, ...d } = a;
      const list = (t.s.diagnoses ??= []);
      list.push(d);
      if (list.length > 3) list.shift();
      t.log(now, 'diagnosed', `县委组织部${a.year}年会诊：${a.problems}；整顿方案${a.planStands ? '可行' : `需调整${a.note ? `（${a.note}）` : ''}`}（五(二)）`, a.by);
      t.dirty = true;
    });
  });

  t.onSignal(tasksAssignedSignal, tasksAssignedSchema, '交办任务书', (a) => {
    void t.whenReady(() => {
      const now = Date.now();
      if (t.finished(now) || !t.firstForwarded(a.key)) return;
      const village = { type: 'village' as const, code: t.village, township: t.s.township };
      const today = localDateOf(now);
      for (const task of a.tasks) {
        const d = duty('assigned-task', village, { id: `${a.studyOn}/${task.n}`, start: today, end: task.deadline, label: `${a.studyOn}交办第${task.n}项：${task.item.slice(0, 40)}` }, task.deadline, [task.person]);
        if (!t.book.knows(d.id)) t.openEvent(d, now, task.deadline > today ? task.deadline : today);
      }
      t.log(now, 'tasks-assigned', `县委常委会${a.studyOn}审核整顿方案，以交办任务书交办整顿事项${a.tasks.length}项（五(二)）`);
    });
  });

  await t.loadCalendar(startNow);

  const ending = await runEntity(t);
  await condition(allHandlersFinished);
  await Promise.all(t.telling);
  if (ending === 'continue-as-new') return continueEntity<typeof villageRectification>(input, t.carry(Date.now()));
  const end = Date.now();
  t.closeAll(end, t.s.withdrawn ? '撤销认定' : '整顿周期结束');
  t.log(end, 'closed', t.s.withdrawn ? '已撤销认定，工作流结束' : '整顿周期结束');
  t.publish(end);
  return { village: t.village, stage: t.stage(end), acceptances: t.s.acceptances };
}
