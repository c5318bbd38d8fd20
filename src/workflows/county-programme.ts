/**
 * The county's own calendar and its 督办 desk: the standing committee's study twice a year
 * (五(二)), the yearly debriefing evaluation of township secretaries (六(四)) and the late-November
 * acceptance campaign for every target under rectification (五(一)), each in its obligation book
 * with reminders to the organization department until it is done; and the urging digest: every
 * so many working days (policy), one mail per recipient listing every overdue duty in the county
 * past its red warning, each at most so many times. The digest is the county's, not each target's:
 * a target's history stays within its budget, and the department reads one mail, not hundreds.
 *
 * Targets and inquiry cases come as signals. The workflow continues as new at the first wake-up of
 * each calendar year and ends when nothing in the county is under rectification or owed.
 */
import { handoverQuery } from '../contracts/entity';
import { TemporalFailure, allHandlersFinished, condition, getExternalWorkflowHandle, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  caseChangeSchema,
  caseChangedSignal,
  programmeInputSchema,
  programmeStateQuery,
  recordCommitteeStudySchema,
  recordCommitteeStudyUpdate,
  recordDiagnosisSchema,
  recordDiagnosisUpdate,
  recordCourseSchema,
  recordCourseUpdate,
  recordEvaluationSchema,
  recordEvaluationUpdate,
  recordJointMeetingSchema,
  recordJointMeetingUpdate,
  type BulletinRecord,
  type DiagnosisRecord,
  type CourseRecord,
  type FiguresReportRecord,
  type EvaluationRecord,
  type CommitteeStudyRecord,
  type JointMeetingRecord,
  type ProgrammeInput,
  type ProgrammeView,
} from '../contracts/programme';
import { inquiryWorkflowId } from '../contracts/inquiry';
import { targetChangeSchema, targetChangedSignal, targetChangesSchema, targetsChangedSignal, townshipWorkflowId, trainingAttendedSignal, type TargetChange, type TrainingAttended } from '../contracts/township';
import { diagnosedSignal, planReturnedSignal, tasksAssignedSignal, villageWorkflowId, type Diagnosed, type PlanReturned, type TasksAssigned } from '../contracts/village';
import {
  acceptanceTargets,
  activeDuring,
  activeOn,
  addDays,
  addMonths,
  basisText,
  countyDuties,
  builtinPolicy,
  figuresReportRhythm,
  goalYearsOf,
  instantOf,
  isoInstant,
  localDateOf,
  periodById,
  periodOf,
  trainingCutoff,
  trainingDateIssues,
  TRAINING_DAYS,
  yearOf,
  type BookEntry,
  type Duty,
  type LocalDate,
} from '../domain';
import { StageKey } from '../search-attributes';
import { fieldError, parseOrReject, refused } from './support/history';
import { figuresReport, monthlyBulletin, urgeOverdue } from './support/mail';
import { Entity, newCore, type CoreState, type NoticeWhere } from './support/runtime';
import { registerCommonHandlers } from './support/handlers';
import { continueEntity, runEntity } from './support/run';
import { applyTargetChanges, targetsView } from './township-supervision';

export interface ProgrammeState {
  core: CoreState;
  county: string;
  targets: TargetChange[];
  /** Open inquiry cases: the digest covers their overdue duties. */
  cases: { caseId: string; township: string }[];
  /**
   * The urging digest: its next day, the digests sent, and the rounds each duty has been urged
   * (obligation id → rounds, and the last digest that urged it; forgotten two months after).
   */
  urging: { nextOn?: LocalDate; sent: { date: LocalDate; items: number }[]; rounds: Record<string, { n: number; on: LocalDate }> };
  /** The monthly bulletin: the next month to report on (YYYY-MM), and those drawn up. */
  bulletin: { nextMonth?: string; sent: BulletinRecord[] };
  /** The department's periodic report (情况报告): the next quarter to report on (2019-Q2), and those drawn up. */
  figuresReport?: { nextQuarter?: string; sent: FiguresReportRecord[] };
  /** The standing committee's studies recorded (五(二)). */
  committeeStudies: CommitteeStudyRecord[];
  jointMeetings: JointMeetingRecord[];
  evaluations: EvaluationRecord[];
  /** The yearly 会诊 recorded (五(二)); absent in states from before it was kept. */
  diagnoses?: DiagnosisRecord[];
  /** The county's courses (四(一)5); absent in states from before they were kept. */
  courses?: CourseRecord[];
}

