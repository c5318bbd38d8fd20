/** The CLI's commands for targets: simulate, the roster (check, import, export), designate, status, list. */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { ApiCallError } from '../cli-api';
import { InvalidDesignationError, villageInputFromRoster } from '../client/village';
import { loadConfigOrExit } from '../config';
import { stageLabels, stages, type VillageView } from '../contracts/village';
import { isLocalDate, localDateOf, phaseLabels } from '../domain/calendar';
import { designationCandidates, flagDesignations, ratingHistoryText, type Candidate } from '../domain/criteria';
import { readRosterWorkbook, rosterWorkbook } from '../documents/roster-workbook';
import { severityLabels } from '../domain/policy';
import { contactLinkChanges, type Roster } from '../domain/roster';
import { readRosterFile } from '../activities/roster-file';
import { chinaTime, historyLine, townshipName, villageLabel } from '../domain/names';
import { projectRoot } from '../infra/temporal-binaries';
import type { ListItem } from '../service/service';
import { UsageError, SimulateFailed, apiOf, namesOf, nextDueText, personName, parseYear, refuseMissingPosts, rosterOption, rosterOf } from './common';

/**
 * Villages the roster's yearly records suggest for designation (三(二), 三(六)): advice to the
 * department, which decides; nothing is designated by it.
 */
export function printCandidates(out: (line: string) => void, roster: Roster, year?: number): void {
  const y = year ?? Number((roster.designations.map((d) => d.date).sort().at(-1) ?? localDateOf(Date.now())).slice(0, 4));
  const list: Candidate[] = designationCandidates(roster, y);
  if (list.length === 0) {
    out(`${y}年：名册的星级评定和发展党员记录未提示其他应列为整顿对象的村。`);
    return;
  }
  out(`${y}年可能应列为整顿对象的村（依名册的星级评定和发展党员记录提示，是否认定由县委组织部研究决定）：`);
  for (const c of list) out(`  ${villageLabel(roster, c.village)}（${c.village}）：${c.reasons.map((r) => `${r.text}（${r.clause}）`).join('；')}`);
}

/** A roster file as it reads, or nothing when it does not (an import then writes over it). */
function readRosterOrNothing(file: string): Roster | undefined {
  try {
    return readRosterFile(file);
  } catch {
    return undefined;
  }
}

export function printStatus(out: (line: string) => void, roster: Roster, v: VillageView): void {
  out(`${villageLabel(roster, v.village)}（${v.village}）`);
  out(`阶段：${v.stageLabel}　周期：第${v.cycleYear}年（${phaseLabels[v.phase]}）　认定日期：${v.designation.date}`);
  out(`第一书记：${personName(roster, v.firstSecretary)}　包村领导：${personName(roster, v.liaison)}`);
  if (v.plan) out(`整顿方案：${{ due: '待报送', submitted: '待审核', returned: `退回修改（${v.plan.revisionDue}前重报）`, approved: '已审核通过' }[v.plan.status]}`);
  for (const a of v.acceptances) out(`${a.year}年验收：${a.transformed ? '转化提升' : '未转化'}（${a.date}）`);
  const ratings = ratingHistoryText(roster.ratings ?? [], v.village, v.designation);
  if (ratings) out(ratings);
  out(`是否逾期：${v.overdue ? `是（${v.overdueCount}项）` : '否'}`);
  out('待办事项：');
  if (v.open.length === 0) out('  无');
  for (const o of v.open) {
    const next = o.nextStep ? `　下一步：${severityLabels[o.nextStep.severity]} ${chinaTime(Date.parse(o.nextStep.at))}` : '';
    out(`  ${o.dueDate}${o.provisional ? '（暂定）' : ''}${o.overdue ? '【已逾期】' : ''}　${o.title}（${o.periodLabel}）　依据${o.clause}${next}`);
  }
  if (v.deliveryDelayed) {
    const d = v.deliveryDelayed;
    out(`通知暂未发出：${d.pending}条，自${chinaTime(Date.parse(d.since))}起邮件服务器不可用（${d.lastError}），下次重试 ${chinaTime(Date.parse(d.retryAt))}`);
  }
  if (v.failedDeliveryCount > 0) {
    out(`未能送达的通知（共${v.failedDeliveryCount}条，最近${v.failedDeliveries.length}条）：`);
    for (const f of v.failedDeliveries) out(`  ${chinaTime(Date.parse(f.at))}　${f.label ?? `${f.obligationId}（${f.step}）`}　${f.recipients.join('、') || '无收件人'}：${f.error}`);
  }
  if (v.consequences.length > 0) {
    out('后果：');
    for (const c of v.consequences) out(`  ${c.from}${c.until ? `至${c.until}` : '起'}　${c.reason}（${c.clause}）`);
  }
  out('最近记录：');
  for (const h of v.history.slice(-10)) out(`  ${historyLine(roster, h)}`);
}

