/**
 * Obligations: who must do what, for which subject, by when, under which clause (docs/obligations.md).
 * The functions here say which duties an entity owes in a span of time (`Duty`)
 * and lay a duty out as an open entry of the obligation book (due date off rest days, the
 * escalation ladder with its dates); `book.ts` keeps them until they are closed.
 */
import {
  addDays,
  addMonths,
  cycleYearEnd,
  daysInMonth,
  endOfDayInstant,
  instantOf,
  isoInstant,
  lateNovember,
  makeDate,
  periodOf,
  periodsOverlapping,
  yearOf,
  type Deadline,
  type LocalDate,
  type Period,
  type PeriodUnit,
  type WorkCalendar,
} from './calendar';
import { kindSpecs, type ObligationKind, type SubjectType } from './kinds';
import { trainingCutoff } from './training';
import { deadlineOf, builtinPolicy, keepsReligiousContacts, ladderOf, type Policy, type Severity } from './policy';

export { kindSpecs, obligationKinds, type ObligationKind } from './kinds';

export interface ObligationSubject {
  readonly type: SubjectType;
  readonly code: string;
  /** The township of a village, township or case subject, for resolving township posts. */
  readonly township?: string;
}

/** A duty owed: what the book opens. */
export interface Duty {
  /** Deterministic: kind, subject and period. */
  readonly id: string;
  readonly kind: ObligationKind;
  readonly subject: ObligationSubject;
  readonly period: Period;
  /** The date the rule names; moved off a rest day by the policy's rule for the kind. */
  readonly nominalDue: LocalDate;
  /** Named people who owe it (the addressees of a letter), instead of the kind's post. */
  readonly people?: readonly string[];
}

export function dutyId(kind: ObligationKind, subject: ObligationSubject, periodId: string): string {
  return `${kind}/${subject.type}:${subject.code}/${periodId}`;
}

export function duty(kind: ObligationKind, subject: ObligationSubject, period: Period, nominalDue: LocalDate, people?: readonly string[]): Duty {
  return { id: dutyId(kind, subject, period.id), kind, subject, period, nominalDue, ...(people?.length ? { people } : {}) };
}

// --- When a target is under rectification ----------------------------------------------------

const FOREVER = '9999-12-31';

/** What the township and county need to know of a target: when it is under rectification. */
export interface TargetDates {
  readonly village: string;
  readonly date: LocalDate;
  readonly transformedOn?: LocalDate;
  readonly withdrawnOn?: LocalDate;
}

/**
 * The last day a designation keeps its target under rectification: the day before its
 * withdrawal, or the end of the three-year cycle (五(二)); an untransformed target stays until it
 * is transformed (五(四)).
 */
export function activeUntil(d: TargetDates): LocalDate {
  if (d.withdrawnOn) return addDays(d.withdrawnOn, -1);
  const cycleEnd = cycleYearEnd(d.date, 3);
  if (!d.transformedOn) return FOREVER;
  return d.transformedOn > cycleEnd ? d.transformedOn : cycleEnd;
}

export function activeOn(d: TargetDates, day: LocalDate): boolean {
  return d.date <= day && day <= activeUntil(d);
}

export function activeDuring(d: TargetDates, p: { readonly start: LocalDate; readonly end: LocalDate }): boolean {
  return d.date <= p.end && activeUntil(d) >= p.start;
}

// --- Duties by entity --------------------------------------------------------------------------

/** Periods of a unit that start by `to` and end on or after `from`. */
function periods(unit: PeriodUnit, from: LocalDate, to: LocalDate): Period[] {
  return periodsOverlapping(unit, from, to);
}

export interface VillageFacts {
  readonly village: string;
  readonly township: string;
  readonly designation: TargetDates;
  /** Whether a first secretary is stationed in the village (四(一)1). */
  readonly hasFirstSecretary: boolean;
}

/**
 * A target's duties whose period overlaps [from, to] (or, for a duty due after its period, whose
 * due date falls in it): the plan (五(一)), the yearly acceptance from the year after designation
 * (五(一)), the first secretary's visits, symposia and annual report (四(一)1), the village
 * secretary's quarterly debriefing (四(一)3), 三会一课 at least every six months (四(五)15), and
 * the routine activities: the flag-raising (四(四)12) and the 惠民服务日 (四(五)17) on the 1st of
 * each month whose 1st the target is under rectification, and a 集中落实 activity each quarter
 * (四(五)17); where the county's policy keeps it, a monthly contact and talk with the religious
 * sites and figures (四(四)13).
 */