class Programme extends Entity<ProgrammeState> {
  protected duties(from: LocalDate, to: LocalDate): Duty[] {
    return countyDuties(this.s.county, this.s.targets, this.core.policy, from, to);
  }

  finished(now: number): boolean {
    const today = localDateOf(now);
    return !this.s.targets.some((t) => activeOn(t, today)) && this.s.cases.length === 0 && this.openNow(now).length === 0;
  }

  protected where(entry: BookEntry): NoticeWhere {
    // 五(一): the campaign's notice lists the targets to evaluate (village codes; names come from the roster).
    const targets = entry.kind === 'acceptance-campaign' ? acceptanceTargets(this.s.targets, yearOf(entry.period.start)).map((t) => t.village) : [];
    return { village: '', township: '', subject: 'county', assigned: {}, ...(targets.length ? { targets } : {}) };
  }

  private urgingAt(): number | undefined {
    return this.s.urging.nextOn ? instantOf(this.s.urging.nextOn, this.core.policy.morningHour.value) : undefined;
  }

  /**
   * An hour before the policy's morning hour (08:00) on the first working day of the month after
   * the one to report on: the draft is on the department's desk when the day starts, and it is
   * drawn up while the townships and targets are not busy sending their own morning notices.
   */
  private bulletinAt(): number | undefined {
    const month = this.s.bulletin.nextMonth;
    if (!month) return undefined;
    const day = this.calendar.nextWorkingDayOnOrAfter(addMonths(`${month}-01`, 1));
    return instantOf(day, Math.max(0, this.core.policy.morningHour.value - 1));
  }

  /** The report of a quarter: at the bulletin's hour on the first working day of the next quarter. */
  private reportAt(): number | undefined {
    const quarter = this.s.figuresReport?.nextQuarter;
    if (!quarter) return undefined;
    const day = this.calendar.nextWorkingDayOnOrAfter(addDays(periodById(quarter).end, 1));
    return instantOf(day, Math.max(0, this.core.policy.morningHour.value - 1));
  }

  protected override extraWakes(): number[] {
    return [this.urgingAt(), this.bulletinAt(), this.reportAt()].filter((t): t is number => t !== undefined);
  }

  /**
   * The department's periodic report (情况报告送审稿), when its day has come: the activity reads
   * the county's records, computes the figures and mails the draft to the department, which
   * decides whether to send it upward. Every quarter, every half year or never (the policy); a
   * quarter without any target under rectification has none. A failure is recorded; the quarter's
   * report can still be drawn up on demand (the workbench, `cli report figures`).
   */
  private async figuresReport(now: number): Promise<boolean> {
    const r = (this.s.figuresReport ??= { sent: [] });
    const today = localDateOf(now);
    if (!r.nextQuarter) {
      r.nextQuarter = periodOf('quarter', today).id;
      return false;
    }
    const at = this.reportAt();
    if (at === undefined || at > now) return false;
    const quarter = r.nextQuarter;
    const period = periodById(quarter);
    r.nextQuarter = periodOf('quarter', addDays(period.end, 1)).id;
    const rhythm = figuresReportRhythm(this.core.policy);
    if (rhythm === 'off' || (rhythm === 'half-yearly' && !/-Q[24]$/.test(quarter))) return true;
    if (!this.s.targets.some((t) => activeDuring(t, period))) return true;
    const label = period.label;
    try {
      const res = await figuresReport({ key: `${this.workflowId}/figures-report/${quarter}`, county: this.s.county, quarter, programme: this.view(now), goalYears: goalYearsOf(this.core.policy), at: isoInstant(Date.now()) });
      r.sent.push({ quarter, on: today, targets: res.targets, transformed: res.transformed, townshipsBehind: res.townshipsBehind, overdue: res.overdue });
      if (r.sent.length > 12) r.sent.shift();
      this.log(Date.now(), 'figures-report', `${label}整顿工作进展情况报告送审稿已送县委组织部：整顿对象${res.targets}个，已转化${res.transformed}个，工作滞后的乡镇${res.townshipsBehind}个，逾期事项${res.overdue}项`);
    } catch (err) {
      if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
      this.log(Date.now(), 'figures-report-failed', `${label}整顿工作进展情况报告未能生成：${err.cause?.message ?? err.message}`);
    }
    return true;
  }

