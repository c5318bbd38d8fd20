/**
 * Obligations: every recurring duty of the source as who must do what, for which subject, by
 * when, under which clause (DESIGN.md, The obligations). Reminders and escalations come from them.
 */
import {
  addDays,
  addMonths,
  adjustDeadline,
  cycleYearEnd,
  endOfMonth,
  instantOf,
  isoInstant,
  lateNovember,
  makeDate,
  periodOf,
  periodsOverlapping,
  planDeadline,
  yearOf,
  type Deadline,
  type LocalDate,
  type Period,
  type PeriodUnit,
} from './calendar';
import type { Designation } from './criteria';
import { defaultEscalationPolicy, ladderFor, type EscalationPolicy, type LadderStep } from './escalation';
import type { Role } from '../../../domain/roster';

export const obligationKinds = [
  'rectification-plan',
  'acceptance-evaluation',
  'half-monthly-report',
  'township-quarterly-study',
  'standing-committee-study',
  'first-secretary-visit',
  'first-secretary-symposium',
  'first-secretary-annual-report',
  'village-quarterly-debriefing',
  'township-secretary-evaluation',
  'three-meetings-one-lesson',
  'acceptance-campaign',
] as const;
export type ObligationKind = (typeof obligationKinds)[number];

interface KindSpec {
  readonly title: string;
  readonly clause: string;
  readonly responsible: Role;
}

export const kindSpecs: Record<ObligationKind, KindSpec> = {
  'rectification-plan': { title: '报送整顿方案', clause: '五(一)', responsible: 'township-party-secretary' },
  'acceptance-evaluation': { title: '县委验收评价', clause: '五(一)', responsible: 'org-department-staff' },
  'half-monthly-report': { title: '每半月上报整顿工作进展', clause: '六(三)', responsible: 'organization-officer' },
  'township-quarterly-study': { title: '乡镇党委季度专题研究', clause: '五(三)', responsible: 'township-party-secretary' },
  'standing-committee-study': { title: '县委常委专题研究整顿工作', clause: '五(二)', responsible: 'org-department-staff' },
  'first-secretary-visit': { title: '第一书记每月到村开展服务', clause: '四(一)1', responsible: 'first-secretary' },
  'first-secretary-symposium': { title: '第一书记每月与村民座谈交流', clause: '四(一)1', responsible: 'first-secretary' },
  'first-secretary-annual-report': { title: '第一书记年度履职报告', clause: '四(一)1', responsible: 'first-secretary' },
  'village-quarterly-debriefing': { title: '村党支部书记季度述职', clause: '四(一)3', responsible: 'village-party-secretary' },
  'township-secretary-evaluation': { title: '乡镇党委书记抓基层党建述职评议考核', clause: '六(四)', responsible: 'org-department-staff' },
  'three-meetings-one-lesson': { title: '落实“三会一课”制度（半年以上未落实的，村党组织书记可免职）', clause: '四(五)15', responsible: 'village-party-secretary' },
  'acceptance-campaign': { title: '组织开展年度验收评价', clause: '五(一)', responsible: 'org-department-staff' },
};

/** Posts that belong to a township or a village: nobody holds them for a county duty. */
const localRoles: ReadonlySet<Role> = new Set(['township-party-secretary', 'organization-officer', 'township-liaison', 'first-secretary', 'village-party-secretary']);

export interface ObligationSubject {
  readonly type: 'village' | 'township' | 'county';
  readonly code: string;
  /** The township of a village or township subject, for resolving township posts. */
  readonly township?: string;
}

export interface Obligation {
  /** Deterministic: the same roster and range always give the same ids. */
  readonly id: string;
  readonly kind: ObligationKind;
  readonly title: string;
  readonly clause: string;
  readonly responsibleRole: Role;
  /** Current holder of the responsible post when the list was made, if the roster names one. */
  readonly responsiblePerson?: string;
  readonly subject: ObligationSubject;
  readonly period: Period;
  readonly due: Deadline & { readonly instant: string };
  readonly steps: readonly LadderStep[];
}

