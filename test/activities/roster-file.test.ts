import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { stringify } from 'yaml';
import { readRosterFile, RosterFileError, rosterFileSource } from '../../src/activities/roster-file';
import { sampleRosterFile } from '../support/mail';

const dir = mkdtempSync(path.join(tmpdir(), 'roster-'));
const sample = JSON.parse(readFileSync(sampleRosterFile, 'utf8')) as { people: { id: string; email: string }[] };

test('a YAML roster reads like the JSON one', () => {
  const file = path.join(dir, 'county.yaml');
  writeFileSync(file, stringify(sample));
  expect(readRosterFile(file)).toEqual(readRosterFile(sampleRosterFile));
});

test('unreadable or malformed files are reported with the file', () => {
  expect(() => readRosterFile(path.join(dir, 'missing.json'))).toThrow(RosterFileError);
  const broken = path.join(dir, 'broken.json');
  writeFileSync(broken, '{"county": ');
  expect(() => readRosterFile(broken)).toThrow(new RegExp(`${broken}: \\(file\\): 不是有效的JSON`));
});

test('the source re-reads the file when it changes, so a successor in a post is picked up (六(一))', () => {
  const file = path.join(dir, 'live.json');
  writeFileSync(file, JSON.stringify(sample));
  const source = rosterFileSource(file);
  expect(source.current().people.find((p) => p.id === 'qs-sec')?.email).toBe('qs-sec@township.example.org');
  const changed = structuredClone(sample);
  changed.people.find((p) => p.id === 'qs-sec')!.email = 'new-qs-sec@township.example.org';
  writeFileSync(file, JSON.stringify(changed));
  utimesSync(file, new Date(), new Date(Date.now() + 5_000));
  expect(source.current().people.find((p) => p.id === 'qs-sec')?.email).toBe('new-qs-sec@township.example.org');
});

test('a file edited into an invalid state leaves the last valid roster in use, says why once, and recovers when mended', () => {
  const file = path.join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify(sample));
  const told: (string | undefined)[] = [];
  const source = rosterFileSource(file, (problem) => told.push(problem?.message));
  writeFileSync(file, JSON.stringify({ ...sample, people: [{ ...sample.people[0], email: 'not-an-address' }, ...sample.people.slice(1)] }));
  utimesSync(file, new Date(), new Date(Date.now() + 5_000));
  expect(source.current().people.find((p) => p.id === sample.people[0]!.id)?.email).toBe(sample.people[0]!.email);
  expect(source.problem()?.message).toContain('people[0].email: 应为电子邮件地址');
  source.current();
  expect(told).toHaveLength(1);
  writeFileSync(file, JSON.stringify(sample));
  utimesSync(file, new Date(), new Date(Date.now() + 10_000));
  source.current();
  expect(source.problem()).toBeUndefined();
  expect(told).toEqual([expect.stringContaining('名册有误'), undefined]);
});

test('a roster that is wrong from the start stops the process that reads it', () => {
  const file = path.join(dir, 'wrong-from-start.json');
  writeFileSync(file, '{');
  expect(() => rosterFileSource(file)).toThrow(/不是有效的JSON/);
});