  /**
   * The monthly bulletin (通报, 六(三)), when its day has come: the activity asks the townships and
   * targets of the month for their records and mails the draft to the organization department,
   * which decides whether to issue it. A month without any target under rectification has none. A
   * failure is recorded, and that month's bulletin is not tried again (the next one will list what
   * is still overdue).
   */
  private async bulletin(now: number): Promise<boolean> {
    const b = this.s.bulletin;
    if (!b.nextMonth) {
      b.nextMonth = localDateOf(now).slice(0, 7);
      return false;
    }
    const at = this.bulletinAt();
    if (at === undefined || at > now) return false;
    const month = b.nextMonth;
    b.nextMonth = addMonths(`${month}-01`, 1).slice(0, 7);
    const period = { start: `${month}-01` as LocalDate, end: addDays(addMonths(`${month}-01`, 1), -1) };
    const targets = this.s.targets.filter((t) => activeDuring(t, period));
    if (targets.length === 0) return true;
    const today = localDateOf(now);
    const label = `${month.slice(0, 4)}年${Number(month.slice(5))}月`;
    try {
      const r = await monthlyBulletin({
        key: `${this.workflowId}/bulletin/${month}`,
        county: this.s.county,
        month,
        date: today,
        townships: [...new Set(targets.flatMap((t) => (t.township ? [t.township] : [])))],
        villages: targets.map((t) => t.village),
        trainingCutoff: trainingCutoff(this.core.policy, yearOf(today)),
        at: isoInstant(Date.now()),
      });
      b.sent.push({ month, on: today, townships: r.townships, overdue: r.overdue, missed: r.missed, behind: r.behind });
      if (b.sent.length > 36) b.sent.shift();
      this.log(Date.now(), 'bulletin', `${label}整顿工作通报送审稿已送县委组织部：未按时报送的乡镇${r.townships}个，逾期事项${r.overdue}项，例行活动未落实${r.missed}项，进度滞后的整顿对象${r.behind}个`);
    } catch (err) {
      if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
      this.log(Date.now(), 'bulletin-failed', `${label}整顿工作通报未能生成：${err.cause?.message ?? err.message}`);
    }
    return true;
  }

  /**
   * The urging round, when its day has come: one digest per recipient of every duty in the county
   * past its red warning (the activity reads each entity's memo), and the next round set. A
   * failure is recorded; the next round tries again.
   */
  override async work(now: number): Promise<boolean> {
    if (await this.bulletin(now)) return true;
    if (await this.figuresReport(now)) return true;
    const today = localDateOf(now);
    const urging = this.core.policy.urging;
    if (!this.s.urging.nextOn) {
      this.s.urging.nextOn = this.calendar.addWorkingDays(today, urging.everyWorkingDays);
      return false;
    }
    const at = this.urgingAt();
    if (at === undefined || at > now || urging.maxTimes === 0) return false;
    // A digest that fails is tried again the next working day: its round is made up, not skipped.
    this.s.urging.nextOn = this.calendar.addWorkingDays(today, 1);
    const ids = [
      ...this.s.targets.filter((t) => activeOn(t, today)).map((t) => villageWorkflowId(t.village)),
      ...[...new Set(this.s.targets.flatMap((t) => (t.township ? [t.township] : [])))].map(townshipWorkflowId),
      ...this.s.cases.map((c) => inquiryWorkflowId(c.caseId)),
    ];
    try {
      const r = await urgeOverdue({
        key: `${this.workflowId}/urging/${today}`,
        county: this.s.county,
        date: today,
        everyWorkingDays: urging.everyWorkingDays,
        maxTimes: urging.maxTimes,
        basis: basisText(urging.basis),
        calendar: this.core.calendar,
        workflowIds: ids,
        own: this.redWarned(now),
        rounds: Object.fromEntries(Object.entries(this.s.urging.rounds).map(([id, x]) => [id, x.n])),
        at: isoInstant(now),
      });
      this.s.urging.nextOn = this.calendar.addWorkingDays(today, urging.everyWorkingDays);
      const rounds = this.s.urging.rounds;
      for (const id of r.urged ?? []) rounds[id] = { n: (rounds[id]?.n ?? 0) + 1, on: today };
      const forget = addDays(today, -62);
      for (const [id, x] of Object.entries(rounds)) if (x.on < forget) delete rounds[id];
      if (r.items > 0) {
        this.s.urging.sent.push({ date: today, items: r.items });
        if (this.s.urging.sent.length > 30) this.s.urging.sent.shift();
        this.log(Date.now(), 'urging', `发出督办通知：逾期事项${r.items}项`);
      }
    } catch (err) {
      if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
      this.log(Date.now(), 'urging-failed', `督办通知未能发出：${err.cause?.message ?? err.message}`);
    }
    return true;
  }

