/**
 * summary.json: what a simulation came to, in figures a county can plan with.
 */
import { cyclePosition } from '../src/domain/calendar';
import type { MonthFigures, SimulationResult } from './engine';

export interface Summary {
  readonly scenario: string;
  readonly seed: number;
  readonly start: string;
  readonly end: string;
  readonly wallSeconds: number;
  readonly mail: { readonly total: number; readonly byKind: Record<string, number>; readonly byMonth: Record<string, Record<string, number>>; readonly byRole: Record<string, number> };
  readonly obligations: { readonly opened: number; readonly closed: Record<string, number>; readonly openAtEnd: number; readonly overdueAtEnd: number };
  readonly targets: readonly { readonly village: string; readonly township: string; readonly designated: string; readonly stage: string; readonly transformedIn?: number }[];
  /** Per cycle year: targets accepted as transformed by its end. */
  readonly transformed: readonly { readonly cycleYear: number; readonly targets: number; readonly transformed: number; readonly rate: number }[];
  /**
   * 二's goal on the text's date: "到2019年底，纳入整顿范围的软弱涣散农村基层党组织要100%实现转化提升",
   * for the targets designated in 2018; a later designation is measured at the end of the year
   * after it (a date the county sets, not the text). `met` is null while the run ended before the date.
   */
  readonly goal: readonly { readonly designatedIn: number; readonly goalDate: string; readonly basis: '二' | 'county-practice'; readonly targets: number; readonly transformed: number; readonly met: boolean | null }[];
  /** The department's figures at each month's end (as GET /api/figures gives them). */
  readonly figures: readonly MonthFigures[];
  readonly proposals: { readonly total: number; readonly inquiry: number; readonly declined: number; readonly open: number };
  readonly letters: number;
  readonly talks: { readonly ordered: number; readonly held: number };
  readonly consequences: Record<string, number>;
  readonly actions: Record<string, number>;
  readonly problems: readonly string[];
  readonly historyEvents: Record<string, number>;
}

const inc = (o: Record<string, number>, k: string, n = 1): void => {
  o[k] = (o[k] ?? 0) + n;
};

export function summarize(r: SimulationResult): Summary {
  const byKind: Record<string, number> = {};
  const byMonth: Record<string, Record<string, number>> = {};
  const byRole: Record<string, number> = {};
  const closed: Record<string, number> = {};
  let opened = 0;
  for (const e of r.timeline) {
    if (e.type === 'email') {
      inc(byKind, e.kind);
      inc((byMonth[e.at.slice(0, 7)] ??= {}), e.kind);
      inc(byRole, e.role);
    } else if (e.type === 'opened') opened++;
    else if (e.type === 'closed') inc(closed, e.how);
  }
  const targets = r.villages
    .map((v) => {
      const t = v.acceptances.find((a) => a.transformed);
      return { village: v.village, township: v.township, designated: v.designation.date, stage: v.stage, ...(t ? { transformedIn: cyclePosition(v.designation.date, t.date).cycleYear } : {}) };
    })
    .sort((a, b) => a.village.localeCompare(b.village));
  const lastCycleYear = Math.max(0, ...r.villages.map((v) => cyclePosition(v.designation.date, r.end).cycleYear));
  const transformed = Array.from({ length: Math.min(3, lastCycleYear) }, (_, i) => {
    const cycleYear = i + 1;
    const done = targets.filter((t) => t.transformedIn !== undefined && t.transformedIn <= cycleYear).length;
    const n = targets.filter((t) => t.stage !== 'withdrawn').length;
    return { cycleYear, targets: n, transformed: done, rate: n ? Number((done / n).toFixed(3)) : 0 };
  });
  const byYear = new Map<number, { targets: number; transformed: number }>();
  for (const v of r.villages) {
    if (v.stage === 'withdrawn') continue;
    const year = Number(v.designation.date.slice(0, 4));
    const goalDate = `${year + 1}-12-31`;
    const g = byYear.get(year) ?? { targets: 0, transformed: 0 };
    g.targets++;
    if (v.acceptances.some((a) => a.transformed && a.date <= goalDate)) g.transformed++;
    byYear.set(year, g);
  }
  const goal = [...byYear.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([year, g]) => {
      const goalDate = `${year + 1}-12-31`;
      return { designatedIn: year, goalDate, basis: year === 2018 ? ('二' as const) : ('county-practice' as const), ...g, met: r.end < goalDate ? null : g.transformed === g.targets };
    });
  const proposals = r.townships.flatMap((t) => t.proposals);
  const consequences: Record<string, number> = {};
  for (const c of r.consequences) inc(consequences, c.kind);
  return {
    scenario: r.scenario.name,
    seed: r.scenario.seed,
    start: r.start,
    end: r.end,
    wallSeconds: Math.round(r.wallMs / 100) / 10,
    mail: { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind, byMonth, byRole },
    goal,
    obligations: {
      opened,
      closed,
      openAtEnd: [...r.villages, ...r.townships, ...r.cases].reduce((n, s) => n + s.open.length, 0),
      overdueAtEnd: [...r.villages, ...r.townships, ...r.cases].reduce((n, s) => n + s.open.filter((o) => o.overdue).length, 0),
    },
    targets,
    transformed,
    figures: r.figures,
    proposals: {
      total: proposals.length,
      inquiry: proposals.filter((p) => p.decision?.decision === 'inquiry').length,
      declined: proposals.filter((p) => p.decision?.decision === 'decline').length,
      open: proposals.filter((p) => !p.decision).length,
    },
    letters: r.cases.filter((c) => c.kind === 'inquiry').length,
    talks: { ordered: r.cases.filter((c) => c.talk !== undefined).length, held: r.cases.filter((c) => c.talk?.held).length },
    consequences,
    actions: r.actions,
    problems: r.problems,
    historyEvents: r.historyEvents,
  };
}

