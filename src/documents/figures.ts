/**
 * The department's figures: where the county stands against the work plan, by designation year,
 * township, ground of designation and stage, computed from the entities' own views and the
 * consequences ledger as of one day. Pure: the service gathers the views and caches the answer.
 *
 * - 二 "到2019年底，纳入整顿范围的软弱涣散农村基层党组织要100%实现转化提升": the goal of the 2018
 *   targets; a later designation year's goal is the end of the policy's number of years after it
 *   (county practice, `goals.laterDesignationYears`: one by default).
 * - 三(一)–(六): the grounds of designation; a target transformed at acceptance resolves them.
 * - 六(三): the half-monthly reports, on time, late or missed; 六(四): letters and talks; 六(五),
 *   五(四): the consequences in force.
 */
import type { TownshipView } from '../contracts/township';
import type { VillageView } from '../contracts/village';
import type { ProgrammeView } from '../contracts/programme';
import { periodOf, yearOf, type LocalDate } from '../domain/calendar';
import type { DutyTally } from '../domain/book';
import type { Consequence, ConsequenceKind } from '../domain/consequences';
import { kindSpecs, type ObligationKind } from '../domain/kinds';
import type { Roster } from '../domain/roster';

const quarterOf = (d: LocalDate): string => periodOf('quarter', d).id;

export type Light = 'red' | 'yellow' | 'green';

export interface ReportCounts {
  readonly onTime: number;
  readonly late: number;
  readonly missed: number;
}

export interface TownshipFigures {
  readonly township: string;
  readonly targets: number;
  readonly underRectification: number;
  readonly transformed: number;
  /** Overdue duties of the township itself, and of its targets. */
  readonly overdueOwn: number;
  readonly overdueTargets: number;
  readonly reports: { readonly quarter: ReportCounts; readonly year: ReportCounts };
  readonly proposals: number;
  readonly letters: number;
  readonly talks: number;
  /** Red: a report missed this quarter or a duty overdue; yellow: a report late this quarter; green otherwise. */
  readonly light: Light;
}

export interface DutyFigures {
  readonly kind: ObligationKind;
  readonly title: string;
  readonly clause: string;
  readonly open: number;
  readonly overdue: number;
  readonly opened: number;
  readonly onTime: number;
  readonly late: number;
  readonly waived: number;
  readonly missed: number;
}

export interface Figures {
  /** The day the figures speak of (China time), and the instant they were computed. */
  readonly asOf: LocalDate;
  readonly computedAt: string;
  readonly quarter: string;
  readonly totals: {
    readonly targets: number;
    readonly underRectification: number;
    readonly transformed: number;
    readonly withdrawn: number;
    readonly overdueDuties: number;
    readonly townshipsBehind: number;
  };
  /** 二's goal per designation year. `met` is null until the goal's date. */
  readonly byYear: readonly {
    readonly designatedIn: number;
    readonly goalDate: LocalDate;
    readonly basis: string;
    readonly targets: number;
    readonly transformed: number;
    readonly notYet: number;
    readonly withdrawn: number;
    readonly met: boolean | null;
  }[];
  /** Targets by stage (the village workflow's stage key: plan-due, rectification, …). */
  readonly byStage: Readonly<Record<string, number>>;
  readonly byTownship: readonly TownshipFigures[];
  /** 三(一)–(六): targets designated on each ground, and those resolved (transformed at acceptance). */
  readonly byGround: readonly { readonly criterion: number; readonly clause: string; readonly targets: number; readonly resolved: number }[];
  /** Consequences in force on `asOf`, by kind and clause, with the people or bodies they concern. */
  readonly consequences: readonly { readonly kind: ConsequenceKind; readonly clause: string; readonly entries: number; readonly subjects: number }[];
  /**
   * Duties by kind: open now and overdue; and of the duties of `asOf`'s year (by the year their
   * period begins), how many were opened so far and closed on time, late, waived (免除) or missed
   * (a routine activity 未落实). Counted as of the query, like the open ones.
   */
  readonly duties: readonly DutyFigures[];
}

export interface FiguresInput {
  readonly asOf: LocalDate;
  readonly now: number;
  readonly roster: Roster;
  readonly programme: ProgrammeView;
  readonly villages: readonly VillageView[];
  readonly townships: readonly TownshipView[];
  readonly ledger: readonly Consequence[];
  /**
   * The cases behind the ledger's entries, as their own views say (kind, township, letter issued,
   * talk held); a case no longer readable is counted from its ledger entries.
   */
  readonly cases: readonly { readonly caseId: string; readonly township: string; readonly kind: 'inquiry' | 'talk'; readonly issuedOn: LocalDate; readonly talkHeldOn?: LocalDate }[];
  /** Only this township's figures (a township's own line). */
  readonly township?: string;
  /** A target designated after 2018 is to be transformed by the end of this many years after its designation year (the policy; default one). */
  readonly goalYears?: number;
}