  view(now: number): ProgrammeView {
    return {
      ...this.status(now),
      county: this.s.county,
      targets: targetsView(this.s.targets, localDateOf(now)),
      openCases: this.s.cases.map((c) => c.caseId),
      urgings: this.s.urging.sent,
      bulletins: this.s.bulletin.sent,
      figuresReports: this.s.figuresReport?.sent ?? [],
      committeeStudies: this.s.committeeStudies,
      jointMeetings: this.s.jointMeetings,
      evaluations: this.s.evaluations,
      diagnoses: this.s.diagnoses ?? [],
      courses: this.s.courses ?? [],
    };
  }

  checkCommitteeStudy(now: number, raw: unknown): void {
    const r = parseOrReject(recordCommitteeStudySchema, raw);
    const today = localDateOf(now);
    if (r.heldOn > today) throw fieldError('heldOn', `${r.heldOn}晚于今天`);
    const seen = new Set<string>();
    r.plans.forEach((plan, i) => {
      const target = this.s.targets.find((t) => t.village === plan.village);
      if (!target || !activeOn(target, today)) throw fieldError(`plans.${i}.village`, `${plan.village}不是正在整顿的整顿对象`);
      if (seen.has(plan.village)) throw fieldError(`plans.${i}.village`, `${plan.village}重复`);
      seen.add(plan.village);
      if (plan.decision === 'return' && plan.revisionDue! <= today) throw fieldError(`plans.${i}.revisionDue`, `重新报送期限${plan.revisionDue}应晚于今天（${today}）`);
      plan.tasks.forEach((task, j) => {
        if (task.deadline <= today) throw fieldError(`plans.${i}.tasks.${j}.deadline`, `完成时限${task.deadline}应晚于今天（${today}）`);
        if (!task.person) throw fieldError(`plans.${i}.tasks.${j}.person`, '须指明责任人');
      });
    });
    if (this.s.committeeStudies.some((x) => x.heldOn === r.heldOn)) throw refused(`${r.heldOn}的常委会专题研究已经记录`);
    if (r.diagnosis !== undefined && !(this.s.diagnoses ?? []).some((d) => d.year === r.diagnosis)) throw fieldError('diagnosis', `${r.diagnosis}年的会诊尚未记录`);
  }

