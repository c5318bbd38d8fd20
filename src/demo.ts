/**
 * `npm start -- --demo`: the county of the roster as if its targets had been designated this
 * autumn. Every date of the roster (designations, posts held since, the programme's start) and
 * the years of its yearly records move by the same whole number of years; nothing else changes. The dashboard then shows a plausible
 * county at the start of its cycle instead of one in its eighth year with everything overdue.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readRosterFile } from './activities/roster-file';
import { localDateOf, makeDate, daysInMonth, type LocalDate } from './domain/calendar';
import { parseRoster, type Roster } from './domain/roster';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date moved by whole years (29 February to the 28th when the year is not a leap year). */
export function shiftYears(date: LocalDate, years: number): LocalDate {
  const m = DATE.exec(date);
  if (!m) return date;
  const y = Number(m[1]) + years;
  const month = Number(m[2]);
  return makeDate(y, month, Math.min(Number(m[3]), daysInMonth(y, month)));
}

/**
 * How many years the roster's dates move: its latest designation lands in the most recent autumn
 * (September to November) that has begun by `today`, China time.
 */
export function demoShift(roster: Roster, now: number, yearsBack = 0): number {
  const latest = roster.designations.map((d) => d.date).sort().at(-1);
  if (!latest) return 0;
  const today = localDateOf(now);
  const year = Number(today.slice(0, 4));
  const autumn = (today.slice(5) >= '09-01' ? year : year - 1) - yearsBack;
  return autumn - Number(latest.slice(0, 4));
}

function moveDates(value: unknown, years: number): unknown {
  if (typeof value === 'string') return DATE.test(value) ? shiftYears(value, years) : value;
  if (Array.isArray(value)) return value.map((v) => moveDates(v, years));
  // The yearly records (star ratings, members admitted) move with them.
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'year' && typeof v === 'number' ? v + years : moveDates(v, years)]));
  return value;
}

/** The roster file as the demo's roster: every date moved so the designations fall this autumn (or `yearsBack` autumns before). */
export function demoRoster(file: string, now: number, yearsBack = 0): { roster: Roster; years: number } {
  const original = readRosterFile(file);
  const years = demoShift(original, now, yearsBack);
  const moved = parseRoster(moveDates(original, years));
  if (!moved.ok) throw new Error(`名册日期平移后有误：${moved.issues.map((i) => `${i.path}：${i.message}`).join('；')}`);
  // A yearly record moved past this year has not happened yet (a 2019 rating is no 2027 rating in 2026).
  const thisYear = Number(localDateOf(now).slice(0, 4));
  const past = <T extends { readonly year: number }>(list: readonly T[]): T[] => list.filter((r) => r.year <= thisYear);
  return { roster: { ...moved.roster, ratings: past(moved.roster.ratings), admissions: past(moved.roster.admissions) }, years };
}

/** While `npm start -- --demo` runs: which process, and the files the CLI should read instead of the configured ones. */
interface DemoMarker {
  readonly pid: number;
  readonly env: Readonly<Record<string, string>>;
}

const markerFile = (dataDir: string): string => path.join(dataDir, 'running.json');

/** Says that a demo runs with these files (removed by the returned function, on stop). */
export function markDemoRunning(dataDir: string, env: Readonly<Record<string, string>>): () => void {
  const file = markerFile(dataDir);
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, env } satisfies DemoMarker)}\n`);
  return () => rmSync(file, { force: true });
}

/**
 * The CLI beside a running demo reads the demo's roster (and its documents), not the configured
 * ones, unless the environment names them: what `list` prints is what the workbench shows. Returns
 * the note to print, or nothing when no demo runs.
 */
export function useRunningDemo(dataDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = markerFile(dataDir);
  if (!existsSync(file)) return undefined;
  let marker: DemoMarker;
  try {
    marker = JSON.parse(readFileSync(file, 'utf8')) as DemoMarker;
    process.kill(marker.pid, 0);
  } catch {
    return undefined; // a demo that is no longer running (or a marker that cannot be read)
  }
  const taken = Object.entries(marker.env).filter(([k]) => env[k] === undefined);
  for (const [k, v] of taken) env[k] = v;
  return taken.length ? `演示模式运行中：按演示的名册和文件（${taken.map(([k, v]) => `${k}=${path.relative(process.cwd(), v)}`).join('，')}）` : undefined;
}
