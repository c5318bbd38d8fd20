import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { ENTITY_WORKFLOW_TYPES } from '../../src/client/admin';
import { stateQuery, villageWorkflowId, withdrawUpdate } from '../../src/contracts/village';
import { localDateOf } from '../../src/domain/calendar';
import { official2027 } from '../support/calendar';
import { useApiWorld } from '../support/api';
import { cli } from '../support/cli';

/**
 * The operators' commands for the holiday calendar and the county's policy, and designating again
 * a target whose run ended, run as a person would against the dev server.
 */
const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'cli-admin-'));

describe('files checked without a server', () => {
  test('calendar check names every wrong date and exits 2; a good file is summarised', async () => {
    const bad = path.join(dir, 'bad-2027.yaml');
    writeFileSync(bad, toYaml({ ...official2027, holidays: { ...official2027.holidays, '2027-02-30': '春节', '2028-01-01': '元旦' }, workdays: { '2027-10-01': '国庆节' } }));
    const r = await cli(['calendar', 'check', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`节假日安排文件有误（${bad}）`);
    expect(r.stderr).toMatch(/holidays\.2027-02-30：/);
    expect(r.stderr).toMatch(/holidays\.2028-01-01：.*2027/);
    expect(r.stderr).toMatch(/2027-10-01：.*(既|同时)/);

    const good = path.join(dir, '2027.json');
    writeFileSync(good, JSON.stringify(official2027));
    const ok = await cli(['calendar', 'check', good]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toBe(`节假日安排有效：2027年（正式），依据${official2027.source}；放假15天，调休上班3天。\n`);
  });

  test('policy check names the path of every problem; policy show says the basis of every rule', async () => {
    const shipped = readFileSync(path.join(root, 'policy/county-policy.yaml'), 'utf8');
    const bad = path.join(dir, 'bad-policy.yaml');
    writeFileSync(bad, shipped.replace('offsetWorkingDays: 3, notify: [org-department-staff, county-leader]', 'offsetWorkingDays: 0, notify: [org-department-staff, county-leader]').replace('basis: 五(三)', 'basis: 第五条'));
    const r = await cli(['policy', 'check', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`工作规则文件有误（${bad}）`);
    expect(r.stderr).toContain('ladders.local.steps.3.offsetWorkingDays：');
    expect(r.stderr).toContain('deadlines.township-quarterly-study.basis：须为方案条款');

    const show = await cli(['policy', 'show', path.join(root, 'policy/county-policy.yaml')]);
    expect(show).toMatchObject({ code: 0, stderr: '' });
    expect(show.stdout).toContain('工作规则版本：builtin-3');
    expect(show.stdout).toContain('  逾期1个工作日　逾期通知　通知责任人、乡镇党委书记、包村领导、包村干部、党建指导员、联建部门主要领导\n');
    expect(show.stdout).toContain('  逾期3个工作日　红色预警　通知县委组织部、联系点县委领导\n');
    expect(show.stdout).toContain('  督导检查发现问题整改：顺延至下一个工作日（县委组织部工作要求）');
    expect(show.stdout).toContain('  报送整顿方案：提前至此前最后一个工作日（《方案》五(一)）');
    expect(show.stdout).toContain('  每半月上报整顿工作进展：顺延至下一个工作日（县委组织部工作要求）');
    // The routine activities: a notice on the day, 未落实 after the half month; the 1st stays the 1st.
    expect(show.stdout).toContain('提醒和预警（升国旗、惠民服务日等例行活动，县委组织部工作要求）：\n  截止当日　到期提醒　通知责任人\n  所在半月结束后1个工作日　逾期通知　通知责任人、乡镇党委书记、组织干事\n');
    expect(show.stdout).toContain('  每月1日升国旗：仍为当日（《方案》四(四)12）');
    expect(show.stdout).not.toContain('undefined');
    expect(show.stdout).toContain('书面说明期限：10个工作日（县委组织部工作要求）');
    expect(show.stdout).toContain('整顿工作进展情况报告（送审稿）：每季度第一个工作日报上一季度（县委组织部工作要求）');
    expect(show.stdout).toContain('联建部门主要领导不得晋升重用（五(四)）：转化后不解除（县委组织部工作要求）');
    expect(show.stdout).toContain('整顿对象逐一会诊：每年6月15日前（县委组织部工作要求）');
    expect(show.stdout).toContain('培训天数（四(一)5）：县委专题研修班不少于20天、乡镇无职党员培训不少于5天，每年11月30日前；村党组织书记、班子成员不足7天的次日列入通报（县委组织部工作要求）');
    expect(show.stdout).toContain('转化目标：2018年认定的2019年底全部转化（《方案》二）；以后认定的，认定次年年底前全部转化（县委组织部工作要求）');
  });
});

describe('through the API, as the people who act', () => {
  const api = useApiWorld();
  let serverEnv: Record<string, string>;
  const running = async (): Promise<number> =>
    (await api.world.env.client.workflow.count(`ExecutionStatus = 'Running' AND WorkflowType IN (${ENTITY_WORKFLOW_TYPES.map((t) => `'${t}'`).join(', ')})`)).count;

  beforeAll(async () => {
    // The head of the organization department, logged in.
    serverEnv = api.cliEnv('zzb-head');
    expect((await cli(['designate', '--village', 'QS03'], serverEnv)).code).toBe(0);
    // The village, its township and the county programme, once visibility lists them.
    await vi.waitFor(async () => expect(await running()).toBe(3), { timeout: 10_000, interval: 200 });
  });

  test('calendar publish installs the year where the worker reads it and tells every running workflow', async () => {
    const file = path.join(dir, 'publish-2027.json');
    writeFileSync(file, JSON.stringify(official2027));
    // Without --confirm: what it changes, and nothing installed.
    const preview = await cli(['calendar', 'publish', file], serverEnv);
    expect(preview).toMatchObject({ code: 0, stderr: '' });
    expect(preview.stdout).toContain(`2027年节假日安排（正式，${official2027.source}）将改变以下日期：\n`);
    expect(preview.stdout).toContain('  2027-02-08：工作日→休息日\n');
    expect(preview.stdout).toContain('核对无误后加 --confirm 发布（正式安排须由县委组织部人员确认）。\n');
    const r = await cli(['calendar', 'publish', file, '--confirm'], serverEnv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`已安装2027年节假日安排（${official2027.source}）：${path.join(api.world.mail.calendarDir, '2027.json')}\n已通知运行中的工作流：3个工作流。\n`);
    const qs03 = api.world.env.client.workflow.getHandle(villageWorkflowId('QS03'));
    await vi.waitFor(async () => expect((await qs03.query(stateQuery)).calendarYears).toContainEqual({ year: 2027, official: true, source: official2027.source }), { timeout: 10_000 });
    expect((await qs03.query(stateQuery)).history.map((h) => h.text)).toContain(`收到2027年节假日安排（正式，${official2027.source}）`);
  });

  test('policy apply: only by the organization department; recorded with who applied which version; again, a no-op', async () => {
    const file = path.join(dir, 'policy-2027.yaml');
    writeFileSync(file, readFileSync(path.join(root, 'policy/county-policy.yaml'), 'utf8').replace('version: builtin-3', 'version: county-2027.1'));
    const refused = await cli(['policy', 'apply', file], api.cliEnv('qs-org'));
    expect(refused).toMatchObject({ code: 3, stdout: '' });
    expect(refused.stderr).toBe('错误：刘志强（组织干事）无权适用工作规则\n');
    // Department staff publish calendars but do not change the county's rules; the head does.
    expect((await cli(['policy', 'apply', file], api.cliEnv('zzb-zhang'))).code).toBe(3);

    const r = await cli(['policy', 'apply', file], serverEnv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('已适用工作规则county-2027.1：3个工作流。');
    const qs03 = api.world.env.client.workflow.getHandle(villageWorkflowId('QS03'));
    const state = await qs03.query(stateQuery);
    expect(state.policyVersion).toBe('county-2027.1');
    const applied = state.history.filter((h) => h.type === 'policy');
    expect(applied).toMatchObject([{ text: '适用县委组织部工作规则county-2027.1（原为builtin-3）', by: 'zzb-head' }]);

    expect((await cli(['policy', 'apply', file], serverEnv)).code).toBe(0);
    expect((await qs03.query(stateQuery)).history.filter((h) => h.type === 'policy')).toHaveLength(1);
  });

  test('a withdrawn target is designated again only with --redesignate and a new date', async () => {
    const qs03 = api.world.env.client.workflow.getHandle(villageWorkflowId('QS03'));
    await qs03.executeUpdate(withdrawUpdate, { args: [{ by: 'zzb-zhang', reason: '经复核，该村不符合认定标准' }] });
    // Refused with its reason; the other target named is designated all the same.
    const refused = await cli(['designate', '--village', 'QS03', 'LH09'], serverEnv);
    expect(refused).toMatchObject({ code: 3, stdout: '已认定：柳河镇柳林村（工作流 village:LH09）\n' });
    expect(refused.stderr).toBe('错误：--village: 青石镇东风村（QS03）：已撤销认定，不再重新启动；如需再次认定，请注明新的认定日期（--redesignate 日期）\n');
    expect((await qs03.describe()).status.name).toBe('COMPLETED');
    expect((await cli(['designate', '--village', 'QS03', '--redesignate', '2026-13-01'], serverEnv)).stderr).toBe('错误：--redesignate: 2026-13-01 is not a date (YYYY-MM-DD)\n');

    const today = localDateOf(Date.now());
    const again = await cli(['designate', '--village', 'QS03', '--redesignate', today], serverEnv);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect((await api.world.env.client.workflow.getHandle(villageWorkflowId('QS03')).query(stateQuery)).designation.date).toBe(today);
  });
});
