import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import type { ProgrammeView } from '../../src/contracts/programme';
import { computeFigures } from '../../src/documents/figures';
import { sampleRosterFile } from '../support/mail';

/**
 * 二's goal per designation year: the 2018 targets by the end of 2019 (the text); a later year's
 * by the end of the policy's number of years after it (county practice, one by default).
 */
const roster = readRosterFile(sampleRosterFile);
const programme = {
  targets: [
    { village: 'QS03', township: 'QS', date: '2018-10-15', transformedOn: '2019-11-25', active: true },
    { village: 'LH02', township: 'LH', date: '2019-10-16', transformedOn: '2021-11-24', active: true },
  ],
  open: [],
  dutyYears: {},
} as unknown as ProgrammeView;
const figures = (goalYears?: number) =>
  computeFigures({ asOf: '2022-06-30', now: Date.parse('2022-06-30T04:00:00Z'), roster, programme, villages: [], townships: [], ledger: [], cases: [], ...(goalYears ? { goalYears } : {}) }).byYear.map((y) => [y.designatedIn, y.goalDate, y.basis, y.transformed, y.met]);

test("the goal of a designation year: 二's date for 2018, the policy's years after it for a later one", () => {
  expect(figures()).toEqual([
    [2018, '2019-12-31', '二', 1, true],
    [2019, '2020-12-31', '县委组织部工作要求', 0, false],
  ]);
  // A county that gives its later targets two years: LH02, transformed in November 2021, met it.
  expect(figures(2)).toEqual([
    [2018, '2019-12-31', '二', 1, true],
    [2019, '2021-12-31', '县委组织部工作要求', 1, true],
  ]);
});
