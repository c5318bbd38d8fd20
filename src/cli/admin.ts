/** The CLI's commands for the holiday calendar and the county's policy. */
import { type Command } from 'commander';
import { readCalendarFile } from '../activities/calendar-store';
import type { Outcome } from '../client/admin';
import { loadConfigOrExit } from '../config';
import { kindSpecs } from '../domain/kinds';
import { basisText, deadlineOf, severityLabels, type Policy } from '../domain/policy';
import { roleLabels } from '../domain/roster';
import { currentPolicy, readPolicyFile } from '../infra/policy-file';
import type { CalendarPublication } from '../service/service';
import { apiOf, printOutcome } from './common';

/** The rules of a policy, each with its basis, as the organization department reads them. */
export function describePolicy(p: Policy): string[] {
  const lines = [`工作规则版本：${p.version}`, `提醒发送时间：每个工作日${p.morningHour.value}时（${basisText(p.morningHour.basis)}）`];
  const who = (r: string): string => (r === 'responsible' ? '责任人' : (roleLabels as Record<string, string>)[r] ?? r);
  const ladderNames = { local: '乡镇和整顿对象的事项', county: '县委的事项', case: '书面说明', routine: '升国旗、惠民服务日等例行活动' } as const;
  for (const [k, l] of Object.entries(p.ladders) as [keyof typeof ladderNames, Policy['ladders']['local']][]) {
    lines.push(`提醒和预警（${ladderNames[k]}，${basisText(l.basis)}）：`);
    for (const st of l.steps) {
      const when =
        st.after === 'half-month'
          ? `所在半月结束后${st.offsetWorkingDays}个工作日`
          : st.offsetWorkingDays === 0
            ? '截止当日'
            : st.offsetWorkingDays < 0
              ? `截止前${-st.offsetWorkingDays}个工作日`
              : `逾期${st.offsetWorkingDays}个工作日`;
      lines.push(`  ${when}　${severityLabels[st.severity]}　通知${st.notify.map(who).join('、')}`);
    }
  }
  lines.push(`督办：红色预警后仍未办结的，每${p.urging.everyWorkingDays}个工作日汇总督办一次，最多${p.urging.maxTimes}次（${basisText(p.urging.basis)}）`);
  lines.push('截止日逢休息日：');
  for (const kind of Object.keys(kindSpecs) as (keyof typeof kindSpecs)[]) {
    const d = deadlineOf(p, kind);
    const rule = { 'last-working-day': '提前至此前最后一个工作日', 'next-working-day': '顺延至下一个工作日', 'on-the-day': '仍为当日' }[d.rule];
    lines.push(`  ${kindSpecs[kind].title}：${rule}（${basisText(d.basis)}）`);
  }
  const dd = p.dates;
  lines.push(`第一书记年度履职报告：每年${dd.firstSecretaryAnnualReport.month}月${dd.firstSecretaryAnnualReport.day}日前（${basisText(dd.firstSecretaryAnnualReport.basis)}）`);
  lines.push(`乡镇党委书记年度考评：次年${dd.townshipSecretaryEvaluation.month}月${dd.townshipSecretaryEvaluation.day}日前（${basisText(dd.townshipSecretaryEvaluation.basis)}）`);
  lines.push(`验收评价工作启动提醒：每年${dd.acceptanceCampaignOpens.month}月${dd.acceptanceCampaignOpens.day}日（${basisText(dd.acceptanceCampaignOpens.basis)}）`);
  lines.push(`县委常委专题研究：上、下半年各一次（${basisText(dd.standingCommitteeStudies.basis)}）`);
  const diagnosis = (dd as Partial<typeof dd>).annualDiagnosis;
  if (diagnosis) lines.push(`整顿对象逐一会诊：每年${diagnosis.month}月${diagnosis.day}日前（${basisText(diagnosis.basis)}）`);
  const training = (dd as Partial<typeof dd>).trainingDays;
  if (training) lines.push(`培训天数（四(一)5）：县委专题研修班不少于20天、乡镇无职党员培训不少于5天，每年${training.month}月${training.day}日前；村党组织书记、班子成员不足7天的次日列入通报（${basisText(training.basis)}）`);
  const sv = p.supervision;
  lines.push(`建议发函询问：一个季度内${sv.lapsesPerQuarter.value}次未按时上报（${basisText(sv.lapsesPerQuarter.basis)}）`);
  lines.push(`书面说明期限：${sv.explanationWorkingDays.value}个工作日（${basisText(sv.explanationWorkingDays.basis)}）`);
  lines.push(`逾期未作书面说明：${sv.talkAfterMissedExplanation.value ? '自动转为约谈' : '由县委组织部决定是否约谈'}（${basisText(sv.talkAfterMissedExplanation.basis)}）`);
  lines.push(`审核书面说明：${sv.reviewWorkingDays.value}个工作日内（${basisText(sv.reviewWorkingDays.basis)}）`);
  lines.push(`约谈：${sv.talkWorkingDays.value}个工作日内进行（${basisText(sv.talkWorkingDays.basis)}）`);
  const religious = p.villageDuties.religiousContacts;
  lines.push(`每月与宗教活动场所和宗教人士联系、谈话：${religious.value ? '列为整顿对象的例行事项' : '不列入'}（${basisText(religious.basis)}）`);
  const goal = p.goals.laterDesignationYears;
  lines.push(`转化目标：2018年认定的2019年底全部转化（《方案》二）；以后认定的，${goal.value === 1 ? '认定次年年底前' : `认定后第${goal.value}年年底前`}全部转化（${basisText(goal.basis)}）`);
  const lifted = p.consequences.pairedLeaderLiftedOnTransformation;
  lines.push(`联建部门主要领导不得晋升重用（五(四)）：${lifted.value ? '整顿对象转化后解除' : '转化后不解除'}（${basisText(lifted.basis)}）`);
  const report = p.reports.figures;
  lines.push(`整顿工作进展情况报告（送审稿）：${{ quarterly: '每季度第一个工作日报上一季度', 'half-yearly': '每半年（1月、7月第一个工作日）报上半年、下半年', off: '不自动生成（可随时下载）' }[report.value]}（${basisText(report.basis)}）`);
  return lines;
}

