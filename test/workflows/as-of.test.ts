import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { calendarStore } from '../../src/activities/calendar-store';
import { designateTarget } from '../../src/client/supervision';
import { stateQuery } from '../../src/contracts/village';
import { builtinPolicy } from '../../src/domain/policy';
import { Service } from '../../src/service/service';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, useVillageWorld } from '../support/village';

/**
 * A workflow answers as of its last wake-up; the service judges overdue at the moment of the
 * query. At 00:05 on Saturday 30 March 2019 (China time) the first secretary's March visit, due
 * Friday the 29th, is past due, although the village's workflow next wakes on Monday morning.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2019-03-01T00:00:00Z' });
const visit = 'first-secretary-visit/village:QS03/2019-03';

test('a duty due yesterday is overdue at 00:05, and the view says as of when', async () => {
  const qs03 = await designateTarget(world.env.client, world.taskQueue, roster, 'QS03', { redesignate: '2019-03-01' });
  const service = new Service({ client: world.env.client, taskQueue: world.taskQueue, roster: () => roster, policy: () => builtinPolicy(), calendar: calendarStore(world.mail.calendarDir), now: () => world.env.currentTimeMs() });
  const head = { id: 'zzb-head', name: roster.people.find((p) => p.id === 'zzb-head')!.name, role: 'org-department-head' as const };

  await advanceTo(world.env, '2019-03-29T03:00:00Z');
  expect((await service.villageView(head, 'QS03')).open.find((o) => o.id === visit)).toMatchObject({ dueDate: '2019-03-29', overdue: false });

  await advanceTo(world.env, '2019-03-29T16:05:00Z');
  const raw = await qs03.query(stateQuery);
  // The workflow last woke on the due day's morning.
  expect(raw.open.find((o) => o.id === visit)).toMatchObject({ overdue: false });
  expect(Date.parse(raw.asOf)).toBeLessThan(Date.parse('2019-03-29T16:00:00Z'));
  const seen = await service.villageView(head, 'QS03');
  expect(seen.open.find((o) => o.id === visit)).toMatchObject({ overdue: true });
  expect(seen.overdue).toBe(true);
  expect(seen.overdueCount).toBeGreaterThanOrEqual(1);
  expect(Date.parse(seen.asOf)).toBeGreaterThanOrEqual(Date.parse('2019-03-29T16:05:00Z'));
}, 300_000);
