import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  addDays,
  addMonths,
  addWorkingDays,
  adjustDeadline,
  cyclePosition,
  dayInfo,
  dayNumber,
  fromDayNumber,
  instantOf,
  isWorkingDay,
  isoInstant,
  lateNovember,
  LAST_COVERED_YEAR,
  localDateOf,
  nextWorkingDayOnOrAfter,
  periodById,
  periodOf,
  periodsOverlapping,
  planDeadline,
} from '../../src/domain/calendar';

const anyDate = fc.integer({ min: dayNumber('2010-01-01'), max: dayNumber('2035-12-31') }).map(fromDayNumber);

describe('working days (State Council arrangement, 调休)', () => {
  test('the plan deadline of a village designated in autumn 2018 moves off 31 December, a holiday, to 2 January 2019', () => {
    expect(planDeadline('2018-10-15')).toEqual({ date: '2019-01-02', nominal: '2018-12-31', adjusted: true, provisional: false });
    expect(dayInfo('2018-12-31')).toMatchObject({ working: false, kind: 'holiday', holiday: '元旦' });
    expect(dayInfo('2019-01-01')).toMatchObject({ working: false, kind: 'holiday' });
  });

  test('a swapped working Saturday counts as a working day; an ordinary Saturday does not', () => {
    expect(dayInfo('2018-12-29')).toMatchObject({ working: true, kind: 'swapped-workday', holiday: '元旦' });
    expect(dayInfo('2019-01-05')).toMatchObject({ working: false, kind: 'weekend' });
    expect(addWorkingDays('2019-02-01', 1)).toBe('2019-02-02'); // Saturday before Spring Festival 2019, worked
    expect(addWorkingDays('2019-02-03', 1)).toBe('2019-02-11'); // over the Spring Festival holiday
    expect(addWorkingDays('2019-01-02', -3)).toBe('2018-12-27'); // 1 Jan, 31 Dec, 30 Dec rest; 29 Dec worked
  });

  test('a deadline on an ordinary working day stays', () => {
    expect(adjustDeadline('2019-03-15')).toEqual({ date: '2019-03-15', nominal: '2019-03-15', adjusted: false, provisional: false });
  });

  test('years without holiday data fall back to weekends only and are marked provisional', () => {
    const year = LAST_COVERED_YEAR + 2; // 2028 with the data as shipped
    const sunday = [...Array(7).keys()].map((i) => `${year}-12-${25 + i}`).find((d) => dayInfo(d).kind === 'weekend' && new Date(`${d}T00:00:00Z`).getUTCDay() === 0)!;
    expect(dayInfo(sunday)).toMatchObject({ working: false, kind: 'weekend', provisional: true });
    expect(dayInfo(`${year}-01-01`)).toMatchObject({ provisional: true });
    expect(adjustDeadline(sunday)).toEqual({ date: addDays(sunday, 1), nominal: sunday, adjusted: true, provisional: true });
    expect(adjustDeadline(`${LAST_COVERED_YEAR}-06-30`).provisional).toBe(false);
  });

  test('next working day: on or after the date, a working day, nothing working skipped', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        const next = nextWorkingDayOnOrAfter(d);
        expect(next >= d).toBe(true);
        expect(isWorkingDay(next)).toBe(true);
        for (let x = d; x < next; x = addDays(x, 1)) expect(isWorkingDay(x)).toBe(false);
      }),
    );
  });

  test('moving n working days and back returns to a working day', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 30 }), (d, n) => {
        const start = nextWorkingDayOnOrAfter(d);
        const there = addWorkingDays(start, n);
        expect(isWorkingDay(there)).toBe(true);
        expect(there > start).toBe(true);
        expect(addWorkingDays(there, -n)).toBe(start);
      }),
    );
  });
});

