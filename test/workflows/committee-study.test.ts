import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { calendarStore } from '../../src/activities/calendar-store';
import { readRosterFile } from '../../src/activities/roster-file';
import { programmeStateQuery, programmeWorkflowId } from '../../src/contracts/programme';
import { stateQuery, villageWorkflowId } from '../../src/contracts/village';
import { builtinPolicy } from '../../src/domain/policy';
import { ForbiddenError } from '../../src/service/authorization';
import { ServiceError } from '../../src/service/errors';
import { Service } from '../../src/service/service';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, useVillageWorld } from '../support/village';

/**
 * The standing committee reviews plans and issues a 交办任务书 (五(二) "县委常委每年专题研究2次…要专题
 * 审核软弱涣散村整顿方案，并以'交办任务书'的形式明确各级党委和党组织整顿工作责任和具体整顿事项"):
 * 青石镇东风村 (QS03) and 团结村 (QS07) are designated in October 2018; QS03's plan is submitted
 * and approved by the department, QS07's is not yet. On 20 November 2018 the department records
 * the committee's study through the service: QS07 is refused (its plan is not approved), QS03's
 * plan is reviewed and two items are assigned, one to the township, one to the village. Both get
 * the 交办任务书 as a Word document; each item is a duty of its owner, reminded before its
 * deadline, reported done and closed; the county's study duty of the half year is closed. On 20
 * December a second study returns QS07's plan, approved by the department meanwhile: it goes back
 * to the township with the committee's opinion and a new deadline.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-19T00:00:00Z' });
const subjects = (address: string): string[] => world.mail.sink.to(address).map((m) => m.subject);

describe('the standing committee and the 交办任务书', () => {
  test('a reviewed plan gets its 交办任务书; each item is its owner’s duty, reminded and closed', async () => {
    const service = new Service({ client: world.env.client, taskQueue: world.taskQueue, roster: () => roster, policy: () => builtinPolicy(), calendar: calendarStore(world.mail.calendarDir), now: () => world.env.currentTimeMs() });
    const zhang = service.actor('zzb-zhang');
    for (const v of ['QS03', 'QS07']) await service.designate(zhang, v);
    await advanceTo(world.env, '2018-11-12T02:00:00Z');
    await service.submitPlan(service.actor('qs-sec'), 'QS03', { summary: '调整班子，规范组织生活，发展集体经济', measures: ['选优配强村党支部书记', '每月落实主题党日'] });
    await service.reviewPlan(zhang, 'QS03', { decision: 'approve', comments: '同意' });
    await advanceTo(world.env, '2018-11-20T02:00:00Z');

    const study = (plans: unknown[]) => ({ heldOn: '2018-11-20', summary: '县委常委会专题研究软弱涣散村整顿工作，审核整顿方案', plans });
    const qs03Tasks = [
      { item: '选优配强东风村党支部书记', owner: 'township', deadline: '2018-12-14' },
      { item: '建立主题党日和“三会一课”台账', owner: 'village', deadline: '2019-01-31' },
    ];
    // A plan the department has not approved cannot be reviewed; a person named in the body is refused; nothing changes.
    const refused = await service.recordCommitteeStudy(zhang, study([{ village: 'QS03', tasks: qs03Tasks }, { village: 'QS07', tasks: [{ item: '整顿软弱涣散问题', owner: 'village', deadline: '2019-01-31' }] }])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect((refused as ServiceError).fields).toEqual([{ path: 'plans.1.village', message: 'QS07的整顿方案尚未经县委组织部审核通过，不能提交常委会审核' }]);
    const named = await service.recordCommitteeStudy(zhang, study([{ village: 'QS03', tasks: [{ ...qs03Tasks[0], person: 'qs-org' }] }])).catch((e: unknown) => e);
    expect((named as ServiceError).fields?.[0]?.path).toBe('plans.0.tasks.0.person');
    const township = await service.recordCommitteeStudy(service.actor('qs-sec'), study([])).catch((e: unknown) => e);
    expect(township).toBeInstanceOf(ForbiddenError);

    const view = await service.recordCommitteeStudy(zhang, study([{ village: 'QS03', tasks: qs03Tasks }]));
    expect(view.committeeStudies).toEqual([{ heldOn: '2018-11-20', summary: expect.any(String), by: 'zzb-zhang', plans: [{ village: 'QS03', tasks: 2 }] }]);
    expect(view.recentlyClosed.find((c) => c.kind === 'standing-committee-study')?.closed).toMatchObject({ how: 'fulfilled', on: '2018-11-20', by: 'zzb-zhang' });

    // The 交办任务书 goes to the township's and the village's party secretaries and the first secretary.
    await advanceTo(world.env, '2018-11-20T03:00:00Z');
    for (const address of ['qs-sec@township.example.org', 'qs03-vs@village.example.net', 'qs03-fs@county.example.org']) {
      expect(subjects(address), address).toContain('【交办任务书】青石镇东风村：整顿事项2项');
    }
    const mail = world.mail.sink.to('qs-sec@township.example.org').find((m) => m.subject.startsWith('【交办任务书】'))!;
    const docx = mail.attachments.find((a) => a.filename === '交办任务书-QS03-2018-11-20.docx')!;
    const text = strFromU8(unzipSync(new Uint8Array(docx.content))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(text).toContain('东风村党组织整顿提升交办任务书');
    expect(text).toContain('青石镇党委、东风村党组织：');
    expect(text).toContain('1. 选优配强东风村党支部书记（责任单位：青石镇党委，责任人：');
    expect(text).toContain('完成时限：2018年12月14日）'); // dates in an official document as officials write them
    expect(text).toContain('2. 建立主题党日和“三会一课”台账（责任单位：东风村党组织');
    expect(text).toContain('中共云岭县委');

    // Each item is a duty of the person who answers for it, due on its deadline.
    const village = world.env.client.workflow.getHandle(villageWorkflowId('QS03'));
    const tasks = (await village.query(stateQuery)).open.filter((o) => o.kind === 'assigned-task');
    expect(tasks.map((o) => [o.id, o.dueDate, o.clause, o.responsible])).toEqual([
      ['assigned-task/village:QS03/2018-11-20/1', '2018-12-14', '五(二)', { people: ['qs-sec'] }],
      ['assigned-task/village:QS03/2018-11-20/2', '2019-01-31', '五(二)', { people: ['qs03-vs'] }],
    ]);

    // Reminded three working days before its deadline, to its owner; reported done and closed.
    await advanceTo(world.env, '2018-12-11T03:00:00Z');
    expect(subjects('qs-sec@township.example.org')).toContain('【提醒】青石镇东风村：交办任务书整顿事项（2018-11-20交办第1项：选优配强东风村党支部书记）');
    expect(subjects('qs03-vs@village.example.net').some((s) => s.includes('交办第1项'))).toBe(false);
    await service.fulfil(service.actor('qs-sec'), service.village('QS03'), { obligationId: 'assigned-task/village:QS03/2018-11-20/1', fulfilledOn: '2018-12-11', note: '已调整村党支部书记' });
    const after = await village.query(stateQuery);
    expect(after.recentlyClosed.find((c) => c.id === 'assigned-task/village:QS03/2018-11-20/1')?.closed).toMatchObject({ how: 'fulfilled', by: 'qs-sec' });
    expect(after.open.map((o) => o.id)).toContain('assigned-task/village:QS03/2018-11-20/2');
    expect((await world.env.client.workflow.getHandle(programmeWorkflowId('YL')).query(programmeStateQuery)).history.some((h) => h.type === 'committee-study')).toBe(true);
  }, 600_000);

  test('the committee returns a plan: it goes back to the township with the opinion and a new deadline, and no 交办任务书', async () => {
    const service = new Service({ client: world.env.client, taskQueue: world.taskQueue, roster: () => roster, policy: () => builtinPolicy(), calendar: calendarStore(world.mail.calendarDir), now: () => world.env.currentTimeMs() });
    const zhang = service.actor('zzb-zhang');
    await service.submitPlan(service.actor('qs-sec'), 'QS07', { summary: '健全组织生活，公开村务财务', measures: ['每月召开支部党员大会'] });
    await service.reviewPlan(zhang, 'QS07', { decision: 'approve' });
    await advanceTo(world.env, '2018-12-20T02:00:00Z');
    const study = (plan: Record<string, unknown>) => ({ heldOn: '2018-12-20', summary: '县委常委会第二次专题审核整顿方案', plans: [{ village: 'QS07', ...plan }] });

    // A return names its opinion and deadline; it assigns nothing.
    const incomplete = await service.recordCommitteeStudy(zhang, study({ decision: 'return' })).catch((e: unknown) => e);
    expect((incomplete as ServiceError).fields?.map((f) => f.path).sort()).toEqual(['plans.0.opinion', 'plans.0.revisionDue']);
    const view = await service.recordCommitteeStudy(zhang, study({ decision: 'return', opinion: '整顿措施不具体，缺少时间表和责任人', revisionDue: '2019-01-10' }));
    expect(view.committeeStudies.at(-1)?.plans).toEqual([{ village: 'QS07', tasks: 0, returned: true }]);

    const qs07 = world.env.client.workflow.getHandle(villageWorkflowId('QS07'));
    await advanceTo(world.env, '2018-12-20T03:00:00Z');
    const returned = await qs07.query(stateQuery);
    expect(returned.plan).toMatchObject({ status: 'returned', revisionDue: '2019-01-10' });
    expect(returned.stage).toBe('plan-returned');
    expect(returned.open.find((o) => o.kind === 'rectification-plan')).toMatchObject({ dueDate: '2019-01-10', periodLabel: '2018年整顿方案（第1次修改）', responsible: { role: 'township-party-secretary' } });
    expect(returned.history.at(-1)?.text).toBe('县委常委会2018-12-20专题审核，整顿方案退回修改（五(二)）：整顿措施不具体，缺少时间表和责任人；修改后于2019-01-10前重新报送');
    expect(subjects('qs-sec@township.example.org').filter((x) => x.startsWith('【交办任务书】青石镇团结村'))).toEqual([]);

    // The township resubmits; the department approves the revision; the next study can take it.
    await service.submitPlan(service.actor('qs-sec'), 'QS07', { summary: '健全组织生活，公开村务财务，明确时间表', measures: ['每月召开支部党员大会（2019年1月起，村党支部书记负责）'] });
    expect((await service.reviewPlan(zhang, 'QS07', { decision: 'approve' })).plan.status).toBe('approved');
  }, 300_000);
});
