import { WorkflowNotFoundError } from '@temporalio/client';
import { expect, test, vi } from 'vitest';
import { programmeWorkflowId } from '../../src/contracts/programme';
import { townshipWorkflowId } from '../../src/contracts/township';
import { useApiWorld } from '../support/api';

/**
 * A designation round through the API (`POST /api/designations`, what `designate --all` sends):
 * every village started, each township and the county told in one signal however many targets,
 * an ended target refused on its own line while the others are designated; a wrong list changes
 * nothing and names the entry.
 */
const api = useApiWorld();

async function call(who: string, payload: unknown) {
  const res = await api.app.inject({ method: 'POST', url: '/api/designations', headers: api.bearer(who), payload: payload as object });
  return { status: res.statusCode, body: res.json<Record<string, unknown> & { message?: string; fields?: { path: string; message: string }[] }>() };
}

async function signals(workflowId: string): Promise<string[]> {
  const events = (await api.world.env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  return events.flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName ?? ''] : []));
}

const sample = ['QS03', 'QS07', 'LH02', 'LH09', 'BT05', 'DP01', 'DP06', 'JS04', 'SL08', 'SL10'];

test('a wrong list is refused naming each entry, a township official may not designate, and nothing starts', async () => {
  const bad = await call('zzb-zhang', { villages: ['QS03', 'XX99', 'QS03'] });
  expect(bad.status).toBe(400);
  expect(bad.body.fields).toEqual([
    { path: 'villages.1', message: '名册中没有村（社区）XX99' },
    { path: 'villages.2', message: 'QS03重复' },
  ]);
  expect((await call('zzb-zhang', {})).body.fields).toEqual([{ path: 'villages', message: '须给出villages（村代码列表）或all: true，二者选一' }]);
  const refused = await call('qs-sec', { villages: ['QS03'] });
  expect(refused.status).toBe(403);
  expect(refused.body.message).toMatch(/无权认定整顿对象/);
  await expect(api.world.env.client.workflow.getHandle('village:QS03').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

test('every open designation at once: each township and the county told in one signal; an ended target refused, the others designated', async () => {
  const round = await call('zzb-zhang', { all: true });
  expect(round.status).toBe(201);
  expect(round.body).toMatchObject({ designated: 10, refused: 0 });
  expect((round.body.outcomes as { village: string }[]).map((o) => o.village).sort()).toEqual([...sample].sort());

  // 青石镇 has two targets, the county ten: one signal each, and both lists complete.
  expect(await signals(townshipWorkflowId('QS'))).toEqual(['targetsChanged']);
  expect(await signals(programmeWorkflowId('YL'))).toEqual(['targetsChanged']);
  await vi.waitFor(
    async () => {
      const county = await api.app.inject({ method: 'GET', url: '/api/county', headers: api.bearer('zzb-zhang') });
      expect(county.json<{ targets: { village: string; active: boolean }[] }>().targets.map((t) => t.village).sort()).toEqual([...sample].sort());
      const qs = await api.app.inject({ method: 'GET', url: '/api/townships/QS', headers: api.bearer('qs-sec') });
      expect(qs.json<{ targets: { village: string; active: boolean }[] }>().targets).toEqual([expect.objectContaining({ village: 'QS03', active: true }), expect.objectContaining({ village: 'QS07', active: true })]);
    },
    { timeout: 10_000, interval: 200 },
  );

  // Again: the same runs.
  const again = await call('zzb-zhang', { villages: ['QS03', 'QS07'] });
  expect(again.body).toMatchObject({ designated: 2, refused: 0, outcomes: [{ village: 'QS03', workflowId: 'village:QS03' }, { village: 'QS07', workflowId: 'village:QS07' }] });

  // QS03 withdrawn: a later round refuses it with its reason and designates the rest.
  const w = await api.app.inject({ method: 'POST', url: '/api/villages/QS03/withdraw', headers: api.bearer('zzb-head'), payload: { reason: '经复核，该村不符合认定标准' } });
  expect(w.statusCode).toBe(200);
  await vi.waitFor(async () => expect((await api.world.env.client.workflow.getHandle('village:QS03').describe()).status.name).toBe('COMPLETED'), { timeout: 10_000 });
  const mixed = await call('zzb-zhang', { villages: ['QS03', 'LH09'] });
  expect(mixed.status).toBe(201);
  expect(mixed.body).toMatchObject({
    designated: 1,
    refused: 1,
    outcomes: [
      { village: 'QS03', refused: 'QS03：已撤销认定，不再重新启动；如需再次认定，请注明新的认定日期（--redesignate 日期）' },
      { village: 'LH09', workflowId: 'village:LH09' },
    ],
  });
}, 120_000);