  /**
   * Records a study of the standing committee (五(二)): closes the half year's study duty, and
   * for each plan it reviewed sends the 交办任务书 to the township and the village and the items to
   * the target, where each becomes a duty of the person who answers for it.
   */
  applyCommitteeStudy(now: number, raw: unknown): { village: string; signal: { tasks: TasksAssigned } | { returned: PlanReturned } }[] {
    const r = recordCommitteeStudySchema.parse(raw);
    this.sync(now);
    const study = this.book.open.find((e) => e.kind === 'standing-committee-study' && e.period.start <= r.heldOn && r.heldOn <= e.period.end) ?? this.book.open.find((e) => e.kind === 'standing-committee-study');
    if (study) this.book.fulfil(study.id, r.heldOn, now, r.by, r.summary.slice(0, 200));
    const list = this.s.committeeStudies;
    const diagnosis = r.diagnosis !== undefined ? this.s.diagnoses?.find((d) => d.year === r.diagnosis) : undefined;
    list.push({
      heldOn: r.heldOn,
      summary: r.summary,
      by: r.by,
      plans: r.plans.map((p) => ({ village: p.village, tasks: p.tasks.length, ...(p.decision === 'return' ? { returned: true as const } : {}) })),
      ...(diagnosis ? { diagnosis: { year: diagnosis.year, heldOn: diagnosis.heldOn } } : {}),
    });
    if (list.length > 12) list.shift();
    const out: { village: string; signal: { tasks: TasksAssigned } | { returned: PlanReturned } }[] = [];
    for (const plan of r.plans) {
      if (plan.decision === 'return') {
        out.push({ village: plan.village, signal: { returned: { key: `${this.workflowId}/returned/${r.heldOn}/${plan.village}`, studyOn: r.heldOn, opinion: plan.opinion!, revisionDue: plan.revisionDue! } } });
        continue;
      }
      const township = this.s.targets.find((t) => t.village === plan.village)?.township ?? '';
      const tasks = plan.tasks.map((t, i) => ({ n: i + 1, item: t.item, owner: t.owner, deadline: t.deadline, person: t.person! }));
      this.queueMail({
        type: 'task-book',
        key: `${this.workflowId}/task-book/${r.heldOn}/${plan.village}`,
        village: plan.village,
        township,
        studyOn: r.heldOn,
        tasks,
        roles: ['township-party-secretary', 'village-party-secretary', 'first-secretary'],
        assigned: {},
      });
      out.push({ village: plan.village, signal: { tasks: { key: `${this.workflowId}/tasks/${r.heldOn}/${plan.village}`, studyOn: r.heldOn, tasks: tasks.map(({ n, item, deadline, person }) => ({ n, item, deadline, person })) } } });
    }
    const returned = r.plans.filter((p) => p.decision === 'return').length;
    this.log(
      now,
      'committee-study',
      `县委常委会专题研究整顿工作（${r.heldOn}）：${r.summary}${r.plans.length ? `；审核整顿方案${r.plans.length}个，以交办任务书交办整顿事项${r.plans.reduce((n, p) => n + p.tasks.length, 0)}项${returned ? `，退回修改${returned}个` : ''}` : ''}`,
      r.by,
    );
    this.dirty = true;
    return out;
  }

  /** The 会诊 (五(二)) covers every target under rectification on its day, each once, and no other; one a year. */
  checkDiagnosis(now: number, raw: unknown): void {
    const r = parseOrReject(recordDiagnosisSchema, raw);
    if (r.heldOn > localDateOf(now)) throw fieldError('heldOn', `${r.heldOn}晚于今天`);
    if (yearOf(r.heldOn) !== r.year) throw fieldError('heldOn', `${r.year}年的会诊应在${r.year}年进行`);
    const active = this.s.targets.filter((t) => activeOn(t, r.heldOn)).map((t) => t.village);
    const seen = new Set<string>();
    r.targets.forEach((x, i) => {
      if (!active.includes(x.village)) throw fieldError(`targets.${i}.village`, `${x.village}在${r.heldOn}不是正在整顿的整顿对象`);
      if (seen.has(x.village)) throw fieldError(`targets.${i}.village`, `${x.village}重复`);
      seen.add(x.village);
    });
    const missing = active.filter((v) => !seen.has(v));
    if (missing.length) throw fieldError('targets', `逐一会诊：还有${missing.length}个整顿对象未会诊（${missing.slice(0, 10).join('、')}${missing.length > 10 ? '等' : ''}）`);
    if ((this.s.diagnoses ?? []).some((d) => d.year === r.year)) throw refused(`${r.year}年的会诊已经记录`);
  }

