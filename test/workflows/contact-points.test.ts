import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateTarget } from '../../src/client/supervision';
import { townshipStateQuery, townshipWorkflowId } from '../../src/contracts/township';
import { recordAcceptanceUpdate, stateQuery, villageWorkflowId } from '../../src/contracts/village';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, useVillageWorld, acceptanceOf } from '../support/village';

/**
 * Who is linked to a target is told (六(一), 五(三), 五(四)): the county leader whose contact
 * township or key village it is gets the red warnings there; the target's township liaison
 * (包村领导), contact cadre (包村干部), 党建指导员 and its paired department's leader get its overdue
 * notices. 青石镇东风村 (QS03: liaison 顾建国, paired with 县农业农村局, contact point of county leader
 * 赖淑芬 (A post) and 符志远 (B post)) and 柳河镇长青村 (LH02: 柳河镇 is
 * the contact township of 龚红梅, whose key village is LH09) are designated in October 2018 and
 * nobody acts: the October duties fall overdue on 1 November and are red-warned on 5 November.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-16T00:00:00Z' });
const subjects = (address: string): string[] => world.mail.sink.to(address).map((m) => m.subject);

describe('contact points and linked posts', () => {
  test('the contact leader gets the red warnings of their township and key village; the liaison and the paired department get the overdue notices', async () => {
    for (const v of ['QS03', 'LH02']) await designateTarget(world.env.client, world.taskQueue, roster, v);
    await advanceTo(world.env, '2018-11-06T03:00:00Z');

    // 六(一): 赖淑芬's contact township 青石镇 and key village 东风村.
    const lai = subjects('leader-qs03@county.example.org');
    expect(lai).toContain('【红色预警】青石镇：每半月上报整顿工作进展（2018年10月下半月）');
    expect(lai).toContain('【红色预警】青石镇东风村：第一书记每月到村开展服务（2018年10月）');
    // Besides the bulletin's lines of her township (【联系点情况】, monthly): nothing of another township, no reminders.
    expect(lai.filter((s) => !s.startsWith('【联系点情况】青石镇')).every((s) => s.startsWith('【红色预警】青石镇'))).toBe(true);
    // AB岗: the B post of the same contact point (符志远) gets the same lines.
    const fu = subjects('leader-qs03-b@county.example.org');
    expect(fu.filter((x) => x.startsWith('【红色预警】')).sort()).toEqual(lai.filter((x) => x.startsWith('【红色预警】')).sort());
    expect(fu.filter((x) => x.startsWith('【红色预警】')).length).toBeGreaterThan(0);
    // 龚红梅: 柳河镇 is her contact township, so its red warnings reach her though her key village is another.
    const gong = subjects('leader-lh09@county.example.org');
    expect(gong).toContain('【红色预警】柳河镇：每半月上报整顿工作进展（2018年10月下半月）');
    expect(gong.every((s) => s.includes('柳河镇'))).toBe(true);
    expect(lai).toContain('【联系点情况】青石镇2018年10月整顿工作情况');
    // 文雪梅's contact township 松岭乡 has no target: nothing.
    expect(subjects('leader-sl08@county.example.org')).toEqual([]);

    // 五(三), 五(四): the overdue notice of 东风村's duty goes to its liaison and its paired department, not the red warning.
    // 五(三) 包村干部 and 六(二) 党建指导员 as well.
    for (const address of ['qs03-liaison@township.example.org', 'qs03-cadre@township.example.org', 'qs03-instructor@county.example.org', 'd-ny-lead@dept.example.org']) {
      const got = subjects(address);
      expect(got, address).toContain('【逾期通知】青石镇东风村：第一书记每月到村开展服务（2018年10月）');
      expect(got.some((s) => s.startsWith('【红色预警】') || s.startsWith('【提醒】')), address).toBe(false);
      expect(got.some((s) => s.includes('长青村') || s.startsWith('【逾期通知】青石镇：')), address).toBe(false);
    }
    expect(subjects('d-cz-lead@dept.example.org')).toContain('【逾期通知】柳河镇长青村：第一书记每月到村开展服务（2018年10月）');

    // A township's own duty has no liaison or paired department: nobody is missing, nothing failed.
    for (const t of ['QS', 'LH']) {
      const view = await world.env.client.workflow.getHandle(townshipWorkflowId(t)).query(townshipStateQuery);
      expect(view.failedDeliveries, t).toEqual([]);
    }
    const qs03 = await world.env.client.workflow.getHandle(villageWorkflowId('QS03')).query(stateQuery);
    expect(qs03.failedDeliveries).toEqual([]);
  }, 600_000);

  test('a recorded acceptance result goes to the liaison, the paired department and the township secretary', async () => {
    await advanceTo(world.env, '2019-11-25T02:00:00Z');
    const record = (village: string, transformed: boolean) =>
      world.env.client.workflow.getHandle(villageWorkflowId(village)).executeUpdate(recordAcceptanceUpdate, {
        args: [acceptanceOf(village, { year: 2019, evaluatedOn: '2019-11-25', transformed, evaluator: 'zzb-zhang', summary: transformed ? '班子坚强有力，群众满意' : '集体经济仍未起步' })],
      });
    await record('QS03', true);
    await record('LH02', false);
    await advanceTo(world.env, '2019-11-25T03:00:00Z');
    for (const address of ['qs03-liaison@township.example.org', 'd-ny-lead@dept.example.org', 'qs-sec@township.example.org']) {
      const got = world.mail.sink.to(address).filter((m) => m.subject.startsWith('【验收结果】'));
      expect(got.map((m) => m.subject), address).toEqual(['【验收结果】青石镇东风村：2019年度已实现转化提升']);
      expect(got[0]!.text).toContain('验收评价意见：班子坚强有力，群众满意');
    }
    expect(subjects('d-cz-lead@dept.example.org')).toContain('【验收结果】柳河镇长青村：2019年度未实现转化');
    expect(subjects('lh02-liaison@township.example.org')).toContain('【验收结果】柳河镇长青村：2019年度未实现转化');
    expect(subjects('d-cz-lead@dept.example.org')).not.toContain('【验收结果】青石镇东风村：2019年度已实现转化提升');
  }, 600_000);
});
