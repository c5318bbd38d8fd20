import { expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/api/server';
import { localDateOf } from '../../src/domain/calendar';
import { useApiWorld } from '../support/api';

/**
 * A form that comes back with an error keeps what was typed, and says what to correct in words
 * an official reads: the message beside its field, no internal field names (entries.0.progress).
 */
const api = useApiWorld();

test('a refused half-monthly report comes back with what was typed and the problem beside its field', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  for (const v of ['QS03', 'QS07']) expect((await api.app.inject({ method: 'POST', url: `/api/villages/${v}/designate`, headers: head, payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'qs-org', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'c' });
  const today = localDateOf(Date.now());
  const period = `${today.slice(0, 7)}-H${today.slice(8) <= '15' ? 1 : 2}`;
  const typed = '召开村两委会议，研究整改';
  const body = new URLSearchParams({
    _csrf: 'c',
    _back: '/townships/QS',
    _form: 'report',
    period,
    'entries.0.village': 'QS03',
    'entries.0.progress': typed,
    'entries.0.problems': '短', // fine
    'entries.0.nextSteps': '',
    'entries.1.village': 'QS07',
    'entries.1.progress': '无', // too short: 工作进展至少4个字
    'entries.1.attest.three-meetings-one-lesson:optional': `${today.slice(0, 8)}01`,
  }).toString();
  const res = await api.app.inject({ method: 'POST', url: '/do/api/townships/QS/reports', cookies: { [SESSION_COOKIE]: cookie }, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.statusCode).toBe(302);
  const location = res.headers.location as string;
  expect(location).toMatch(/^\/townships\/QS\?err=[\w-]+#report$/);
  const page = await api.app.inject({ method: 'GET', url: location.replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } });
  expect(page.statusCode).toBe(200);
  const html = page.body;
  expect(html).toContain('填写有误，请按提示修改后重新提交（已填写的内容已保留）。');
  expect(html).not.toMatch(/entries\.\d+\.\w+：/);
  // What was typed is back in its field; the problem stands beside the field it concerns.
  expect(html).toContain(`<textarea name="entries.0.progress" placeholder="">${typed}</textarea>`);
  expect(html).toMatch(/<span class="err">工作进展至少4个字<\/span><textarea name="entries\.1\.progress" placeholder="">无<\/textarea>/);
  expect(html).toContain(`name="entries.1.attest.three-meetings-one-lesson:optional" value="${today.slice(0, 8)}01"`);
  // The audit line records what the action came to (refused, with the reason), not the redirect.
  expect(api.audit).toContainEqual(expect.objectContaining({ who: 'qs-org', action: 'report.submit', entity: '/api/townships/QS/reports', outcome: 400 }));
  expect(String(api.audit.filter((a) => a.action === 'report.submit').at(-1)?.refused)).toContain('工作进展至少4个字');
  // Another person opening the same address sees nothing of it.
  const other = api.sealer.seal({ sub: 'qs-sec', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'd' });
  const theirs = await api.app.inject({ method: 'GET', url: location.replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: other } });
  expect(theirs.body).not.toContain(typed);
});

test('the department records the quarter\'s 联席会 on the page of its duty: the member departments ticked, the ones left out not recorded', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/LH02/designate', headers: head, payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'c' });
  const today = localDateOf(Date.now());
  const quarter = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  const dutyPage = `/county/obligations/${encodeURIComponent(`joint-meeting/county:YL/${quarter}`)}`;
  const page = await api.app.inject({ method: 'GET', url: dutyPage, cookies: { [SESSION_COOKIE]: cookie } });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('记录县工青妇、武装、民政等部门联席会（四(一)4）');
  for (const name of ['县总工会', '团县委', '县妇联', '县人武部', '县民政局']) expect(page.body).toContain(`checked> ${name}</label>`);
  expect(page.body).not.toContain('县农业农村局</label>'); // a paired department, no member of the meeting

  // 县人武部 and 县妇联 left unticked: two checkboxes of the same name make a list.
  const body = new URLSearchParams([
    ['_csrf', 'c'],
    ['_back', dutyPage],
    ['_form', 'joint-meeting'],
    ['heldOn', today],
    ['topics', '研究村团支部、妇联组织不健全的问题'],
    ['departments:list', 'D-GH'],
    ['departments:list', 'D-TW'],
    ['departments:list', 'D-MZ'],
  ]).toString();
  const res = await api.app.inject({ method: 'POST', url: '/do/api/county/joint-meetings', cookies: { [SESSION_COOKIE]: cookie }, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.statusCode).toBe(302);
  expect(res.headers.location).not.toContain('err=');
  const county = (await api.app.inject({ method: 'GET', url: '/api/county', headers: head })).json<{ jointMeetings: unknown[]; open: { kind: string }[] }>();
  expect(county.jointMeetings).toEqual([{ heldOn: today, topics: '研究村团支部、妇联组织不健全的问题', departments: ['D-GH', 'D-TW', 'D-MZ'], by: 'zzb-zhang' }]);
  expect(county.open.some((o) => o.kind === 'joint-meeting')).toBe(false);
  const after = await api.app.inject({ method: 'GET', url: dutyPage, cookies: { [SESSION_COOKIE]: cookie } });
  expect(after.body).toContain(`${today}：研究村团支部、妇联组织不健全的问题（县总工会、团县委、县民政局）`);
});

test('撤销认定 from the page takes the 已核实 box: without it nothing changes and the page says what would follow', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/LH09/designate', headers: head, payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'w' });
  const page = await api.app.inject({ method: 'GET', url: '/villages/LH09', cookies: { [SESSION_COOKIE]: cookie } });
  expect(page.body).toContain('name="_confirmed" value="yes"> 已核实：撤销认定后，该村不再是整顿对象');
  const post = (extra: Record<string, string>) =>
    api.app.inject({
      method: 'POST',
      url: '/do/api/villages/LH09/withdraw',
      cookies: { [SESSION_COOKIE]: cookie },
      payload: new URLSearchParams({ _csrf: 'w', _back: '/villages/LH09', _form: 'withdraw', reason: '经复核，该村党组织不属于软弱涣散', ...extra }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const unconfirmed = await post({});
  const back = await api.app.inject({ method: 'GET', url: (unconfirmed.headers.location as string).replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } });
  expect(back.body).toMatch(/<span class="err">请勾选“已核实”后再办理：撤销认定后/);
  expect(back.body).toContain('经复核，该村党组织不属于软弱涣散'); // the reason typed is kept
  const view = await api.app.inject({ method: 'GET', url: '/api/villages/LH09', headers: head });
  expect(view.json()).toMatchObject({ stage: 'plan-due' });
  expect((await post({ _confirmed: 'yes' })).headers.location).toMatch(/^\/villages\/LH09\?done=/);
  expect((await api.app.inject({ method: 'GET', url: '/api/villages/LH09', headers: head })).json()).toMatchObject({ stage: 'withdrawn' });
});