export interface DateRange {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

const FOREVER = '9999-12-31';

/** What the township and county need to know of a target: when it is under rectification. */
export type TargetDates = Pick<Designation, 'village' | 'date' | 'transformedOn' | 'withdrawnOn'>;

/**
 * The last day a designation keeps its target under rectification: its withdrawal, or the end of
 * the three-year cycle (五(二)); an untransformed target stays until it is transformed (五(四)).
 */
export function activeUntil(d: TargetDates): LocalDate {
  if (d.withdrawnOn) return addDays(d.withdrawnOn, -1);
  const cycleEnd = cycleYearEnd(d.date, 3);
  if (!d.transformedOn) return FOREVER;
  return d.transformedOn > cycleEnd ? d.transformedOn : cycleEnd;
}

export function activeDuring(d: TargetDates, p: { readonly start: LocalDate; readonly end: LocalDate }): boolean {
  return d.date <= p.end && activeUntil(d) >= p.start;
}

function dueAt(nominal: LocalDate): Obligation['due'] {
  const deadline = adjustDeadline(nominal);
  // Due by the end of the due day, China time.
  return { ...deadline, instant: isoInstant(instantOf(addDays(deadline.date, 1))) };
}

/** Who holds a post for a subject, when known; obligations name that person. */
export type HolderLookup = (role: Role, subject: ObligationSubject) => string | undefined;

/** One obligation, its due date moved off rest days and its ladder laid out. */
export function makeObligation(
  kind: ObligationKind,
  subject: ObligationSubject,
  period: Period,
  nominalDue: LocalDate,
  policy: EscalationPolicy = defaultEscalationPolicy,
  responsiblePerson?: string,
): Obligation {
  const due = dueAt(nominalDue);
  const spec = kindSpecs[kind];
  let steps = ladderFor(due, spec.responsible, policy);
  if (subject.type === 'county') {
    // A county duty is the organization department's own: its ladder stays with the department
    // (no township posts to copy, no red warning to itself).
    steps = steps
      .filter((st) => st.severity !== 'red-warning')
      .map((st) => ({ ...st, notify: st.notify.filter((r) => !localRoles.has(r)) }))
      .filter((st) => st.notify.length > 0);
  }
  return {
    id: `${kind}/${subject.type}:${subject.code}/${period.id}`,
    kind,
    title: spec.title,
    clause: spec.clause,
    responsibleRole: spec.responsible,
    ...(responsiblePerson ? { responsiblePerson } : {}),
    subject,
    period,
    due,
    steps,
  };
}

class Builder {
  readonly out: Obligation[] = [];
  constructor(
    private readonly range: DateRange,
    private readonly policy: EscalationPolicy,
    private readonly holder: HolderLookup,
  ) {}

  add(kind: ObligationKind, subject: ObligationSubject, period: Period, nominalDue: LocalDate): void {
    if (nominalDue > this.range.to) return;
    const o = makeObligation(kind, subject, period, nominalDue, this.policy, this.holder(kindSpecs[kind].responsible, subject));
    if (o.due.date >= this.range.from && o.due.date <= this.range.to) this.out.push(o);
  }

  private readonly periodCache = new Map<PeriodUnit, Period[]>();