  /** Records the year's 会诊: closes its duty, keeps the record, and sends each target its finding. */
  applyDiagnosis(now: number, raw: unknown): { village: string; signal: Diagnosed }[] {
    const r = recordDiagnosisSchema.parse(raw);
    this.sync(now);
    const duty = this.book.open.find((e) => e.kind === 'annual-diagnosis' && e.period.id === String(r.year));
    if (duty) this.book.fulfil(duty.id, r.heldOn, now, r.by);
    const list = (this.s.diagnoses ??= []);
    const planNotStanding = r.targets.filter((x) => !x.planStands).map((x) => x.village);
    list.push({ year: r.year, heldOn: r.heldOn, by: r.by, targets: r.targets.length, planNotStanding });
    list.sort((a, b) => a.year - b.year);
    if (list.length > 6) list.shift();
    this.log(now, 'diagnosis', `${r.year}年整顿对象逐一会诊（${r.heldOn}）：${r.targets.length}个${planNotStanding.length ? `，其中整顿方案需调整${planNotStanding.length}个（${planNotStanding.join('、')}）` : '，整顿方案均可行'}`, r.by);
    this.dirty = true;
    return r.targets.map((x) => ({
      village: x.village,
      signal: { key: `${this.workflowId}/diagnosis/${r.year}/${x.village}`, year: r.year, heldOn: r.heldOn, by: r.by, problems: x.problems, planStands: x.planStands, ...(x.note ? { note: x.note } : {}) },
    }));
  }

  checkCourse(now: number, raw: unknown): void {
    const r = parseOrReject(recordCourseSchema, raw);
    const [first] = trainingDateIssues(r, localDateOf(now));
    if (first) throw fieldError(first.path, first.message);
    if ((this.s.courses ?? []).some((c) => c.startOn === r.startOn && c.topic === r.topic)) throw refused(`${r.startOn}开始的这期研修班已经记录`);
  }

  /**
   * Records a course (四(一)5): the year's course duty is done once its sessions reach 20 days; each
   * township gets its attendees, whose days count towards their seven.
   */
  applyCourse(now: number, raw: unknown): { township: string; signal: TrainingAttended }[] {
    const r = recordCourseSchema.parse(raw);
    this.sync(now);
    const list = (this.s.courses ??= []);
    list.push({ startOn: r.startOn, endOn: r.endOn, days: r.days, topic: r.topic, attendees: r.attendees.length, by: r.by });
    list.sort((a, b) => a.startOn.localeCompare(b.startOn));
    const year = yearOf(r.startOn);
    const total = list.filter((c) => yearOf(c.startOn) === year).reduce((n, c) => n + c.days, 0);
    if (list.length > 10) list.shift();
    const duty = this.book.open.find((e) => e.kind === 'county-course' && e.period.id === String(year));
    if (duty && total >= TRAINING_DAYS.course) this.fulfil(duty.id, r.endOn, now, r.by, `全年${total}天`);
    this.log(now, 'course', `县委软弱涣散村村干部专题研修班（${r.startOn}至${r.endOn}，${r.days}天，${r.attendees.length}人参训）：${r.topic}；${year}年累计${total}天（四(一)5）`, r.by);
    this.dirty = true;
    return Object.entries(r.byTownship ?? {})
      .filter(([, people]) => people.length > 0)
      .map(([township, people]) => ({ township, signal: { key: `${this.workflowId}/course/${r.startOn}/${township}`, startOn: r.startOn, endOn: r.endOn, days: r.days, topic: r.topic, people } }));
  }

  checkJointMeeting(now: number, raw: unknown): void {
    const r = parseOrReject(recordJointMeetingSchema, raw);
    if (r.heldOn > localDateOf(now)) throw fieldError('heldOn', `${r.heldOn}晚于今天`);
    if (new Set(r.departments).size !== r.departments.length) throw fieldError('departments', '参加部门重复');
    if (this.s.jointMeetings.some((x) => x.heldOn === r.heldOn)) throw refused(`${r.heldOn}的联席会已经记录`);
  }

