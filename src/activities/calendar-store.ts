/**
 * The holiday arrangement the worker owns: the `chinese-days` package's data for the years it
 * covers, and files operators publish for the years it does not yet (`cli calendar publish`), in
 * a directory the worker reads when asked. A published file for a year replaces the package's.
 * Workflows get years from here through an activity and keep them: a later upgrade of either
 * source never changes what a recorded history replays.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import holidayData from 'chinese-days/dist/chinese-days.json';
import { calendarYearSchema, type CalendarYear } from '../domain/calendar';
import chineseDaysPackage from 'chinese-days/package.json';
import { readDataFile } from '../infra/data-file';

const PACKAGE_SOURCE = `国务院办公厅节假日安排（chinese-days ${(chineseDaysPackage as { version: string }).version} 数据）`;

/** The years the package covers, as arrangements. */
export function bundledYears(): CalendarYear[] {
  const byYear = new Map<number, { holidays: Record<string, string>; workdays: Record<string, string> }>();
  const entry = (date: string): { holidays: Record<string, string>; workdays: Record<string, string> } => {
    const y = Number(date.slice(0, 4));
    let e = byYear.get(y);
    if (!e) byYear.set(y, (e = { holidays: {}, workdays: {} }));
    return e;
  };
  // Entries read "English name,中文名,days": the Chinese name is what officials read.
  const name = (v: string): string => v.split(',')[1] ?? v;
  for (const [date, v] of Object.entries(holidayData.holidays as Record<string, string>)) entry(date).holidays[date] = name(v);
  for (const [date, v] of Object.entries(holidayData.workdays as Record<string, string>)) entry(date).workdays[date] = name(v);
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, e]) => ({ year, official: true, source: PACKAGE_SOURCE, ...e }));
}

export interface CalendarFileIssue {
  readonly path: string;
  readonly message: string;
}

export class CalendarFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly CalendarFileIssue[],
  ) {
    super(`节假日安排文件有误（${file}）：\n${issues.map((i) => `  ${i.path}：${i.message}`).join('\n')}`);
    this.name = 'CalendarFileError';
  }
}

/** Reads and validates an arrangement file (YAML or JSON). */
export function readCalendarFile(file: string): CalendarYear {
  let data: unknown;
  try {
    data = readDataFile(file);
  } catch (err) {
    throw new CalendarFileError(file, [{ path: '(文件)', message: `无法读取：${(err as Error).message}` }]);
  }
  const r = calendarYearSchema.safeParse(data);
  if (!r.success) throw new CalendarFileError(file, r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(根)', message: i.message })));
  return r.data;
}

export interface CalendarStore {
  /** The arrangements the store has for these years (a year it has none for is left out). */
  years(years: readonly number[]): CalendarYear[];
  /** Installs a validated year in the directory; a later file for the year replaces the earlier. */
  install(year: CalendarYear): string;
}

export function calendarStore(dir: string): CalendarStore {
  const bundled = new Map(bundledYears().map((y) => [y.year, y]));
  let cache: { stamp: string; published: Map<number, CalendarYear> } | undefined;
  const published = (): Map<number, CalendarYear> => {
    if (!existsSync(dir)) return new Map();
    const files = readdirSync(dir).filter((f) => /^\d{4}\.(ya?ml|json)$/.test(f)).sort();
    const stamp = files.map((f) => `${f}:${statSync(path.join(dir, f)).mtimeMs}`).join('|');
    if (cache?.stamp !== stamp) {
      const map = new Map<number, CalendarYear>();
      // A file that does not validate is skipped here (it was checked when published); the package's year stays.
      for (const f of files) {
        try {
          const y = readCalendarFile(path.join(dir, f));
          map.set(y.year, y);
        } catch {
          /* reported by `cli calendar check` */
        }
      }
      cache = { stamp, published: map };
    }
    return cache.published;
  };
  return {
    years(years) {
      const p = published();
      return years.flatMap((y) => {
        const found = p.get(y) ?? bundled.get(y);
        return found ? [found] : [];
      });
    },
    install(year) {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${year.year}.json`);
      writeFileSync(`${file}.tmp`, `${JSON.stringify(year, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
      return file;
    },
  };
}
