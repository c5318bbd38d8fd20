import { expect, test } from 'vitest';
import { routes } from '../../src/service/routes';
import { inquiryWorkflowId } from '../../src/contracts/inquiry';
import { townshipWorkflowId } from '../../src/contracts/township';
import { villageWorkflowId } from '../../src/contracts/village';
import { programmeWorkflowId } from '../../src/contracts/programme';
import { ledgerWorkflowId } from '../../src/contracts/ledger';
import { localDateOf } from '../../src/domain/calendar';
import { builtinPolicy } from '../../src/domain/policy';
import { official2027 } from '../support/calendar';
import { useApiWorld } from '../support/api';
import { acceptanceOf } from '../support/village';

/**
 * Every role against every action, through the API as a client calls it: allowed ones get past
 * authorization (to success, or to the workflow's own refusal); the others get 403 and the
 * workflow's history does not change. The matrix is written out here, independently of the
 * product's table, from what the work plan gives each post.
 */
const api = useApiWorld();
const today = localDateOf(Date.now());
const inTenDays = localDateOf(Date.now() + 10 * 86_400_000);

/** One person per post: QS township, its target QS03; lh-sec and lh09-fs stand outside that scope. */
const people = {
  staff: 'zzb-zhang',
  head: 'zzb-head',
  operator: 'ops-wu',
  secretary: 'qs-sec',
  officer: 'qs-org',
  liaison: 'qs03-liaison',
  firstSecretary: 'qs03-fs',
  villageSecretary: 'qs03-vs',
  countyLeader: 'leader-qs03',
  pairedDepartment: 'd-ny-lead',
  jointMeeting: 'd-gh-jm', // 四(一)4: a member department of the 联席会, told of its duty, acting on nothing
  otherTownship: 'lh-sec',
  otherVillage: 'lh09-fs',
} as const;
type Who = keyof typeof people;

const DEPT: Who[] = ['staff', 'head'];
const TOWNSHIP: Who[] = ['secretary', 'officer'];
const VILLAGE_READERS: Who[] = [...DEPT, 'operator', ...TOWNSHIP, 'liaison', 'firstSecretary', 'villageSecretary', 'countyLeader'];