  /** Records a 联席会 (四(一)4): closes the quarter's duty it was held in (or the earliest still open). */
  applyJointMeeting(now: number, raw: unknown): void {
    const r = recordJointMeetingSchema.parse(raw);
    this.sync(now);
    const open = this.book.open.filter((e) => e.kind === 'joint-meeting');
    const duty = open.find((e) => e.period.start <= r.heldOn && r.heldOn <= e.period.end) ?? open[0];
    if (duty) this.book.fulfil(duty.id, r.heldOn, now, r.by, r.topics.slice(0, 200));
    const list = this.s.jointMeetings;
    list.push({ heldOn: r.heldOn, topics: r.topics, departments: r.departments, by: r.by });
    if (list.length > 12) list.shift();
    this.log(now, 'joint-meeting', `县工青妇、武装、民政等部门联席会（${r.heldOn}，${r.departments.length}个部门参加）：${r.topics}`, r.by);
    this.dirty = true;
  }

  checkEvaluation(now: number, raw: unknown): void {
    const r = parseOrReject(recordEvaluationSchema, raw);
    const today = localDateOf(now);
    if (r.evaluatedOn > today) throw fieldError('evaluatedOn', `${r.evaluatedOn}晚于今天`);
    if (r.evaluatedOn < `${r.year}-11-01`) throw fieldError('evaluatedOn', `${r.year}年度的述职评议考核应在该年11月以后进行`);
    const seen = new Set<string>();
    r.results.forEach((x, i) => {
      if (seen.has(x.person)) throw fieldError(`results.${i}.person`, `${x.person}重复`);
      seen.add(x.person);
    });
    if (this.s.evaluations.some((e) => e.year === r.year)) throw refused(`${r.year}年度的述职评议考核已经记录`);
  }

  /** Records the year's 述职评议考核 (六(四)): closes the year's evaluation duty; each secretary's grade is kept. */
  applyEvaluation(now: number, raw: unknown): void {
    const r = recordEvaluationSchema.parse(raw);
    this.sync(now);
    const duty = this.book.open.find((e) => e.kind === 'township-secretary-evaluation' && e.period.id === String(r.year));
    if (duty) this.book.fulfil(duty.id, r.evaluatedOn, now, r.by);
    const list = this.s.evaluations;
    list.push({ year: r.year, evaluatedOn: r.evaluatedOn, by: r.by, results: r.results.map((x) => ({ person: x.person, grade: x.grade, ...(x.note ? { note: x.note } : {}) })) });
    list.sort((a, b) => a.year - b.year);
    if (list.length > 6) list.shift();
    const poor = r.results.filter((x) => x.grade === 'poor').length;
    this.log(now, 'evaluation', `${r.year}年度乡镇党委书记抓基层党建工作述职评议考核（${r.evaluatedOn}）：${r.results.length}人${poor ? `，其中“差”${poor}人` : ''}`, r.by);
    this.dirty = true;
  }

  protected searchAttributes(): Record<string, SearchAttributeUpdatePair> {
    return { stage: { key: StageKey, value: 'running' } };
  }
}

