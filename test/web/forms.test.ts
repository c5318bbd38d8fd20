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
  // The ended target's page keeps its record and offers no action.
  const ended = (await api.app.inject({ method: 'GET', url: '/villages/LH09', cookies: { [SESSION_COOKIE]: cookie } })).body;
  expect(ended).toContain('已撤销认定');
  expect(ended).not.toMatch(/<form class="box"/);
});

test('免除 from a duty table takes the 已核实 box too: without it the duty stays open', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/SL08/designate', headers: head, payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'v' });
  const page = (await api.app.inject({ method: 'GET', url: '/villages/SL08', cookies: { [SESSION_COOKIE]: cookie } })).body;
  expect(page).toContain('name="_confirmed" value="yes"> 已核实：免除后该事项即告办结、不再提醒');
  const open = () => api.app.inject({ method: 'GET', url: '/api/villages/SL08', headers: head }).then((r) => r.json<{ open: { id: string; kind: string }[] }>().open);
  const plan = (await open()).find((o) => o.kind === 'rectification-plan')!;
  const post = (extra: Record<string, string>) =>
    api.app.inject({
      method: 'POST',
      url: '/do/api/villages/SL08/duties/waive',
      cookies: { [SESSION_COOKIE]: cookie },
      payload: new URLSearchParams({ _csrf: 'v', _back: '/villages/SL08', obligationId: plan.id, reason: '该村已于上年完成整顿方案，经县委组织部同意免除', ...extra }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const unconfirmed = await post({});
  const back = await api.app.inject({ method: 'GET', url: unconfirmed.headers.location as string, cookies: { [SESSION_COOKIE]: cookie } });
  expect(back.body).toContain('请勾选“已核实”后再办理：免除后该事项即告办结');
  expect((await open()).map((o) => o.id)).toContain(plan.id);
  expect((await post({ _confirmed: 'yes' })).headers.location).toMatch(/^\/villages\/SL08\?done=/);
  expect((await open()).map((o) => o.id)).not.toContain(plan.id);
});

test('the plan form takes the three stages row by row: a refusal puts each problem beside its row and keeps what was typed; the plan is shown by stage with its Word document', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/DP06/designate', headers: head, payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'dp-sec', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'p' });
  const form = (await api.app.inject({ method: 'GET', url: '/villages/DP06', cookies: { [SESSION_COOKIE]: cookie } })).body;
  for (const legend of ['整治阶段措施', '巩固阶段措施', '提升阶段措施', '经济基础薄弱村的“时间表”和“路线图”（五(二)）']) expect(form).toContain(`<legend>${legend}</legend>`);
  expect(form).toContain('name="problems.0.criterion:row-number" value="5"'); // 杨家村 was designated on 三(五) and 三(二)
  const inAMonth = localDateOf(Date.now() + 30 * 86_400_000);
  const fields = (owner: string): [string, string][] => [
    ['_csrf', 'p'],
    ['_back', '/villages/DP06'],
    ['_form', 'plan'],
    ['summary', '转变村干部作风，发展年轻党员'],
    ['problems.0.criterion:row-number', '5'],
    ['problems.0.problem:optional', ''],
    ['problems.1.criterion:row-number', '2'],
    ['problems.1.problem:optional', '近三年未发展党员'],
    ...[0, 1, 2].map((i): [string, string] => [`measures.${i}.stage:row`, 'rectify']),
    ['measures.0.what:optional', '落实村干部坐班和入户走访'],
    ['measures.3.stage:row', 'consolidate'],
    ['measures.4.stage:row', 'consolidate'],
    ['measures.4.what:optional', '发展35岁以下党员2名'],
    ['measures.4.owner:optional', owner],
    ['measures.4.due:optional', inAMonth],
  ];
  const post = (owner: string) =>
    api.app.inject({ method: 'POST', url: '/do/api/villages/DP06/plan', cookies: { [SESSION_COOKIE]: cookie }, payload: new URLSearchParams(fields(owner)).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  // A dated measure with no owner: the message stands beside the fifth row's owner, where it was typed.
  const refused = await post('');
  expect(refused.headers.location).toMatch(/err=/);
  const back = (await api.app.inject({ method: 'GET', url: (refused.headers.location as string).replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } })).body;
  expect(back).toMatch(/<select name="measures\.4\.owner:optional">.*?<\/select><span class="err">有完成时限的措施须明确责任人<\/span>/s);
  expect(back).toContain(`name="measures.4.due:optional" value="${inAMonth}"`);
  expect(back).toContain('name="measures.0.what:optional" value="落实村干部坐班和入户走访"');
  expect((await api.app.inject({ method: 'GET', url: '/api/villages/DP06', headers: head })).json()).toMatchObject({ stage: 'plan-due' });

  const done = await post('dp06-vs');
  expect(done.headers.location).toMatch(/^\/villages\/DP06\?done=/);
  const view = (await api.app.inject({ method: 'GET', url: '/api/villages/DP06', headers: head })).json<{ plan: { problems: unknown; measures: unknown } }>();
  expect(view.plan.problems).toEqual([{ criterion: 2, problem: '近三年未发展党员' }]);
  expect(view.plan.measures).toEqual([
    { stage: 'rectify', what: '落实村干部坐班和入户走访' },
    { stage: 'consolidate', what: '发展35岁以下党员2名', owner: 'dp06-vs', due: inAMonth },
  ]);
  const shown = (await api.app.inject({ method: 'GET', url: '/villages/DP06', cookies: { [SESSION_COOKIE]: cookie } })).body;
  expect(shown).toContain('<h3>巩固阶段</h3><table><tr><th>序号</th><th>措施</th><th>责任人</th><th>完成时限</th></tr><tr><td data-label="序号">2</td><td data-label="措施">发展35岁以下党员2名</td>');
  expect(shown).toContain('<h3>提升阶段</h3><p class="muted">未列本阶段措施</p>');
  const docx = await api.app.inject({ method: 'GET', url: '/api/villages/DP06/plan.docx', headers: head });
  expect(docx.statusCode).toBe(200);
  expect(docx.headers['content-type']).toContain('wordprocessingml');
});

test('a township records its cadres’ training on its page: the days stand beside each cadre with what they still owe; another township’s cadre is refused beside the list', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/JS04/designate', headers: head, payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'js-sec', kind: 'session', exp: Date.now() + 3_600_000, csrf: 't' });
  const today = localDateOf(Date.now());
  const monday = localDateOf(Date.now() - 4 * 86_400_000);
  const post = (people: string[]) =>
    api.app.inject({
      method: 'POST',
      url: '/do/api/townships/JS/trainings',
      cookies: { [SESSION_COOKIE]: cookie },
      payload: new URLSearchParams([['_csrf', 't'], ['_back', '/townships/JS'], ['_form', 'training'], ['kind', 'cadres'], ['startOn', monday], ['endOn', today], ['days:number', '5'], ['topic', '村干部履职能力培训'], ...people.map((p): [string, string] => ['people:list', p])]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const refused = await post(['js04-vs', 'qs03-vs']);
  const back = (await api.app.inject({ method: 'GET', url: (refused.headers.location as string).replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } })).body;
  expect(back).toContain('<span class="err">何晓东（村党组织书记）不是本乡镇村党组织书记或班子成员</span>');
  expect(back).toContain('value="js04-vs" checked>'); // what was ticked is kept
  expect((await post(['js04-vs'])).headers.location).toMatch(/done=/);
  const page = (await api.app.inject({ method: 'GET', url: '/townships/JS', cookies: { [SESSION_COOKIE]: cookie } })).body;
  // A target designated this year owes its year's days from the next; one designated before, by 30 November.
  const year = today.slice(0, 4);
  const designated = (await api.app.inject({ method: 'GET', url: '/api/villages/JS04', headers: head })).json<{ designation: { date: string } }>().designation.date;
  const short = designated >= `${year}-01-01` ? `本年认定，${Number(year) + 1}年起计` : today > `${year}-11-30` ? '<strong class="red-text">未达7天</strong>' : '尚差2天';
  // Each cell carries its column's name (a card on a phone).
  const row = (cadre: string): string => /<tr data-cadre="([^"]+)">.*?<\/tr>/g.exec(page.slice(page.indexOf(`<tr data-cadre="${cadre}"`)))?.[0]?.replace(/<td data-label="[^"]*">/g, '<td>') ?? '';
  expect(row('js04-vs')).toMatch(new RegExp(`^<tr data-cadre="js04-vs"><td>金沙镇黑石村</td><td>[^<]+</td><td>村党组织书记</td><td>5</td><td>${short.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}</td></tr>$`));
  expect(row('js04-wy1')).toMatch(/^<tr data-cadre="js04-wy1"><td>金沙镇黑石村<\/td><td>吴德才<\/td><td>村党组织班子成员<\/td><td>0<\/td>/);
  expect(page).toContain('<td data-label="2026年培训天数">5</td>'.replace('2026', year));
});

test('the department records an inspection on the township page (each problem a duty of the township) and names a new first secretary on the target page', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/SL08/designate', headers: head, payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'i' });
  const today = localDateOf(Date.now());
  const later = localDateOf(Date.now() + 20 * 86_400_000);
  const post = (url: string, back: string, form: string, fields: [string, string][]) =>
    api.app.inject({
      method: 'POST',
      url: `/do${url}`,
      cookies: { [SESSION_COOKIE]: cookie },
      payload: new URLSearchParams([['_csrf', 'i'], ['_back', back], ['_form', form], ...fields]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const page = await api.app.inject({ method: 'GET', url: '/townships/SL', cookies: { [SESSION_COOKIE]: cookie } });
  expect(page.body).toContain('记录督导检查（六(三)）');
  // Two problems, the second of the township as a whole; the third row left empty.
  const findings: [string, string][] = [
    ['findings.0.village:row', 'SL08'],
    ['findings.0.problem:optional', '“三会一课”记录不全'],
    ['findings.0.correctBy:optional', later],
    ['findings.1.village:row', ''],
    ['findings.1.problem:optional', '包村干部到村次数不足'],
    ['findings.1.correctBy:optional', later],
    ['findings.2.village:row', ''],
    ['findings.2.problem:optional', ''],
    ['findings.2.correctBy:optional', ''],
  ];
  // A deadline already past is refused beside its row, with what was typed kept.
  const refused = await post('/api/townships/SL/inspections', '/townships/SL', 'inspection', [['on', today], ['method', 'unannounced'], ['summary', '明察暗访石林乡整顿工作'], ...findings.map(([k, v]): [string, string] => [k, k === 'findings.1.correctBy:optional' ? today : v])]);
  const back = await api.app.inject({ method: 'GET', url: (refused.headers.location as string).replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } });
  expect(back.body).toMatch(/<label id="f-inspection-findings\.1\.correctBy">整改期限：<input type="date" name="findings\.1\.correctBy:optional" value="[\d-]+"><span class="err">整改期限[\d-]+应晚于今天/);
  // The summary above the form names the field and links to it.
  expect(back.body).toMatch(/<li><a href="#f-inspection-findings\.1\.correctBy">整改期限[\d-]+应晚于今天[^<]*<\/a><\/li>/);
  expect(back.body).toContain('value="包村干部到村次数不足"');
  const done = await post('/api/townships/SL/inspections', '/townships/SL', 'inspection', [['on', today], ['method', 'unannounced'], ['summary', '明察暗访石林乡整顿工作'], ...findings]);
  expect(done.headers.location).not.toContain('err=');
  const sl = (await api.app.inject({ method: 'GET', url: '/api/townships/SL', headers: head })).json<{ inspections: { method: string; findings: { village?: string; problem: string }[] }[]; open: { kind: string; title: string }[] }>();
  expect(sl.inspections.at(-1)).toMatchObject({ method: 'unannounced', findings: [{ village: 'SL08', problem: '“三会一课”记录不全' }, { problem: '包村干部到村次数不足' }] });
  expect(sl.open.filter((o) => o.kind === 'inspection-finding')).toHaveLength(2);
  const after = await api.app.inject({ method: 'GET', url: '/townships/SL', cookies: { [SESSION_COOKIE]: cookie } });
  expect(after.body).toContain(`<h2 id="inspections">督导检查（六(三)）</h2>`);
  expect(after.body).toMatch(new RegExp(`<li>\\S+村：“三会一课”记录不全（${later}前整改）</li><li>包村干部到村次数不足（${later}前整改）</li>`));

  // The first secretary: only someone the roster has in that post.
  const target = await api.app.inject({ method: 'GET', url: '/villages/SL08', cookies: { [SESSION_COOKIE]: cookie } });
  expect(target.body).toContain('调整第一书记（四(一)1）或包村领导（五(三)）');
  const wrong = await post('/api/villages/SL08/reassign', '/villages/SL08', 'reassign', [['role', 'first-secretary'], ['person', 'sl-sec'], ['effectiveOn', today]]);
  const wrongPage = await api.app.inject({ method: 'GET', url: (wrong.headers.location as string).replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } });
  expect(wrongPage.body).toMatch(/<span class="err">\S+在名册中不是第一书记（是乡镇党委书记）<\/span>/);
  const ok = await post('/api/villages/SL08/reassign', '/villages/SL08', 'reassign', [['role', 'first-secretary'], ['person', 'spare-fs'], ['effectiveOn', today]]);
  expect(ok.headers.location).not.toContain('err=');
  const v = (await api.app.inject({ method: 'GET', url: '/api/villages/SL08', headers: head })).json<{ firstSecretary: string }>();
  expect(v.firstSecretary).toBe('spare-fs');
});

test('the standing committee’s study on the page of its duty: only approved plans are offered, a task row left empty is not assigned, a deadline already past is refused beside its row', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  const as = (who: string) => ({ authorization: `Bearer ${api.sealer.seal({ sub: who, kind: 'bearer', exp: Date.now() + 60_000 })}` });
  for (const v of ['BT05', 'DP01']) expect((await api.app.inject({ method: 'POST', url: `/api/villages/${v}/designate`, headers: head, payload: {} })).statusCode).toBe(201);
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/BT05/plan', headers: as('bt-sec'), payload: { summary: '规范“两会两票”，公开村务财务', measures: ['每季度公开村务财务'] } })).statusCode).toBe(200);
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/BT05/plan/review', headers: head, payload: { decision: 'approve' } })).statusCode).toBe(200);
  const county = (await api.app.inject({ method: 'GET', url: '/api/county', headers: head })).json<{ open: { id: string; kind: string }[]; upcoming: { id: string; kind: string }[] }>();
  const duty = [...county.open, ...county.upcoming].find((o) => o.kind === 'standing-committee-study')!;
  const dutyPage = `/county/obligations/${encodeURIComponent(duty.id)}`;
  const cookie = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 3_600_000, csrf: 's' });
  const page = (await api.app.inject({ method: 'GET', url: dutyPage, cookies: { [SESSION_COOKIE]: cookie } })).body;
  expect(page).toContain('记录县委常委会专题研究，下达交办任务书（五(二)）');
  // Only the plan the department approved is offered (DP01 has none yet).
  expect(page).toContain('name="plans.0.village:row" value="BT05"');
  expect(page).not.toContain('value="DP01"');
  const today = localDateOf(Date.now());
  const later = localDateOf(Date.now() + 30 * 86_400_000);
  const post = (deadline: string) =>
    api.app.inject({
      method: 'POST',
      url: '/do/api/county/committee-studies',
      cookies: { [SESSION_COOKIE]: cookie },
      payload: new URLSearchParams([
        ['_csrf', 's'],
        ['_back', dutyPage],
        ['_form', 'committee-study'],
        ['heldOn', today],
        ['summary', '审核白塔乡整顿方案，明确交办事项'],
        ['plans.0.village:row', 'BT05'],
        ['plans.0.decision:row', 'approve'],
        ['plans.0.tasks.0.item:optional', '调整充实村党支部班子'],
        ['plans.0.tasks.0.owner:row', 'township'],
        ['plans.0.tasks.0.deadline:optional', deadline],
        ['plans.0.tasks.1.item:optional', ''],
        ['plans.0.tasks.1.owner:row', 'village'],
        ['plans.0.tasks.1.deadline:optional', ''],
        ['plans.0.opinion:optional', ''],
        ['plans.0.revisionDue:optional', ''],
      ]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const refused = await post(today);
  const back = (await api.app.inject({ method: 'GET', url: (refused.headers.location as string).replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } })).body;
  expect(back).toMatch(/name="plans\.0\.tasks\.0\.deadline:optional" value="[\d-]+"><span class="err">完成时限[\d-]+应晚于今天/);
  expect(back).toContain('value="调整充实村党支部班子"');
  const done = await post(later);
  expect(done.headers.location).not.toContain('err=');
  const after = (await api.app.inject({ method: 'GET', url: '/api/county', headers: head })).json<{ committeeStudies: { heldOn: string; plans: { village: string; tasks: number }[] }[] }>();
  expect(after.committeeStudies.at(-1)).toMatchObject({ heldOn: today, plans: [{ village: 'BT05', tasks: 1 }] });
  const shown = (await api.app.inject({ method: 'GET', url: dutyPage, cookies: { [SESSION_COOKIE]: cookie } })).body;
  expect(shown).toMatch(/<li>[\d-]+：审核白塔乡整顿方案，明确交办事项（\S+交办1项）<\/li>/);
});
