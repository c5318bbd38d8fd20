import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { townshipName, villageLabel } from '../../src/domain/names';
import { holders, parseRoster, roles, type Person, type Roster } from '../../src/domain/roster';

const sample = (): Roster => {
  const r = parseRoster(JSON.parse(readFileSync(path.resolve(__dirname, '../../roster/sample-county.json'), 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.roster;
};

/** What holders() answered before its index: every person scanned. */
const scanned = (roster: Roster, role: Person['role'], place: { township?: string; village?: string; department?: string } = {}): Person[] =>
  roster.people
    .filter((p) => p.role === role && (place.township === undefined || p.township === place.township) && (place.village === undefined || p.village === place.village) && (place.department === undefined || p.department === place.department))
    .sort((a, b) => (b.since ?? '').localeCompare(a.since ?? ''));

test('the indexed lookups answer as the scans they replace, for every post and place of the sample county', () => {
  const roster = sample();
  let asked = 0;
  for (const role of roles) {
    expect(holders(roster, role)).toEqual(scanned(roster, role));
    for (const t of roster.townships) expect(holders(roster, role, { township: t.code })).toEqual(scanned(roster, role, { township: t.code }));
    for (const v of roster.villages) {
      expect(holders(roster, role, { village: v.code })).toEqual(scanned(roster, role, { village: v.code }));
      asked += scanned(roster, role, { village: v.code }).length;
    }
  }
  expect(asked).toBeGreaterThan(roster.villages.length);
  const v = roster.villages[3]!;
  expect(villageLabel(roster, v.code)).toBe(`${roster.townships.find((t) => t.code === v.township)!.name}${v.name}`);
  expect(townshipName(roster, 'NO-SUCH')).toBe('NO-SUCH');
});

test('a person pushed into a roster already looked up is found', () => {
  const roster = sample();
  const v = roster.villages[0]!;
  expect(holders(roster, 'first-secretary', { village: v.code }).map((p) => p.id)).not.toContain('new-fs');
  (roster.people as Person[]).push({ id: 'new-fs', name: '新书记', email: 'new-fs@county.example.org', role: 'first-secretary', village: v.code, since: '2099-01-01' } as Person);
  expect(holders(roster, 'first-secretary', { village: v.code })[0]!.id).toBe('new-fs');
});