export function addTargetCommands(program: Command, out: (line: string) => void): void {

  program
    .command('simulate')
    .description('play a scenario forward on the time-skipping server (same as npm run simulate): timeline.jsonl, summary.json, report.html')
    .requiredOption('--scenario <file>', 'scenario file (YAML or JSON), e.g. scenarios/source-county.yaml')
    .requiredOption('--out <dir>', 'where to write the results')
    .action(async (o: { scenario: string; out: string }) => {
      // The simulator lives beside the product (it needs the test server and its SDK package): run it as its own process.
      const { spawnSync } = await import('node:child_process');
      const r = spawnSync('npm', ['run', '--silent', 'simulate', '--', '--scenario', path.resolve(o.scenario), '--out', path.resolve(o.out)], { stdio: 'inherit', cwd: projectRoot });
      if (r.status !== 0) throw new SimulateFailed(r.status ?? 1);
    });

  program
    .command('roster-check')
    .description('check a roster file (JSON, YAML, or an Excel workbook) and show advice against 以好充次/以中充次')
    .argument('[file]', 'roster file (default: ROSTER_FILE)')
    .option('--year <year>', 'the designation year whose candidates to list (default: the year of the latest designation)', parseYear)
    .action(async (file: string | undefined, opts: { year?: number }) => {
      const config = loadConfigOrExit();
      const roster = file && /\.xlsx$/i.test(file) ? await readRosterWorkbook(file) : rosterOf(config, file);
      refuseMissingPosts(roster, file ?? config.programme.rosterFile);
      const open = roster.designations.filter((d) => !d.withdrawnOn && !d.transformedOn).length;
      out(`名册有效：${roster.county.name}，${roster.townships.length}个乡镇，${roster.villages.length}个村（社区），${roster.people.length}名人员，整顿对象${open}个。`);
      const flags = flagDesignations({ designations: roster.designations, townshipOf: new Map(roster.villages.map((v) => [v.code, v.township])) });
      if (flags.length === 0) out('未发现疑似“以好充次”“以中充次”的认定。');
      for (const f of flags) {
        const s = f.subject;
        const subject = s.type === 'township' ? townshipName(roster, s.township) : villageLabel(roster, s.village);
        out(`提示：${subject}：${f.reason}（${f.clause}）`);
      }
      printCandidates(out, roster, opts.year);
    });

  const rosterCommand = program.command('roster').description('the roster from and to the spreadsheet an organization department keeps');
  rosterCommand
    .command('import')
    .description('read an Excel workbook (sheets 县, 乡镇, 村, 部门, 人员, 认定) into a roster file (JSON)')
    .argument('<xlsx>', 'the workbook')
    .requiredOption('--out <file>', 'the roster file to write (.json)')
    .action(async (file: string, opts: { out: string }) => {
      const roster = await readRosterWorkbook(file);
      refuseMissingPosts(roster, file);
      // 六(一): replacing a roster in use, a contact point held less than three years stays as it is.
      const previous = existsSync(opts.out) ? readRosterOrNothing(opts.out) : undefined;
      const changes = previous ? contactLinkChanges(previous, roster, localDateOf(Date.now())) : [];
      if (changes.length) throw new UsageError(`${file}与现用名册（${opts.out}）相比：\n${changes.map((c) => `  ${c.path}: ${c.message}`).join('\n')}`);
      writeFileSync(opts.out, `${JSON.stringify(roster, null, 2)}\n`);
      out(`已导入：${roster.county.name}，${roster.townships.length}个乡镇，${roster.villages.length}个村（社区），${roster.people.length}名人员，认定${roster.designations.length}个（${opts.out}）`);
    });
  rosterCommand
    .command('export')
    .description('write a roster file as an Excel workbook in the same layout (a template to fill in)')
    .argument('[file]', 'roster file (default: ROSTER_FILE)')
    .requiredOption('--out <xlsx>', 'the workbook to write')
    .action(async (file: string | undefined, opts: { out: string }) => {
      const roster = rosterOf(loadConfigOrExit(), file);
      writeFileSync(opts.out, await rosterWorkbook(roster));
      out(`已导出名册：${opts.out}`);
    });

  /** Designations the CLI has in flight at once. */
  /** Villages per request: the API designates them concurrently; the CLI shows progress between requests. */
  const DESIGNATE_CHUNK = 250;
  program
    .command('designate')
    .description("start the workflow of each open designation in the roster (again: returns the running one)")
    .option('--village <code...>', 'village codes')
    .option('--all', 'every open designation of the roster')
    .option('--redesignate <date>', 'designate again a target whose earlier run ended, with this new designation date (YYYY-MM-DD)')
    .addOption(rosterOption())
    .action(async (opts: { village?: string[]; all?: boolean; redesignate?: string; roster?: string }) => {
      const config = loadConfigOrExit();
      const roster = rosterOf(config, opts.roster);
      if (!opts.all && !opts.village?.length) throw new UsageError('give --village <code...> or --all');
      if (opts.redesignate !== undefined && !isLocalDate(opts.redesignate)) throw new UsageError(`--redesignate: ${opts.redesignate} is not a date (YYYY-MM-DD)`);
      const codes = opts.all ? [...new Set(roster.designations.filter((d) => !d.withdrawnOn && !d.transformedOn).map((d) => d.village))] : opts.village!;
      for (const code of codes) {
        try {
          villageInputFromRoster(roster, code);
        } catch (err) {
          if (err instanceof InvalidDesignationError) throw new UsageError(`--village: ${code} has no open designation in the roster`);
          throw err;
        }
      }
      const api = apiOf(config);
      // A round at a time of the API's bulk designation (their townships and the county told once per
      // round); lines in the roster's order, and on a terminal a progress line.
      const refused: string[] = [];
      const progress = process.stderr.isTTY && codes.length > 1;
      let done = 0;
      for (let i = 0; i < codes.length; i += DESIGNATE_CHUNK) {
        const chunk = codes.slice(i, i + DESIGNATE_CHUNK);
        const r = await api.call<{ outcomes: ({ village: string; workflowId: string } | { village: string; refused: string })[] }>('POST', '/api/designations', {
          villages: chunk,
          ...(opts.redesignate ? { redesignate: opts.redesignate } : {}),
        });
        if (progress) process.stderr.write('\r\x1b[K');
        for (const o of r.outcomes) {
          if ('refused' in o) refused.push(`--village: ${villageLabel(roster, o.village)}（${o.village}）：${o.refused.replace(/^[^：]*：/, '')}`);
          else out(`已认定：${villageLabel(roster, o.village)}（工作流 ${o.workflowId}）`);
        }
        done += chunk.length;
        if (progress) process.stderr.write(`认定进度：${done}/${codes.length}${done === codes.length ? '\n' : ''}`);
      }
      if (refused.length > 0) throw new ApiCallError(refused.join('\n错误：'), 3);
    });

  program
    .command('status')
    .description('show the state of one target')
    .argument('<village>', 'village code')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (village: string, opts: { json?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const v = await apiOf(config).call<VillageView>('GET', `/api/villages/${encodeURIComponent(village)}`);
      if (opts.json) return out(JSON.stringify(v, null, 2));
      printStatus(out, namesOf(config, opts.roster), v);
    });

  program
    .command('list')
    .description('list targets from the search attributes (with --failed or --delayed: townships and cases too)')
    .option('--township <code>', 'only this township')
    .addOption(new Option('--stage <stage>', 'only this stage').choices([...stages]))
    .option('--overdue', 'only targets with an overdue duty')
    .option('--failed', 'only those with failed deliveries')
    .option('--delayed', 'only those whose notices wait for the mail server')
    .option('--closed', 'include closed workflows')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (opts: { township?: string; stage?: string; overdue?: boolean; failed?: boolean; delayed?: boolean; closed?: boolean; json?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const roster = namesOf(config, opts.roster);
      if (opts.township && roster.townships.length > 0 && !roster.townships.some((t) => t.code === opts.township)) throw new UsageError(`--township: no township ${opts.township} in the roster`);
      const query: Record<string, string> = {};
      // Mail problems are an operator's concern on every kind of entity.
      if (!opts.failed && !opts.delayed) query.kind = 'village';
      if (opts.township) query.township = opts.township;
      if (opts.stage) query.stage = opts.stage;
      for (const k of ['overdue', 'failed', 'delayed', 'closed'] as const) if (opts[k]) query[k] = 'true';
      const items = await apiOf(config).call<ListItem[]>('GET', '/api/entities', undefined, { query });
      if (opts.json) return out(JSON.stringify(items, null, 2));
      for (const i of items) {
        const label = i.kind === 'village' && i.village ? `${villageLabel(roster, i.village)}　${i.village}` : i.kind === 'township' ? `${townshipName(roster, i.township)}　${i.township}` : `函询案件　${i.workflowId.replace(/^inquiry:/, '')}`;
        const stage = i.kind === 'village' && (stages as readonly string[]).includes(i.stage) ? stageLabels[i.stage as (typeof stages)[number]] : i.stage || '—';
        out([label, stage, nextDueText(i.nextDue), i.overdue ? '已逾期' : '未逾期', `通知失败 ${i.failedDeliveries}`, ...(i.deliveryDelayed ? ['通知待发'] : [])].join('　'));
      }
      out(query.kind ? `共${items.length}个整顿对象。` : `共${items.length}项。`);
    });
}