export async function countyProgramme(input: ProgrammeInput, carried?: ProgrammeState): Promise<ProgrammeView> {
  const startNow = Date.now();
  let state: ProgrammeState;
  if (carried) state = carried;
  else {
    const parsed = parseOrReject(programmeInputSchema, input);
    state = { core: newCore(startNow, parsed.policy ?? builtinPolicy()), county: parsed.county, targets: [], cases: [], urging: { sent: [], rounds: {} }, bulletin: { sent: [] }, figuresReport: { sent: [] }, committeeStudies: [], jointMeetings: [], evaluations: [], diagnoses: [] };
  }
  const p = new Programme(state, workflowInfo().workflowId);

  setHandler(programmeStateQuery, () => p.view(Date.now()));
  setHandler(handoverQuery, () => ({ workflowType: 'countyProgramme', args: [input, p.s] }));
  registerCommonHandlers(p, () => p.view(Date.now()));
  const takeChanges = (changes: readonly TargetChange[]): void => {
    if (applyTargetChanges(p.s.targets, changes).length === 0) return;
    p.factsChanged = true;
    p.dirty = true;
  };
  p.onSignal(targetChangedSignal, targetChangeSchema, '整顿对象变动', (change) => takeChanges([change]));
  // A designation round: one signal (one event here) for hundreds of targets.
  p.onSignal(targetsChangedSignal, targetChangesSchema, '整顿对象变动', takeChanges);
  /**
   * A record of the department's whose parts go to other workflows by signal (the targets of a
   * study or a 会诊, the townships of a course): checked, applied when the programme is ready, each
   * part sent, one that could not be sent logged; answered with the view.
   */
  const forwarding = <A, T>(def: UpdateDefinition<ProgrammeView, [A]>, check: (now: number, raw: unknown) => void, apply: (now: number, raw: unknown) => T[], send: (part: T) => Promise<void>, failed: (part: T) => string): void =>
    setHandler(
      def,
      async (raw) => {
        const parts = await p.whenReady(() => apply(Date.now(), raw));
        const results = await Promise.allSettled(parts.map(send));
        results.forEach((r, i) => {
          if (r.status === 'rejected') p.log(Date.now(), 'forward-failed', `${failed(parts[i]!)}：${(r.reason as Error).message}`);
        });
        return p.view(Date.now());
      },
      { validator: (raw) => check(Date.now(), raw) },
    );
  // Each target's items (or its returned plan) go to its own workflow.
  forwarding(
    recordCommitteeStudyUpdate,
    (now, raw) => p.checkCommitteeStudy(now, raw),
    (now, raw) => p.applyCommitteeStudy(now, raw),
    (x) => {
      const target = getExternalWorkflowHandle(villageWorkflowId(x.village));
      return 'tasks' in x.signal ? target.signal(tasksAssignedSignal, x.signal.tasks) : target.signal(planReturnedSignal, x.signal.returned);
    },
    (x) => `交办事项未能送达${x.village}`,
  );
  // Each target's finding goes to its own workflow.
  forwarding(
    recordDiagnosisUpdate,
    (now, raw) => p.checkDiagnosis(now, raw),
    (now, raw) => p.applyDiagnosis(now, raw),
    (x) => getExternalWorkflowHandle(villageWorkflowId(x.village)).signal(diagnosedSignal, x.signal),
    (x) => `会诊意见未能送达${x.village}`,
  );
  // Each township counts its attendees' days.
  forwarding(
    recordCourseUpdate,
    (now, raw) => p.checkCourse(now, raw),
    (now, raw) => p.applyCourse(now, raw),
    (x) => getExternalWorkflowHandle(townshipWorkflowId(x.township)).signal(trainingAttendedSignal, x.signal),
    (x) => `研修班参训记录未能送达${x.township}`,
  );
  // A record of the department's (联席会, 述职评议考核): checked, applied when the programme is ready, answered with the view.
  const recordUpdate = <A>(def: UpdateDefinition<ProgrammeView, [A]>, check: (now: number, raw: unknown) => void, apply: (now: number, raw: unknown) => void): void =>
    setHandler(
      def,
      async (raw) => {
        await p.whenReady(() => apply(Date.now(), raw));
        return p.view(Date.now());
      },
      { validator: (raw) => check(Date.now(), raw) },
    );
  recordUpdate(recordJointMeetingUpdate, (now, raw) => p.checkJointMeeting(now, raw), (now, raw) => p.applyJointMeeting(now, raw));
  recordUpdate(recordEvaluationUpdate, (now, raw) => p.checkEvaluation(now, raw), (now, raw) => p.applyEvaluation(now, raw));
  p.onSignal(caseChangedSignal, caseChangeSchema, '函询案件变动', (c) => {
    p.s.cases = p.s.cases.filter((x) => x.caseId !== c.caseId);
    if (c.open) p.s.cases.push({ caseId: c.caseId, township: c.township });
    p.dirty = true;
  });

  await p.loadCalendar(startNow);
  await condition(() => p.s.targets.length > 0 || p.s.cases.length > 0);

  const ending = await runEntity(p);
  await condition(allHandlersFinished);
  if (ending === 'continue-as-new') return continueEntity<typeof countyProgramme>(input, p.carry(Date.now()));
  p.log(Date.now(), 'closed', '全县已无整顿对象，工作流结束');
  return p.view(Date.now());
}
