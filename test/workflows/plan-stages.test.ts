import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { calendarStore } from '../../src/activities/calendar-store';
import { readRosterFile } from '../../src/activities/roster-file';
import { stateQuery, villageWorkflowId } from '../../src/contracts/village';
import { builtinPolicy } from '../../src/domain/policy';
import { ServiceError } from '../../src/service/errors';
import { Service } from '../../src/service/service';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, historyLengths, useVillageWorld } from '../support/village';

/**
 * The plan as 五(一) asks it ("按照一个整顿对象一个方案的要求，分类提出每个整顿对象的整治、巩固、提升的具体方案")
 * and 五(二) for an economically weak target ("拿出具体的'时间表'和'路线图'"): 青石镇东风村 (QS03,
 * designated on 三(一) and 三(三)) submits a plan with its problems by ground, measures in the three
 * stages and a 时间表; what is wrong is refused with its field; once the department approves it,
 * each dated measure and milestone is its owner's duty, reminded before its date, and closed with
 * 已完成; the plan's Word document shows the three stages.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-19T00:00:00Z' });
const subjects = (address: string): string[] => world.mail.sink.to(address).map((m) => m.subject);

describe('a plan in three stages', () => {
  test('dated measures become their owners’ duties when approved, reminded and closed; the Word document shows the stages', async () => {
    const service = new Service({ client: world.env.client, taskQueue: world.taskQueue, roster: () => roster, policy: () => builtinPolicy(), calendar: calendarStore(world.mail.calendarDir), now: () => world.env.currentTimeMs() });
    const zhang = service.actor('zzb-zhang');
    const sec = service.actor('qs-sec');
    await service.designate(zhang, 'QS03');
    await advanceTo(world.env, '2018-11-12T02:00:00Z');

    const plan = {
      summary: '调整班子，规范村务财务公开，发展集体经济',
      problems: [
        { criterion: 1, problem: '村党支部书记长期在县城经商，支委会一年仅开两次' },
        { criterion: 3, problem: '村务财务两年未公开，集体土地发包未经“两会两票”' },
      ],
      measures: [
        { stage: 'rectify', what: '调整村党支部书记，选优配强班子', owner: 'qs03-vs', due: '2018-12-14' },
        '公开2017年以来村务财务',
        { stage: 'consolidate', what: '建立“两会两票”台账并每季度公开', owner: 'qs-sec', due: '2019-06-28' },
        { stage: 'upgrade', what: '创建“六有”服务型党组织' },
      ],
      economicallyWeak: true,
      roadmap: { route: '盘活集体土地，组建种植合作社，三年内集体收入达到5万元', milestones: [{ date: '2019-09-30', goal: '合作社注册并首季分红', owner: 'qs-sec' }] },
    };
    // What is wrong is named by its field, and nothing changes.
    const refusal = async (body: unknown): Promise<string[]> => {
      const e = await service.submitPlan(sec, 'QS03', body).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ServiceError);
      return ((e as ServiceError).fields ?? []).map((f) => `${f.path}：${f.message}`);
    };
    expect(await refusal({ ...plan, roadmap: undefined })).toEqual(['roadmap：经济基础薄弱的整顿对象须拿出具体的“时间表”和“路线图”（五(二)）']);
    expect(await refusal({ ...plan, measures: [{ stage: 'rectify', what: '调整村党支部书记', due: '2018-12-14' }] })).toEqual(['measures.0.owner：有完成时限的措施须明确责任人']);
    expect(await refusal({ ...plan, measures: [{ stage: 'rectify', what: '调整村党支部书记', owner: 'nobody', due: '2018-12-14' }] })).toEqual(['measures.0.owner：名册中没有人员nobody']);
    expect(await refusal({ ...plan, measures: [{ stage: 'rectify', what: '调整村党支部书记', owner: 'qs03-vs', due: '2018-11-01' }] })).toEqual(['measures.0.due：完成时限2018-11-01须晚于今天（2018-11-12）']);
    expect(await refusal({ ...plan, problems: [{ criterion: 2, problem: '党员队伍老化' }] })).toEqual(['problems.0.criterion：QS03不是依据三(二)认定的']);
    expect((await service.villageView(zhang, 'QS03')).plan.status).toBe('due');

    const submitted = await service.submitPlan(sec, 'QS03', plan);
    expect(submitted.plan.measures?.map((m) => m.stage)).toEqual(['rectify', 'rectify', 'consolidate', 'upgrade']);
    expect(submitted.history.at(-1)?.text).toBe('报送整顿方案：调整班子，规范村务财务公开，发展集体经济（措施：整治2项、巩固1项、提升1项；时间表节点1个）');
    // Nothing is owed by the measures until the plan is approved.
    expect(submitted.open.filter((o) => o.kind === 'plan-measure')).toEqual([]);

    const approved = await service.reviewPlan(zhang, 'QS03', { decision: 'approve', comments: '同意' });
    expect(approved.plan).toMatchObject({ status: 'approved', approvedOn: '2018-11-12' });
    expect(approved.open.filter((o) => o.kind === 'plan-measure').map((o) => [o.id, o.dueDate, o.clause, o.responsible])).toEqual([
      // Each owed in the month of its date, due with the month's end (29 December 2018 was a working Saturday).
      ['plan-measure/village:QS03/2018-r0/m1', '2018-12-29', '五(一)', { people: ['qs03-vs'] }],
      ['plan-measure/village:QS03/2018-r0/m3', '2019-06-28', '五(一)', { people: ['qs-sec'] }],
      ['plan-measure/village:QS03/2018-r0/t1', '2019-09-30', '五(一)', { people: ['qs-sec'] }],
    ]);

    // The approved plan, with its Word document, goes to the township party secretary and the department.
    await advanceTo(world.env, '2018-11-12T03:00:00Z');
    for (const address of ['qs-sec@township.example.org', 'zzb-zhang@county.example.org']) {
      expect(subjects(address), address).toContain('【整顿方案审核通过】青石镇东风村：整治2项、巩固1项、提升1项');
    }
    const mail = world.mail.sink.to('qs-sec@township.example.org').find((m) => m.subject.startsWith('【整顿方案审核通过】'))!;
    expect(mail.text).toContain('整治措施1：调整村党支部书记，选优配强班子（责任人：');
    expect(mail.text).toContain('时间表节点1：合作社注册并首季分红');
    const attached = mail.attachments.find((a) => a.filename === '整顿方案-QS03.docx')!;

    // The first measure is reminded to its owner three working days before the month's end, and closed with 已完成.
    await advanceTo(world.env, '2018-12-26T03:00:00Z');
    expect(subjects('qs03-vs@village.example.net')).toContain('【提醒】青石镇东风村：整顿方案措施（整治措施1：调整村党支部书记，选优配强班子，12月14日前）');
    expect(subjects('qs-sec@township.example.org').some((s) => s.includes('整治措施1'))).toBe(false);
    await service.fulfil(service.actor('qs03-vs'), service.village('QS03'), { obligationId: 'plan-measure/village:QS03/2018-r0/m1', fulfilledOn: '2018-12-14', note: '已调整村党支部书记' });
    const after = await world.env.client.workflow.getHandle(villageWorkflowId('QS03')).query(stateQuery);
    expect(after.recentlyClosed.find((c) => c.id === 'plan-measure/village:QS03/2018-r0/m1')?.closed).toMatchObject({ how: 'fulfilled', on: '2018-12-14', by: 'qs03-vs' });
    expect(after.open.filter((o) => o.kind === 'plan-measure').map((o) => o.id)).toEqual(['plan-measure/village:QS03/2018-r0/m3', 'plan-measure/village:QS03/2018-r0/t1']);

    // The second measure is reported done in the township's half-monthly report, by its duty's id.
    await advanceTo(world.env, '2018-12-28T03:00:00Z');
    await service.submitReport(service.actor('qs-org'), 'QS', {
      period: '2018-12-H2',
      entries: [{ village: 'QS03', progress: '建立“两会两票”台账，公开第四季度村务财务', duties: [{ kind: 'plan-measure', obligationId: 'plan-measure/village:QS03/2018-r0/m3', date: '2018-12-27' }] }],
    });
    await advanceTo(world.env, '2018-12-28T04:00:00Z');
    const reported = await world.env.client.workflow.getHandle(villageWorkflowId('QS03')).query(stateQuery);
    expect(reported.recentlyClosed.find((c) => c.id === 'plan-measure/village:QS03/2018-r0/m3')?.closed).toMatchObject({ how: 'fulfilled', on: '2018-12-27', by: 'qs-org' });
    expect(reported.open.filter((o) => o.kind === 'plan-measure').map((o) => o.id)).toEqual(['plan-measure/village:QS03/2018-r0/t1']);

    // The Word document: problems by ground, the three stages with owner and date, the 时间表.
    const { filename, content } = await service.planDocx(zhang, 'QS03');
    expect(filename).toBe('青石镇东风村党组织整顿提升方案.docx');
    const xml = strFromU8(unzipSync(new Uint8Array(content))['word/document.xml']!);
    expect(strFromU8(unzipSync(new Uint8Array(attached.content))['word/document.xml']!).replace(/审核情况.*$/s, '')).toBe(xml.replace(/审核情况.*$/s, '')); // the mailed plan is the one downloaded
    const paragraphs = [...xml.matchAll(/<w:p[ >].*?<\/w:p>/g)].map((m) => m[0].replace(/<[^>]+>/g, ''));
    const at = (p: string): number => paragraphs.findIndex((x) => x.startsWith(p));
    expect(at('二、存在问题')).toBeGreaterThan(0);
    expect(paragraphs[at('二、存在问题') + 1]).toBe('（一）党组织凝聚力战斗力不强（三(一)）。村党支部书记长期在县城经商，支委会一年仅开两次');
    const sections = ['一、基本情况', '二、存在问题', '三、整治阶段措施', '四、巩固阶段措施', '五、提升阶段措施', '六、集体经济发展的“时间表”和“路线图”', '七、审核情况'].map(at);
    expect(sections.every((i, k) => i > (sections[k - 1] ?? -1)), sections.join(',')).toBe(true);
    const text = paragraphs.join('\n');
    expect(text).toContain('调整村党支部书记，选优配强班子');
    expect(text).toContain('2018年12月14日');
    expect(text).toContain('持续落实');
    expect(text).toContain('路线图：盘活集体土地，组建种植合作社，三年内集体收入达到5万元');
    expect(text).toContain('合作社注册并首季分红');
    expect(text).toContain('中共青石镇委员会');
  }, 600_000);

  test('the most a plan holds, every measure and milestone dated in one year and nobody acting, keeps that year’s history under 600 events', async () => {
    const service = new Service({ client: world.env.client, taskQueue: world.taskQueue, roster: () => roster, policy: () => builtinPolicy(), calendar: calendarStore(world.mail.calendarDir), now: () => world.env.currentTimeMs() });
    const zhang = service.actor('zzb-zhang');
    const { workflowId } = await service.designate(zhang, 'QS07');
    const handle = world.env.client.workflow.getHandle(workflowId);
    const firstRun = (await handle.describe()).runId;
    // 30 measures and 12 milestones, each on its own day of 2019 (a working day a week apart, from 7 January).
    const day = (n: number): string => new Date(Date.parse('2019-01-07T00:00:00Z') + n * 7 * 86_400_000).toISOString().slice(0, 10);
    const stages = ['rectify', 'consolidate', 'upgrade'] as const;
    await service.submitPlan(service.actor('qs-sec'), 'QS07', {
      summary: '健全组织生活，发展年轻党员，壮大集体经济',
      measures: Array.from({ length: 30 }, (_, i) => ({ stage: stages[i % 3], what: `第${i + 1}项整顿措施`, owner: i % 2 ? 'qs-sec' : 'qs07-vs', due: day(i) })),
      economicallyWeak: true,
      roadmap: { route: '发展特色种植，组建合作社，逐年增加集体收入', milestones: Array.from({ length: 12 }, (_, i) => ({ date: day(30 + i), goal: `第${i + 1}个节点目标`, owner: 'qs-sec' })) },
    });
    expect((await service.reviewPlan(zhang, 'QS07', { decision: 'approve' })).open.filter((o) => o.kind === 'plan-measure')).toHaveLength(42);
    await advanceTo(world.env, '2020-01-10T02:00:00Z');
    const lengths = await historyLengths(world.env, workflowId, firstRun);
    // The run that holds 2019 (the first wake-up of each year continues as new).
    expect(lengths.length).toBeGreaterThanOrEqual(3);
    expect(lengths[1], `events per run: ${lengths.join(', ')}`).toBeLessThan(600);
  }, 900_000);
});
