/**
 * `npm run cli -- <command>`: the county's commands for designating targets and watching them.
 * What it prints is for officials, in Chinese; a wrong option names the option and changes nothing.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { Command, CommanderError, Option } from 'commander';
import { RosterFileError, readRosterFile } from './activities/roster-file';
import { designateVillage, InvalidDesignationError, villageInputFromRoster } from './client/village';
import { loadConfigOrExit, type Config } from './config';
import { stageLabels, stages, stateQuery, VILLAGE_WORKFLOW_TYPE, villageWorkflowId, type VillageView } from './contracts/village';
import { localDateOf, phaseLabels } from './domain/calendar';
import { flagDesignations } from './domain/criteria';
import { severityLabels } from './domain/escalation';
import type { Roster } from './domain/roster';
import { DeliveryDelayedKey, FailedDeliveriesKey, NextDueKey, OverdueKey, StageKey, TownshipKey, VillageKey } from './search-attributes';

/** Bad input from the command line: exit code 2, nothing done. */
class UsageError extends Error {}

function chinaTime(ms: number): string {
  return `${localDateOf(ms)} ${new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16)}`;
}

async function connect(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 5_000 }).catch((err: unknown) => {
    throw new Error(`无法连接 Temporal 服务（${config.temporal.address}，TEMPORAL_ADDRESS）：${(err as Error).message}`);
  });
  return new Client({ connection, namespace: config.temporal.namespace });
}

function villageName(roster: Roster, code: string): string {
  const v = roster.villages.find((x) => x.code === code);
  const t = v && roster.townships.find((x) => x.code === v.township);
  return v ? `${t?.name ?? ''}${v.name}` : code;
}

function personName(roster: Roster, id: string | undefined): string {
  if (!id) return '无';
  const p = roster.people.find((x) => x.id === id);
  return p ? `${p.name}（${id}）` : `${id}（名册中无此人）`;
}

function printStatus(out: (line: string) => void, roster: Roster, v: VillageView): void {
  out(`${villageName(roster, v.village)}（${v.village}）`);
  out(`阶段：${v.stageLabel}　周期：第${v.cycleYear}年（${phaseLabels[v.phase]}）　认定日期：${v.designation.date}`);
  out(`第一书记：${personName(roster, v.firstSecretary)}　包村领导：${personName(roster, v.liaison)}`);
  if (v.plan) out(`整顿方案：${{ due: '待报送', submitted: '待审核', returned: `退回修改（${v.plan.revisionDue}前重报）`, approved: '已审核通过' }[v.plan.status]}`);
  for (const a of v.acceptances) out(`${a.year}年验收：${a.transformed ? '转化提升' : '未转化'}（${a.date}）`);
  out(`是否逾期：${v.overdue ? '是' : '否'}`);
  out('待办事项：');
  if (v.upcoming.length === 0) out('  无');
  for (const o of v.upcoming) {
    const next = o.nextStep ? `　下一步：${severityLabels[o.nextStep.severity]} ${chinaTime(Date.parse(o.nextStep.at))}` : '';
    out(`  ${o.dueDate}${o.provisional ? '（暂定）' : ''}${o.overdue ? '【已逾期】' : ''}　${o.title}（${o.periodLabel}）　依据${o.clause}${next}`);
  }
  if (v.deliveryDelayed) {
    const d = v.deliveryDelayed;
    out(`通知暂未发出：${d.pending}条，自${chinaTime(Date.parse(d.since))}起邮件服务器不可用（${d.lastError}），下次重试 ${chinaTime(Date.parse(d.retryAt))}`);
  }
  if (v.failedDeliveryCount > 0) {
    out(`未能送达的通知（共${v.failedDeliveryCount}条，最近${v.failedDeliveries.length}条）：`);
    for (const f of v.failedDeliveries) out(`  ${chinaTime(Date.parse(f.at))}　${f.obligationId}（${f.step}）　${f.recipients.join('、') || '无收件人'}：${f.error}`);
  }
  if (v.consequences.length > 0) {
    out('后果：');
    for (const c of v.consequences) out(`  ${c.from}${c.until ? `至${c.until}` : '起'}　${c.reason}（${c.clause}）`);
  }
  out('最近记录：');
  for (const h of v.history.slice(-10)) out(`  ${chinaTime(Date.parse(h.at))}　${h.text}${h.by ? `（${h.by}）` : ''}`);
}