  /** Periods of a unit whose nominal due date (the period's end) can fall in the range. */
  periods(unit: PeriodUnit): Period[] {
    let list = this.periodCache.get(unit);
    if (!list) {
      // A due date moves forward off rest days by at most a couple of weeks (Spring Festival).
      list = periodsOverlapping(unit, addDays(this.range.from, -20), this.range.to);
      this.periodCache.set(unit, list);
    }
    return list;
  }
}

const kindOrder = new Map(obligationKinds.map((k, i) => [k, i]));

function sorted(list: Obligation[]): Obligation[] {
  return list.sort(
    (a, c) =>
      a.due.date.localeCompare(c.due.date) || kindOrder.get(a.kind)! - kindOrder.get(c.kind)! || a.id.localeCompare(c.id),
  );
}

/** One rectification target, as its village workflow knows it. */
export interface TargetSpec {
  readonly designation: Designation;
  readonly township: string;
  /** Whether a first secretary is stationed in the village (四(一)1). */
  readonly hasFirstSecretary: boolean;
}

function addTargetObligations(b: Builder, t: TargetSpec, range: DateRange): void {
  const d = t.designation;
  const village: ObligationSubject = { type: 'village', code: d.village, township: t.township };
  const until = activeUntil(d);

  // 五(一): one plan per target by the end of December of the designation year.
  const planDue = planDeadline(d.date);
  if (until >= d.date) {
    b.add('rectification-plan', village, { id: String(yearOf(d.date)), start: d.date, end: planDue.nominal, label: `${yearOf(d.date)}年整顿方案` }, planDue.nominal);
  }
  // 五(一): acceptance in late November of the following year, then yearly while under rectification.
  for (let y = Math.max(yearOf(d.date) + 1, yearOf(range.from) - 1); y <= yearOf(range.to); y++) {
    const window = lateNovember(y);
    if (activeDuring(d, window)) b.add('acceptance-evaluation', village, window, window.end);
  }
  for (const p of b.periods('month')) {
    if (!activeDuring(d, p) || !t.hasFirstSecretary) continue;
    b.add('first-secretary-visit', village, p, p.end); // 四(一)1
    b.add('first-secretary-symposium', village, p, p.end); // 四(一)1
  }
  for (const p of b.periods('year')) {
    if (activeDuring(d, p) && t.hasFirstSecretary) b.add('first-secretary-annual-report', village, p, p.end); // 四(一)1
  }
  for (const p of b.periods('quarter')) {
    if (activeDuring(d, p)) b.add('village-quarterly-debriefing', village, p, p.end); // 四(一)3
  }
  // 四(五)15: a session at least every six months. Windows end at month ends so that their
  // reminders fall on the days the monthly duties already wake the workflow: the first runs from
  // the designation to the end of the fifth month after it (never more than six months), each
  // later one is six calendar months. The exact six-month rule is `removability`.
  for (const w of threeMeetingsWindows(d.date, range.to)) {
    if (w.start > until) break;
    if (w.end < addDays(range.from, -20)) continue;
    b.add('three-meetings-one-lesson', village, w, w.end);
  }
}

/** The 三会一课 windows of a target from its designation up to a date (四(五)15). */
export function threeMeetingsWindows(designationDate: LocalDate, to: LocalDate): Period[] {
  const out: Period[] = [];
  let start = designationDate;
  let end = endOfMonth(addMonths(designationDate, 5));
  while (start <= to) {
    out.push({ id: `${start}/6m`, start, end, label: `${start}至${end}` });
    start = addDays(end, 1);
    end = endOfMonth(addMonths(start, 5));
  }
  return out;
}

/** The obligations of one target whose due date lies in the range, ordered. */
export function targetObligations(
  t: TargetSpec,
  range: DateRange,
  policy: EscalationPolicy = defaultEscalationPolicy,
  holder: HolderLookup = () => undefined,
): Obligation[] {
  const b = new Builder(range, policy, holder);
  addTargetObligations(b, t, range);
  return sorted(b.out);
}

/** Duties of a township while it has at least one target under rectification. */
function addTownshipObligations(b: Builder, code: string, targets: readonly TargetDates[]): void {
  const township: ObligationSubject = { type: 'township', code, township: code };
  for (const p of b.periods('half-month')) {
    if (targets.some((d) => activeDuring(d, p))) b.add('half-monthly-report', township, p, p.end); // 六(三)
  }
  for (const p of b.periods('quarter')) {
    if (targets.some((d) => activeDuring(d, p))) b.add('township-quarterly-study', township, p, p.end); // 五(三)
  }
}

/** Duties of the county while any target is under rectification. */
function addCountyObligations(b: Builder, code: string, targets: readonly TargetDates[], range: DateRange, campaign = false): void {
  const county: ObligationSubject = { type: 'county', code };
  for (const p of b.periods('half-year')) {
    if (targets.some((d) => activeDuring(d, p))) b.add('standing-committee-study', county, p, p.end); // 五(二): twice a year
  }
  // 六(四): the yearly debriefing evaluation of township secretaries covers the year just ended
  // and is due by the end of the following January.
  for (let y = yearOf(range.from) - 1; y <= yearOf(range.to); y++) {
    const p = periodOf('year', makeDate(y, 1, 1));
    if (targets.some((d) => activeDuring(d, p))) b.add('township-secretary-evaluation', county, p, makeDate(y + 1, 1, 31));
  }
  if (!campaign) return;
  // 五(一): the acceptance campaign opens in late November for every target whose first acceptance
  // has come (the year after its designation); it is due to open by the 21st.
  for (let y = yearOf(range.from) - 1; y <= yearOf(range.to) + 1; y++) {
    const window = lateNovember(y);
    if (acceptanceTargets(targets, y).length > 0) b.add('acceptance-campaign', county, window, window.start);
  }
}

/** Targets to be evaluated in the late-November acceptance of a year (五(一)). */
export function acceptanceTargets<D extends TargetDates>(targets: readonly D[], year: number): D[] {
  return targets.filter((d) => yearOf(d.date) < year && activeDuring(d, lateNovember(year)));
}

/** A township's duties (六(三), 五(三)) with due dates in the range, given its targets. */
export function townshipObligations(
  township: string,
  targets: readonly TargetDates[],
  range: DateRange,
  policy: EscalationPolicy = defaultEscalationPolicy,
): Obligation[] {
  const b = new Builder(range, policy, () => undefined);
  if (targets.length > 0) addTownshipObligations(b, township, targets);
  return sorted(b.out);
}

/** The county's own duties (五(二), 六(四), 五(一) campaign) with due dates in the range. */
export function countyObligations(
  county: string,
  targets: readonly TargetDates[],
  range: DateRange,
  policy: EscalationPolicy = defaultEscalationPolicy,
): Obligation[] {
  const b = new Builder(range, policy, () => undefined);
  if (targets.length > 0) addCountyObligations(b, county, targets, range, true);
  return sorted(b.out);
}
