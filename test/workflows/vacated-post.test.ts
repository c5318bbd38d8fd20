import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateTarget } from '../../src/client/supervision';
import { stateQuery } from '../../src/contracts/village';
import { FailedDeliveriesKey } from '../../src/search-attributes';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, useVillageWorld } from '../support/village';

/**
 * A post vacated after the roster was checked: the mail meant for it goes to the department's
 * staff with the reason, and stays a failed delivery on the workflow (what the 运维 page lists)
 * until the roster is put right.
 */
const rosterFile = path.join(mkdtempSync(path.join(tmpdir(), 'roster-')), 'roster.json');
copyFileSync(sampleRosterFile, rosterFile);
const world = useVillageWorld({ startAt: '2019-03-01T00:00:00Z', rosterFile });

test("the first secretary's post vacated: the reminder goes to the department's staff with the reason, and shows as a delivery to fix", async () => {
  const qs03 = await designateTarget(world.env.client, world.taskQueue, readRosterFile(rosterFile), 'QS03', { redesignate: '2019-03-01' });
  // 史雪梅 (qs03-fs), the first secretary the designation assigned, leaves the roster.
  const data = JSON.parse(readFileSync(rosterFile, 'utf8')) as { people: { id: string }[] };
  writeFileSync(rosterFile, JSON.stringify({ ...data, people: data.people.filter((p) => p.id !== 'qs03-fs') }));

  // The monthly visit is due Friday 29 March; its reminder goes three working days before.
  await advanceTo(world.env, '2019-03-27T03:00:00Z');
  expect(world.mail.sink.to('qs03-fs@county.example.org')).toEqual([]);
  for (const staff of ['zzb-zhang@county.example.org', 'zzb-li@county.example.org']) {
    const forwarded = world.mail.sink.to(staff).filter((m) => m.subject.startsWith('【无人接收，请转办】'));
    // Both of the first secretary's monthly duties (四(三)) are due that day.
    expect(forwarded.map((m) => m.subject).sort()).toEqual(
      ['【无人接收，请转办】【提醒】青石镇东风村：第一书记每月到村开展服务（2019年3月）', '【无人接收，请转办】【提醒】青石镇东风村：第一书记每月与村民座谈交流（2019年3月）'].sort(),
    );
    for (const m of forwarded) expect(m.text).toContain('此通知无人接收：名册中无第一书记（qs03-fs）。请核实名册、补齐在岗人员');
  }

  const state = await qs03.query(stateQuery);
  expect(state.failedDeliveries.map((f) => [f.obligationId, f.step]).sort()).toEqual([
    ['first-secretary-symposium/village:QS03/2019-03', 'reminder'],
    ['first-secretary-visit/village:QS03/2019-03', 'reminder'],
  ]);
  for (const f of state.failedDeliveries) expect(f.error).toBe('名册中无第一书记（qs03-fs）；已转县委组织部（zzb-zhang@county.example.org、zzb-li@county.example.org）');
  // Operators' list of deliveries to fix (运维, `list --failed`) reads this search attribute.
  expect((await qs03.describe()).typedSearchAttributes.get(FailedDeliveriesKey)).toBe(2);
}, 300_000);
