import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateTarget } from '../../src/client/supervision';
import { programmeStateQuery, programmeWorkflowId } from '../../src/contracts/programme';
import { submitReportUpdate, townshipWorkflowId, type SubmitReport } from '../../src/contracts/township';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, recordHistories, useVillageWorld } from '../support/village';

/**
 * The monthly bulletin (通报, 六(三)): in November 2018 青石镇 (QS) and 东坡乡 (DP) report every half
 * month on time, 柳河镇 (LH) misses the first half and 白塔乡 (BT) sends the second half a day
 * late. On the first working day of December (Monday the 3rd; the 1st is a Saturday), at 08:00, the
 * organization department receives the draft bulletin of November listing exactly LH and BT, as
 * a Word document in the department's layout; the October bulletin, on 1 November, lists none.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-19T00:00:00Z' });
const zhang = 'zzb-zhang@county.example.org';

const targets = { QS: 'QS03', LH: 'LH02', BT: 'BT05', DP: 'DP01' } as const;
const report = (township: keyof typeof targets, period: string): SubmitReport => ({
  period,
  reportedBy: `${township.toLowerCase()}-org`,
  entries: [{ village: targets[township], progress: `${targets[township]}按方案推进整顿，走访群众`, problems: '集体经济薄弱', nextSteps: '落实村级活动场所建设' }],
});

const bulletinOf = (month: string) => world.mail.sink.to(zhang).filter((m) => m.subject === `【通报送审】云岭县${month}软弱涣散村党组织整顿工作进展情况`);

describe('the monthly bulletin', () => {
  test('the bulletin of a month with two lapsing townships lists exactly them, to the department, as a document', async () => {
    for (const v of Object.values(targets)) await designateTarget(world.env.client, world.taskQueue, roster, v);
    const programme = world.env.client.workflow.getHandle(programmeWorkflowId('YL'));
    const programmeRun = (await programme.describe()).runId;
    const submit = (t: keyof typeof targets, period: string) => world.env.client.workflow.getHandle(townshipWorkflowId(t)).executeUpdate(submitReportUpdate, { args: [report(t, period)] });

    await advanceTo(world.env, '2018-10-28T03:00:00Z');
    for (const t of ['QS', 'LH', 'BT', 'DP'] as const) await submit(t, '2018-10-H2');

    // 1 November: October's bulletin, nobody lapsed.
    await advanceTo(world.env, '2018-11-01T03:00:00Z');
    const [october] = bulletinOf('2018年10月');
    expect(october?.text).toContain('一、半月进展未按时报送的乡镇：无');

    await advanceTo(world.env, '2018-11-14T03:00:00Z');
    for (const t of ['QS', 'BT', 'DP'] as const) await submit(t, '2018-11-H1'); // LH misses it
    await advanceTo(world.env, '2018-11-28T03:00:00Z');
    for (const t of ['QS', 'LH', 'DP'] as const) await submit(t, '2018-11-H2');
    await advanceTo(world.env, '2018-12-01T03:00:00Z'); // a day after the due date of 30 November
    await submit('BT', '2018-11-H2');

    await advanceTo(world.env, '2018-12-02T23:30:00Z');
    expect(bulletinOf('2018年11月')).toEqual([]); // not before 08:00 China time on the first working day
    await advanceTo(world.env, '2018-12-03T02:00:00Z');
    const sent = bulletinOf('2018年11月');
    expect(sent).toHaveLength(1);
    const november = sent[0]!;
    expect(november.text).toContain('一、半月进展未按时报送的乡镇：白塔乡、柳河镇（2个）');
    expect(november.text).toContain('是否印发，请县委组织部决定');
    expect(world.mail.sink.to('zzb-head@county.example.org').some((m) => m.subject === november.subject)).toBe(true);

    // The draft: the department's layout, the two townships and what each missed, no 文号.
    const attachment = november.attachments.find((a) => a.filename === '整顿工作通报-2018-11-送审稿.docx');
    const xml = strFromU8(unzipSync(new Uint8Array(attachment!.content))['word/document.xml']!);
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('关于2018年11月全县软弱涣散村党组织整顿工作进展情况的通报');
    expect(text).toContain('各乡镇党委：');
    expect(text).toContain('以下2个乡镇未按时报送每半月整顿工作进展情况');
    expect(text).toContain('1. 白塔乡：11月下半月逾期报送。');
    expect(text).toContain('2. 柳河镇：11月上半月未报送。');
    for (const other of ['青石镇：', '东坡乡：11月']) expect(text).not.toContain(other);
    expect(text).not.toMatch(/组函〔/);

    // 六(一): each county leader gets the lines of their contact township and key village.
    const contact = (address: string) => world.mail.sink.to(address).filter((m) => m.subject.startsWith('【联系点情况】') && m.subject.includes('2018年11月'));
    const [gong] = contact('leader-lh09@county.example.org');
    expect(gong?.subject).toBe('【联系点情况】柳河镇2018年11月整顿工作情况');
    expect(gong?.text).toContain('一、半月进展报送：11月上半月未报送');
    expect(gong?.text).not.toContain('白塔乡');
    const [lai] = contact('leader-qs03@county.example.org');
    expect(lai?.text).toContain('您的联系点青石镇（整顿重点村青石镇东风村）');
    expect(lai?.text).toContain('一、半月进展报送：按时报送');
    expect(contact('leader-sl08@county.example.org')).toEqual([]); // 松岭乡 has no target in this test

    const view = await programme.query(programmeStateQuery);
    expect(view.bulletins.map((b) => [b.month, b.on, b.townships])).toEqual([
      ['2018-10', '2018-11-01', 0],
      ['2018-11', '2018-12-03', 2],
    ]);
    expect(view.history.some((h) => h.type === 'bulletin' && h.text.startsWith('2018年11月整顿工作通报送审稿已送县委组织部：未按时报送的乡镇2个'))).toBe(true);
    await recordHistories(world.env, programme.workflowId, programmeRun, 'programme-monthly-bulletin');
  }, 600_000);
});
