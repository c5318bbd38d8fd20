/**
 * Training days (四(一)5): "县委每年举办不少于20天的软弱涣散村村干部专题研修班，对软弱涣散基层党组织班子成员
 * 进行全员轮训", "每年对村、社区、学校党组织书记、班子成员进行培训不少于7天，乡镇每年对农村无职党员进行
 * 培训不少于5天". Records add up over the calendar year of their first day; a cadre short of the
 * seven days after the county's day (policy `dates.trainingDays`, 30 November) is listed on the
 * township's page and in the December bulletin. Pure, no I/O.
 */
import { daysInMonth, makeDate, yearOf, type LocalDate } from './calendar';
import type { Policy } from './policy';

/** The days the plan asks for in a year: the county's course, each cadre, a township's members without post. */
export const TRAINING_DAYS = { course: 20, cadre: 7, member: 5 } as const;

/** How many calendar days a record from `startOn` to `endOn` spans (both counted). */
export function spanDays(startOn: LocalDate, endOn: LocalDate): number {
  return Math.round((Date.parse(`${endOn}T00:00:00Z`) - Date.parse(`${startOn}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The problems of a training's dates and days, by field: within one year, not after today, no more days than it spans. */
export function trainingDateIssues(r: { startOn: LocalDate; endOn: LocalDate; days: number }, today: LocalDate): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (r.endOn < r.startOn) out.push({ path: 'endOn', message: `结束日期${r.endOn}早于开始日期${r.startOn}` });
  else if (yearOf(r.endOn) !== yearOf(r.startOn)) out.push({ path: 'endOn', message: '一次培训记录应在同一年内，跨年的请分年记录' });
  else if (r.days > spanDays(r.startOn, r.endOn)) out.push({ path: 'days', message: `培训天数${r.days}天多于${r.startOn}至${r.endOn}的${spanDays(r.startOn, r.endOn)}天` });
  if (r.endOn > today) out.push({ path: 'endOn', message: `${r.endOn}晚于今天，培训结束后再记录` });
  return out;
}

/** The day of a year by which its training days are counted (a cadre short of days is listed the day after). */
export function trainingCutoff(policy: Pick<Policy, 'dates'>, year: number): LocalDate {
  const d = (policy.dates as Partial<Policy['dates']>).trainingDays ?? { month: 11, day: 30 };
  return makeDate(year, d.month, Math.min(d.day, daysInMonth(year, d.month)));
}

export interface CadreDays {
  readonly village: string;
  readonly person: string;
  readonly days: number;
}

/** The targets whose cadres owe a year's seven days: under rectification from its 1 January (one designated in October owes none that year). */
export function trainingTargets<T extends { readonly village: string; readonly date: LocalDate }>(targets: readonly T[], year: number, activeOn: (t: T, day: LocalDate) => boolean): string[] {
  const start = makeDate(year, 1, 1);
  return targets.filter((t) => t.date < start && activeOn(t, start)).map((t) => t.village);
}

/** Each cadre of the villages with the days recorded for them in the year. */
export function cadreDays(villages: readonly string[], tally: Readonly<Record<string, number>> | undefined, cadresOf: (village: string) => readonly { readonly id: string }[]): CadreDays[] {
  return villages.flatMap((village) => cadresOf(village).map((p) => ({ village, person: p.id, days: tally?.[p.id] ?? 0 })));
}
