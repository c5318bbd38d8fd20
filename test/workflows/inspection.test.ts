import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateTarget } from '../../src/client/supervision';
import { fulfilObligationUpdate } from '../../src/contracts/entity';
import { recordInspectionUpdate, townshipStateQuery, townshipWorkflowId, type RecordInspection } from '../../src/contracts/township';
import { sampleRosterFile } from '../support/mail';
import { rejection } from '../support/temporal';
import { advanceTo, useVillageWorld } from '../support/village';

/**
 * Inspections (六(三) 督导组 "采取随机调研、明察暗访、跟踪问效等方式…进行督促检查，并进行通报"): on
 * Monday 5 November 2018 the department's inspection group visits 青石镇 unannounced and finds two
 * problems, one at 东风村 to be corrected by 16 November, one of the township's own by 30 November.
 * The first is reminded and corrected; the second is not: it is overdue on the next working day
 * (Monday 3 December), and the November bulletin drawn up that morning lists it.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-19T00:00:00Z' });
const sec = 'qs-sec@township.example.org';
const subjects = (address: string): string[] => world.mail.sink.to(address).map((m) => m.subject);

const inspection = (findings: RecordInspection['findings']): RecordInspection => ({
  by: 'zzb-zhang',
  on: '2018-11-05',
  method: 'unannounced',
  summary: '明察暗访东风村和镇党委整顿工作',
  findings,
});

describe('inspections', () => {
  test('a finding becomes the township’s duty with the deadline the department set; one left undone is overdue and in the bulletin', async () => {
    await designateTarget(world.env.client, world.taskQueue, roster, 'QS03');
    const qs = world.env.client.workflow.getHandle(townshipWorkflowId('QS'));
    await advanceTo(world.env, '2018-11-05T02:00:00Z');

    // Bad input is refused with the field, and changes nothing.
    expect(await rejection(qs.executeUpdate(recordInspectionUpdate, { args: [inspection([{ problem: '台账不全', correctBy: '2018-11-01' }])] }))).toMatchObject({
      message: expect.stringContaining('findings.0.correctBy'),
    });
    expect(await rejection(qs.executeUpdate(recordInspectionUpdate, { args: [inspection([{ village: 'LH02', problem: '台账不全', correctBy: '2018-11-20' }])] }))).toMatchObject({
      message: expect.stringContaining('LH02不是本乡镇的整顿对象'),
    });
    expect((await qs.query(townshipStateQuery)).inspections).toEqual([]);

    const view = await qs.executeUpdate(recordInspectionUpdate, {
      args: [
        inspection([
          { village: 'QS03', problem: '村务公开栏内容一年未更新', correctBy: '2018-11-16' },
          { problem: '镇党委未建立整顿工作台账', correctBy: '2018-11-30' },
        ]),
      ],
    });
    const [first, second] = view.inspections[0]!.findings;
    expect(view.open.filter((o) => o.kind === 'inspection-finding').map((o) => [o.id, o.dueDate, o.clause, o.responsible])).toEqual([
      [first!.obligationId, '2018-11-16', '六(三)', { role: 'township-party-secretary' }],
      [second!.obligationId, '2018-11-30', '六(三)', { role: 'township-party-secretary' }],
    ]);
    expect(view.history.at(-1)?.text).toBe('县委组织部督导组明察暗访（2018-11-05）：明察暗访东风村和镇党委整顿工作；发现问题2个，限期整改');

    // Reminded three working days before its deadline; corrected and reported done.
    await advanceTo(world.env, '2018-11-14T02:00:00Z');
    expect(subjects(sec)).toContain('【提醒】青石镇：督导检查发现问题整改（2018-11-05督导检查第1项：QS03：村务公开栏内容一年未更新）');
    await qs.executeUpdate(fulfilObligationUpdate, { args: [{ obligationId: first!.obligationId, fulfilledOn: '2018-11-14', by: 'qs-sec', note: '已更新公开栏' }] });

    // The second is overdue on Monday 3 December (30 November was a Friday): the secretary is told,
    // and the department's draft bulletin of November, drawn up at 08:00 that day, lists it.
    await advanceTo(world.env, '2018-12-03T02:00:00Z');
    expect(subjects(sec)).toContain('【逾期通知】青石镇：督导检查发现问题整改（2018-11-05督导检查第2项：镇党委未建立整顿工作台账）');
    expect(subjects(sec).some((s) => s.includes('第1项') && !s.startsWith('【提醒】'))).toBe(false);
    const bulletin = world.mail.sink.to('zzb-zhang@county.example.org').find((m) => m.subject.includes('2018年11月') && m.subject.startsWith('【通报送审】'));
    expect(bulletin?.text).toContain('五、督导检查发现问题尚未整改：青石镇1个');
    const docx = bulletin!.attachments.find((a) => a.filename.endsWith('.docx'))!;
    const text = strFromU8(unzipSync(new Uint8Array(docx.content))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(text).toContain('五、督导检查发现问题整改情况');
    expect(text).toContain('青石镇（1个）：2018年11月5日检查发现镇党委未建立整顿工作台账，限2018年11月30日前整改，已逾期。');
    expect(text).not.toContain('村务公开栏');
    expect(text).toContain('六、有关要求');

    const after = await qs.query(townshipStateQuery);
    expect(after.recentlyClosed.find((c) => c.id === first!.obligationId)?.closed).toMatchObject({ how: 'fulfilled', on: '2018-11-14', by: 'qs-sec' });
    expect(after.open.find((o) => o.id === second!.obligationId)?.overdue).toBe(true);
  }, 600_000);
});
