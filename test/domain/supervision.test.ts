import { describe, expect, test } from 'vitest';
import { Book, emptyBook } from '../../src/domain/book';
import { instantOf } from '../../src/domain/calendar';
import { acceptanceTargets, openEntry, townshipDuties } from '../../src/domain/obligations';
import { builtinPolicy, policySchema } from '../../src/domain/policy';
import { explanationDeadline, quartersToPropose, reportLapses } from '../../src/domain/supervision';
import { calendar, layout } from '../support/calendar';

const ctx = layout();
const qs03 = { village: 'QS03', date: '2018-10-15' };

function januaryBook(): Book {
  const book = new Book(emptyBook());
  const now = instantOf('2019-01-16', 1);
  book.sync(townshipDuties('QS', [qs03], '2019-01-01', '2019-01-31'), now, instantOf('2018-10-15'), (d) => openEntry(d, ctx, now));
  return book;
}

describe('reporting lapses (六(三))', () => {
  test('a report not in by the end of its due day is missing; one fulfilled after it is late; one on the due day is on time', () => {
    const book = januaryBook();
    const now = instantOf('2019-02-10');
    expect(reportLapses(book.open, book.s.closed, now)).toEqual([
      { periodId: '2019-01-H1', quarter: '2019-Q1', kind: 'missing' },
      { periodId: '2019-01-H2', quarter: '2019-Q1', kind: 'missing' },
    ]);
    book.fulfil('half-monthly-report/township:QS/2019-01-H1', '2019-01-15', instantOf('2019-01-15', 23));
    book.fulfil('half-monthly-report/township:QS/2019-01-H2', '2019-02-01', instantOf('2019-02-01', 8));
    expect(reportLapses(book.open, book.s.closed, now)).toEqual([{ periodId: '2019-01-H2', quarter: '2019-Q1', kind: 'late' }]);
  });

  test('nothing is a lapse before its due time has passed; a waived report is none', () => {
    const book = januaryBook();
    expect(reportLapses(book.open, book.s.closed, instantOf('2019-01-15', 23))).toEqual([]);
    book.close('half-monthly-report/township:QS/2019-01-H1', { how: 'waived', on: '2019-01-20', at: '2019-01-20T00:00:00Z', by: 'zzb-zhang', note: '春节前集中报送' });
    expect(reportLapses(book.open, book.s.closed, instantOf('2019-02-10')).map((l) => l.periodId)).toEqual(['2019-01-H2']);
  });

  test('a quarter is proposed once its lapses reach the threshold (default two), not before', () => {
    const one = [{ periodId: '2019-01-H1', quarter: '2019-Q1', kind: 'missing' as const }];
    const two = [...one, { periodId: '2019-03-H2', quarter: '2019-Q1', kind: 'late' as const }];
    const otherQuarter = [...one, { periodId: '2019-04-H1', quarter: '2019-Q2', kind: 'missing' as const }];
    expect(quartersToPropose(one, builtinPolicy())).toEqual([]);
    expect(quartersToPropose(otherQuarter, builtinPolicy())).toEqual([]);
    expect(quartersToPropose(two, builtinPolicy())).toEqual([{ quarter: '2019-Q1', lapses: two }]);
    const three = policySchema.parse({ ...builtinPolicy(), supervision: { ...builtinPolicy().supervision, lapsesPerQuarter: { value: 3, basis: 'county-practice' } } });
    expect(quartersToPropose(two, three)).toEqual([]);
  });
});

describe('inquiry deadlines (六(四); the working days are county practice)', () => {
  test('the explanation is due ten working days after the letter, counting around holidays', () => {
    expect(explanationDeadline('2019-03-01', calendar, builtinPolicy()).date).toBe('2019-03-15');
    // Spring Festival 2019 (4–10 February); 2 and 3 February were swapped working days.
    expect(explanationDeadline('2019-01-30', calendar, builtinPolicy()).date).toBe('2019-02-18');
    const five = policySchema.parse({ ...builtinPolicy(), supervision: { ...builtinPolicy().supervision, explanationWorkingDays: { value: 5, basis: 'county-practice' } } });
    expect(explanationDeadline('2019-03-01', calendar, five).date).toBe('2019-03-08');
    expect(explanationDeadline('2019-03-01', calendar, builtinPolicy()).instant).toBe('2019-03-15T16:00:00.000Z');
  });
});

test('the acceptance campaign of a year covers targets designated before it and under rectification then (五(一))', () => {
  const targets = [qs03, { village: 'LH02', date: '2019-03-01' }, { village: 'BT05', date: '2018-10-17', withdrawnOn: '2019-06-01' }];
  expect(acceptanceTargets(targets, 2019).map((t) => t.village)).toEqual(['QS03']);
  expect(acceptanceTargets(targets, 2020).map((t) => t.village)).toEqual(['QS03', 'LH02']);
});
