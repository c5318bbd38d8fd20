import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateTarget } from '../../src/client/supervision';
import { fulfilObligationUpdate } from '../../src/contracts/entity';
import { submitReportUpdate, townshipWorkflowId } from '../../src/contracts/township';
import { stateQuery, type VillageView } from '../../src/contracts/village';
import { periodById } from '../../src/domain/calendar';
import { builtinPolicy } from '../../src/domain/policy';
import { routineOfHalf } from '../../src/web/routine';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, recordHistories, useVillageWorld } from '../support/village';

/**
 * The routine activities (四(四)12 "每月1日升国旗制度", 四(五)17 "每月1日组织开展'惠民服务日'活动",
 * "每季度至少开展一次集中落实活动") on their light ladder: no reminder before, one notice for the
 * day, and only a missed one goes up. 东风村 (QS03, designated 2018-10-15) records November's
 * flag-raising by its first secretary's 已完成 and its 惠民服务日 in 青石镇's half-monthly report;
 * 长青村 (LH02, 2018-10-16) records neither. 1 November 2018 is a Thursday; 1 December a Saturday,
 * still the day (its notice goes out on Friday the 30th, the last working morning before it).
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-19T00:00:00Z' });

const mailsAbout = (address: string, title: string) => world.mail.sink.to(address).filter((m) => m.subject.includes(title));

describe('routine activities on the 1st and each quarter', () => {
  test('a notice on the day, nothing before; one recorded by the first secretary or the report is done; one not recorded is 未落实 after the half month: the township told, the bulletin lists it', async () => {
    const qs03 = await designateTarget(world.env.client, world.taskQueue, roster, 'QS03');
    const lh02 = await designateTarget(world.env.client, world.taskQueue, roster, 'LH02');
    const lh02Run = lh02.firstExecutionRunId;

    // Nothing before the day: no reminder on the last days of October.
    await advanceTo(world.env, '2018-10-31T23:00:00Z'); // 07:00 on 1 November, China time
    expect(mailsAbout('lh02-vs@village.example.net', '升国旗')).toEqual([]);

    // The day: one notice each to the village's Party secretary, at the morning hour.
    await advanceTo(world.env, '2018-11-01T02:00:00Z');
    for (const vs of ['qs03-vs@village.example.net', 'lh02-vs@village.example.net']) {
      const flag = mailsAbout(vs, '每月1日升国旗（2018年11月）');
      expect(flag.map((m) => m.subject)).toEqual([`【例行活动】${vs.startsWith('qs') ? '青石镇东风村' : '柳河镇长青村'}：每月1日升国旗（2018年11月）`]);
      expect(flag[0]!.text).toContain('2018年11月1日（星期四）应开展“每月1日升国旗”');
      expect(mailsAbout(vs, '“惠民服务日”活动（2018年11月）')).toHaveLength(1);
    }
    expect(mailsAbout('lh-sec@township.example.org', '升国旗')).toEqual([]); // the township hears only of a missed one

    // 东风村: the first secretary records the flag-raising (已完成), the township's report attests the 惠民服务日.
    const open = (await qs03.query(stateQuery)).open;
    const flagDuty = open.find((o) => o.kind === 'flag-raising')!;
    expect([flagDuty.dueDate, flagDuty.periodLabel, flagDuty.clause]).toEqual(['2018-11-01', '2018年11月', '四(四)12']);
    await qs03.executeUpdate(fulfilObligationUpdate, { args: [{ obligationId: flagDuty.id, fulfilledOn: '2018-11-01', by: 'qs03-fs', note: '全体村干部和党员参加' }] });
    await world.env.client.workflow.getHandle(townshipWorkflowId('QS')).executeUpdate(submitReportUpdate, {
      args: [{ period: '2018-11-H1', reportedBy: 'qs-org', entries: [{ village: 'QS03', progress: '开展惠民服务日，宣讲低保政策', duties: [{ kind: 'service-day', date: '2018-11-01' }] }] }],
    });

    // The half month over (Thursday the 15th; the notice on the next working morning): 长青村's two are 未落实.
    await advanceTo(world.env, '2018-11-15T23:00:00Z');
    expect(mailsAbout('lh-sec@township.example.org', '未落实')).toEqual([]);
    await advanceTo(world.env, '2018-11-16T02:00:00Z');
    for (const who of ['lh-sec@township.example.org', 'lh-org@township.example.org', 'lh02-vs@village.example.net']) {
      expect(mailsAbout(who, '【未落实】').map((m) => m.subject).sort()).toEqual(['【未落实】柳河镇长青村：每月1日“惠民服务日”活动（2018年11月）', '【未落实】柳河镇长青村：每月1日升国旗（2018年11月）']);
    }
    expect(mailsAbout('lh-sec@township.example.org', '【未落实】')[0]!.text).toContain('在本半月结束时仍无开展记录，记为未落实');
    expect(world.mail.sink.received.filter((m) => m.subject.startsWith('【未落实】青石镇'))).toEqual([]);

    const closedOf = (v: VillageView) =>
      v.recentlyClosed.filter((c) => c.kind === 'flag-raising' || c.kind === 'service-day').map((c) => [c.kind, c.closed.how, c.closed.on] as const).sort();
    expect(closedOf(await lh02.query(stateQuery))).toEqual([
      ['flag-raising', 'missed', '2018-11-16'],
      ['service-day', 'missed', '2018-11-16'],
    ]);
    expect(closedOf(await qs03.query(stateQuery))).toEqual([
      ['flag-raising', 'fulfilled', '2018-11-01'],
      ['service-day', 'fulfilled', '2018-11-01'],
    ]);
    // The township's report form for the half month says what each came to, above each target's fields.
    expect(routineOfHalf(await lh02.query(stateQuery), periodById('2018-11-H1'))).toEqual(['每月1日升国旗（2018年11月）未落实', '每月1日“惠民服务日”活动（2018年11月）未落实']);
    expect(routineOfHalf(await qs03.query(stateQuery), periodById('2018-11-H1'))).toEqual(['每月1日升国旗（2018年11月）已开展（11月1日）', '每月1日“惠民服务日”活动（2018年11月）已开展（11月1日）']);
    // Nothing stays open of November's: a missed day is recorded, not carried as an ever-open duty.
    expect((await lh02.query(stateQuery)).open.filter((o) => o.kind === 'flag-raising' || o.kind === 'service-day')).toEqual([]);

    // 1 December is a Saturday: still the day; its notice goes out on Friday the 30th.
    await advanceTo(world.env, '2018-11-30T00:30:00Z');
    expect(mailsAbout('lh02-vs@village.example.net', '升国旗（2018年12月）')).toEqual([]);
    await advanceTo(world.env, '2018-11-30T02:00:00Z');
    const december = mailsAbout('lh02-vs@village.example.net', '升国旗（2018年12月）');
    expect(december).toHaveLength(1);
    expect(december[0]!.text).toContain('2018年12月1日（星期六）应开展');
    const due = (await lh02.query(stateQuery)).open.find((o) => o.kind === 'flag-raising')!;
    expect([due.dueDate, due.provisional]).toEqual(['2018-12-01', false]);

    // The quarter's 集中落实 is due by the last working day of the quarter: Saturday 29 December 2018 (调休).
    const quarter = [...(await lh02.query(stateQuery)).open, ...(await lh02.query(stateQuery)).upcoming].find((o) => o.kind === 'concentrated-service')!;
    expect([quarter.periodLabel, quarter.dueDate]).toEqual(['2018年第四季度', '2018-12-29']);

    // November's bulletin (drawn on Monday 3 December) lists 长青村's two, and nothing of 东风村.
    await advanceTo(world.env, '2018-12-03T02:00:00Z');
    const [bulletin] = world.mail.sink.to('zzb-zhang@county.example.org').filter((m) => m.subject === '【通报送审】云岭县2018年11月软弱涣散村党组织整顿工作进展情况');
    expect(bulletin?.text).toContain('三、例行活动未落实：2项（柳河镇2项）');
    const docx = bulletin!.attachments.find((a) => a.filename.endsWith('.docx'))!;
    const text = strFromU8(unzipSync(new Uint8Array(docx.content))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(text).toContain('三、例行活动未落实情况');
    expect(text).toContain('柳河镇（2项）：长青村每月1日升国旗（2018年11月）；长青村每月1日“惠民服务日”活动（2018年11月）。');
    expect(text).not.toContain('东风村每月1日');
    // Not listed again among the overdue duties.
    expect(text.slice(text.indexOf('二、逾期未完成事项'), text.indexOf('三、例行活动未落实情况'))).not.toContain('升国旗');
    await recordHistories(world.env, lh02.workflowId, lh02Run, 'village-routine-activities', 1);
  }, 600_000);

  test("四(四)13's monthly religious contacts only where the county's policy keeps them: a notice on the month's last working day, recorded by the first secretary", async () => {
    const kept = { ...builtinPolicy(), version: 'religious-contacts', villageDuties: { religiousContacts: { value: true, basis: '四(四)13' as const } } };
    const qs07 = await designateTarget(world.env.client, world.taskQueue, roster, 'QS07', { policy: kept });
    // 29 December 2018, a worked Saturday, is the month's last working day (the 31st is a holiday).
    await advanceTo(world.env, '2018-12-29T02:00:00Z');
    const told = mailsAbout('qs07-vs@village.example.net', '宗教');
    expect(told.map((m) => m.subject)).toContain('【例行活动】青石镇团结村：每月与宗教活动场所和宗教人士联系、谈话（2018年12月）');
    expect(told.find((m) => m.subject.includes('2018年12月'))!.text).toContain('本月内（2018-12-29前）应开展“每月与宗教活动场所和宗教人士联系、谈话”');
    // The built-in policy keeps no such duty: 东风村 was told nothing of it.
    expect(mailsAbout('qs03-vs@village.example.net', '宗教')).toEqual([]);
    const duty = (await qs07.query(stateQuery)).open.find((o) => o.kind === 'religious-contact' && o.periodLabel === '2018年12月')!;
    expect([duty.clause, duty.dueDate]).toEqual(['四(四)13', '2018-12-29']);
    const after = await qs07.executeUpdate(fulfilObligationUpdate, { args: [{ obligationId: duty.id, fulfilledOn: '2018-12-28', by: 'qs07-fs', note: '走访村清真寺，与寺管会负责人谈话' }] });
    expect(after.open.some((o) => o.id === duty.id)).toBe(false);
  }, 600_000);
});
