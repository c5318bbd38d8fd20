import { mkdtempSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { stringify } from 'yaml';
import { readRosterFile, RECHECK_MS, RosterFileError, rosterFileSource } from '../../src/activities/roster-file';
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

test('a contact point held less than three years does not change by editing the file; a successor naming the leader takes it over (六(一))', () => {
  type Leader = { id: string; name: string; email: string; role: string; township?: string; village?: string; since?: string; succeeds?: string };
  const file = path.join(dir, 'contact.json');
  const since = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10); // about a year ago
  const base = structuredClone(sample) as unknown as { people: Leader[] };
  base.people.find((p) => p.id === 'leader-qs03')!.since = since;
  writeFileSync(file, JSON.stringify(base));
  const source = rosterFileSource(file);
  let stamp = Date.now();
  const write = (r: unknown): void => {
    writeFileSync(file, JSON.stringify(r));
    stamp += 5_000;
    utimesSync(file, new Date(), new Date(stamp));
  };

  // Moved to another township within three years: refused, the roster in use unchanged.
  const moved = structuredClone(base);
  Object.assign(moved.people.find((p) => p.id === 'leader-qs03')!, { township: 'LH', village: 'LH02' });
  write(moved);
  expect(source.current().people.find((p) => p.id === 'leader-qs03')).toMatchObject({ township: 'QS', village: 'QS03' });
  const index = moved.people.findIndex((p) => p.id === 'leader-qs03');
  expect(source.problem()?.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
    `people.${index}: 赖淑芬（leader-qs03）的联系点青石镇东风村自${since}起未满三年，不能改变（六(一)“一定三年不变”）；班子调整的，请为继任者填写“接替：leader-qs03”并联系同一乡镇和村`,
  ]);

  // The leader leaves and a successor who names them takes the same contact point: accepted.
  const succeeded = structuredClone(base);
  succeeded.people = succeeded.people.filter((p) => p.id !== 'leader-qs03');
  succeeded.people.push({ id: 'leader-qs03-new', name: '新任领导', email: 'leader-qs03-new@county.example.org', role: 'county-leader', township: 'QS', village: 'QS03', since: new Date().toISOString().slice(0, 10), succeeds: 'leader-qs03' });
  write(succeeded);
  expect(source.current().people.find((p) => p.id === 'leader-qs03-new')).toMatchObject({ township: 'QS', village: 'QS03', succeeds: 'leader-qs03' });
  expect(source.problem()).toBeUndefined();
});

test('a watched roster (the worker\'s) sees an edit in place and a replaced file within a second', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'roster-watched-'));
  const file = path.join(folder, 'county.json');
  writeFileSync(file, JSON.stringify(sample));
  const source = rosterFileSource(file, undefined, { watch: true });
  const emailOf = (): string | undefined => source.current().people.find((p) => p.id === 'qs-sec')?.email;
  const seen = async (email: string): Promise<void> => {
    const deadline = Date.now() + RECHECK_MS + 2_000;
    while (emailOf() !== email) {
      if (Date.now() > deadline) throw new Error(`the roster did not change to ${email}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  expect(emailOf()).toBe('qs-sec@township.example.org');

  // Edited in place.
  const edited = structuredClone(sample);
  edited.people.find((p) => p.id === 'qs-sec')!.email = 'edited-qs-sec@township.example.org';
  writeFileSync(file, JSON.stringify(edited));
  await seen('edited-qs-sec@township.example.org');

  // Replaced by a rename, as editors and deployments do.
  const replaced = structuredClone(sample);
  replaced.people.find((p) => p.id === 'qs-sec')!.email = 'replaced-qs-sec@township.example.org';
  writeFileSync(path.join(folder, 'county.json.new'), JSON.stringify(replaced));
  renameSync(path.join(folder, 'county.json.new'), file);
  await seen('replaced-qs-sec@township.example.org');
});