describe('China Standard Time, whatever the host time zone', () => {
  test('instants and civil dates convert at UTC+8', () => {
    expect(isoInstant(instantOf('2019-01-02', 9))).toBe('2019-01-02T01:00:00.000Z');
    expect(localDateOf(Date.parse('2018-12-31T15:59:59.999Z'))).toBe('2018-12-31');
    expect(localDateOf(Date.parse('2018-12-31T16:00:00Z'))).toBe('2019-01-01');
  });

  test('the same answers with the host in another time zone', () => {
    const original = process.env.TZ;
    const answers = (): unknown => [
      planDeadline('2018-10-15'),
      dayInfo('2018-12-29'),
      addWorkingDays('2019-02-03', 1),
      localDateOf(Date.parse('2018-12-31T16:00:00Z')),
      instantOf('2019-01-02', 9),
      periodOf('half-month', '2019-02-16'),
    ];
    try {
      process.env.TZ = 'Asia/Shanghai';
      const shanghai = answers();
      process.env.TZ = 'America/Los_Angeles';
      expect(new Date(0).getHours()).toBe(16); // the host really is elsewhere now
      expect(answers()).toEqual(shanghai);
    } finally {
      process.env.TZ = original;
    }
  });
});

describe('periods', () => {
  test('half months are the 1st–15th and the 16th–last day (六(三))', () => {
    expect(periodOf('half-month', '2019-02-15')).toEqual({ id: '2019-02-H1', start: '2019-02-01', end: '2019-02-15', label: '2019年2月上半月' });
    expect(periodOf('half-month', '2019-02-16')).toEqual({ id: '2019-02-H2', start: '2019-02-16', end: '2019-02-28', label: '2019年2月下半月' });
    expect(periodOf('half-month', '2020-02-20').end).toBe('2020-02-29');
  });

  test('quarters, half years, years and late November', () => {
    expect(periodOf('quarter', '2019-08-01')).toEqual({ id: '2019-Q3', start: '2019-07-01', end: '2019-09-30', label: '2019年第三季度' });
    expect(periodOf('half-year', '2019-08-01')).toMatchObject({ id: '2019-H2', start: '2019-07-01', end: '2019-12-31' });
    expect(periodOf('year', '2019-08-01')).toMatchObject({ id: '2019', start: '2019-01-01', end: '2019-12-31' });
    expect(lateNovember(2019)).toMatchObject({ start: '2019-11-21', end: '2019-11-30', label: '2019年11月下旬' });
  });

  test('periods overlapping a range tile it without gaps', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 800 }), fc.constantFrom('half-month', 'month', 'quarter', 'half-year', 'year' as const), (from, len, unit) => {
        const to = addDays(from, len);
        const ps = periodsOverlapping(unit, from, to);
        expect(ps[0]!.start <= from).toBe(true);
        expect(ps.at(-1)!.end >= to).toBe(true);
        ps.slice(1).forEach((p, i) => expect(p.start).toBe(addDays(ps[i]!.end, 1)));
      }),
    );
  });

  test('adding months clamps to the end of a shorter month', () => {
    expect(addMonths('2019-08-31', 6)).toBe('2020-02-29');
    expect(addMonths('2019-01-15', -1)).toBe('2018-12-15');
  });
});

describe('the three-year cycle (五(二))', () => {
  test('a target designated in October 2018 rectifies through its first acceptance in 2019, consolidates in 2020, upgrades in 2021', () => {
    expect(cyclePosition('2018-10-15', '2018-12-01')).toEqual({ cycleYear: 1, phase: 'rectify' });
    expect(cyclePosition('2018-10-15', '2019-11-25')).toEqual({ cycleYear: 1, phase: 'rectify' });
    expect(cyclePosition('2018-10-15', '2020-03-01')).toEqual({ cycleYear: 2, phase: 'consolidate' });
    expect(cyclePosition('2018-10-15', '2021-12-31')).toEqual({ cycleYear: 3, phase: 'upgrade' });
    expect(cyclePosition('2018-10-15', '2022-01-01')).toEqual({ cycleYear: 4, phase: 'extended' });
  });

  test('a date before the designation is refused', () => {
    expect(() => cyclePosition('2018-10-15', '2018-10-14')).toThrow('2018-10-14 is before the designation date 2018-10-15');
  });

  test('malformed dates are refused with the value', () => {
    expect(() => planDeadline('2018-02-30')).toThrow('not a calendar date (YYYY-MM-DD): "2018-02-30"');
  });
});

test('a half month or quarter id names its period', () => {
  expect(periodById('2019-03-H2')).toEqual(periodOf('half-month', '2019-03-16'));
  expect(periodById('2019-Q4')).toMatchObject({ start: '2019-10-01', end: '2019-12-31', label: '2019年第四季度' });
  expect(() => periodById('2019-13')).toThrow('not a half month or quarter id: 2019-13');
});
