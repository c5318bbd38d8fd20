import { describe, expect, test } from 'vitest';
import { Book, emptyBook } from '../../src/domain/book';
import { WorkCalendar, instantOf } from '../../src/domain/calendar';
import { townshipDuties, villageDuties, openEntry, type Duty } from '../../src/domain/obligations';
import { builtinPolicy, policySchema } from '../../src/domain/policy';
import { layout, official2027, shippedYears } from '../support/calendar';

const ctx = layout();
const at = (date: string, hour = 0): number => instantOf(date, hour);
const qs03 = { village: 'QS03', township: 'QS', designation: { village: 'QS03', date: '2018-10-15' }, hasFirstSecretary: false };
const planDuty = villageDuties(qs03, builtinPolicy(), '2018-10-15', '2018-10-15').find((d) => d.kind === 'rectification-plan')!;

function bookWith(duties: readonly Duty[], now: number, startedAt = at('2018-10-15')): Book {
  const book = new Book(emptyBook());
  book.sync(duties, now, startedAt, (d) => openEntry(d, ctx, now));
  return book;
}

describe('the obligation book', () => {
  test('a plan never submitted stays open and overdue, months later, with each step sent once', () => {
    const book = bookWith([planDuty], at('2018-10-15', 10));
    const sent: string[] = [];
    for (const day of ['2018-12-26', '2018-12-29', '2019-01-02', '2019-01-04', '2019-03-01', '2019-07-01']) {
      for (const { step } of book.due(at(day, 9))) sent.push(`${day} ${step.id}`);
    }
    expect(sent).toEqual(['2018-12-26 reminder', '2018-12-29 due-day', '2019-01-02 overdue', '2019-01-04 red-warning']);
    expect(book.overdue(at('2019-07-01')).map((e) => e.id)).toEqual(['rectification-plan/village:QS03/2018']);
    expect(book.nextStepAt(at('2019-07-01'))).toBeUndefined();
  });

  test('steps missed while the worker was down are superseded by the latest; nothing is sent late one after another', () => {
    const book = bookWith([planDuty], at('2018-10-15', 10));
    expect(book.due(at('2019-01-03', 9)).map((d) => d.step.id)).toEqual(['overdue']);
    expect(book.open[0]!.steps.map((s) => [s.id, s.skipped ?? false, s.sentAt !== undefined])).toEqual([
      ['reminder', true, false],
      ['due-day', true, false],
      ['overdue', false, true],
      ['red-warning', false, false],
    ]);
  });

  test('closing: on time, late, waived, a result, leaving supervision; each says how, by whom, when', () => {
    const book = bookWith([planDuty], at('2018-10-15', 10));
    expect(book.fulfil(planDuty.id, '2019-01-07', at('2019-01-07', 10), 'qs-sec')?.closed).toEqual({ how: 'late', on: '2019-01-07', at: '2019-01-07T02:00:00.000Z', by: 'qs-sec' });
    const again = bookWith([planDuty], at('2018-10-15', 10));
    expect(again.fulfil(planDuty.id, '2018-12-20', at('2018-12-20', 10))?.closed.how).toBe('fulfilled');
    expect(again.knows(planDuty.id)).toBe(true);
    // A duty the book knows, closed, is not opened again.
    again.sync([planDuty], at('2018-12-21'), at('2018-10-15'), (d) => openEntry(d, ctx, at('2018-12-21')));
    expect(again.open).toEqual([]);
  });

  test('what fell due before the entity started is not owed to it', () => {
    const book = bookWith([planDuty], at('2019-02-01'), at('2019-02-01'));
    expect(book.open).toEqual([]);
  });

  test('a provisional year made official moves the due dates that depended on it, and only the steps not yet sent', () => {
    const reports = townshipDuties('QS', [{ village: 'QS03', date: '2026-10-15' }], '2027-02-01', '2027-02-10');
    const [h1] = reports;
    const book = new Book(emptyBook());
    const now = at('2027-02-01', 10);
    book.sync([h1!], now, at('2026-10-15'), (d) => openEntry(d, ctx, now));
    expect(book.open[0]!.due).toMatchObject({ date: '2027-02-15', provisional: true });
    const official = { calendar: new WorkCalendar([...shippedYears, official2027]), policy: builtinPolicy() };
    // 2027-02-15 is a working Monday in the fictional arrangement too: the date stays, but it is no longer provisional.
    expect(book.redate(official, now, () => false)).toEqual([]);
    expect(book.open[0]!.due).toMatchObject({ date: '2027-02-15', provisional: false });
  });

  test('a new rule in the policy moves an open duty and tells what it was', () => {
    const reports = townshipDuties('QS', [{ village: 'QS03', date: '2018-10-15' }], '2019-03-16', '2019-03-20');
    const book = new Book(emptyBook());
    const now = at('2019-03-20', 10);
    book.sync(reports, now, at('2018-10-15'), (d) => openEntry(d, ctx, now));
    const h2 = book.open.find((e) => e.kind === 'half-monthly-report')!;
    expect(h2.due.date).toBe('2019-04-01');
    const stricter = policySchema.parse({ ...builtinPolicy(), version: 'v2', deadlines: { ...builtinPolicy().deadlines, 'half-monthly-report': { rule: 'last-working-day', basis: 'county-practice' } } });
    const moved = book.redate({ calendar: ctx.calendar, policy: stricter }, now, () => false);
    expect(moved.map((m) => [m.entry.id, m.from.date, m.entry.due.date])).toEqual([['half-monthly-report/township:QS/2019-03-H2', '2019-04-01', '2019-03-29']]);
    expect(h2.policyVersion).toBe('v2');
  });

  test('closed duties are remembered for the timeline, a bounded number, recent ones', () => {
    const state = emptyBook();
    const book = new Book(state);
    for (let i = 0; i < 300; i++) {
      const d: Duty = { ...planDuty, id: `x/${i}`, period: { ...planDuty.period, id: String(i) } };
      book.add(openEntry(d, ctx, at('2018-10-15')));
      book.close(`x/${i}`, { how: 'waived', on: '2018-11-01', at: '2018-11-01T00:00:00Z' });
    }
    book.prune('2018-11-02');
    expect(state.closed).toHaveLength(250);
    book.prune('2021-01-01');
    expect(state.closed).toEqual([]);
  });
});