/** Who may, per route (method and url), acting on QS / QS03 / a QS case / the county. */
const allowed: Record<string, Who[]> = {
  // Everyone lists their own scope (a paired department's leader, linked to no target yet, sees an empty list).
  'GET /api/entities': [...VILLAGE_READERS, 'pairedDepartment', 'otherTownship', 'otherVillage'],
  'GET /api/villages/:code': VILLAGE_READERS,
  'GET /api/villages/:code/plan.docx': VILLAGE_READERS, // the plan, to whoever reads the target
  'GET /api/villages/:code/documents': VILLAGE_READERS, // the documents mailed about the target, as mailed
  'GET /api/villages/:code/documents/:file': VILLAGE_READERS,
  'GET /api/townships/:code/documents': [...DEPT, 'operator', ...TOWNSHIP],
  'GET /api/townships/:code/documents/:file': [...DEPT, 'operator', ...TOWNSHIP],
  'GET /api/cases/:id/documents': [...DEPT, 'operator', ...TOWNSHIP],
  'GET /api/cases/:id/documents/:file': [...DEPT, 'operator', ...TOWNSHIP],
  'GET /api/townships/:code': [...DEPT, 'operator', ...TOWNSHIP],
  'GET /api/cases/:id': [...DEPT, 'operator', ...TOWNSHIP],
  'GET /api/cases/:id/letter.docx': [...DEPT, 'operator', ...TOWNSHIP],
  'GET /api/county': [...DEPT, 'operator'],
  'GET /api/ledger/awards/:year': [...DEPT, 'operator'],
  'GET /api/figures': [...DEPT, 'operator'], // the county's figures; a township's officials read their own line (test/api/figures.test.ts)
  'GET /api/figures/report.docx': [...DEPT, 'operator'], // the quarter's 情况报告: the county's, never a township's
  'GET /api/ledger/targets': [...DEPT, 'operator'],
  'GET /api/ledger/targets.xlsx': [...DEPT, 'operator'],
  'GET /api/ledger/consequences/:year': [...DEPT, 'operator'],
  'GET /api/ledger/consequences.xlsx': [...DEPT, 'operator'],
  'GET /api/ledger/promotion/:date': [...DEPT, 'operator'],
  'POST /api/ledger/accountability': ['head'], // 六(五): a decision on a person, the head's
  'POST /api/villages/:code/designate': DEPT,
  'POST /api/designations': DEPT, // a designation round (三): the county decides
  'POST /api/villages/:code/plan': TOWNSHIP, // 五(一): the township party committee submits the plan
  'POST /api/villages/:code/plan/review': DEPT, // a township never approves its own plan
  'POST /api/villages/:code/progress': [...TOWNSHIP, 'firstSecretary'],
  'POST /api/villages/:code/acceptance': DEPT, // nor records its own acceptance
  'POST /api/villages/:code/reassign': DEPT,
  'POST /api/villages/:code/withdraw': DEPT,
  'POST /api/villages/:code/duties/fulfil': [...DEPT, ...TOWNSHIP, 'firstSecretary', 'villageSecretary'],
  'POST /api/villages/:code/duties/waive': DEPT,
  'POST /api/villages/:code/deliveries/retry': [...DEPT, 'operator'],
  'POST /api/townships/:code/reports': TOWNSHIP,
  'POST /api/townships/:code/trainings': [...DEPT, ...TOWNSHIP], // 四(一)5: the township's training, or the department's record of it
  'POST /api/townships/:code/studies': TOWNSHIP,
  'POST /api/townships/:code/inspections': DEPT, // 六(三): the department's inspection group
  'POST /api/county/committee-studies': DEPT, // 五(二): the standing committee's study and its 交办任务书
  'POST /api/county/evaluations': DEPT, // 六(四): the county's yearly evaluation of township secretaries
  'POST /api/county/joint-meetings': DEPT, // 四(一)4 with 六(二) "由组织部牵头": the department records the departments' 联席会
  'POST /api/county/diagnoses': DEPT, // 五(二): the department's 会诊
  'POST /api/county/courses': DEPT, // 四(一)5: the county's course
  'POST /api/townships/:code/proposals/decide': DEPT,
  'POST /api/townships/:code/duties/fulfil': [...DEPT, ...TOWNSHIP],
  'POST /api/townships/:code/duties/waive': DEPT,
  'POST /api/townships/:code/deliveries/retry': [...DEPT, 'operator'],
  'POST /api/cases': DEPT, // 六(四): the county issues letters and talks
  'POST /api/cases/:id/explanation': TOWNSHIP,
  'POST /api/cases/:id/explanation/review': DEPT, // nor reviews its own explanation
  'POST /api/cases/:id/talk/order': DEPT,
  'POST /api/cases/:id/talk/schedule': DEPT,
  'POST /api/cases/:id/talk/record': DEPT,
  'POST /api/cases/:id/delivery': DEPT, // 送达 by hand, when the mail server refused the letter
  'POST /api/cases/:id/duties/fulfil': [...DEPT, ...TOWNSHIP],
  'POST /api/cases/:id/duties/waive': DEPT,
  'POST /api/cases/:id/deliveries/retry': [...DEPT, 'operator'],
  'POST /api/county/duties/fulfil': DEPT,
  'POST /api/county/duties/waive': DEPT,
  'POST /api/county/deliveries/retry': [...DEPT, 'operator'],
  'POST /api/policy/apply': ['head'], // a decision on the county's rules: the head's alone
  'POST /api/calendar/publish': [...DEPT, 'operator'],
};

