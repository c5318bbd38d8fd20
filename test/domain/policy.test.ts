import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, test } from 'vitest';
import { basisText, deadlineOf, builtinPolicy, parsePolicy, type Policy } from '../../src/domain/policy';
import { obligationKinds } from '../../src/domain/kinds';

describe("the county's policy", () => {
  test('the file shipped in the repository is the built-in policy', () => {
    const file = parseYaml(readFileSync(path.resolve(__dirname, '../../policy/county-policy.yaml'), 'utf8'));
    expect(parsePolicy(file)).toEqual({ ok: true, policy: builtinPolicy() });
  });

  test('the built-in policy is written as the schema reads it: parsing it gives it back, every default in place', () => {
    const r = parsePolicy(builtinPolicy());
    expect(r.ok && r.policy).toEqual(builtinPolicy());
    expect(Object.keys(builtinPolicy().deadlines).sort()).toEqual([...obligationKinds].sort());
  });

  test('a policy written before a kind of duty existed still reads, and the kind takes the built-in rule', () => {
    const text = readFileSync(path.resolve(__dirname, '../../policy/county-policy.yaml'), 'utf8').replace(/^ {2}inspection-finding:.*\n/m, '');
    const file = parseYaml(text) as { deadlines: Record<string, unknown> };
    expect('inspection-finding' in file.deadlines).toBe(false);
    const r = parsePolicy(file);
    expect(r.ok && r.policy.deadlines['inspection-finding']).toEqual({ rule: 'next-working-day', basis: 'county-practice' });
    // A policy recorded in a running workflow's state before the kind existed.
    const { 'inspection-finding': _gone, ...older } = builtinPolicy().deadlines;
    expect(deadlineOf({ deadlines: older as Policy['deadlines'] }, 'inspection-finding')).toEqual({ rule: 'next-working-day', basis: 'county-practice' });
  });

  test('every rule names its basis: a clause of the text, or county practice', () => {
    expect(builtinPolicy().ladders.local.basis).toBe('county-practice');
    expect(builtinPolicy().deadlines['rectification-plan']).toEqual({ rule: 'last-working-day', basis: '五(一)' });
    expect(builtinPolicy().deadlines['half-monthly-report']).toEqual({ rule: 'next-working-day', basis: 'county-practice' });
    expect(builtinPolicy().supervision.talkAfterMissedExplanation.basis).toBe('county-practice');
    expect(Object.keys(builtinPolicy().deadlines).sort()).toEqual([...obligationKinds].sort());
    expect(basisText('county-practice')).toBe('县委组织部工作要求');
    expect(basisText('四(一)1')).toBe('《方案》四(一)1');
  });

  test('the default ladders: a township duty escalates to the department, a county duty to its head', () => {
    expect(builtinPolicy().ladders.local.steps.map((s) => [s.id, s.offsetWorkingDays, s.notify])).toEqual([
      ['reminder', -3, ['responsible']],
      ['due-day', 0, ['responsible']],
      ['overdue', 1, ['responsible', 'township-party-secretary', 'township-liaison', 'village-contact-cadre', 'party-building-instructor', 'paired-department-leader']],
      ['red-warning', 3, ['org-department-staff', 'county-leader']],
    ]);
    expect(builtinPolicy().ladders.county.steps.at(-1)).toEqual({ id: 'red-warning', severity: 'red-warning', offsetWorkingDays: 3, notify: ['org-department-head'] });
    expect(builtinPolicy().urging).toEqual({ everyWorkingDays: 5, maxTimes: 6, basis: 'county-practice' });
  });

  test('a bad policy is rejected with each problem at its path, in Chinese; unknown fields too', () => {
    const r = parsePolicy({
      ...builtinPolicy(),
      version: 'v 2',
      morningHour: { value: 14, basis: 'county-practice' },
      ladders: {
        ...builtinPolicy().ladders,
        local: {
          basis: '按惯例',
          steps: [
            { id: 'early', severity: 'reminder', offsetWorkingDays: -2, notify: ['responsible'] },
            { id: 'early', severity: 'reminder', offsetWorkingDays: -5, notify: ['responsible'] },
            { id: 'late', severity: 'overdue', offsetWorkingDays: 0, notify: ['mayor'] },
          ],
        },
      },
      holidays: true,
    });
    expect(r.ok ? [] : r.issues.map((i) => `${i.path}：${i.message}`)).toEqual([
      'version：1–40个字母、数字、. _ -',
      'morningHour.value：不能大于11',
      'ladders.local.basis：须为方案条款（如五(一)、四(一)1）或 county-practice（县委组织部工作要求）',
      'ladders.local.steps.2.notify.0：输入无效',
      '(root)：不认识的字段：holidays',
    ]);
  });
});