export function villageDuties(f: VillageFacts, policy: Policy, from: LocalDate, to: LocalDate): Duty[] {
  const d = f.designation;
  const village: ObligationSubject = { type: 'village', code: f.village, township: f.township };
  const out: Duty[] = [];
  const owed = (p: Period): boolean => activeDuring(d, p);
  const designationYear = yearOf(d.date);

  const plan: Period = { id: String(designationYear), start: d.date, end: makeDate(designationYear, 12, 31), label: `${designationYear}年整顿方案` };
  if (plan.start <= to && plan.end >= from) out.push(duty('rectification-plan', village, plan, plan.end));

  for (let y = Math.max(designationYear + 1, yearOf(from)); y <= yearOf(to); y++) {
    const window = lateNovember(y);
    if (window.start <= to && window.end >= from && owed(window)) out.push(duty('acceptance-evaluation', village, window, window.end));
  }
  if (f.hasFirstSecretary) {
    for (const p of periods('month', from, to)) {
      if (!owed(p)) continue;
      out.push(duty('first-secretary-visit', village, p, p.end));
      out.push(duty('first-secretary-symposium', village, p, p.end));
    }
    const report = policy.dates.firstSecretaryAnnualReport;
    for (const p of periods('year', from, to)) {
      if (owed(p)) out.push(duty('first-secretary-annual-report', village, p, makeDate(yearOf(p.start), report.month, Math.min(report.day, daysInMonth(yearOf(p.start), report.month)))));
    }
  }
  for (const p of periods('quarter', from, to)) if (owed(p)) out.push(duty('village-quarterly-debriefing', village, p, p.end));
  for (const p of periods('month', from, to)) {
    // "每月1日": owed for a month whose 1st the target is under rectification (designated on the 3rd: from the next month).
    if (!activeOn(d, p.start)) continue;
    out.push(duty('flag-raising', village, p, p.start));
    out.push(duty('service-day', village, p, p.start));
  }
  for (const p of periods('quarter', from, to)) if (owed(p)) out.push(duty('concentrated-service', village, p, p.end));
  if (keepsReligiousContacts(policy)) {
    for (const p of periods('month', from, to)) if (owed(p)) out.push(duty('religious-contact', village, p, p.end));
  }
  for (const w of threeMeetingsWindows(d.date, to)) {
    if (w.end < from) continue;
    if (w.start > activeUntil(d)) break;
    out.push(duty('three-meetings-one-lesson', village, w, w.end));
  }
  return out;
}

/**
 * The 三会一课 windows of a target from its designation up to a date (四(五)15): six full months
 * each, the first from the designation (2018-10-18 to 2019-04-17), each next one from the day
 * after. A window's duty is due on its last day, the day before the six months would be reached;
 * the exact rule, measured from the last session held, is `removability`.
 */
export function threeMeetingsWindows(designationDate: LocalDate, to: LocalDate): Period[] {
  const out: Period[] = [];
  for (let n = 0; ; n++) {
    // From the designation each time (not from the previous end), so a 31st does not drift to the 28th.
    const start = n === 0 ? designationDate : addMonths(designationDate, 6 * n);
    if (start > to) break;
    const end = addDays(addMonths(designationDate, 6 * (n + 1)), -1);
    out.push({ id: `${start}/6m`, start, end, label: `${start}至${end}` });
  }
  return out;
}
/** A township or the county owes a period's duty when a target is under rectification on its last day. */
function anyActiveOn(targets: readonly TargetDates[], day: LocalDate): boolean {
  return targets.some((t) => activeOn(t, day));
}

/**
 * A township's duties (六(三) the half-monthly report, 五(三) the party committee's quarterly
 * study) for periods overlapping [from, to] on whose last day one of its targets is under
 * rectification.
 */
export function townshipDuties(township: string, targets: readonly TargetDates[], from: LocalDate, to: LocalDate, policy: Policy = builtinPolicy()): Duty[] {
  const subject: ObligationSubject = { type: 'township', code: township, township };
  const out: Duty[] = [];
  for (const p of periods('half-month', from, to)) if (anyActiveOn(targets, p.end)) out.push(duty('half-monthly-report', subject, p, p.end));
  for (const p of periods('quarter', from, to)) if (anyActiveOn(targets, p.end)) out.push(duty('township-quarterly-study', subject, p, p.end));
  // 四(一)5 "乡镇每年对农村无职党员进行培训不少于5天": the year's days by the policy's day.
  out.push(...yearlyByDay('member-training', subject, targets, (y) => trainingCutoff(policy, y), from, to));
  return out;
}

