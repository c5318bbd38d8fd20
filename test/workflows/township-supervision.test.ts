import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, test } from 'vitest';
import { issueInquiry, designateTarget } from '../../src/client/supervision';
import { inquiryStateQuery, reviewExplanationUpdate, submitExplanationUpdate, inquiryWorkflowId } from '../../src/contracts/inquiry';
import { awardIneligibleQuery, ledgerWorkflowId } from '../../src/contracts/ledger';
import { recordStudyUpdate, recordTrainingUpdate, submitReportUpdate, townshipStateQuery, townshipWorkflowId, type SubmitReport } from '../../src/contracts/township';
import { stateQuery, villageWorkflowId } from '../../src/contracts/village';
import { readRosterFile } from '../../src/activities/roster-file';
import { openEntry, townshipDuties, type BookEntry } from '../../src/domain';
import { layout } from '../support/calendar';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, historyLengths, recordHistories, useVillageWorld } from '../support/village';

/**
 * 青石镇 (QS) reports every half month on time from October 2018 through 2019 and holds its
 * quarterly studies (六(三), 五(三)); 柳河镇 (LH) misses both January 2019 reports, which makes a
 * proposal to the organization department; the department issues an inquiry letter, LH answers in
 * time and the case closes with award ineligibility in the ledger (六(四)). Mail is read from a
 * real SMTP server; the Temporal server's clock starts in October 2018.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-16T00:00:00Z' });

const subjects = (address: string): string[] => world.mail.sink.to(address).map((m) => m.subject);
const report = (period: string, villages: string[], by: string): SubmitReport => ({
  period,
  reportedBy: by,
  entries: villages.map((village) => ({ village, progress: `${village}按方案推进整顿，${period}走访群众`, problems: '集体经济薄弱', nextSteps: '落实村级活动场所建设' })),
});

describe('township supervision through 2019', () => {
  test('an on-time township gets reminders only; two missed reports bring a proposal, an inquiry answered in time closes with award ineligibility', async () => {
    const started = [];
    for (const v of ['QS03', 'QS07', 'LH02', 'LH09']) started.push(await designateTarget(world.env.client, world.taskQueue, roster, v));
    const qs03FirstRun = started[0]!.firstExecutionRunId;
    const qs = world.env.client.workflow.getHandle(townshipWorkflowId('QS'));
    const lh = world.env.client.workflow.getHandle(townshipWorkflowId('LH'));
    const firstRuns = { qs: (await qs.describe()).runId, lh: (await lh.describe()).runId };
    expect((await qs.query(townshipStateQuery)).targets.map((t) => t.village)).toEqual(['QS03', 'QS07']);

    const targets = roster.designations.filter((d) => d.village.startsWith('QS'));
    // What QS owes from 16 October 2018 (the half months ending from then on), laid out as the workflow lays them out.
    const reports = townshipDuties('QS', targets, '2018-10-16', '2019-12-31')
      .filter((d) => d.kind === 'half-monthly-report' && d.period.end >= '2018-10-16')
      .map((d) => openEntry(d, layout(), Date.parse('2018-10-16T00:00:00Z')));
    expect(reports.map((o) => o.period.id)).toHaveLength(29);
    const reminderOf = (o: BookEntry): string => o.steps.find((st) => st.id === 'reminder')!.at;

    const lhSkipped = new Set(['2019-01-H1', '2019-01-H2']);
    let caseId = '';
    for (const o of reports) {
      await advanceTo(world.env, new Date(Date.parse(reminderOf(o)) + 3_600_000).toISOString());
      const period = o.period.id;
      await qs.executeUpdate(submitReportUpdate, { args: [report(period, ['QS03', 'QS07'], 'qs-org')] });
      if (!lhSkipped.has(period)) await lh.executeUpdate(submitReportUpdate, { args: [report(period, ['LH02', 'LH09'], 'lh-org')] });
      if (/-(03|06|09|12)-H2$/.test(period)) {
        const quarter = `${period.slice(0, 4)}-Q${Number(period.slice(5, 7)) / 3}`;
        const heldOn = new Date(Date.parse(reminderOf(o))).toISOString().slice(0, 10);
        await qs.executeUpdate(recordStudyUpdate, { args: [{ quarter, heldOn, summary: '党委会专题研究整顿工作', by: 'qs-sec' }] });
        await lh.executeUpdate(recordStudyUpdate, { args: [{ quarter, heldOn, summary: '党委会专题研究整顿工作', by: 'lh-sec' }] });
      }

      if (period === '2019-02-H1') {
        // Both January reports were missed: the department has the proposal (六(四)).
        const proposal = world.mail.sink.to('zzb-zhang@county.example.org').find((m) => m.subject.startsWith('【建议函询】柳河镇'));
        expect(proposal?.subject).toBe('【建议函询】柳河镇：2019年第一季度半月进展报告2次未按时报送');
        expect(proposal?.text).toContain('2019年1月上半月：未报送');
        expect(proposal?.text).toContain('2019年1月下半月：未报送');
        expect(subjects('lh-org@township.example.org')).toContain('【逾期通知】柳河镇：每半月上报整顿工作进展（2019年1月上半月）');
        expect(subjects('lh-sec@township.example.org')).toContain('【逾期通知】柳河镇：每半月上报整顿工作进展（2019年1月下半月）');
        // The January first half comes in late: still one lapse, now "late".
        await lh.executeUpdate(submitReportUpdate, { args: [report('2019-01-H1', ['LH02', 'LH09'], 'lh-org')] });
        const view = await lh.query(townshipStateQuery);
        expect(view.lapses).toEqual([
          { periodId: '2019-01-H1', quarter: '2019-Q1', kind: 'late' },
          { periodId: '2019-01-H2', quarter: '2019-Q1', kind: 'missing' },
        ]);
        expect(view.proposals.map((p) => p.quarter)).toEqual(['2019-Q1']);

        // The department decides to issue the letter.
        const handle = await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'LH', reason: '2019年1月两次未按时报送整顿工作进展', issuedBy: 'zzb-zhang', proposalQuarter: '2019-Q1' });
        caseId = 'LH-2019-Q1-inquiry';
        expect(handle.workflowId).toBe(inquiryWorkflowId(caseId));
        expect((await lh.query(townshipStateQuery)).proposals[0]?.decision).toMatchObject({ decision: 'inquiry', by: 'zzb-zhang', caseId });
        const letter = await world.mail.sink.waitFor((m) => m.envelopeTo.includes('lh-sec@township.example.org') && m.subject.startsWith('【函询】'));
        expect(letter[0]!.subject).toBe('【函询】关于柳河镇软弱涣散农村基层党组织整顿工作的函询函');
        // A letter comes from the department, a reminder from the system's reminder service.
        expect((letter[0]!.headers.get('from') as { value: { name: string; address: string }[] }).value[0]).toEqual({ name: '中共云岭县委组织部', address: 'noreply@county.example.org' });
        const reminder = world.mail.sink.received.find((m) => m.subject.startsWith('【提醒】'))!;
        expect((reminder.headers.get('from') as { value: { name: string }[] }).value[0]!.name).toBe('整顿提升工作提醒');
        const doc = letter[0]!.attachments.find((a) => a.filename.endsWith('.docx'))!;
        const documentXml = strFromU8(unzipSync(new Uint8Array(doc.content))['word/document.xml']!);
        expect(documentXml).toContain('关于柳河镇软弱涣散农村基层党组织整顿工作的函询函');
        expect(documentXml).toContain('2019年1月两次未按时报送整顿工作进展');
        expect(documentXml).toContain('检讨问题根源、提出整顿措施、明确整顿时限');
        expect(documentXml).toContain('中共云岭县委组织部');
        const state = await handle.query(inquiryStateQuery);
        expect(state).toMatchObject({ stage: 'awaiting-explanation', recipients: ['lh-sec', 'lh-org'], explanationDue: '2019-02-26' });
      }
      if (period === '2019-09-H1') {
        // 四(一)5: both townships train their members without post for the year's five days, before any reminder of it.
        for (const [t, by] of [[qs, 'qs-sec'], [lh, 'lh-sec']] as const) {
          await t.executeUpdate(recordTrainingUpdate, { args: [{ by, kind: 'members', startOn: '2019-09-02', endOn: '2019-09-06', days: 5, topic: '农村无职党员设岗定责培训', headcount: 40 }] });
        }
      }
      if (period === '2019-02-H2') {
        // Reminded before the deadline, LH answers in time; the department accepts.
        expect(subjects('lh-sec@township.example.org')).toContain(`【提醒】柳河镇：函询书面说明（根源、措施、时限）（案号${caseId}）`);
        const handle = world.env.client.workflow.getHandle(inquiryWorkflowId(caseId));
        await handle.executeUpdate(submitExplanationUpdate, { args: [{ by: 'lh-sec', rootCause: '组织干事岗位调整，交接不到位', measures: '明确AB岗，专人负责每半月报送', timeLimit: '2019-03-31' }] });
        await world.mail.sink.waitFor((m) => m.subject === `【书面说明待审阅】柳河镇（案号${caseId}）`);
        await handle.executeUpdate(reviewExplanationUpdate, { args: [{ by: 'zzb-zhang', decision: 'accept' }] });
        const closed = await handle.result();
        expect(closed.stage).toBe('closed');
        expect(closed.explanation).toMatchObject({ onTime: true, receivedOn: '2019-02-25' });
        await recordHistories(world.env, handle.workflowId, (await handle.describe()).runId, 'case-answered-in-time');
      }
    }
    await advanceTo(world.env, '2020-01-06T00:00:00Z');

    // QS: reminders and nothing else, for each half month and each quarter's study.
    const township = (address: string): string[] => subjects(address).filter((s) => s.includes('】青石镇：'));
    expect(township('qs-org@township.example.org')).toEqual(reports.map((o) => `【提醒】青石镇：每半月上报整顿工作进展（${o.period.label}）`));
    expect(township('qs-sec@township.example.org')).toEqual(['2018年第四季度', '2019年第一季度', '2019年第二季度', '2019年第三季度', '2019年第四季度'].map((q) => `【提醒】青石镇：乡镇党委季度专题研究（${q}）`));
    expect(township('zzb-zhang@county.example.org')).toEqual([]);
    expect(subjects('zzb-zhang@county.example.org').filter((s) => s.includes('青石镇：'))).toEqual([]);
    const qsView = await qs.query(townshipStateQuery);
    expect(qsView.lapses).toEqual([]);
    expect(qsView.proposals).toEqual([]);
    expect(qsView.reports).toHaveLength(29);
    expect(qsView.reports.every((r) => !r.late)).toBe(true);

    // Each entry reached its village's workflow.
    const qs03Handle = world.env.client.workflow.getHandle(villageWorkflowId('QS03'));
    const qs03 = await qs03Handle.query(stateQuery);
    // First-half entries that attest no duty go with the second half's, in one signal.
    const progress = qs03.history.filter((h) => h.type === 'progress');
    expect(progress.slice(-2).map((h) => [h.at.slice(0, 10), h.text])).toEqual([
      ['2019-12-26', '2019年12月上半月进展：QS03按方案推进整顿，2019-12-H1走访群众；问题：集体经济薄弱；下步：落实村级活动场所建设'],
      ['2019-12-26', '2019年12月下半月进展：QS03按方案推进整顿，2019-12-H2走访群众；问题：集体经济薄弱；下步：落实村级活动场所建设'],
    ]);

    // The ledger: LH's secretary and organization officer may not receive awards in 2019 (六(四)).
    const ledger = world.env.client.workflow.getHandle(ledgerWorkflowId('YL'));
    const awards = await ledger.query(awardIneligibleQuery, 2019);
    expect(awards.map((c) => [c.subject, c.clause, c.cause])).toEqual([
      [{ type: 'person', id: 'lh-sec' }, '六(四)', caseId],
      [{ type: 'person', id: 'lh-org' }, '六(四)', caseId],
    ]);
    expect(await ledger.query(awardIneligibleQuery, 2020)).toEqual([]);

    // A village year with every report forwarded and nothing ever done stays within the 600 events of
    // the target (三会一课's six-month windows end where the text's six months do, off the month-end
    // wake-ups; a routine activity missed is told after its half month, a wake-up of its own).
    const qs03Lengths = await historyLengths(world.env, qs03Handle.workflowId, qs03FirstRun);
    console.log('QS03 history lengths with forwarded reports', qs03Lengths);
    for (const n of qs03Lengths) expect(n).toBeLessThanOrEqual(600);
    await recordHistories(world.env, qs03Handle.workflowId, qs03FirstRun, 'village-forwarded-reports');
    for (const [name, id, run] of [['township-on-time', 'QS', firstRuns.qs], ['township-proposal', 'LH', firstRuns.lh]] as const) {
      const lengths = await historyLengths(world.env, townshipWorkflowId(id), run);
      expect(Math.max(...lengths)).toBeLessThan(1000);
      console.log(`${name} history lengths`, lengths);
      await recordHistories(world.env, townshipWorkflowId(id), run, name);
    }
  }, 600_000);
});
