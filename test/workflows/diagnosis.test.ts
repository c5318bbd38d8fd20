import { describe, expect, test } from 'vitest';
import { calendarStore } from '../../src/activities/calendar-store';
import { readRosterFile } from '../../src/activities/roster-file';
import { programmeStateQuery, programmeWorkflowId } from '../../src/contracts/programme';
import { stateQuery, villageWorkflowId } from '../../src/contracts/village';
import { builtinPolicy } from '../../src/domain/policy';
import { ServiceError } from '../../src/service/errors';
import { Service } from '../../src/service/service';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, useVillageWorld } from '../support/village';

/**
 * 五(二) "由组织部牵头，对整顿软弱涣散基层党组织状况逐一进行会诊": once a year the department
 * diagnoses every target under rectification, by 15 June in the built-in policy (before the
 * standing committee's first study). 东风村 (QS03) and 长青村 (LH02), designated in October 2018:
 * the 2019 会诊 is due on Saturday 15 June 2019, a rest day, so by Friday the 14th; the department
 * is reminded three working days before; a 会诊 that leaves a target out is refused; the findings
 * go to each target; the standing committee's study names the 会诊 it drew on.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2019-06-01T00:00:00Z' });

describe('the yearly 会诊 (五(二))', () => {
  test('every target diagnosed once a year, its findings on the target, the study naming the 会诊', async () => {
    const service = new Service({ client: world.env.client, taskQueue: world.taskQueue, roster: () => roster, policy: () => builtinPolicy(), calendar: calendarStore(world.mail.calendarDir), now: () => world.env.currentTimeMs() });
    const zhang = service.actor('zzb-zhang');
    for (const v of ['QS03', 'LH02']) await service.designate(zhang, v);
    const programme = world.env.client.workflow.getHandle(programmeWorkflowId('YL'));

    await advanceTo(world.env, '2019-06-11T02:00:00Z');
    const duty = (await programme.query(programmeStateQuery)).open.find((o) => o.kind === 'annual-diagnosis')!;
    expect([duty.title, duty.periodLabel, duty.dueDate, duty.clause]).toEqual(['整顿对象逐一会诊', '2019年', '2019-06-14', '五(二)']);
    expect(world.mail.sink.to('zzb-zhang@county.example.org').map((m) => m.subject)).toContain('【提醒】云岭县：整顿对象逐一会诊（2019年）');

    // Refused, naming the field, and nothing changes: a target left out; one not under rectification.
    const before = (await programme.query(programmeStateQuery)).history.length;
    const refusal = async (body: unknown): Promise<ServiceError['fields']> => {
      const err = await service.recordDiagnosis(zhang, body).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceError);
      return (err as ServiceError).fields;
    };
    const qs03 = { village: 'QS03', problems: '班子战斗力不强，“三会一课”记录不全', planStands: true };
    const lh02 = { village: 'LH02', problems: '集体经济没有起步，方案措施空泛', planStands: false, note: '补充发展集体经济的时间表和路线图' };
    expect(await refusal({ year: 2019, heldOn: '2019-06-11', targets: [qs03] })).toEqual([{ path: 'targets', message: '逐一会诊：还有1个整顿对象未会诊（LH02）' }]);
    expect(await refusal({ year: 2019, heldOn: '2019-06-11', targets: [qs03, lh02, { ...qs03, village: 'QS07' }] })).toEqual([{ path: 'targets.2.village', message: 'QS07在2019-06-11不是正在整顿的整顿对象' }]);
    expect((await programme.query(programmeStateQuery)).history.length).toBe(before);

    const view = await service.recordDiagnosis(zhang, { year: 2019, heldOn: '2019-06-11', targets: [qs03, lh02] });
    expect(view.diagnoses).toEqual([{ year: 2019, heldOn: '2019-06-11', by: 'zzb-zhang', targets: 2, planNotStanding: ['LH02'] }]);
    expect(view.open.some((o) => o.kind === 'annual-diagnosis')).toBe(false);
    expect(view.recentlyClosed.find((c) => c.kind === 'annual-diagnosis')?.closed).toMatchObject({ how: 'fulfilled', on: '2019-06-11', by: 'zzb-zhang' });
    expect(view.history.at(-1)?.text).toBe('2019年整顿对象逐一会诊（2019-06-11）：2个，其中整顿方案需调整1个（LH02）');
    // Once a year.
    expect((await service.recordDiagnosis(zhang, { year: 2019, heldOn: '2019-06-11', targets: [qs03, lh02] }).catch((e: unknown) => e)) as ServiceError).toMatchObject({ message: '2019年的会诊已经记录' });

    // Each target holds its own finding (by signal, after the update has returned).
    const findings = async (v: string) => (await world.env.client.workflow.getHandle(villageWorkflowId(v)).query(stateQuery)).diagnoses;
    for (let i = 0; i < 50 && (await findings('LH02')).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await findings('LH02')).toEqual([{ year: 2019, heldOn: '2019-06-11', by: 'zzb-zhang', problems: lh02.problems, planStands: false, note: lh02.note }]);
    expect((await findings('QS03')).map((d) => d.planStands)).toEqual([true]);

    // The standing committee's study of the half year names the 会诊 it drew on; a 会诊 not recorded is refused.
    await advanceTo(world.env, '2019-06-20T02:00:00Z');
    const study = { heldOn: '2019-06-20', summary: '县委常委会专题研究软弱涣散村整顿工作，听取会诊情况' };
    expect((await service.recordCommitteeStudy(zhang, { ...study, diagnosis: 2018 }).catch((e: unknown) => e)) as ServiceError).toMatchObject({ fields: [{ path: 'diagnosis', message: '2018年的会诊尚未记录' }] });
    const studied = await service.recordCommitteeStudy(zhang, { ...study, diagnosis: 2019 });
    expect(studied.committeeStudies.at(-1)).toMatchObject({ heldOn: '2019-06-20', diagnosis: { year: 2019, heldOn: '2019-06-11' } });
  }, 300_000);
});