const GROUNDS = ['三(一)', '三(二)', '三(三)', '三(四)', '三(五)', '三(六)'];

const inForce = (c: Consequence, day: LocalDate): boolean => c.from <= day && (c.until === undefined || c.until >= day);

/** A township's half-monthly reports of the periods `within` selects (by id, 2019-03-H1): on time, late (both received by `asOf`), missed. */
function reportCounts(t: TownshipView, asOf: LocalDate, within: (periodId: string) => boolean): ReportCounts {
  const reports = t.reports.filter((r) => within(r.period) && r.receivedAt.slice(0, 10) <= asOf);
  const missed = t.lapses.filter((l) => l.kind === 'missing' && within(l.periodId)).length;
  return { onTime: reports.filter((r) => !r.late).length, late: reports.filter((r) => r.late).length, missed };
}

export function computeFigures(i: FiguresInput): Figures {
  // 二's date for the 2018 targets; the policy's for later ones.
  const goalDateOf = (y: number): LocalDate => `${y === 2018 ? 2019 : y + (i.goalYears ?? 1)}-12-31`;
  const quarter = quarterOf(i.asOf);
  const year = yearOf(i.asOf);
  const townshipOfPerson = new Map(i.roster.people.map((p) => [p.id, p.township]));
  const targets = i.programme.targets.filter((t) => t.date <= i.asOf && (!i.township || t.township === i.township));
  const views = new Map(i.villages.map((v) => [v.village, v]));
  const transformedBy = (t: (typeof targets)[number]): boolean => t.transformedOn !== undefined && t.transformedOn <= i.asOf;
  const withdrawnBy = (t: (typeof targets)[number]): boolean => t.withdrawnOn !== undefined && t.withdrawnOn <= i.asOf;

  const years = new Map<number, { targets: number; transformed: number; withdrawn: number }>();
  for (const t of targets) {
    const y = yearOf(t.date);
    const g = years.get(y) ?? { targets: 0, transformed: 0, withdrawn: 0 };
    if (withdrawnBy(t)) g.withdrawn++;
    else {
      g.targets++;
      if (transformedBy(t) && t.transformedOn! <= goalDateOf(y)) g.transformed++;
    }
    years.set(y, g);
  }
  const byYear = [...years.entries()]
    .sort(([a], [b]) => a - b)
    .map(([y, g]) => {
      const goalDate = goalDateOf(y);
      return {
        designatedIn: y,
        goalDate,
        basis: y === 2018 ? '二' : '县委组织部工作要求',
        targets: g.targets,
        transformed: g.transformed,
        notYet: g.targets - g.transformed,
        withdrawn: g.withdrawn,
        met: i.asOf < goalDate ? null : g.transformed === g.targets,
      };
    });

  const byStage: Record<string, number> = {};
  for (const t of targets) {
    const stage = views.get(t.village)?.stage ?? (withdrawnBy(t) ? 'withdrawn' : 'unknown');
    byStage[stage] = (byStage[stage] ?? 0) + 1;
  }

  const known = new Set(i.cases.map((c) => c.caseId));
  const inYear = (d: LocalDate | undefined): boolean => d !== undefined && yearOf(d) === year && d <= i.asOf;
  const yearLedger = i.ledger.filter((c) => c.kind === 'award-ineligible' && yearOf(c.from) === year && c.subject.type === 'person' && !known.has(c.cause));
  const fromLedger = (township: string, word: '函询' | '约谈'): number =>
    new Set(yearLedger.filter((c) => c.reason.includes(`被${word}`) && c.reason.slice(0, 10) <= i.asOf && townshipOfPerson.get((c.subject as { id: string }).id) === township).map((c) => c.cause)).size;
  const letters = (township: string): number => i.cases.filter((c) => c.township === township && c.kind === 'inquiry' && inYear(c.issuedOn)).length + fromLedger(township, '函询');
  const talks = (township: string): number => i.cases.filter((c) => c.township === township && inYear(c.talkHeldOn)).length + fromLedger(township, '约谈');

  const byTownship = i.townships
    .filter((t) => !i.township || t.township === i.township)
    .map((t): TownshipFigures => {
      const own = targets.filter((x) => x.township === t.township);
      const overdueTargets = own.reduce((n, x) => n + (views.get(x.village)?.open.filter((o) => o.overdue).length ?? 0), 0);
      const overdueOwn = t.open.filter((o) => o.overdue).length;
      const q = reportCounts(t, i.asOf, (p) => quarterOf(`${p.slice(0, 7)}-01`) === quarter);
      const y = reportCounts(t, i.asOf, (p) => p.startsWith(`${year}-`));
      const light: Light = q.missed > 0 || overdueOwn + overdueTargets > 0 ? 'red' : q.late > 0 ? 'yellow' : 'green';
      return {
        township: t.township,
        targets: own.length,
        underRectification: own.filter((x) => !withdrawnBy(x) && !transformedBy(x)).length,
        transformed: own.filter(transformedBy).length,
        overdueOwn,
        overdueTargets,
        reports: { quarter: q, year: y },
        proposals: t.proposals.filter((p) => p.quarter.startsWith(`${year}-`)).length,
        letters: letters(t.township),
        talks: talks(t.township),
        light,
      };
    })
    .sort((a, b) => a.township.localeCompare(b.township));

  const byGround = GROUNDS.map((clause, k) => {
    const on = targets.filter((t) => !withdrawnBy(t) && views.get(t.village)?.designation.criteria.some((c) => c.criterion === k + 1));
    return { criterion: k + 1, clause, targets: on.length, resolved: on.filter(transformedBy).length };
  });

  const groups = new Map<string, { kind: ConsequenceKind; clause: string; entries: number; subjects: Set<string> }>();
  for (const c of i.ledger) {
    if (!inForce(c, i.asOf)) continue;
    const subject = c.subject.type === 'person' ? c.subject.id : c.subject.type === 'department' ? `dept:${c.subject.code}` : `village:${c.subject.code}`;
    if (i.township && c.subject.type === 'person' && townshipOfPerson.get(c.subject.id) !== i.township) continue;
    const key = `${c.kind}|${c.clause}`;
    const g = groups.get(key) ?? { kind: c.kind, clause: c.clause, entries: 0, subjects: new Set<string>() };
    g.entries++;
    g.subjects.add(subject);
    groups.set(key, g);
  }
  const consequences = [...groups.values()].map((g) => ({ kind: g.kind, clause: g.clause, entries: g.entries, subjects: g.subjects.size })).sort((a, b) => a.clause.localeCompare(b.clause) || a.kind.localeCompare(b.kind));

  const dutyCounts = new Map<ObligationKind, { open: number; overdue: number; opened: number; onTime: number; late: number; waived: number; missed: number }>();
  const slot = (kind: ObligationKind) => {
    let d = dutyCounts.get(kind);
    if (!d) dutyCounts.set(kind, (d = { open: 0, overdue: 0, opened: 0, onTime: 0, late: 0, waived: 0, missed: 0 }));
    return d;
  };
  const entities = [...targets.map((t) => views.get(t.village)).filter((v): v is VillageView => v !== undefined), ...i.townships.filter((t) => !i.township || t.township === i.township), ...(i.township ? [] : [i.programme])];
  for (const e of entities) {
    for (const o of e.open) {
      const d = slot(o.kind);
      d.open++;
      if (o.overdue) d.overdue++;
    }
    for (const [kind, t] of Object.entries(e.dutyYears?.[String(year)] ?? {}) as [ObligationKind, DutyTally][]) {
      const d = slot(kind);
      d.opened += t.opened ?? 0;
      d.onTime += t.fulfilled ?? 0;
      d.late += t.late ?? 0;
      d.waived += t.waived ?? 0;
      d.missed += t.missed ?? 0;
    }
  }
  const duties = [...dutyCounts.entries()].map(([kind, d]) => ({ kind, title: kindSpecs[kind].title, clause: kindSpecs[kind].clause, ...d })).sort((a, b) => b.overdue - a.overdue || b.opened - a.opened || a.kind.localeCompare(b.kind));

  return {
    asOf: i.asOf,
    computedAt: new Date(i.now).toISOString(),
    quarter,
    totals: {
      targets: targets.filter((t) => !withdrawnBy(t)).length,
      underRectification: targets.filter((t) => !withdrawnBy(t) && !transformedBy(t)).length,
      transformed: targets.filter(transformedBy).length,
      withdrawn: targets.filter(withdrawnBy).length,
      overdueDuties: duties.reduce((n, d) => n + d.overdue, 0),
      townshipsBehind: byTownship.filter((t) => t.light === 'red').length,
    },
    byYear,
    byStage,
    byTownship,
    byGround,
    consequences,
    duties,
  };
}
