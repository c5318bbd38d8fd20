import { describe, expect, test } from 'vitest';
import { designateTarget, issueInquiry, tellSupervisors } from '../../src/client/supervision';
import { designateVillage, villageInputFromRoster } from '../../src/client/village';
import { inquiryStateQuery } from '../../src/contracts/inquiry';
import { ledgerWorkflowId, promotionBlockedQuery } from '../../src/contracts/ledger';
import { townshipWorkflowId } from '../../src/contracts/township';
import { recordAcceptanceUpdate, stateQuery, submitPlanUpdate, villageWorkflowId, withdrawUpdate } from '../../src/contracts/village';
import { readRosterFile } from '../../src/activities/roster-file';
import type { Consequence } from '../../src/domain';
import { OverdueKey } from '../../src/search-attributes';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, historyLengths, recordHistories, useVillageWorld, acceptanceOf } from '../support/village';

/**
 * Duties are durable state: a duty stays open, and overdue, until someone closes it; who owes what
 * follows the text; nothing held back is lost when a target ends. The Temporal server's clock
 * starts in October 2018; mail is read from a real SMTP server.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-16T00:00:00Z' });
const subjects = (address: string): string[] => world.mail.sink.to(address).map((m) => m.subject);
const zhang = 'zzb-zhang@county.example.org';
const head = 'zzb-head@county.example.org';
const digests = (address: string, mentioning: string): string[] =>
  world.mail.sink
    .to(address)
    .filter((m) => m.subject.startsWith('【督办】') && m.text.includes(mentioning))
    .map((m) => m.subject);
const lengthsOf = new Map<string, number[]>();

describe('a duty stays open until it is closed', () => {
  test('a plan never submitted is overdue six months later and urged to the department six times; a plan submitted is urged no more', async () => {
    const qs03 = await designateTarget(world.env.client, world.taskQueue, roster, 'QS03');
    const lh02 = await designateTarget(world.env.client, world.taskQueue, roster, 'LH02');

    // 五(一): due 29 December (31 December is a holiday); the red warning on 4 January.
    await advanceTo(world.env, '2019-01-04T03:00:00Z');
    expect(subjects(zhang)).toContain('【红色预警】青石镇东风村：报送整顿方案（2018年整顿方案）');
    // Urged in the department's digest every five working days (county practice).
    await advanceTo(world.env, '2019-01-22T03:00:00Z');
    expect(digests(zhang, '柳河镇长青村：报送整顿方案').length).toBeGreaterThanOrEqual(2);
    await lh02.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'lh-sec', summary: '规范“两会两票”，公开村务财务，调整支部班子', measures: ['每季度公开村务财务'] }] });
    const urgedBefore = digests(zhang, '柳河镇长青村：报送整顿方案').length;

    await advanceTo(world.env, '2019-07-01T03:00:00Z');
    const plan = 'rectification-plan/village:QS03/2018';
    const state = await qs03.query(stateQuery);
    expect(state.open.find((o) => o.id === plan)).toMatchObject({ overdue: true, dueDate: '2018-12-29' });
    expect(state.overdue).toBe(true);
    expect(state.stage).toBe('plan-due');
    // Operators' lists (`list --overdue`) read this search attribute.
    expect((await qs03.describe()).typedSearchAttributes.get(OverdueKey)).toBe(true);
    // Six urgings at most (county practice), each in one digest per recipient.
    const urged = world.mail.sink.to(zhang).filter((m) => m.subject.startsWith('【督办】') && m.text.includes('青石镇东风村：报送整顿方案'));
    expect(urged.map((m) => /第(\d)次督办/.exec(m.text.split('\n').find((l) => l.includes('青石镇东风村：报送整顿方案'))!)?.[1])).toEqual(['1', '2', '3', '4', '5', '6']);
    // LH02's plan came: nothing more about it.
    expect(digests(zhang, '柳河镇长青村：报送整顿方案')).toHaveLength(urgedBefore);
    expect((await lh02.query(stateQuery)).recentlyClosed.find((c) => c.id === 'rectification-plan/village:LH02/2018')?.closed).toMatchObject({ how: 'late', by: 'lh-sec' });

    lengthsOf.set('QS03 (plan never submitted)', await historyLengths(world.env, qs03.workflowId, qs03.firstExecutionRunId));
    await recordHistories(world.env, qs03.workflowId, qs03.firstExecutionRunId, 'village-plan-never-submitted');
    const programme = world.env.client.workflow.getHandle('programme:YL');
    await recordHistories(world.env, programme.workflowId, (await programme.describe()).runId, 'programme-urging-digest');
  }, 300_000);

  test("an acceptance never recorded is the county's overdue duty, escalated inside the county only, and counts as not transformed: three such years block the paired department (五(四))", async () => {
    const lh09 = await designateTarget(world.env.client, world.taskQueue, roster, 'LH09');
    await lh09.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'lh-sec', summary: '整顿星级化创建，争取民族团结星', measures: ['开展民族团结进步创建活动'] }] });

    // 2019: late November comes and goes with no result recorded.
    await advanceTo(world.env, '2019-12-10T03:00:00Z');
    const acceptance = 'acceptance-evaluation/village:LH09/2019-11-late';
    const overdueMails = world.mail.sink.received.filter((m) => m.subject.includes('柳河镇柳林村：县委验收评价（2019年11月下旬）'));
    const notified = new Set(overdueMails.flatMap((m) => m.envelopeTo));
    expect([...notified].sort()).toEqual([head, 'zzb-li@county.example.org', zhang].sort());
    expect(overdueMails.map((m) => m.subject)).toContain('【红色预警】柳河镇柳林村：县委验收评价（2019年11月下旬）');
    expect(world.mail.sink.to(head).map((m) => m.subject)).toContain('【逾期通知】柳河镇柳林村：县委验收评价（2019年11月下旬）');

    await advanceTo(world.env, '2020-01-10T03:00:00Z');
    let state = await lh09.query(stateQuery);
    expect(state.stage).toBe('acceptance');
    expect(state.open.find((o) => o.id === acceptance)).toMatchObject({ overdue: true, responsible: { role: 'org-department-staff' } });
    expect(state.acceptanceResults).toEqual([{ year: 2019, date: '2019-12-31', transformed: false, implied: true }]);

    // 2020 recorded as not transformed, 2021 never recorded: three years in a row.
    await advanceTo(world.env, '2020-11-25T03:00:00Z');
    await lh09.executeUpdate(recordAcceptanceUpdate, { args: [acceptanceOf('LH09', { year: 2020, evaluatedOn: '2020-11-25', transformed: false, evaluator: 'zzb-li', summary: '班子仍不健全' })] });
    await advanceTo(world.env, '2022-01-05T03:00:00Z');
    state = await lh09.query(stateQuery);
    expect(state.consequences.filter((c) => c.clause === '五(四)').map((c) => [c.kind, c.subject, c.from])).toEqual([
      ['work-team-continues', { type: 'village', code: 'LH09' }, '2021-12-31'],
      ['paired-leader-promotion-blocked', { type: 'person', id: 'd-jt-lead' }, '2021-12-31'],
    ]);
    expect(state.open.filter((o) => o.kind === 'acceptance-evaluation').map((o) => o.id)).toEqual([acceptance, 'acceptance-evaluation/village:LH09/2021-11-late']);
    const ledger = world.env.client.workflow.getHandle(ledgerWorkflowId('YL'));
    const lh09Blocks = async (): Promise<Consequence[]> => (await ledger.query(promotionBlockedQuery, '2022-01-05')).filter((c) => c.cause === 'village:LH09');
    let blocked = await lh09Blocks();
    for (let i = 0; i < 50 && blocked.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      blocked = await lh09Blocks();
    }
    expect(blocked.map((c) => [c.subject, c.clause, c.from])).toEqual([[{ type: 'person', id: 'd-jt-lead' }, '五(四)', '2021-12-31']]);
    // Never a township post for the county's own duty.
    for (const m of world.mail.sink.received.filter((x) => x.subject.includes('县委验收评价'))) {
      expect(m.envelopeTo.some((a) => a.startsWith('lh-'))).toBe(false);
    }
    lengthsOf.set('LH09 (acceptances never recorded)', await historyLengths(world.env, lh09.workflowId, lh09.firstExecutionRunId));
  }, 300_000);
});

describe('who owes what follows the text', () => {
  test("a target designated on the 10th: its township owes that half month's report; a township whose only target was withdrawn on the 5th owes nothing for that half month or quarter", async () => {
    await advanceTo(world.env, '2022-03-01T00:00:00Z');
    // 松岭乡 (SL): its only target withdrawn on 5 March.
    const sl = await designateTarget(world.env.client, world.taskQueue, roster, 'SL08');
    await advanceTo(world.env, '2022-03-05T02:00:00Z');
    await sl.executeUpdate(withdrawUpdate, { args: [{ by: 'zzb-zhang', reason: '经复核不属于软弱涣散村党组织' }] });
    // 金沙镇 (JS): a target designated on 10 March.
    await advanceTo(world.env, '2022-03-10T00:30:00Z');
    const input = villageInputFromRoster(roster, 'JS04');
    await designateVillage(world.env.client, world.taskQueue, input, { redesignate: '2022-03-10' });
    await tellSupervisors(world.env.client, world.taskQueue, 'YL', 'JS', { village: 'JS04', township: 'JS', date: '2022-03-10' });

    await advanceTo(world.env, '2022-04-20T03:00:00Z');
    expect(subjects('js-org@township.example.org')).toContain('【提醒】金沙镇：每半月上报整顿工作进展（2022年3月上半月）');
    const slOfficers = [...subjects('sl-org@township.example.org'), ...subjects('sl-sec@township.example.org')].filter((s) => s.includes('松岭乡：'));
    expect(slOfficers.filter((s) => s.includes('2022年3月') || s.includes('2022年第一季度'))).toEqual([]);
    const slTownship = world.env.client.workflow.getHandle(townshipWorkflowId('SL'));
    const slView = await slTownship.result();
    expect(slView.lapses).toEqual([]);
    expect(slView.proposals).toEqual([]);
    expect(world.mail.sink.received.filter((m) => m.subject.startsWith('【建议函询】松岭乡'))).toEqual([]);
  }, 300_000);
});

describe('nothing is lost', () => {
  test('notices held back by a mail outage go out when the target ends meanwhile', async () => {
    await advanceTo(world.env, '2022-05-20T00:00:00Z');
    const fs = 'dp01-fs@county.example.org';
    world.mail.sink.policy = (address) => (address === fs ? 'reject-transient' : 'accept');
    const dp01 = await designateTarget(world.env.client, world.taskQueue, roster, 'DP01');
    await advanceTo(world.env, '2022-05-26T02:00:00Z'); // May's month-end reminders: 26 May, 09:00
    expect((await dp01.query(stateQuery)).deliveryDelayed).toMatchObject({ pending: 2 });
    await dp01.executeUpdate(withdrawUpdate, { args: [{ by: 'zzb-zhang', reason: '经复核不属于软弱涣散村党组织' }] });
    await advanceTo(world.env, '2022-05-26T05:00:00Z');
    expect((await dp01.describe()).status.name).toBe('RUNNING'); // it holds the notices
    world.mail.sink.policy = () => 'accept';
    await advanceTo(world.env, '2022-05-27T03:00:00Z');
    expect((await dp01.result()).stage).toBe('withdrawn');
    expect(subjects(fs).filter((s) => s.includes('2022年5月')).sort()).toEqual([
      '【提醒】东坡乡李家村：第一书记每月与村民座谈交流（2022年5月）',
      '【提醒】东坡乡李家村：第一书记每月到村开展服务（2022年5月）',
    ]);
  }, 300_000);

  test('an inquiry case waiting for a talk reminds the department until the talk is held', async () => {
    await advanceTo(world.env, '2022-06-01T01:00:00Z');
    const bt = await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'BT', reason: '整顿工作进展缓慢', issuedBy: 'zzb-li', caseId: 'BT-2022-007' });
    await advanceTo(world.env, '2022-07-20T03:00:00Z');
    const view = await bt.query(inquiryStateQuery);
    expect(view.stage).toBe('talk-required');
    expect(view.open.map((o) => [o.kind, o.overdue])).toEqual([['talk', true]]);
    const talk = world.mail.sink.received.filter((m) => m.subject.includes('约谈乡镇党委书记、组织干事（案号BT-2022-007）')).map((m) => [m.subject.slice(0, m.subject.indexOf('】') + 1), m.envelopeTo[0]]);
    expect(talk).toEqual(
      expect.arrayContaining([
        ['【提醒】', zhang],
        ['【到期提醒】', zhang],
        ['【逾期通知】', head],
        ['【红色预警】', head],
      ]),
    );
    expect(digests(head, '约谈乡镇党委书记、组织干事').length).toBeGreaterThan(0);
    await recordHistories(world.env, bt.workflowId, (await bt.describe()).runId, 'case-talk-waiting');
  }, 300_000);
});

test('history per target-year stays at or under 600 events in every scenario above (every duty of the plan, the routine activities included)', () => {
  for (const [name, lengths] of lengthsOf) {
    console.log(`history events per run of ${name}: ${lengths.join(', ')}`);
    for (const n of lengths) expect(n).toBeLessThanOrEqual(600);
  }
  expect(lengthsOf.size).toBe(2);
});

void villageWorkflowId;
