import { bundledYears } from '../../src/activities/calendar-store';
import { WorkCalendar, type CalendarYear } from '../../src/domain/calendar';
import { builtinPolicy, type Policy } from '../../src/domain/policy';
import type { LayoutContext } from '../../src/domain/obligations';

/** The arrangement the worker ships with (the `chinese-days` package's years). */
export const shippedYears: readonly CalendarYear[] = bundledYears();
export const calendar = new WorkCalendar(shippedYears);
export const LAST_SHIPPED_YEAR = Math.max(...shippedYears.map((y) => y.year));

export function layout(policy: Policy = builtinPolicy(), years: readonly CalendarYear[] = shippedYears): LayoutContext {
  return { calendar: new WorkCalendar(years), policy };
}

/**
 * A fictional official arrangement for 2027, as an operator would publish it (the real one is not
 * known to these tests): New Year's Day on Friday 1 January with Saturday 2 January worked…
 */
export const official2027: CalendarYear = {
  year: 2027,
  official: true,
  source: '国办发明电〔2026〕99号（测试用）',
  holidays: {
    '2027-01-01': '元旦',
    '2027-02-05': '春节',
    '2027-02-06': '春节',
    '2027-02-07': '春节',
    '2027-02-08': '春节',
    '2027-02-09': '春节',
    '2027-02-10': '春节',
    '2027-02-11': '春节',
    '2027-02-12': '春节',
    '2027-10-01': '国庆节',
    '2027-10-04': '国庆节',
    '2027-10-05': '国庆节',
    '2027-10-06': '国庆节',
    '2027-10-07': '国庆节',
    '2027-12-31': '元旦',
  },
  workdays: { '2027-01-31': '春节', '2027-02-13': '春节', '2027-10-09': '国庆节' },
};

/**
 * A fictional official arrangement for 2028 (the real one is not known to these tests): the
 * Spring Festival from Wednesday 26 January to Wednesday 2 February, Saturday 29 January and
 * Sunday 6 February worked.
 */
export const official2028: CalendarYear = {
  year: 2028,
  official: true,
  source: '国办发明电〔2027〕99号（测试用）',
  holidays: {
    '2028-01-01': '元旦',
    '2028-01-26': '春节',
    '2028-01-27': '春节',
    '2028-01-28': '春节',
    '2028-01-30': '春节',
    '2028-01-31': '春节',
    '2028-02-01': '春节',
    '2028-02-02': '春节',
  },
  workdays: { '2028-01-29': '春节', '2028-02-06': '春节' },
};
