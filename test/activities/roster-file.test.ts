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
