import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { caseNumberText } from '../../src/domain/names';
import { sampleRosterFile } from '../support/mail';

const roster = readRosterFile(sampleRosterFile);

test('a case number prints in words when it is the system’s own, as given otherwise', () => {
  expect(caseNumberText(roster, 'LH-2026-12-06-inquiry')).toBe('柳河镇2026年12月6日函询');
  expect(caseNumberText(roster, 'QS-2019-Q1-talk')).toBe('青石镇2019年第一季度约谈');
  // A number the department gave, or a township not in the roster, stays as it is.
  expect(caseNumberText(roster, 'BT-2019-009')).toBe('BT-2019-009');
  expect(caseNumberText(roster, 'XX-2026-12-06-inquiry')).toBe('XX-2026-12-06-inquiry');
});
