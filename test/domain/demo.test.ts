import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { demoRoster, markDemoRunning, shiftYears, useRunningDemo } from '../../src/demo';
import { sampleRosterFile } from '../support/mail';

/** `npm start -- --demo`: the sample county as if designated this autumn, nothing else changed. */
describe('the demo roster', () => {
  const original = readRosterFile(sampleRosterFile);

  test('on 30 November 2026 the targets of October 2018 are designated in October 2026', () => {
    const { roster, years } = demoRoster(sampleRosterFile, Date.parse('2026-11-30T00:00:00Z'));
    expect(years).toBe(8);
    expect(roster.designations.map((d) => [d.village, d.date])).toEqual(original.designations.map((d) => [d.village, d.date.replace(/^2018/, '2026')]));
    expect(roster.programmeStart).toBe('2026-01-01');
    // The yearly records move too; one that lands after this year has not happened yet and is left out (2019's ratings would be 2027's).
    expect(roster.ratings.map((r) => r.year)).toEqual(original.ratings.map((r) => r.year + 8).filter((y) => y <= 2026));
    expect(roster.ratings.length).toBeGreaterThan(0);
    expect(original.ratings.some((r) => r.year + 8 > 2026)).toBe(true);
    expect(roster.admissions.map((a) => [a.village, a.year, a.members])).toEqual(original.admissions.filter((a) => a.year + 8 <= 2026).map((a) => [a.village, a.year + 8, a.members]));
    // Nothing else changes: the people, their posts and the evidence of each designation.
    expect(roster.people.map((p) => [p.id, p.email, p.role])).toEqual(original.people.map((p) => [p.id, p.email, p.role]));
    expect(roster.designations.map((d) => d.criteria)).toEqual(original.designations.map((d) => d.criteria));
    const fs = roster.people.find((p) => p.id === 'qs03-fs');
    expect(fs && 'since' in fs ? fs.since : undefined).toBe('2026-10-01');
  });

  test('before September the latest autumn is last year’s', () => {
    expect(demoRoster(sampleRosterFile, Date.parse('2027-08-31T00:00:00Z')).years).toBe(8);
    expect(demoRoster(sampleRosterFile, Date.parse('2027-09-01T00:00:00Z')).years).toBe(9);
  });

  test('29 February moves to the 28th in a common year', () => {
    expect(shiftYears('2020-02-29', 1)).toBe('2021-02-28');
    expect(shiftYears('2020-02-29', 4)).toBe('2024-02-29');
  });
});

test('the CLI beside a running demo reads its roster, unless told otherwise; a demo that ended leaves nothing behind', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'demo-marker-'));
  const unmark = markDemoRunning(dir, { ROSTER_FILE: path.join(dir, 'roster.json'), DOCUMENT_DIR: path.join(dir, 'documents') });
  const env: NodeJS.ProcessEnv = {};
  expect(useRunningDemo(dir, env)).toMatch(/^演示模式运行中：按演示的名册和文件（ROSTER_FILE=.*roster\.json，DOCUMENT_DIR=.*documents）$/);
  expect(env.ROSTER_FILE).toBe(path.join(dir, 'roster.json'));
  // A roster named in the environment wins.
  const named: NodeJS.ProcessEnv = { ROSTER_FILE: 'mine.json', DOCUMENT_DIR: 'docs' };
  expect(useRunningDemo(dir, named)).toBeUndefined();
  expect(named.ROSTER_FILE).toBe('mine.json');
  unmark();
  expect(useRunningDemo(dir, {})).toBeUndefined();
  // A marker left by a demo that was killed: its process is gone.
  writeFileSync(path.join(dir, 'running.json'), JSON.stringify({ pid: 2 ** 22 + 12345, env: { ROSTER_FILE: 'x' } }));
  const after: NodeJS.ProcessEnv = {};
  expect(useRunningDemo(dir, after)).toBeUndefined();
  expect(after.ROSTER_FILE).toBeUndefined();
});
