import { describe, expect, test } from 'vitest';
import { designateTarget, issueInquiry } from '../../src/client/supervision';
import { inquiryStateQuery, recordTalkUpdate, scheduleTalkUpdate } from '../../src/contracts/inquiry';
import { allocateDocNumberUpdate, awardIneligibleQuery, ledgerWorkflowId, promotionBlockedQuery } from '../../src/contracts/ledger';
import { rejection } from '../support/temporal';
import { fulfilObligationUpdate } from '../../src/contracts/entity';
import { programmeStateQuery, programmeWorkflowId } from '../../src/contracts/programme';
import { readRosterFile } from '../../src/activities/roster-file';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, recordHistories, useVillageWorld } from '../support/village';

/**
 * 白塔乡 (BT) leaves an inquiry letter unanswered: it becomes a talk, with an accountability
 * decision (六(四), 六(五)). 东坡乡 (DP) gets a talk ordered directly, held in the next year. The
 * county programme reminds the organization department of its own duties, the acceptance
 * campaign listing the targets (五(一), 五(二), 六(四)). The ledger answers for years and dates.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-18T00:00:00Z' });

const subjects = (address: string): string[] => world.mail.sink.to(address).map((m) => m.subject);
const zhang = 'zzb-zhang@county.example.org';

describe('inquiry cases, the county programme and the ledger', () => {
  test('an unanswered inquiry becomes a talk; a direct talk counts in the year it is held; the ledger lists exactly those people', async () => {
    for (const v of ['BT05', 'DP01']) await designateTarget(world.env.client, world.taskQueue, roster, v);
    const programme = world.env.client.workflow.getHandle(programmeWorkflowId('YL'));
    const programmeRun = (await programme.describe()).runId;

    // 五(二), 六(四): the county's own duties are reminded to the organization department.
    await advanceTo(world.env, '2019-01-29T02:00:00Z');
    expect(subjects(zhang)).toContain('【提醒】云岭县：县委常委专题研究整顿工作（2018年下半年）');
    expect(subjects(zhang)).toContain('【提醒】云岭县：乡镇党委书记抓基层党建述职评议考核（2018年）');

    // 六(四): BT receives an inquiry letter and does not answer it.
    await advanceTo(world.env, '2019-03-01T02:00:00Z');
    const bt = await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'BT', reason: '西坡村整顿方案逾期未报送', issuedBy: 'zzb-li', caseId: 'BT-2019-001' });
    // Issuing answers with the case as opened: numbered, addressed, with the explanation's deadline.
    expect(bt.opened).toMatchObject({ stage: 'awaiting-explanation', explanationDue: '2019-03-15', recipients: ['bt-sec', 'bt-org'], docNumber: { year: 2019, seq: 1 } });
    // The letter carries the department's first 文号 of the year; issued again, the case keeps it.
    const [letter] = await world.mail.sink.waitFor((m) => m.envelopeTo.includes('bt-sec@township.example.org') && m.subject.startsWith('【函询】'));
    expect(letter!.text.split('\n')[2]).toBe('云组函〔2019〕1号');
    await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'BT', reason: '西坡村整顿方案逾期未报送', issuedBy: 'zzb-li', caseId: 'BT-2019-001' });
    expect((await bt.query(inquiryStateQuery)).docNumber).toEqual({ year: 2019, seq: 1 });
    await advanceTo(world.env, '2019-03-18T02:00:00Z');
    expect(subjects('bt-org@township.example.org').filter((s) => s.includes('BT-2019-001'))).toEqual([
      '【提醒】白塔乡：函询书面说明（根源、措施、时限）（案号BT-2019-001）',
      '【到期提醒】白塔乡：函询书面说明（根源、措施、时限）（案号BT-2019-001）',
      '【逾期通知】白塔乡：函询书面说明（根源、措施、时限）（案号BT-2019-001）',
    ]);
    expect(subjects(zhang)).toContain('【需约谈】白塔乡（案号BT-2019-001）');
    // The talk after a missed explanation is the county's rule, said as such, not credited to 六(四).
    const talkRequired = world.mail.sink.to(zhang).find((m) => m.subject === '【需约谈】白塔乡（案号BT-2019-001）')!;
    expect(talkRequired.text).toContain('按县委组织部工作要求，逾期未报送书面说明的，进行约谈：须对');
    expect(talkRequired.text).not.toContain('六(四)');
    expect(await bt.query(inquiryStateQuery)).toMatchObject({ stage: 'talk-required', talk: { orderedOn: '2019-03-18', why: '逾期未报送书面说明（截止2019-03-15）' } });

    await bt.executeUpdate(scheduleTalkUpdate, { args: [{ by: 'zzb-li', at: '2019-03-22T09:30', place: '县委组织部三楼会议室', conductor: 'zzb-zhang' }] });
    for (const to of ['bt-sec@township.example.org', 'bt-org@township.example.org', zhang]) {
      const [notice] = await world.mail.sink.waitFor((m) => m.envelopeTo.includes(to) && m.subject.startsWith('【约谈通知】'));
      expect(notice!.subject).toBe('【约谈通知】白塔乡：2019年3月22日 09:30，县委组织部三楼会议室');
      expect(notice!.text).toContain('约谈人：王建国');
    }
    await advanceTo(world.env, '2019-03-22T06:00:00Z');
    await bt.executeUpdate(recordTalkUpdate, {
      args: [{ by: 'zzb-zhang', heldOn: '2019-03-22', outcome: '指出问题，责令限期整改', accountability: [{ person: 'bt-sec', ground: '履行整顿工作主体责任不力' }] }],
    });
    const btDone = await bt.result();
    expect(btDone.stage).toBe('closed');
    expect(btDone.consequences.map((c) => [c.kind, c.subject, c.from, c.until])).toEqual([
      ['award-ineligible', { type: 'person', id: 'bt-sec' }, '2019-01-01', '2019-12-31'],
      ['award-ineligible', { type: 'person', id: 'bt-org' }, '2019-01-01', '2019-12-31'],
      ['promotion-blocked', { type: 'person', id: 'bt-sec' }, '2019-03-22', '2021-03-21'],
    ]);
    await recordHistories(world.env, bt.workflowId, (await bt.describe()).runId, 'case-unanswered-to-talk');

    // 五(一): the acceptance campaign opens in late November for every target under rectification.
    await advanceTo(world.env, '2019-11-18T03:00:00Z');
    const campaign = world.mail.sink.to(zhang).find((m) => m.subject === '【提醒】云岭县：组织开展年度验收评价（2019年11月下旬）');
    expect(campaign?.text).toContain('验收对象：白塔乡西坡村、东坡乡李家村（共2个）');
    const duty = (await programme.query(programmeStateQuery)).open.find((o) => o.kind === 'acceptance-campaign')!;
    await programme.executeUpdate(fulfilObligationUpdate, { args: [{ obligationId: duty.id, fulfilledOn: '2019-11-18', by: 'zzb-zhang', note: '印发验收评价工作通知' }] });

    // A talk ordered directly in December and held in January counts for the year it is held.
    await advanceTo(world.env, '2019-12-20T02:00:00Z');
    const dp = await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'DP', kind: 'talk', reason: '李家村整顿进展缓慢，群众反映强烈', issuedBy: 'zzb-zhang', caseId: 'DP-2019-002' });
    const [notice] = await world.mail.sink.waitFor((m) => m.envelopeTo.includes('dp-sec@township.example.org') && m.subject.startsWith('【约谈通知】关于'));
    expect(notice!.attachments[0]?.filename).toBe('DP-2019-002-约谈通知.docx');
    expect(notice!.text).toContain('云组函〔2019〕2号');
    await dp.executeUpdate(scheduleTalkUpdate, { args: [{ by: 'zzb-zhang', at: '2020-01-08T10:00', place: '县委组织部', conductor: 'zzb-zhang' }] });
    await advanceTo(world.env, '2020-01-08T06:00:00Z');
    await dp.executeUpdate(recordTalkUpdate, { args: [{ by: 'zzb-zhang', heldOn: '2020-01-08', outcome: '提出整改要求' }] });
    expect((await dp.result()).stage).toBe('closed');
    expect(subjects(zhang).filter((s) => s.includes('组织开展年度验收评价'))).toEqual(['【提醒】云岭县：组织开展年度验收评价（2019年11月下旬）']);

    // The ledger lists exactly those people, for the right year and date.
    const ledger = world.env.client.workflow.getHandle(ledgerWorkflowId('YL'));
    const people = (list: { subject: { type: string; id?: string } }[]): string[] => list.map((c) => c.subject.id ?? '');
    const y2019 = await ledger.query(awardIneligibleQuery, 2019);
    expect(people(y2019)).toEqual(['bt-sec', 'bt-org']);
    expect(y2019[0]).toMatchObject({ clause: '六(四)', cause: 'BT-2019-001', reason: '2019-03-01被函询，2019年度不得评先选优' });
    expect(people(await ledger.query(awardIneligibleQuery, 2020))).toEqual(['dp-sec', 'dp-org']);
    expect(await ledger.query(awardIneligibleQuery, 2018)).toEqual([]);
    const blocked = await ledger.query(promotionBlockedQuery, '2020-06-01');
    expect(blocked.map((c) => [c.subject, c.clause, c.cause])).toEqual([[{ type: 'person', id: 'bt-sec' }, '六(五)', 'BT-2019-001']]);
    expect(people(await ledger.query(promotionBlockedQuery, '2021-03-21'))).toEqual(['bt-sec']);
    expect(await ledger.query(promotionBlockedQuery, '2021-03-22')).toEqual([]);
    // The numbering starts again with the year; a bad request is refused, naming the field.
    expect(await ledger.executeUpdate(allocateDocNumberUpdate, { args: [{ key: 'LH-2020-001/letter' }] })).toEqual({ year: 2020, seq: 1 });
    expect(await rejection(ledger.executeUpdate(allocateDocNumberUpdate, { args: [{ key: '' } as never] }))).toMatchObject({ message: expect.stringContaining('key') });

    await recordHistories(world.env, dp.workflowId, (await dp.describe()).runId, 'case-direct-talk');
    await recordHistories(world.env, programme.workflowId, programmeRun, 'programme-cases');
    await recordHistories(world.env, ledger.workflowId, (await ledger.describe()).runId, 'ledger-cases');
  }, 600_000);
});
