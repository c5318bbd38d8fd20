import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateTarget } from '../../src/client/supervision';
import { programmeStateQuery, programmeWorkflowId, recordJointMeetingUpdate, type RecordJointMeeting } from '../../src/contracts/programme';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, useVillageWorld } from '../support/village';

/**
 * 四(一)4 "县工青妇、武装、民政等部门每季度召开一次联席会，研究整治配套组织软弱涣散的问题": a county
 * duty each quarter with a target under rectification on its last day, reminded to the member
 * departments of the roster (县总工会, 团县委, 县妇联, 县人武部, 县民政局: one post each) and
 * escalated inside the county; the organization department records the meeting, which closes the
 * quarter's duty. 东风村 (QS03) is designated on 15 October 2018; the fourth quarter is due on
 * Saturday 29 December 2018, a working day (调休), its reminder three working days before.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-19T00:00:00Z' });
const members = ['d-gh-jm', 'd-tw-jm', 'd-fl-jm', 'd-wz-jm', 'd-mz-jm'].map((id) => `${id}@dept.example.org`);
const aboutMeeting = (address: string) => world.mail.sink.to(address).filter((m) => m.subject.includes('季度联席会'));

describe('the quarterly 联席会 (四(一)4)', () => {
  test('each member department is reminded; the department records the meeting and the quarter is done; a wrong record changes nothing', async () => {
    await designateTarget(world.env.client, world.taskQueue, roster, 'QS03');
    const programme = world.env.client.workflow.getHandle(programmeWorkflowId('YL'));

    await advanceTo(world.env, '2018-12-26T02:00:00Z');
    for (const m of members) expect(aboutMeeting(m).map((x) => x.subject)).toEqual(['【提醒】云岭县：县工青妇、武装、民政等部门季度联席会（2018年第四季度）']);
    expect(aboutMeeting(members[0]!)[0]!.text).toContain('截止日期：2018-12-29');
    // A paired department's leader who is no member of the meeting hears nothing of it.
    expect(aboutMeeting('d-ny-lead@dept.example.org')).toEqual([]);

    const duty = (await programme.query(programmeStateQuery)).open.find((o) => o.kind === 'joint-meeting')!;
    expect([duty.periodLabel, duty.dueDate, duty.clause, duty.responsible]).toEqual(['2018年第四季度', '2018-12-29', '四(一)4', { role: 'joint-meeting-member' }]);

    // Refused, naming the field, and nothing changes: a day still to come; a department twice.
    const before = (await programme.query(programmeStateQuery)).history.length;
    const refusal = async (body: RecordJointMeeting): Promise<string> => {
      const err = await programme.executeUpdate(recordJointMeetingUpdate, { args: [body] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return (err as WorkflowUpdateFailedError).cause?.message ?? '';
    };
    expect(await refusal({ by: 'zzb-zhang', heldOn: '2018-12-28', topics: '研究配套组织建设', departments: ['D-GH', 'D-MZ'] })).toContain('heldOn');
    expect(await refusal({ by: 'zzb-zhang', heldOn: '2018-12-25', topics: '研究配套组织建设', departments: ['D-GH', 'D-GH'] })).toContain('参加部门重复');
    expect((await programme.query(programmeStateQuery)).history.length).toBe(before);

    const view = await programme.executeUpdate(recordJointMeetingUpdate, {
      args: [{ by: 'zzb-zhang', heldOn: '2018-12-25', topics: '研究村妇联、团支部、民兵连组织不健全的问题，明确下季度工作重点', departments: ['D-GH', 'D-TW', 'D-FL', 'D-WZ', 'D-MZ'] }],
    });
    expect(view.jointMeetings).toEqual([{ heldOn: '2018-12-25', topics: '研究村妇联、团支部、民兵连组织不健全的问题，明确下季度工作重点', departments: ['D-GH', 'D-TW', 'D-FL', 'D-WZ', 'D-MZ'], by: 'zzb-zhang' }]);
    expect(view.open.some((o) => o.kind === 'joint-meeting')).toBe(false);
    expect(view.recentlyClosed.find((c) => c.id === duty.id)?.closed).toMatchObject({ how: 'fulfilled', on: '2018-12-25', by: 'zzb-zhang' });
    // Recorded once: the same day again is refused.
    expect(await refusal({ by: 'zzb-li', heldOn: '2018-12-25', topics: '研究配套组织建设', departments: ['D-GH', 'D-MZ'] })).toContain('已经记录');

    // Done: no due-day notice on the 29th, no overdue notice after; the next quarter is owed.
    await advanceTo(world.env, '2019-01-04T02:00:00Z');
    for (const m of members) expect(aboutMeeting(m)).toHaveLength(1);
    expect(world.mail.sink.to('zzb-head@county.example.org').filter((m) => m.subject.includes('季度联席会'))).toEqual([]);
    const next = await programme.query(programmeStateQuery);
    expect([...next.open, ...next.upcoming].find((o) => o.kind === 'joint-meeting')?.periodLabel).toBe('2019年第一季度');
  }, 300_000);
});
