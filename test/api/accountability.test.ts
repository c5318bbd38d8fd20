import { expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/api/server';
import { addDays, addMonths, localDateOf } from '../../src/domain/calendar';
import { useApiWorld } from '../support/api';

/**
 * 六(五) "严格问责": the department head records an accountability decision with its ground, its
 * day and its 文号; the person may not be promoted for two years from that day, and the promotion
 * list says why. Through the API and the workbench's ledger page, against the dev server.
 */
const api = useApiWorld();
const today = localDateOf(Date.now());
const year = today.slice(0, 4);

async function call(who: string, payload: unknown) {
  const res = await api.app.inject({ method: 'POST', url: '/api/ledger/accountability', headers: api.bearer(who), payload: payload as object });
  return { status: res.statusCode, body: res.json<Record<string, unknown> & { message?: string; fields?: { path: string; message: string }[] }>() };
}
const blockedOn = async (date: string) =>
  (await api.app.inject({ method: 'GET', url: `/api/ledger/promotion/${date}`, headers: api.bearer('zzb-zhang') })).json<{ subject: { id?: string }; reason: string; cause: string; until?: string }[]>();

test('the head records a 免职 for a false designation; the organization officer is blocked from promotion for two years, with the ground and the 文号', async () => {
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/QS03/designate', headers: api.bearer('zzb-zhang'), payload: {} })).statusCode).toBe(201);
  const decision = { person: 'qs-org', ground: 'false-designation', decidedOn: today, docNumber: `云组发〔${year}〕3号`, village: 'QS03', confirmed: true };

  // The head's decision alone: the staff are refused.
  expect((await call('zzb-zhang', decision)).status).toBe(403);
  // Refused, naming the field: the ground names another post; no confirmation; "other" without its reason.
  const wrongPost = await call('zzb-head', { ...decision, ground: 'not-leading', village: undefined });
  expect(wrongPost.status).toBe(400);
  expect(wrongPost.body.fields).toEqual([{ path: 'person', message: '刘志强是组织干事；六(五)对“不带头履行整顿软弱涣散工作职责、不敢动真碰硬”问责的是乡镇党委书记' }]);
  const unconfirmed = await call('zzb-head', { ...decision, confirmed: undefined });
  expect(unconfirmed.status).toBe(400);
  expect(unconfirmed.body.fields?.map((f) => f.path)).toEqual(['confirmed']);
  const other = await call('zzb-head', { ...decision, ground: 'other', village: undefined });
  expect(other.body.fields?.map((f) => f.path).sort()).toEqual(['reason', 'sanction']);
  expect(await blockedOn(today)).toEqual([]);

  const recorded = await call('zzb-head', decision);
  expect(recorded.status).toBe(200);
  const until = addDays(addMonths(today, 24), -1);
  expect(recorded.body).toEqual({
    kind: 'promotion-blocked',
    subject: { type: 'person', id: 'qs-org' },
    from: today,
    until,
    clause: '六(五)',
    reason: `${today}因确定整顿对象时弄虚作假、隐瞒实情（QS03）被问责（免去组织干事职务，云组发〔${year}〕3号），两年内不得提拔使用`,
    cause: `云组发〔${year}〕3号`,
  });
  // Recorded once.
  expect((await call('zzb-head', decision)).status).toBe(422);

  // The promotion list: from the day of the decision to the day before two years have passed.
  expect((await blockedOn(today)).map((c) => [c.subject.id, c.cause])).toEqual([['qs-org', `云组发〔${year}〕3号`]]);
  expect((await blockedOn(until)).map((c) => c.subject.id)).toEqual(['qs-org']);
  expect(await blockedOn(addDays(until, 1))).toEqual([]);
}, 120_000);

test('the ledger page asks the head to confirm before recording, and then lists the block', async () => {
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/LH02/designate', headers: api.bearer('zzb-zhang'), payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'zzb-head', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'c' });
  const page = await api.app.inject({ method: 'GET', url: '/ledger', cookies: { [SESSION_COOKIE]: cookie } });
  expect(page.body).toContain('记录问责决定（六(五)“凡被问责的，两年内不得提拔使用”）');
  // The staff see the ledger, not the form.
  const staff = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'c' });
  expect((await api.app.inject({ method: 'GET', url: '/ledger', cookies: { [SESSION_COOKIE]: staff } })).body).not.toContain('记录问责决定');

  const fields = { _csrf: 'c', _back: '/ledger', _form: 'accountability', ground: 'ineffective', person: 'lh-sec', decidedOn: today, docNumber: `云组发〔${year}〕9号` };
  const post = (extra: Record<string, string>) =>
    api.app.inject({ method: 'POST', url: '/do/api/ledger/accountability', cookies: { [SESSION_COOKIE]: cookie }, payload: new URLSearchParams({ ...fields, ...extra }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const first = await post({});
  expect(first.headers.location).toMatch(/err=/);
  const again = await api.app.inject({ method: 'GET', url: (first.headers.location as string).replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } });
  expect(again.body).toContain('请确认：记录后该同志自决定之日起两年内不得提拔使用');
  expect(again.body).toContain(`value="云组发〔${year}〕9号"`); // what was typed is kept
  expect(await blockedOn(today)).not.toEqual(expect.arrayContaining([expect.objectContaining({ subject: { type: 'person', id: 'lh-sec' } })]));

  const done = await post({ 'confirmed:bool': 'true' });
  expect(done.headers.location).not.toMatch(/err=/);
  const after = await api.app.inject({ method: 'GET', url: '/ledger', cookies: { [SESSION_COOKIE]: cookie } });
  expect(after.body).toContain(`${today}因整顿工作不力被问责（党纪处分，云组发〔${year}〕9号），两年内不得提拔使用`);
}, 120_000);
