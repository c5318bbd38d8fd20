import { expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/api/server';
import { localDateOf } from '../../src/domain/calendar';
import { useApiWorld } from '../support/api';

/**
 * 六(四) "县委每年要组织乡镇党委书记抓基层党建工作述职评议考核": the department records each township
 * party secretary's grade for the year on the page of the county's duty; the duty is done, and a
 * 差 stands out for the department to act on. Against the dev server, on today's date.
 */
const api = useApiWorld();
const today = localDateOf(Date.now());
// The year evaluated: this year from November (its evaluation is due the next January), else the last.
const year = Number(today.slice(5, 7)) >= 11 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;

test('the department records the year\'s 述职评议考核 for each township secretary; the duty is done and a 差 is listed', async () => {
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/QS03/designate', headers: api.bearer('zzb-zhang'), payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'c' });
  const dutyPage = `/county/obligations/${encodeURIComponent(`township-secretary-evaluation/county:YL/${year}`)}`;
  const page = await api.app.inject({ method: 'GET', url: dutyPage, cookies: { [SESSION_COOKIE]: cookie } });
  expect(page.body).toContain(`记录${year}年度乡镇党委书记抓基层党建工作述职评议考核结果（六(四)）`);
  expect(page.body).toContain('陈卫东<input type="hidden" name="results.1.person" value="lh-sec">');

  // A person who is no township secretary is refused, naming the row.
  const wrong = await api.app.inject({ method: 'POST', url: '/api/county/evaluations', headers: api.bearer('zzb-zhang'), payload: { year, evaluatedOn: today, results: [{ person: 'qs-org', grade: 'good' }] } });
  expect(wrong.statusCode).toBe(400);
  expect(wrong.json<{ fields: unknown[] }>().fields).toEqual([{ path: 'results.0.person', message: '刘志强是组织干事，述职评议考核的是乡镇党委书记' }]);

  const body = new URLSearchParams({
    _csrf: 'c',
    _back: dutyPage,
    _form: 'evaluation',
    'year:number': String(year),
    evaluatedOn: today,
    'results.0.person': 'qs-sec',
    'results.0.grade': 'fairly-good',
    'results.1.person': 'lh-sec',
    'results.1.grade': 'poor',
    'results.1.note:optional': '半月进展多次逾期未报',
  }).toString();
  // The duty is owed while its due date (31 January after the year) has not passed before the programme started: so in the CI's December.
  const dutyId = `township-secretary-evaluation/county:YL/${year}`;
  const owed = (await api.app.inject({ method: 'GET', url: '/api/county', headers: api.bearer('zzb-zhang') })).json<{ open: { id: string }[] }>().open.some((o) => o.id === dutyId);
  expect(owed).toBe(today.slice(5) >= '11-01' || today.slice(5) <= '01-31');
  const res = await api.app.inject({ method: 'POST', url: '/do/api/county/evaluations', cookies: { [SESSION_COOKIE]: cookie }, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.headers.location).not.toMatch(/err=/);

  const county = (await api.app.inject({ method: 'GET', url: '/api/county', headers: api.bearer('zzb-zhang') })).json<{ evaluations: unknown[]; open: { id: string }[]; recentlyClosed: { id: string; closed: { how: string } }[] }>();
  expect(county.evaluations).toEqual([
    { year, evaluatedOn: today, by: 'zzb-zhang', results: [{ person: 'qs-sec', grade: 'fairly-good' }, { person: 'lh-sec', grade: 'poor', note: '半月进展多次逾期未报' }] },
  ]);
  expect(county.open.some((o) => o.id === dutyId)).toBe(false);
  if (owed) expect(county.recentlyClosed.find((c) => c.id === dutyId)?.closed.how).toBe('fulfilled');
  const after = await api.app.inject({ method: 'GET', url: dutyPage, cookies: { [SESSION_COOKIE]: cookie } });
  expect(after.body).toContain(`${year}年度（${today}评议）：张振华较好，陈卫东差`);
  expect(after.body).toContain('评为“差”：陈卫东（半月进展多次逾期未报），请县委组织部研究处理');
  expect(after.body).not.toContain(`记录${year}年度乡镇党委书记抓基层党建工作述职评议考核结果`); // recorded once: the form is gone
  // The year is recorded once.
  const again = await api.app.inject({ method: 'POST', url: '/api/county/evaluations', headers: api.bearer('zzb-zhang'), payload: { year, evaluatedOn: today, results: [{ person: 'qs-sec', grade: 'good' }] } });
  expect(again.statusCode).toBe(422);
}, 120_000);
