import { describe, expect, test } from 'vitest';
import { adjustDeadline } from '../../src/domain/calendar';
import { defaultEscalationPolicy, escalationPolicySchema, ladderFor } from '../../src/domain/escalation';
import { formatPath } from '../../src/domain/roster';

describe('escalation policy', () => {
  const problems = (policy: unknown): string[] => {
    const r = escalationPolicySchema.safeParse(policy);
    return r.success ? [] : r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  };

  test('the default ladder: reminder, due day, overdue notice to the township party secretary too, red warning to the county', () => {
    expect(defaultEscalationPolicy.steps.map((s) => [s.id, s.offsetWorkingDays, s.notify])).toEqual([
      ['reminder', -3, ['responsible']],
      ['due-day', 0, ['responsible']],
      ['overdue', 1, ['responsible', 'township-party-secretary']],
      ['red-warning', 3, ['org-department-staff']],
    ]);
  });

  test('a bad policy is rejected with each problem at its path', () => {
    expect(
      problems({
        morningHour: 14,
        steps: [
          { id: 'early', severity: 'reminder', offsetWorkingDays: -2, notify: ['responsible'] },
          { id: 'early', severity: 'reminder', offsetWorkingDays: -5, notify: ['responsible'] },
          { id: 'late', severity: 'overdue', offsetWorkingDays: 0, notify: [] },
          { id: 'boss', severity: 'red-warning', offsetWorkingDays: 4, notify: ['mayor'] },
        ],
      }),
    ).toEqual([
      'morningHour: Too big: expected number to be <=11',
      'steps[2].notify: a step notifies at least one recipient',
      'steps[3].notify[0]: Invalid input',
    ]);
    expect(
      problems({
        morningHour: 9,
        steps: [
          { id: 'early', severity: 'reminder', offsetWorkingDays: -2, notify: ['responsible'] },
          { id: 'early', severity: 'reminder', offsetWorkingDays: -5, notify: ['responsible'] },
          { id: 'late', severity: 'overdue', offsetWorkingDays: 0, notify: ['responsible'] },
        ],
      }),
    ).toEqual([
      'steps[1].id: duplicate step id early',
      'steps[1].offsetWorkingDays: must come after the previous step (-2); steps are in ladder order',
      'steps[2].offsetWorkingDays: the overdue step must come after the due date (offset > 0)',
    ]);
  });

  test('steps fall on working days in the morning, China time, with `responsible` resolved to the post', () => {
    const steps = ladderFor(adjustDeadline('2019-02-15'), 'organization-officer', { ...defaultEscalationPolicy, morningHour: 8 });
    expect(steps.map((s) => [s.id, s.date, s.at, s.notify])).toEqual([
      ['reminder', '2019-02-12', '2019-02-12T00:00:00.000Z', ['organization-officer']],
      ['due-day', '2019-02-15', '2019-02-15T00:00:00.000Z', ['organization-officer']],
      ['overdue', '2019-02-18', '2019-02-18T00:00:00.000Z', ['organization-officer', 'township-party-secretary']],
      ['red-warning', '2019-02-20', '2019-02-20T00:00:00.000Z', ['org-department-staff']],
    ]);
  });
});