export function addAdminCommands(program: Command, out: (line: string) => void): void {
  const calendar = program.command('calendar').description('holiday arrangements (放假安排) by which working days are counted');
  calendar
    .command('check')
    .description('validate an arrangement file (YAML or JSON)')
    .argument('<file>', 'arrangement file')
    .action((file: string) => {
      const y = readCalendarFile(file);
      out(`节假日安排有效：${y.year}年（${y.official ? '正式' : '暂定'}），依据${y.source}；放假${Object.keys(y.holidays).length}天，调休上班${Object.keys(y.workdays).length}天。`);
    });
  calendar
    .command('publish')
    .description('show what an arrangement changes; with --confirm install it for the worker and tell every running workflow, which re-dates provisional deadlines (an official one: the organization department)')
    .argument('<file>', 'arrangement file')
    .option('--confirm', 'publish it (without: only show what it changes)')
    .action(async (file: string, opts: { confirm?: boolean }) => {
      const config = loadConfigOrExit();
      const y = readCalendarFile(file);
      const o = await apiOf(config).call<CalendarPublication>('POST', '/api/calendar/publish', { ...y, confirm: opts.confirm === true });
      const changes = o.changedDays.length
        ? o.changedDays.map((d) => `${d.date}：${d.before}→${d.after}`)
        : ['与现有安排相同，没有日期变化'];
      if (!o.published) {
        out(`${y.year}年节假日安排（${y.official ? '正式' : '暂定'}，${y.source}）将改变以下日期：`);
        for (const line of changes) out(`  ${line}`);
        out(`核对无误后加 --confirm 发布${y.official ? '（正式安排须由县委组织部人员确认）' : ''}。`);
        return;
      }
      out(`已安装${y.year}年节假日安排（${y.source}）：${o.file}`);
      printOutcome(out, { done: o.done ?? [], failed: o.failed ?? [] }, '已通知运行中的工作流');
    });

  const policy = program.command('policy').description("the county's rules (工作规则): ladders, deadlines on rest days, supervision");
  policy
    .command('check')
    .description('validate a policy file')
    .argument('<file>', 'policy file (YAML or JSON)')
    .action((file: string) => {
      const p = readPolicyFile(file);
      out(`工作规则有效：版本${p.version}。`);
    });
  policy
    .command('show')
    .description('show the rules of a policy file (default: the one in force, POLICY_FILE or the built-in)')
    .argument('[file]', 'policy file')
    .action((file?: string) => {
      const config = loadConfigOrExit();
      for (const line of describePolicy(file ? readPolicyFile(file) : currentPolicy(config.programme.policyFile))) out(line);
    });
  policy
    .command('apply')
    .description('apply a policy version to every running workflow (recorded in each, with who applied it: the logged-in person)')
    .argument('<file>', 'policy file')
    .action(async (file: string) => {
      const config = loadConfigOrExit();
      const p = readPolicyFile(file);
      const o = await apiOf(config).call<Outcome>('POST', '/api/policy/apply', p);
      if (config.programme.policyFile !== file) out(`提示：新认定的整顿对象按 POLICY_FILE 启动（当前为${config.programme.policyFile ?? '内置规则'}），请同时修改该设置。`);
      printOutcome(out, o, `已适用工作规则${p.version}`);
    });
}