/**
 * A yearly duty from 1 January to a day of the year, owed when a target is under rectification
 * the whole of it: a target designated in October owes no year's days that year.
 */
function yearlyByDay(kind: ObligationKind, subject: ObligationSubject, targets: readonly TargetDates[], dueOf: (year: number) => LocalDate, from: LocalDate, to: LocalDate): Duty[] {
  const out: Duty[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) {
    const due = dueOf(y);
    const p = { ...periodOf('year', makeDate(y, 1, 1)), end: due };
    if (p.start <= to && p.end >= from && targets.some((t) => activeOn(t, p.start) && activeOn(t, due))) out.push(duty(kind, subject, p, due));
  }
  return out;
}

/** Targets to be evaluated in the late-November acceptance of a year (五(一)). */
export function acceptanceTargets<D extends TargetDates>(targets: readonly D[], year: number): D[] {
  return targets.filter((d) => yearOf(d.date) < year && activeDuring(d, lateNovember(year)));
}

/**
 * The county's own duties for periods overlapping [from, to]: the standing committee's two
 * studies a year (五(二)), the quarterly 联席会 of the mass organizations, armed forces and civil
 * affairs (四(一)4), the yearly evaluation of township secretaries (六(四)), and the acceptance
 * campaign of late November (五(一)); each owed for a period on whose last day a target is under
 * rectification.
 */
export function countyDuties(county: string, targets: readonly TargetDates[], policy: Policy, from: LocalDate, to: LocalDate): Duty[] {
  const subject: ObligationSubject = { type: 'county', code: county };
  const out: Duty[] = [];
  for (const p of periods('half-year', from, to)) if (anyActiveOn(targets, p.end)) out.push(duty('standing-committee-study', subject, p, p.end));
  for (const p of periods('quarter', from, to)) if (anyActiveOn(targets, p.end)) out.push(duty('joint-meeting', subject, p, p.end));
  const evaluation = policy.dates.townshipSecretaryEvaluation;
  // The evaluation covers a year and is due in the next: a year ending before `from` may still be due.
  for (let y = yearOf(from) - 1; y <= yearOf(to); y++) {
    const p = periodOf('year', makeDate(y, 1, 1));
    const due = makeDate(y + 1, evaluation.month, evaluation.day);
    if (p.start <= to && due >= from && targets.some((t) => activeDuring(t, p))) out.push(duty('township-secretary-evaluation', subject, p, due));
  }
  // 五(二) 逐一进行会诊: once a year, by the policy's day, when a target is under rectification that day.
  const diagnosis = (policy.dates as Partial<Policy['dates']>).annualDiagnosis ?? { month: 6, day: 15 };
  for (let y = yearOf(from); y <= yearOf(to); y++) {
    const due = makeDate(y, diagnosis.month, diagnosis.day);
    const p = { ...periodOf('year', makeDate(y, 1, 1)), end: due };
    if (p.start <= to && p.end >= from && anyActiveOn(targets, due)) out.push(duty('annual-diagnosis', subject, p, due));
  }
  // 四(一)5 "县委每年举办不少于20天的软弱涣散村村干部专题研修班": the year's course days by the policy's day.
  out.push(...yearlyByDay('county-course', subject, targets, (y) => trainingCutoff(policy, y), from, to));
  // The campaign is prepared in November so that it opens by the 21st: owed from the 1st.
  const opens = policy.dates.acceptanceCampaignOpens;
  for (let y = yearOf(from); y <= yearOf(to); y++) {
    const window = { ...lateNovember(y), start: makeDate(y, 11, 1) };
    if (window.start <= to && window.end >= from && acceptanceTargets(targets, y).length > 0) out.push(duty('acceptance-campaign', subject, window, makeDate(y, opens.month, opens.day)));
  }
  return out;
}

// --- An open duty, laid out --------------------------------------------------------------------

export interface DueDate extends Deadline {
  /** ISO instant: the end of the due day, China time. */
  readonly instant: string;
}

export interface StepState {
  readonly id: string;
  readonly severity: Severity;
  /** ISO instant: the morning hour of a working day, China time. */
  readonly at: string;
  /** Posts to notify, or `responsible` for the duty's named people; people are resolved when sent. */
  readonly notify: readonly string[];
  /** When it was sent, and to which addresses. */
  sentAt?: string;
  to?: string[];
  /** Passed without sending: it fell before the duty was opened, or a later step superseded it. */
  skipped?: boolean;
}