export function buildCli(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Command {
  const program = new Command('rect')
    .description('软弱涣散农村基层党组织整顿提升：认定整顿对象、查看工作流状态')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  const rosterOption = (): Option => new Option('--roster <file>', 'roster file (default: ROSTER_FILE)');
  const rosterOf = (config: Config, file?: string): Roster => readRosterFile(file ?? config.programme.rosterFile);

  program
    .command('roster-check')
    .description('check a roster file and show advice against 以好充次/以中充次')
    .argument('[file]', 'roster file (default: ROSTER_FILE)')
    .action((file?: string) => {
      const config = loadConfigOrExit();
      const roster = rosterOf(config, file);
      const open = roster.designations.filter((d) => !d.withdrawnOn && !d.transformedOn).length;
      out(`名册有效：${roster.county.name}，${roster.townships.length}个乡镇，${roster.villages.length}个村（社区），${roster.people.length}名人员，整顿对象${open}个。`);
      const flags = flagDesignations({ designations: roster.designations, townshipOf: new Map(roster.villages.map((v) => [v.code, v.township])) });
      if (flags.length === 0) out('未发现疑似“以好充次”“以中充次”的认定。');
      for (const f of flags) {
        const s = f.subject;
        const subject = s.type === 'township' ? (roster.townships.find((t) => t.code === s.township)?.name ?? s.township) : villageName(roster, s.village);
        out(`提示：${subject}：${f.reason}（${f.clause}）`);
      }
    });

  program
    .command('designate')
    .description("start the workflow of each open designation in the roster (again: returns the running one)")
    .option('--village <code...>', 'village codes')
    .option('--all', 'every open designation of the roster')
    .addOption(rosterOption())
    .action(async (opts: { village?: string[]; all?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const roster = rosterOf(config, opts.roster);
      if (!opts.all && !opts.village?.length) throw new UsageError('give --village <code...> or --all');
      const codes = opts.all ? roster.designations.filter((d) => !d.withdrawnOn && !d.transformedOn).map((d) => d.village) : opts.village!;
      const inputs = codes.map((code) => {
        try {
          return villageInputFromRoster(roster, code);
        } catch (err) {
          if (err instanceof InvalidDesignationError) throw new UsageError(`--village: ${code} has no open designation in the roster`);
          throw err;
        }
      });
      const client = await connect(config);
      for (const input of inputs) {
        const handle = await designateVillage(client, config.temporal.taskQueue, input);
        out(`已认定：${villageName(roster, input.designation.village)}（工作流 ${handle.workflowId}）`);
      }
    });

  program
    .command('status')
    .description('show the state of one target')
    .argument('<village>', 'village code')
    .addOption(rosterOption())
    .action(async (village: string, opts: { roster?: string }) => {
      const config = loadConfigOrExit();
      const roster = rosterOf(config, opts.roster);
      const client = await connect(config);
      try {
        printStatus(out, roster, await client.workflow.getHandle(villageWorkflowId(village)).query(stateQuery));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new UsageError(`village: no workflow for ${village} (not designated?)`);
        throw err;
      }
    });

  program
    .command('list')
    .description('list targets from the search attributes')
    .option('--township <code>', 'only this township')
    .addOption(new Option('--stage <stage>', 'only this stage').choices([...stages]))
    .option('--overdue', 'only targets with an overdue duty')
    .option('--failed', 'only targets with failed deliveries')
    .option('--delayed', 'only targets whose notices wait for the mail server')
    .option('--closed', 'include closed workflows')
    .addOption(rosterOption())
    .action(async (opts: { township?: string; stage?: string; overdue?: boolean; failed?: boolean; delayed?: boolean; closed?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const roster = rosterOf(config, opts.roster);
      if (opts.township && !roster.townships.some((t) => t.code === opts.township)) throw new UsageError(`--township: no township ${opts.township} in the roster`);
      const where = [`WorkflowType = '${VILLAGE_WORKFLOW_TYPE}'`];
      if (!opts.closed) where.push(`ExecutionStatus = 'Running'`);
      if (opts.township) where.push(`${TownshipKey.name} = '${opts.township}'`);
      if (opts.stage) where.push(`${StageKey.name} = '${opts.stage}'`);
      if (opts.overdue) where.push(`${OverdueKey.name} = true`);
      if (opts.failed) where.push(`${FailedDeliveriesKey.name} > 0`);
      if (opts.delayed) where.push(`${DeliveryDelayedKey.name} = true`);
      const client = await connect(config);
      let n = 0;
      for await (const wf of client.workflow.list({ query: where.join(' AND ') })) {
        const sa = wf.typedSearchAttributes;
        const code = sa.get(VillageKey) ?? wf.workflowId;
        const stage = sa.get(StageKey) as (typeof stages)[number] | undefined;
        const next = sa.get(NextDueKey);
        out(
          [
            villageName(roster, code),
            code,
            stage ? stageLabels[stage] : '—',
            next ? `下一截止 ${localDateOf(next.getTime() - 1)}` : '下一截止 —',
            sa.get(OverdueKey) ? '已逾期' : '未逾期',
            `通知失败 ${sa.get(FailedDeliveriesKey) ?? 0}`,
          ].join('　'),
        );
        n++;
      }
      out(`共${n}个整顿对象。`);
    });

  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .then(
      () => process.exit(0),
      (err: unknown) => {
        if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
        if (err instanceof UsageError) {
          process.stderr.write(`错误：${err.message}\n`);
          process.exit(2);
        }
        if (err instanceof RosterFileError) {
          process.stderr.write(`${err.message}\n`);
          process.exit(2);
        }
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(1);
      },
    );
}