/** A body each action would take (the actor is the session's, never in the body). */
const bodies: Record<string, unknown> = {
  'POST /api/villages/:code/designate': {},
  'POST /api/designations': { villages: ['QS03'] },
  'POST /api/villages/:code/plan': { summary: '规范“两会两票”，公开村务财务', measures: ['每季度公开村务财务'] },
  'POST /api/villages/:code/plan/review': { decision: 'return', comments: '措施不具体', revisionDue: inTenDays },
  'POST /api/villages/:code/progress': { period: `${today.slice(0, 7)}-H1`, progress: '推进中推进中' },
  'POST /api/villages/:code/acceptance': acceptanceOf('QS03', { year: 2027, evaluatedOn: '2027-11-25', transformed: true, summary: '已经转化' }),
  'POST /api/villages/:code/reassign': { role: 'township-liaison', person: 'qs03-liaison', effectiveOn: today },
  'POST /api/villages/:code/withdraw': { reason: '经复核不符合认定标准' },
  'POST /api/townships/:code/reports': { period: `${today.slice(0, 7)}-H1`, entries: [{ village: 'QS03', progress: '推进中推进中' }] },
  'POST /api/townships/:code/studies': { quarter: '2026-Q4', heldOn: today, summary: '专题研究整顿工作' },
  'POST /api/townships/:code/proposals/decide': { quarter: '2026-Q4', decision: 'decline', note: '已整改到位' },
  'POST /api/cases': { township: 'QS', reason: '半月报告多次逾期未报（二）', caseId: 'QS-matrix-2' },
  'POST /api/cases/:id/explanation': { rootCause: '组织干事调整', measures: '明确专人负责', timeLimit: today },
  'POST /api/cases/:id/explanation/review': { decision: 'accept' },
  'POST /api/cases/:id/talk/order': { why: '问题突出需要约谈' },
  'POST /api/cases/:id/talk/schedule': { at: `${today}T09:30`, place: '县委组织部', conductor: 'zzb-head' },
  'POST /api/cases/:id/talk/record': { outcome: '已约谈并提出要求' },
  'POST /api/cases/:id/delivery': { on: today, means: '当面送达' },
  'POST /api/county/evaluations': { year: 2026, evaluatedOn: today, results: [{ person: 'qs-sec', grade: 'good' }] },
  'POST /api/county/diagnoses': { year: 2026, heldOn: today, targets: [{ village: 'QS03', problems: '班子战斗力不强', planStands: true }] },
  'POST /api/townships/:code/trainings': { kind: 'members', startOn: today, endOn: today, days: 1, topic: '农村无职党员培训', headcount: 20 },
  'POST /api/county/courses': { startOn: today, endOn: today, days: 1, topic: '软弱涣散村村干部专题研修班', attendees: ['qs03-vs'] },
  'POST /api/county/joint-meetings': { heldOn: today, topics: '研究整治配套组织软弱涣散的问题', departments: ['D-GH', 'D-TW', 'D-FL', 'D-WZ', 'D-MZ'] },
  'POST /api/ledger/accountability': { person: 'qs-sec', ground: 'not-leading', decidedOn: today, docNumber: '云组发〔2026〕1号', confirmed: true },
  'POST /api/policy/apply': builtinPolicy(),
  'POST /api/calendar/publish': official2027,
};
const dutyBody = (key: string): unknown => (key.endsWith('/duties/fulfil') ? { obligationId: 'nope', fulfilledOn: today } : key.endsWith('/duties/waive') ? { obligationId: 'nope', reason: '经研究予以免除' } : {});