/** An open obligation in the book: plain JSON, carried across continue-as-new. */
export interface BookEntry {
  readonly id: string;
  readonly kind: ObligationKind;
  readonly subject: ObligationSubject;
  readonly period: Period;
  due: DueDate;
  steps: StepState[];
  /** The moment it became owed: its period's start (or the entity's, if later), or the event that created it. */
  readonly openedAt: string;
  readonly people?: readonly string[];
  /** Policy version its ladder and due date were laid out by. */
  policyVersion: string;
  /** Opened by an event (a plan returned, an explanation received), not by a period beginning. */
  readonly source?: 'event';
  /** The due date was set by the department (a revision deadline, a talk's date): it is not moved. */
  readonly fixedDue?: boolean;
}

export interface LayoutContext {
  readonly calendar: WorkCalendar;
  readonly policy: Policy;
}

/** A due date the department set: kept as it is, provisional when its year is. */
export function fixedDueDate(date: LocalDate, calendar: WorkCalendar): DueDate {
  return { date, nominal: date, adjusted: false, provisional: calendar.isProvisionalYear(yearOf(date)), instant: endOfDayInstant(date) };
}

/** The due date of a duty under the policy's rule for its kind, off rest days. */
export function dueDateOf(kind: ObligationKind, nominal: LocalDate, ctx: LayoutContext): DueDate {
  const deadline = ctx.calendar.deadline(nominal, deadlineOf(ctx.policy, kind).rule);
  return { ...deadline, instant: endOfDayInstant(deadline.date) };
}

/**
 * The dated steps of a duty's ladder for a due date; steps already sent are kept as they were.
 * Every step falls on a working morning: the day's notice of a duty due on a rest day (a 1st kept
 * on the day) goes out on the last working day before it; a step `after: half-month` counts from
 * the end of the half month the due date falls in.
 */
export function ladderSteps(kind: ObligationKind, due: DueDate, ctx: LayoutContext, named: boolean): StepState[] {
  const spec = kindSpecs[kind];
  const hour = ctx.policy.morningHour.value;
  return ladderOf(ctx.policy, spec.ladder).steps.map((s) => {
    const anchor = s.after === 'half-month' ? periodOf('half-month', due.date).end : due.date;
    const date = s.offsetWorkingDays === 0 ? ctx.calendar.lastWorkingDayOnOrBefore(anchor) : ctx.calendar.addWorkingDays(anchor, s.offsetWorkingDays);
    const notify = [...new Set(s.notify.map((r) => (r === 'responsible' ? (named ? 'responsible' : spec.responsible) : r)))];
    return { id: s.id, severity: s.severity, at: isoInstant(instantOf(date, hour)), notify };
  });
}

/**
 * The moment a duty is owed from: its period's start, or its first notice when that comes earlier
 * (the day's notice of a 1st that is a rest day goes out on the working morning before it), never
 * before the entity existed (`startedAt`).
 */
export function owedFromOf(d: Duty, ctx: LayoutContext, startedAt: number): number {
  const start = instantOf(d.period.start);
  const first = ladderSteps(d.kind, dueDateOf(d.kind, d.nominalDue, ctx), ctx, d.people !== undefined)[0];
  return Math.max(first ? Math.min(start, Date.parse(first.at)) : start, startedAt);
}

/** Days ahead of today whose duties may already be owed: a notice comes at most this long before its period (a 1st inside the Spring Festival). */
export const EARLY_NOTICE_DAYS = 12;

/**
 * Lays a duty out for the book, recorded as opened at `openedAt`: its due date, and its ladder with
 * the steps whose time had passed before the duty was owed (`owedFrom`, by default `openedAt`)
 * marked skipped: nobody is reminded late of what came before.
 */
export function openEntry(d: Duty, ctx: LayoutContext, openedAt: number, due: DueDate = dueDateOf(d.kind, d.nominalDue, ctx), owedFrom: number = openedAt): BookEntry {
  const steps = ladderSteps(d.kind, due, ctx, d.people !== undefined).map((s) => (Date.parse(s.at) < owedFrom ? { ...s, skipped: true } : s));
  return {
    id: d.id,
    kind: d.kind,
    subject: d.subject,
    period: d.period,
    due,
    steps,
    openedAt: isoInstant(openedAt),
    ...(d.people ? { people: d.people } : {}),
    policyVersion: ctx.policy.version,
  };
}
