import { strFromU8, unzipSync } from 'fflate';
import { expect, test, vi } from 'vitest';
import { localDateOf, periodOf } from '../../src/domain/calendar';
import { builtinPolicy } from '../../src/domain/policy';
import { official2027 } from '../support/calendar';
import { useApiWorld } from '../support/api';
import { acceptanceOf } from '../support/village';

/**
 * Every action through the API, as the people who take them would, against the dev server: each
 * succeeds with what the user would then see, and a wrong body is refused naming the field.
 */
const api = useApiWorld();
const today = localDateOf(Date.now());
const inTenDays = localDateOf(Date.now() + 10 * 86_400_000);
const month = today.slice(0, 7);

async function call(who: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await api.app.inject({ method, url, headers: api.bearer(who), ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json<Record<string, unknown> & { message?: string; fields?: { path: string }[] }>() };
}

test('a target from designation to withdrawal, every action of every post', async () => {
  expect(await call('zzb-zhang', 'POST', '/api/villages/QS03/designate', {})).toMatchObject({ status: 201, body: { workflowId: 'village:QS03' } });

  // The township submits the plan; a wrong one names its fields.
  const bad = await call('qs-sec', 'POST', '/api/villages/QS03/plan', { summary: '太短', measures: [] });
  expect(bad.status).toBe(400);
  expect(bad.body.fields?.map((f) => f.path).sort()).toEqual(['measures', 'summary']);
  const plan = { summary: '规范“两会两票”，公开村务财务', measures: ['每季度公开村务财务'] };
  expect(await call('qs-sec', 'POST', '/api/villages/QS03/plan', plan)).toMatchObject({ status: 200, body: { stage: 'plan-submitted' } });
  // The department returns it with comments and a new deadline, then approves the revision.
  expect(await call('zzb-zhang', 'POST', '/api/villages/QS03/plan/review', { decision: 'return', comments: '措施不具体', revisionDue: inTenDays })).toMatchObject({
    status: 200,
    body: { stage: 'plan-returned', plan: { status: 'returned', revisionDue: inTenDays } },
  });
  expect((await call('zzb-zhang', 'POST', '/api/villages/QS03/plan/review', { decision: 'approve' })).status).toBe(422);
  expect(await call('qs-org', 'POST', '/api/villages/QS03/plan', { ...plan, measures: ['每季度公开村务财务', '调整支部班子'] })).toMatchObject({ status: 200, body: { stage: 'plan-submitted' } });
  expect(await call('zzb-head', 'POST', '/api/villages/QS03/plan/review', { decision: 'approve' })).toMatchObject({ status: 200, body: { plan: { status: 'approved' } } });

  // The first secretary records progress with a visit, and closes this month's symposium.
  const progress = await call('qs03-fs', 'POST', '/api/villages/QS03/progress', { period: `${month}-H1`, progress: '走访农户二十户', duties: [{ kind: 'first-secretary-visit', date: `${month}-01` }] });
  expect(progress.status).toBe(200);
  const symposium = `first-secretary-symposium/village:QS03/${month}`;
  expect((await call('qs03-vs', 'POST', '/api/villages/QS03/duties/fulfil', { obligationId: symposium, fulfilledOn: today })).body.message).toBe('何晓东不是“第一书记每月与村民座谈交流”的责任人，不能办结该事项');
  const fulfilled = await call('qs03-fs', 'POST', '/api/villages/QS03/duties/fulfil', { obligationId: symposium, fulfilledOn: today });
  expect(fulfilled.status).toBe(200);
  expect((fulfilled.body.recentlyClosed as { id: string; closed: { by: string } }[]).find((c) => c.id === symposium)?.closed).toMatchObject({ by: 'qs03-fs' });

  // 四(五)17: the quarter's 集中落实 activity is the village party secretary's, and the first secretary may record it too.
  const concentrated = `concentrated-service/village:QS03/${periodOf('quarter', today).id}`;
  const held = await call('qs03-fs', 'POST', '/api/villages/QS03/duties/fulfil', { obligationId: concentrated, fulfilledOn: today, note: '集中宣讲惠民政策' });
  expect(held.status).toBe(200);
  expect((held.body.recentlyClosed as { id: string; closed: { by: string; how: string } }[]).find((c) => c.id === concentrated)?.closed).toMatchObject({ by: 'qs03-fs', how: 'fulfilled' });

  // The department waives a duty, with a reason.
  const open = (await call('zzb-zhang', 'GET', '/api/villages/QS03')).body.open as { id: string; kind: string }[];
  const debriefing = open.find((o) => o.kind === 'village-quarterly-debriefing')!;
  expect((await call('zzb-zhang', 'POST', '/api/villages/QS03/duties/waive', { obligationId: debriefing.id, reason: '本季度已另行安排述职' })).status).toBe(200);

  // Reassigning the first secretary; retrying mail (an operator); reading lists and the county.
  expect(await call('zzb-zhang', 'POST', '/api/villages/QS03/reassign', { role: 'first-secretary', person: 'spare-fs', effectiveOn: today })).toMatchObject({ status: 200, body: { firstSecretary: 'spare-fs' } });
  expect((await call('ops-wu', 'POST', '/api/villages/QS03/deliveries/retry', {})).status).toBe(200);
  const listed = await call('ops-wu', 'GET', '/api/entities');
  expect((listed.body as unknown as { workflowId: string }[]).map((i) => i.workflowId)).toEqual(expect.arrayContaining(['village:QS03', 'township:QS']));
  expect((await call('zzb-head', 'GET', '/api/county')).status).toBe(200);

  // Withdrawn: later actions are refused, saying why; designating again needs a new date.
  expect(await call('zzb-head', 'POST', '/api/villages/QS03/withdraw', { reason: '经复核，该村不符合认定标准' })).toMatchObject({ status: 200, body: { stage: 'withdrawn' } });
  // Once its workflow has ended, the service says how it ended (not "not found").
  await vi.waitFor(async () => expect((await api.world.env.client.workflow.getHandle('village:QS03').describe()).status.name).toBe('COMPLETED'), { timeout: 10_000 });
  const late = await call('qs-sec', 'POST', '/api/villages/QS03/plan', plan);
  expect(late).toMatchObject({ status: 409, body: { error: 'conflict', message: '整顿对象QS03已撤销认定，不能再办理' } });
  expect((await call('zzb-zhang', 'POST', '/api/villages/QS03/designate', {})).status).toBe(409);
  expect(await call('zzb-zhang', 'POST', '/api/villages/QS03/designate', { redesignate: today })).toMatchObject({ status: 201 });
}, 120_000);

test('the late-November acceptance recorded by the department', async () => {
  // Designated in autumn 2025: its first acceptance is now, November 2026 (五(一)).
  expect((await call('zzb-zhang', 'POST', '/api/villages/LH09/designate', { redesignate: '2025-10-10' })).status).toBe(201);
  const res = await call('zzb-li', 'POST', '/api/villages/LH09/acceptance', acceptanceOf('LH09', { year: 2026, evaluatedOn: '2026-11-25', transformed: true, summary: '班子健全，各项制度落实，已转化提升' }));
  expect(res.status).toBe(200);
  expect(res.body.acceptances).toEqual([expect.objectContaining({ year: 2026, transformed: true, evaluator: 'zzb-li' })]);
}, 60_000);

test('a township reports and studies; an inquiry letter, its explanation, a talk and the ledger', async () => {
  await call('zzb-zhang', 'POST', '/api/villages/JS04/designate', { redesignate: `${month}-01` });
  const report = await call('js-org', 'POST', '/api/townships/JS/reports', { period: `${month}-H1`, entries: [{ village: 'JS04', progress: '召开支委会研究整顿' }] });
  expect(report.status).toBe(200);
  expect((await call('js-org', 'POST', '/api/townships/JS/reports', { period: `${month}-H1`, entries: [{ village: 'XX99', progress: '召开支委会研究整顿' }] })).status).toBe(422);
  expect((await call('js-sec', 'POST', '/api/townships/JS/studies', { quarter: `${today.slice(0, 4)}-Q4`, heldOn: today, summary: '党委会专题研究整顿工作' })).status).toBe(200);
  expect((await call('zzb-zhang', 'POST', '/api/townships/JS/proposals/decide', { quarter: `${today.slice(0, 4)}-Q4`, decision: 'decline', note: '已整改到位' })).status).toBe(422);

  const issued = await call('zzb-zhang', 'POST', '/api/cases', { township: 'JS', reason: '半月报告多次逾期未报' });
  expect(issued.status).toBe(201);
  const caseId = String(issued.body.workflowId).replace(/^inquiry:/, '');
  const again = await call('zzb-li', 'POST', '/api/cases', { township: 'JS', reason: '半月报告多次逾期未报' });
  expect(again.status).toBe(409);
  expect(again.body.message).toContain(`已有函询案件${caseId}（办理中）`);

  expect(await call('js-sec', 'POST', `/api/cases/${caseId}/explanation`, { rootCause: '组织干事调整，工作断档', measures: '明确专人负责，每半月按时上报', timeLimit: inTenDays })).toMatchObject({ status: 200, body: { stage: 'explained' } });
  expect(await call('zzb-zhang', 'POST', `/api/cases/${caseId}/explanation/review`, { decision: 'talk', note: '多次逾期，问题突出' })).toMatchObject({ status: 200, body: { stage: 'talk-required' } });
  const talk = { at: `${inTenDays}T09:30`, place: '县委组织部会议室', conductor: 'zzb-head' };
  // The notice's 文号 is the system's to give, never the request's.
  expect((await call('zzb-zhang', 'POST', `/api/cases/${caseId}/talk/schedule`, { ...talk, docNumber: { year: 2026, seq: 99 } })).body).toMatchObject({ error: 'bad-input', fields: [{ path: 'docNumber' }] });
  // A time already past is refused before a 文号 is taken: the notice's number below is still the next one.
  expect((await call('zzb-zhang', 'POST', `/api/cases/${caseId}/talk/schedule`, { ...talk, at: '2020-01-02T09:30' })).body).toMatchObject({ error: 'bad-input', fields: [{ path: 'at', message: '2020-01-02T09:30不是将来的时间' }] });
  const scheduled = await call('zzb-zhang', 'POST', `/api/cases/${caseId}/talk/schedule`, talk);
  expect(scheduled).toMatchObject({ status: 200, body: { stage: 'talk-scheduled' } });
  // The letter had the year's first number in this county; the talk notice has the next.
  const year = Number(today.slice(0, 4));
  const letterNumber = (scheduled.body as { docNumber: { seq: number } }).docNumber;
  expect((scheduled.body as { talk: { scheduled: { docNumber: unknown } } }).talk.scheduled.docNumber).toEqual({ year, seq: letterNumber.seq + 1 });
  // The letter as the workbench and the CLI download it is the document that was mailed, word for word.
  const [letterMail] = await api.world.mail.sink.waitFor((m) => m.envelopeTo.includes('js-sec@township.example.org') && m.subject.startsWith('【函询】') && m.text.includes(caseId));
  const mailed = letterMail!.attachments.find((a) => a.filename.endsWith('.docx'))!;
  const downloaded = await api.app.inject({ method: 'GET', url: `/api/cases/${caseId}/letter.docx`, headers: api.bearer('js-sec') });
  expect(downloaded.statusCode).toBe(200);
  expect(downloaded.headers['content-disposition']).toContain(encodeURIComponent('函询函'));
  const textOf = (bytes: Uint8Array): string => strFromU8(unzipSync(bytes)['word/document.xml']!).replace(/<[^>]+>/g, '');
  expect(textOf(new Uint8Array(downloaded.rawPayload))).toBe(textOf(new Uint8Array(mailed.content)));
  expect((await api.app.inject({ method: 'GET', url: `/api/cases/${caseId}/letter.docx`, headers: api.bearer('qs-sec') })).statusCode).toBe(403);
  const [notice] = await api.world.mail.sink.waitFor((m) => m.envelopeTo.includes('js-sec@township.example.org') && m.subject.startsWith('【约谈通知】') && m.text.includes(caseId));
  expect(notice!.text).toContain(`文号：云组函〔${year}〕${letterNumber.seq + 1}号`);
  const doc = notice!.attachments.find((a) => a.filename.endsWith('.docx'))!;
  const docText = strFromU8(unzipSync(new Uint8Array(doc.content))['word/document.xml']!).replace(/<[^>]+>/g, '');
  expect(docText).toContain(`云组函〔${year}〕${letterNumber.seq + 1}号`);
  expect(docText).toContain('县委组织部会议室');
  expect(
    await call('zzb-head', 'POST', `/api/cases/${caseId}/talk/record`, { heldOn: today, outcome: '已约谈，提出整改要求', accountability: [{ person: 'js-org', ground: '长期不按时上报整顿进展' }] }),
  ).toMatchObject({ status: 200, body: { stage: 'closed' } });

  const direct = await call('zzb-head', 'POST', '/api/cases', { township: 'JS', reason: '整顿工作推进缓慢', caseId: 'JS-direct', kind: 'inquiry' });
  expect(direct.status).toBe(201);
  expect(await call('zzb-head', 'POST', '/api/cases/JS-direct/talk/order', { why: '问题突出，直接约谈' })).toMatchObject({ status: 200, body: { stage: 'talk-required' } });

  const awards = await call('zzb-zhang', 'GET', `/api/ledger/awards/${today.slice(0, 4)}`);
  expect(awards.status).toBe(200);
  expect((awards.body as unknown as { subject: { id?: string } }[]).map((c) => c.subject.id)).toEqual(expect.arrayContaining(['js-sec', 'js-org']));
  const blocked = await call('ops-wu', 'GET', `/api/ledger/promotion/${inTenDays}`);
  expect((blocked.body as unknown as { subject: { id?: string } }[]).map((c) => c.subject.id)).toContain('js-org');
  expect((await call('ops-wu', 'GET', '/api/ledger/promotion/2026-02-30')).body).toMatchObject({ error: 'bad-input', fields: [{ path: 'date' }] });

  // A standing committee's study that reviewed no plan leaves out `plans`: recorded, its list empty.
  const study = await call('zzb-zhang', 'POST', '/api/county/committee-studies', { heldOn: today, summary: '专题研究整顿工作推进情况' });
  expect(study.status).toBe(200);
  expect((study.body.committeeStudies as { heldOn: string; plans: unknown[] }[]).at(-1)).toMatchObject({ heldOn: today, plans: [] });
}, 120_000);

test('operations: a policy applied by the head, a calendar previewed by an operator and confirmed by the department', async () => {
  await call('zzb-zhang', 'POST', '/api/villages/SL08/designate', { redesignate: `${month}-01` });
  // Applying reaches the workflows visibility lists: once SL08 is listed.
  await vi.waitFor(async () => expect(((await call('ops-wu', 'GET', '/api/entities')).body as unknown as { workflowId: string }[]).map((i) => i.workflowId)).toContain('village:SL08'), {
    timeout: 10_000,
    interval: 200,
  });
  const applied = await call('zzb-head', 'POST', '/api/policy/apply', { ...builtinPolicy(), version: 'county-2027.1' });
  expect(applied.status).toBe(200);
  expect(applied.body.done).toContain('village:SL08');
  expect((await call('zzb-head', 'GET', '/api/villages/SL08')).body.policyVersion).toBe('county-2027.1');
  const bad = await call('zzb-head', 'POST', '/api/policy/apply', { ...builtinPolicy(), morningHour: { value: 3, basis: 'county-practice' } });
  expect(bad).toMatchObject({ status: 400, body: { fields: [{ path: 'morningHour.value' }] } });

  // An operator sees what the official arrangement changes; the department confirms it.
  const preview = await call('ops-wu', 'POST', '/api/calendar/publish', official2027);
  expect(preview).toMatchObject({ status: 200, body: { published: false, year: 2027, official: true } });
  expect(preview.body.changedDays).toContainEqual({ date: '2027-02-08', before: '工作日', after: '休息日' });
  const byOperator = await call('ops-wu', 'POST', '/api/calendar/publish', { ...official2027, confirm: true });
  expect(byOperator.status).toBe(403);
  const published = await call('zzb-zhang', 'POST', '/api/calendar/publish', { ...official2027, confirm: true });
  expect(published.status).toBe(200);
  expect(published.body.published).toBe(true);
  expect(published.body.done).toContain('village:SL08');
}, 60_000);