test('the authorization matrix: every role against every action', async () => {
  const { app } = api;
  // The department designates QS03 and writes to QS; the case exists.
  expect((await app.inject({ method: 'POST', url: '/api/villages/QS03/designate', headers: api.bearer('zzb-zhang'), payload: {} })).statusCode).toBe(201);
  const issued = await app.inject({ method: 'POST', url: '/api/cases', headers: api.bearer('zzb-zhang'), payload: { township: 'QS', reason: '半月报告多次逾期未报', caseId: 'QS-matrix' } });
  expect(issued.statusCode).toBe(201);

  expect(Object.keys(allowed).sort()).toEqual(routes.map((r) => `${r.method} ${r.url}`).sort());
  const url = (u: string): string =>
    u.replace(':code', u.startsWith('/api/townships') ? 'QS' : 'QS03').replace(':id', 'QS-matrix').replace(':year', '2026').replace(':date', today);
  const workflowOf = (u: string): string =>
    u.startsWith('/api/villages') ? villageWorkflowId('QS03') : u.startsWith('/api/townships') || u === '/api/designations' ? townshipWorkflowId('QS') : u.startsWith('/api/cases/') ? inquiryWorkflowId('QS-matrix') : u.startsWith('/api/ledger') ? ledgerWorkflowId('YL') : programmeWorkflowId('YL');
  const events = async (u: string): Promise<number> => ((await api.world.env.client.workflow.getHandle(workflowOf(u)).fetchHistory()).events ?? []).length;

  // Withdrawing ends the target: after the rest. Publishing a calendar and applying a policy reach
  // every workflow by signal, processed after the call returns: last, so no later check sees them.
  const rank = (action: string): number => (action === 'target.withdraw' ? 1 : action === 'policy.apply' || action === 'calendar.publish' ? 2 : 0);
  const ordered = [...routes].sort((a, b) => rank(a.action) - rank(b.action));
  // The allowed calls of the route before may still be reaching a workflow (a signal's task runs
  // after the call returns): wait until its history stands still before counting.
  const settle = async (u: string): Promise<void> => {
    for (let n = await events(u); ; ) {
      await new Promise((r) => setTimeout(r, 300));
      const m = await events(u);
      if (m === n) return;
      n = m;
    }
  };
  const wrong: string[] = [];
  for (const spec of ordered) {
    const key = `${spec.method} ${spec.url}`;
    await settle(spec.url);
    for (const who of Object.keys(people) as Who[]) {
      const may = allowed[key]!.includes(who);
      // Deny first, then allow: the allowed call may change the state the denied ones are checked against.
      if (may) continue;
      const before = await events(spec.url);
      const res = await app.inject({ method: spec.method, url: url(spec.url), headers: api.bearer(people[who]), ...(spec.method === 'POST' ? { payload: (bodies[key] ?? dutyBody(key)) as object } : {}) });
      if (res.statusCode !== 403) wrong.push(`${key} as ${who}: expected 403, got ${res.statusCode} ${res.body.slice(0, 120)}`);
      else if ((await events(spec.url)) !== before) wrong.push(`${key} as ${who}: refused, but the history changed`);
    }
    for (const who of allowed[key]!) {
      const res = await app.inject({ method: spec.method, url: url(spec.url), headers: api.bearer(people[who]), ...(spec.method === 'POST' ? { payload: (bodies[key] ?? dutyBody(key)) as object } : {}) });
      if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode >= 500) wrong.push(`${key} as ${who}: expected to pass authorization, got ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
  }
  expect(wrong).toEqual([]);
}, 300_000);

test('the actor is the session, never the body; a refusal names who and what; every mutating request is audited', async () => {
  const { app } = api;
  await app.inject({ method: 'POST', url: '/api/villages/LH09/designate', headers: api.bearer('zzb-zhang'), payload: {} });
  const named = await app.inject({ method: 'POST', url: '/api/villages/LH09/plan', headers: api.bearer('lh-sec'), payload: { submittedBy: 'zzb-head', summary: '整顿星级化创建，争取民族团结星', measures: ['开展民族团结进步创建活动'] } });
  expect(named.statusCode).toBe(400);
  expect(named.json()).toMatchObject({ error: 'bad-input', fields: [{ path: 'submittedBy', message: '由登录身份确定，不能在请求中填写' }] });

  const ok = await app.inject({ method: 'POST', url: '/api/villages/LH09/plan', headers: api.bearer('lh-sec'), payload: { summary: '整顿星级化创建，争取民族团结星', measures: ['开展民族团结进步创建活动'] } });
  expect(ok.statusCode).toBe(200);
  expect(ok.json().plan).toMatchObject({ status: 'submitted' });
  // The workflow's history records who acted: the session's person.
  expect(ok.json<{ history: { by?: string }[] }>().history.at(-1)).toMatchObject({ by: 'lh-sec' });

  const own = await app.inject({ method: 'POST', url: '/api/villages/LH09/plan/review', headers: api.bearer('lh-sec'), payload: { decision: 'approve' } });
  expect(own.statusCode).toBe(403);
  expect(own.json().message).toBe('陈卫东（乡镇党委书记）无权审核整顿方案');
  const other = await app.inject({ method: 'POST', url: '/api/villages/QS03/plan', headers: api.bearer('lh-sec'), payload: { summary: '规范“两会两票”，公开村务财务', measures: ['每季度公开村务财务'] } });
  expect(other.json().message).toBe('陈卫东（乡镇党委书记）只能对本乡镇报送整顿方案，不能对整顿对象QS03报送整顿方案');

  expect(api.audit).toContainEqual(expect.objectContaining({ who: 'lh-sec', role: 'township-party-secretary', action: 'plan.submit', entity: 'village:LH09', outcome: 200 }));
  expect(api.audit).toContainEqual(expect.objectContaining({ who: 'lh-sec', action: 'plan.review', entity: 'village:LH09', outcome: 403 }));

  // Lists show what the actor may read: a township official sees their township only.
  const listed = await app.inject({ method: 'GET', url: '/api/entities?kind=village', headers: api.bearer('lh-sec') });
  expect(listed.statusCode).toBe(200);
  expect(new Set(listed.json<{ township: string }[]>().map((i) => i.township))).toEqual(new Set(['LH']));
  const injected = await app.inject({ method: 'GET', url: "/api/entities?township=QS' OR 'a'='a", headers: api.bearer('zzb-zhang') });
  expect(injected.statusCode).toBe(400);
  expect(injected.json().message).toMatch(/^township：/);
}, 120_000);
