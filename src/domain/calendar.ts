/**
 * Dates in China Standard Time (UTC+8, no daylight saving), independent of the host's time zone,
 * and working days as data. (Over 400 lines: dates, periods, working days and the arrangement's
 * checks are one concern that every other room reads; split, each part would import the others.)
 *
 * A civil date is a `LocalDate` string `YYYY-MM-DD`; arithmetic runs on day numbers (days since
 * 1970-01-01) and never on a `Date` in local time.
 *
 * Working days follow the State Council's holiday arrangement including swapped working weekends
 * (调休). The arrangement is data (`CalendarYear`), not code: the worker owns it (the
 * `chinese-days` package's data and files operators publish for new years), workflows receive the
 * years they need through an activity and keep them in their state, so a data upgrade never
 * changes a replay. A year without an official arrangement falls back to weekends only and is
 * provisional (暂定) until one arrives.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import './messages';

export type LocalDate = string;

const DAY_MS = 86_400_000;
export const CST_OFFSET_MS = 8 * 3_600_000;

// Workflows run this code in a V8 context whose global object answers every read of a global
// (`Math`, `String`, `Date`) through a callback, several times slower than a local; the date
// arithmetic below runs thousands of times a wake-up and reads them once, here.
const { floor, min, max, abs, ceil } = Math;

/** Year, month (1–12), day of a valid `YYYY-MM-DD`, or undefined. Parsed by hand: this is the hot path of every wake-up. */
function parts(date: string): { y: number; m: number; d: number } | undefined {
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return undefined;
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 7);
  const d = digits(date, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

/** The number written in `s[from, to)`, or -1 when a character is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

export function isLocalDate(value: string): boolean {
  return parts(value) !== undefined;
}

/** zod schema for a civil date; the message names what is wrong. */
export const localDateSchema = lazySchema(() => z.string().max(10, '日期格式应为YYYY-MM-DD').refine(isLocalDate, { message: '日期格式应为YYYY-MM-DD（如2019-03-15）' }));

function mustParse(date: LocalDate): { y: number; m: number; d: number } {
  const p = parts(date);
  if (!p) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return p;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  // Months outside 1–12 roll over into the neighbouring years, as Date.UTC does.
  const index = year * 12 + (month - 1);
  const y = floor(index / 12);
  const m = index - y * 12;
  return m === 1 && isLeapYear(y) ? 29 : MONTH_DAYS[m]!;
}

function pad(n: number, width = 2): string {
  const s = `${n}`;
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

export function makeDate(year: number, month: number, day: number): LocalDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function yearOf(date: LocalDate): number {
  return mustParse(date).y;
}

export function monthOf(date: LocalDate): number {
  return mustParse(date).m;
}

/** Days since 1970-01-01 of a civil date (the proleptic Gregorian calendar, in whole-number arithmetic). */
/**
 * Conversions already made, both ways: laying out a year's duties converts the same few hundred
 * dates thousands of times (4 % of the worker's workflow thread over 2,000 new targets). Bounded:
 * past the bound a date is converted each time.
 */
const CONVERSIONS_KEPT = 4_096;
const numberOfDate = new Map<LocalDate, number>();
const dateOfNumber = new Map<number, LocalDate>();

export function dayNumber(date: LocalDate): number {
  const known = numberOfDate.get(date);
  if (known !== undefined) return known;
  const { y, m, d } = mustParse(date);
  const n = daysFromCivil(y, m, d);
  if (numberOfDate.size < CONVERSIONS_KEPT) numberOfDate.set(date, n);
  return n;
}

// The civil-date/day-number conversions of H. Hinnant's "chrono-compatible low-level date algorithms".
function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = floor(y / 400);
  const yoe = y - era * 400;
  const doy = floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function fromDayNumber(n: number): LocalDate {
  const known = dateOfNumber.get(n);
  if (known !== undefined) return known;
  const date = civilFromDays(n);
  if (dateOfNumber.size < CONVERSIONS_KEPT) dateOfNumber.set(n, date);
  return date;
}

function civilFromDays(n: number): LocalDate {
  const z = n + 719_468;
  const era = floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36_524) - floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const d = doy - floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return makeDate(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

export function diffDays(later: LocalDate, earlier: LocalDate): number {
  return dayNumber(later) - dayNumber(earlier);
}

/** Adds calendar months; a day past the end of the target month becomes its last day. */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const { y, m, d } = mustParse(date);
  const index = y * 12 + (m - 1) + months;
  const ty = floor(index / 12);
  const tm = (index % 12) + 1;
  return makeDate(ty, tm, min(d, daysInMonth(ty, tm)));
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function dayOfWeek(date: LocalDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

export function endOfMonth(date: LocalDate): LocalDate {
  const { y, m } = mustParse(date);
  return makeDate(y, m, daysInMonth(y, m));
}

/** The civil date in China of an instant (epoch milliseconds). */
export function localDateOf(instantMs: number): LocalDate {
  return fromDayNumber(floor((instantMs + CST_OFFSET_MS) / DAY_MS));
}

/** The instant (epoch milliseconds) of a wall-clock time in China on a civil date. */
export function instantOf(date: LocalDate, hour = 0, minute = 0): number {
  return dayNumber(date) * DAY_MS + hour * 3_600_000 + minute * 60_000 - CST_OFFSET_MS;
}

/** An instant as `Date.prototype.toISOString` writes it (2019-03-15T00:00:00.000Z), without a `Date`. */
export function isoInstant(instantMs: number): string {
  // Years 0000–9999, as toISOString writes them with four digits (NaN fails the test too).
  if (!(instantMs >= -62_167_219_200_000 && instantMs <= 253_402_300_799_999)) throw new RangeError(`not an instant of the years 0000 to 9999: ${instantMs}`);
  const ms = floor(instantMs);
  const day = floor(ms / DAY_MS);
  const t = ms - day * DAY_MS;
  return `${fromDayNumber(day)}T${pad(floor(t / 3_600_000))}:${pad(floor(t / 60_000) % 60)}:${pad(floor(t / 1000) % 60)}.${pad(t % 1000, 3)}Z`;
}

/** The end of a civil day in China (the start of the next), as an ISO instant: "due by the end of the day". */
export function endOfDayInstant(date: LocalDate): string {
  return isoInstant(instantOf(addDays(date, 1)));
}

// ---------------------------------------------------------------------------------------------
// The holiday arrangement of a year, as data

const holidayName = lazySchema(() => z.string().trim().min(1, '节日名称不能为空').max(40, '节日名称最多40个字'));

/**
 * One year of the State Council's arrangement: the rest days that fall on weekdays (holidays) and
 * the weekend days worked instead (调休), with where it comes from.
 */
export const calendarYearSchema = lazySchema(() => z
  .object({
    year: z.number().int().min(2000, '年份应在2000至2100之间').max(2100, '年份应在2000至2100之间'),
    /** False for a draft or an estimate: its dates stay provisional (暂定). */
    official: z.boolean({ error: '须写明是否为正式公布的安排（true/false）' }),
    /** The notice it follows, e.g. 国办发明电〔2025〕7号, or the data it was taken from. */
    source: z.string().trim().min(2, '须写明所依据的通知文号').max(120, '最多120个字'),
    holidays: z.record(z.string(), holidayName),
    workdays: z.record(z.string(), holidayName).default({}),
  })
  .superRefine((c, ctx) => {
    const check = (field: 'holidays' | 'workdays'): void => {
      for (const date of Object.keys(c[field])) {
        if (!isLocalDate(date)) ctx.addIssue({ code: 'custom', path: [field, date], message: `${date}不是有效日期（YYYY-MM-DD）` });
        else if (yearOf(date) !== c.year) ctx.addIssue({ code: 'custom', path: [field, date], message: `${date}不在${c.year}年内` });
        else if (field === 'workdays' && dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6) {
          ctx.addIssue({ code: 'custom', path: [field, date], message: `${date}不是周末，无需调休上班` });
        }
      }
    };
    check('holidays');
    check('workdays');
    for (const date of Object.keys(c.workdays)) {
      if (c.holidays[date] !== undefined) ctx.addIssue({ code: 'custom', path: ['workdays', date], message: `${date}不能既是放假日又是调休上班日` });
    }
    if (Object.keys(c.holidays).length > 80) ctx.addIssue({ code: 'custom', path: ['holidays'], message: '放假日过多（最多80天）' });
  }));
export type CalendarYear = z.infer<typeof calendarYearSchema>;

/** The years a workflow's input may carry (the first it needs; it asks the worker for the rest). */
export const calendarYearsSchema = lazySchema(() => z.array(calendarYearSchema).max(6));

/** The festivals of the State Council's arrangement (全国年节及纪念日放假办法). */
const FESTIVALS = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];
/**
 * Above these the arrangement is not the State Council's usual one: the longest run of rest days
 * since 2008 was 10 (Spring Festival 2020), the most weekday holidays 23 (2013). A one-off rest day
 * outside the festivals (3 September 2015) is published by the department as a file checked by
 * hand, not through the API.
 */
export const MAX_CONSECUTIVE_REST_DAYS = 12;
export const MAX_WEEKDAY_HOLIDAYS = 25;

/**
 * Why an arrangement cannot be the State Council's (a typing error, or a calendar made to move
 * deadlines): rest days named for no festival, more weekday holidays than the festivals give, a
 * run of rest days longer than any Golden Week. Empty when it is plausible.
 */
export function unusualArrangement(c: CalendarYear): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const [date, label] of Object.entries(c.holidays)) {
    const parts = label.split(/[、,，+＋和及]/).map((x) => x.trim()).filter(Boolean);
    if (parts.length === 0 || parts.some((x) => !FESTIVALS.includes(x) && !FESTIVALS.includes(`${x}节`))) {
      out.push({ path: `holidays.${date}`, message: `“${label}”不是国务院放假安排中的节日（元旦、春节、清明节、劳动节、端午节、中秋节、国庆节）` });
    }
  }
  const weekday = Object.keys(c.holidays).filter((d) => isLocalDate(d) && dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6).length;
  if (weekday > MAX_WEEKDAY_HOLIDAYS) out.push({ path: 'holidays', message: `工作日放假${weekday}天，超过国务院通常安排（不超过${MAX_WEEKDAY_HOLIDAYS}天）` });
  let runStart: LocalDate | undefined;
  let run = 0;
  const end = `${c.year}-12-31`;
  for (let d = `${c.year}-01-01`; d <= end; d = addDays(d, 1)) {
    const weekend = dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
    const rest = c.holidays[d] !== undefined || (weekend && c.workdays[d] === undefined);
    if (rest) {
      if (run === 0) runStart = d;
      run++;
    }
    if ((!rest || d === end) && run > 0) {
      if (run > MAX_CONSECUTIVE_REST_DAYS) {
        out.push({ path: 'holidays', message: `${runStart}起连续休息${run}天，超过国务院通常安排的最长假期（${MAX_CONSECUTIVE_REST_DAYS}天）` });
      }
      run = 0;
    }
  }
  return out;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'swapped-workday';

export interface DayInfo {
  readonly date: LocalDate;
  readonly working: boolean;
  readonly kind: DayKind;
  /** Chinese name of the holiday the day belongs to, e.g. 元旦. */
  readonly holiday?: string;
  /** No official arrangement for the year: weekends only, to be confirmed. */
  readonly provisional: boolean;
}

/** Where a deadline on a rest day goes; `on-the-day` keeps it there (an activity the text fixes to a day, 每月1日). */
export type DeadlineRule = 'next-working-day' | 'last-working-day' | 'on-the-day';

export interface Deadline {
  /** The date the duty is due, on a working day. */
  readonly date: LocalDate;
  /** The date the rule names, before moving off a rest day. */
  readonly nominal: LocalDate;
  readonly adjusted: boolean;
  /** True when a year without an official arrangement was involved: weekends only, to be confirmed. */
  readonly provisional: boolean;
}

/**
 * Working days over the years it was given. Pure and deterministic: the same years give the same
 * answers on any host and at any time. Lookups are cached per instance.
 */
export class WorkCalendar {
  private readonly byYear = new Map<number, CalendarYear>();
  private readonly working = new Map<number, boolean>();

  constructor(years: readonly CalendarYear[]) {
    for (const y of years) this.byYear.set(y.year, y);
  }

  /** The arrangement of a year, when the calendar has one. */
  year(year: number): CalendarYear | undefined {
    return this.byYear.get(year);
  }

  /** A year without an official arrangement: weekends only, to be confirmed. */
  isProvisionalYear(year: number): boolean {
    return this.byYear.get(year)?.official !== true;
  }

  dayInfo(date: LocalDate): DayInfo {
    const y = this.byYear.get(yearOf(date));
    const provisional = y?.official !== true;
    const swapped = y?.workdays[date];
    if (swapped !== undefined) return { date, working: true, kind: 'swapped-workday', holiday: swapped, provisional };
    const holiday = y?.holidays[date];
    if (holiday !== undefined) return { date, working: false, kind: 'holiday', holiday, provisional };
    const dow = dayOfWeek(date);
    const weekend = dow === 0 || dow === 6;
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'workday', provisional };
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.workingOn(dayNumber(date));
  }

  /** Whether day number `n` is a working day; cached, since ladders ask about the same days at every wake-up. */
  private workingOn(n: number): boolean {
    let w = this.working.get(n);
    if (w === undefined) {
      w = this.dayInfo(fromDayNumber(n)).working;
      this.working.set(n, w);
    }
    return w;
  }

  /** The date itself when it is a working day, else the next working day. */
  nextWorkingDayOnOrAfter(date: LocalDate): LocalDate {
    let n = dayNumber(date);
    if (this.workingOn(n)) return date;
    while (!this.workingOn(n)) n++;
    return fromDayNumber(n);
  }

  /** The date itself when it is a working day, else the working day before it. */
  lastWorkingDayOnOrBefore(date: LocalDate): LocalDate {
    let n = dayNumber(date);
    if (this.workingOn(n)) return date;
    while (!this.workingOn(n)) n--;
    return fromDayNumber(n);
  }

  /**
   * Moves `n` working days from a date: n > 0 forwards, n < 0 backwards, n = 0 the date itself
   * when it is a working day, else the next one.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`working-day offset must be a whole number, got ${n}`);
    if (n === 0) return this.nextWorkingDayOnOrAfter(date);
    const step = n > 0 ? 1 : -1;
    let d = dayNumber(date);
    for (let left = abs(n); left > 0; ) {
      d += step;
      if (this.workingOn(d)) left--;
    }
    return fromDayNumber(d);
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    let n = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }

  /**
   * A deadline that falls on a rest day: `next-working-day` moves it forward (a recurring report,
   * 六(三)); `last-working-day` keeps it inside the period the text bounds it by ("12月底",
   * "11月下旬", a quarter) by moving it back to the last working day on or before it; `on-the-day`
   * keeps a day the text fixes (每月1日升国旗): a rest day is no excuse.
   */
  deadline(nominal: LocalDate, rule: DeadlineRule = 'next-working-day'): Deadline {
    const date = rule === 'on-the-day' ? nominal : rule === 'next-working-day' ? this.nextWorkingDayOnOrAfter(nominal) : this.lastWorkingDayOnOrBefore(nominal);
    return {
      date,
      nominal,
      adjusted: date !== nominal,
      provisional: this.isProvisionalYear(yearOf(nominal)) || this.isProvisionalYear(yearOf(date)),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Periods

export interface Period {
  /** Stable identifier, e.g. 2018-10-H2, 2018-10, 2018-Q4, 2018-H2, 2018. */
  readonly id: string;
  readonly start: LocalDate;
  readonly end: LocalDate;
  /** For officials, e.g. 2018年10月下半月. */
  readonly label: string;
}

export type PeriodUnit = 'half-month' | 'month' | 'quarter' | 'half-year' | 'year';

/** The period of a unit that contains a date. "Half month" is 1st–15th and 16th–last day (六(三)). */
export function periodOf(unit: PeriodUnit, date: LocalDate): Period {
  const { y, m, d } = mustParse(date);
  switch (unit) {
    case 'half-month': {
      const first = d <= 15;
      return {
        id: `${pad(y, 4)}-${pad(m)}-H${first ? 1 : 2}`,
        start: makeDate(y, m, first ? 1 : 16),
        end: makeDate(y, m, first ? 15 : daysInMonth(y, m)),
        label: `${y}年${m}月${first ? '上' : '下'}半月`,
      };
    }
    case 'month':
      return { id: `${pad(y, 4)}-${pad(m)}`, start: makeDate(y, m, 1), end: makeDate(y, m, daysInMonth(y, m)), label: `${y}年${m}月` };
    case 'quarter': {
      const q = ceil(m / 3);
      const last = q * 3;
      return {
        id: `${pad(y, 4)}-Q${q}`,
        start: makeDate(y, last - 2, 1),
        end: makeDate(y, last, daysInMonth(y, last)),
        label: `${y}年第${'一二三四'[q - 1]}季度`,
      };
    }
    case 'half-year': {
      const h = m <= 6 ? 1 : 2;
      return {
        id: `${pad(y, 4)}-H${h}`,
        start: makeDate(y, h === 1 ? 1 : 7, 1),
        end: makeDate(y, h === 1 ? 6 : 12, h === 1 ? 30 : 31),
        label: `${y}年${h === 1 ? '上' : '下'}半年`,
      };
    }
    case 'year':
      return { id: pad(y, 4), start: makeDate(y, 1, 1), end: makeDate(y, 12, 31), label: `${y}年` };
  }
}

/** The half month (2019-03-H1) or quarter (2019-Q1) an id names, as `periodOf` gives it. */
export function periodById(id: string): Period {
  const half = /^(\d{4})-(\d{2})-H([12])$/.exec(id);
  if (half && Number(half[2]) >= 1 && Number(half[2]) <= 12) return periodOf('half-month', `${half[1]}-${half[2]}-${half[3] === '1' ? '01' : '16'}`);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(id);
  if (quarter) return periodOf('quarter', `${quarter[1]}-${String(Number(quarter[2]) * 3).padStart(2, '0')}-01`);
  throw new RangeError(`not a half month or quarter id: ${id}`);
}

/** Every period of a unit that overlaps [from, to], in order. */
export function periodsOverlapping(unit: PeriodUnit, from: LocalDate, to: LocalDate): Period[] {
  const out: Period[] = [];
  for (let p = periodOf(unit, from); p.start <= to; p = periodOf(unit, addDays(p.end, 1))) out.push(p);
  return out;
}

/** "Late November" (下旬): the 21st to the 30th, when the acceptance evaluation is held (五(一)). */
export function lateNovember(year: number): Period {
  return { id: `${pad(year, 4)}-11-late`, start: makeDate(year, 11, 21), end: makeDate(year, 11, 30), label: `${year}年11月下旬` };
}

// ---------------------------------------------------------------------------------------------
// The three-year cycle (五(二)): year 1 rectify key problems, year 2 consolidate, year 3 upgrade.

export type Phase = 'rectify' | 'consolidate' | 'upgrade' | 'extended';

export const phaseLabels: Record<Phase, string> = {
  rectify: '重点问题整治',
  consolidate: '巩固',
  upgrade: '提升',
  extended: '延续整顿',
};

export interface CyclePosition {
  /** 1 in the designation year and the year after it (the plan year and the first acceptance), then 2, 3, … */
  readonly cycleYear: number;
  readonly phase: Phase;
}

/**
 * Where a target stands in its cycle on a date. The designation year only prepares the plan
 * (due in December), so cycle year 1 runs through the first acceptance in the following November;
 * past year 3 an untransformed target stays in rectification (五(四)).
 */
export function cyclePosition(designationDate: LocalDate, date: LocalDate): CyclePosition {
  if (date < designationDate) throw new RangeError(`${date} is before the designation date ${designationDate}`);
  const cycleYear = max(1, yearOf(date) - yearOf(designationDate));
  const phase: Phase = cycleYear === 1 ? 'rectify' : cycleYear === 2 ? 'consolidate' : cycleYear === 3 ? 'upgrade' : 'extended';
  return { cycleYear, phase };
}

/** The last day of cycle year `n` for a designation. */
export function cycleYearEnd(designationDate: LocalDate, n: number): LocalDate {
  return makeDate(yearOf(designationDate) + n, 12, 31);
}
