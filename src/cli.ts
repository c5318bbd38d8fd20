/**
 * `npm run cli -- <command>`: the county's commands for designating targets and watching them.
 * What it prints is for officials, in Chinese; a wrong option names the option and changes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Command, CommanderError, Option } from 'commander';
import { RosterFileError, readRosterFile } from './activities/roster-file';
import { docxToPdf } from './documents/pdf';
import { CalendarFileError, readCalendarFile } from './activities/calendar-store';
import { addApiCommands, ApiCallError, ApiClient } from './cli-api';
import type { Outcome } from './client/admin';
import { InvalidDesignationError, villageInputFromRoster } from './client/village';
import { loadConfigOrExit, type Config } from './config';
import type { InquiryView } from './contracts/inquiry';
import type { TownshipView } from './contracts/township';
import { stageLabels, stages, type VillageView } from './contracts/village';
import { isLocalDate, localDateOf, periodOf, phaseLabels } from './domain/calendar';
import type { Consequence } from './domain/consequences';
import { designationCandidates, flagDesignations, ratingHistoryText, type Candidate } from './domain/criteria';
import { consequencesWorkbook, targetLedgerWorkbook, type TargetLedgerRow } from './documents/ledger-workbook';
import { readRosterWorkbook, RosterWorkbookError, rosterWorkbook } from './documents/roster-workbook';
import { kindSpecs } from './domain/kinds';
import { basisText, deadlineOf, severityLabels, type Policy } from './domain/policy';
import { missingPosts, roleLabels, type Roster } from './domain/roster';
import { docNumberText, chinaTime, townshipName, villageLabel } from './domain/names';
import { currentPolicy, PolicyFileError, readPolicyFile } from './infra/policy-file';
import { projectRoot } from './infra/temporal-binaries';
import type { CalendarPublication, ListItem } from './service/service';

/** Bad input from the command line: exit code 2, nothing done. */
class UsageError extends Error {}

/** The API, as the logged-in person (`login`). */
function apiOf(config: Config): ApiClient {
  return new ApiClient(config.cli.apiUrl, config.cli.tokenFile);
}

/**
 * The roster for names in what is printed. A broken roster file does not stop a read: it is said
 * once, and codes stand in for names.
 */
function namesOf(config: Config, file?: string): Roster {
  try {
    return readRosterFile(file ?? config.programme.rosterFile);
  } catch (err) {
    if (!(err instanceof RosterFileError)) throw err;
    process.stderr.write(`注意：名册文件有误，姓名和名称暂以编码显示。${err.message.replace(/\n/g, ' ')}\n`);
    return { county: { code: '', name: '' }, townships: [], villages: [], people: [], designations: [] } as unknown as Roster;
  }
}

function nextDueText(iso: string | undefined): string {
  return iso ? `下一截止 ${localDateOf(Date.parse(iso) - 1)}` : '下一截止 —';
}

function personName(roster: Roster, id: string | undefined): string {
  if (!id) return '无';
  const p = roster.people.find((x) => x.id === id);
  return p ? `${p.name}（${id}）` : `${id}（名册中无此人）`;
}

function parseYear(v: string): number {
  if (!/^\d{4}$/.test(v)) throw new UsageError(`--year：应为四位年份，如2018（收到“${v}”）`);
  return Number(v);
}

/**
 * Villages the roster's yearly records suggest for designation (三(二), 三(六)): advice to the
 * department, which decides; nothing is designated by it.
 */
function printCandidates(out: (line: string) => void, roster: Roster, year?: number): void {
  const y = year ?? Number((roster.designations.map((d) => d.date).sort().at(-1) ?? localDateOf(Date.now())).slice(0, 4));
  const list: Candidate[] = designationCandidates(roster, y);
  if (list.length === 0) {
    out(`${y}年：名册的星级评定和发展党员记录未提示其他应列为整顿对象的村。`);
    return;
  }
  out(`${y}年可能应列为整顿对象的村（依名册的星级评定和发展党员记录提示，是否认定由县委组织部研究决定）：`);
  for (const c of list) out(`  ${villageLabel(roster, c.village)}（${c.village}）：${c.reasons.map((r) => `${r.text}（${r.clause}）`).join('；')}`);
}

function printStatus(out: (line: string) => void, roster: Roster, v: VillageView): void {
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
    for (const f of v.failedDeliveries) out(`  ${chinaTime(Date.parse(f.at))}　${f.obligationId}（${f.step}）　${f.recipients.join('、') || '无收件人'}：${f.error}`);
  }
  if (v.consequences.length > 0) {
    out('后果：');
    for (const c of v.consequences) out(`  ${c.from}${c.until ? `至${c.until}` : '起'}　${c.reason}（${c.clause}）`);
  }
  out('最近记录：');
  for (const h of v.history.slice(-10)) out(`  ${chinaTime(Date.parse(h.at))}　${h.text}${h.by ? `（${h.by}）` : ''}`);
}

class SimulateFailed extends Error {
  constructor(readonly code: number) {
    super(`simulate exited with ${code}`);
  }
}

export function buildCli(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Command {
  const program = new Command('rect')
    .description('软弱涣散农村基层党组织整顿提升：认定整顿对象、查看工作流状态')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  const rosterOption = (): Option => new Option('--roster <file>', 'roster file (default: ROSTER_FILE)');
  const rosterOf = (config: Config, file?: string): Roster => readRosterFile(file ?? config.programme.rosterFile);

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

  addSupervisionCommands(program, out, rosterOption);
  addAdminCommands(program, out);
  addApiCommands(program, out);
  return program;
}

function printTownship(out: (line: string) => void, roster: Roster, v: TownshipView): void {
  out(`${townshipName(roster, v.township)}（${v.township}）督促情况`);
  const targets = v.targets.map((t) => `${villageLabel(roster, t.village)}（${t.village}${t.withdrawnOn ? `，${t.withdrawnOn}撤销` : t.transformedOn ? `，${t.transformedOn}转化` : ''}）`);
  out(`整顿对象：${targets.join('、') || '无'}`);
  out('最近报送的半月进展：');
  if (v.reports.length === 0) out('  无');
  for (const r of v.reports.slice(-6)) out(`  ${r.periodLabel}　${chinaTime(Date.parse(r.receivedAt))}${r.late ? '　逾期报送' : ''}${r.amendments ? `　更正${r.amendments}次` : ''}（${r.reportedBy}）`);
  if (v.lapses.length > 0) out(`未按时报送：${v.lapses.map((l) => `${l.periodId}（${l.kind === 'missing' ? '未报送' : '逾期报送'}）`).join('、')}`);
  for (const p of v.proposals) {
    const d = p.decision;
    const decision = !d ? '待县委组织部决定' : d.decision === 'inquiry' ? `已决定函询（案号${d.caseId}）` : `不予函询：${d.note}`;
    out(`函询建议：${p.quarterLabel}，${p.lapses.length}次未按时报送，${decision}`);
  }
  for (const st of v.studies.slice(-4)) out(`季度专题研究：${st.quarter}（${st.heldOn}）${st.summary}`);
  out(`是否逾期：${v.overdue ? '是' : '否'}`);
  out('待办事项：');
  if (v.open.length === 0) out('  无');
  for (const o of v.open) out(`  ${o.dueDate}${o.provisional ? '（暂定）' : ''}${o.overdue ? '【已逾期】' : ''}　${o.title}（${o.periodLabel}）　依据${o.clause}`);
  if (v.failedDeliveryCount > 0) out(`未能送达的通知：${v.failedDeliveryCount}条`);
  out('最近记录：');
  for (const h of v.history.slice(-10)) out(`  ${chinaTime(Date.parse(h.at))}　${h.text}${h.by ? `（${h.by}）` : ''}`);
}

function printInquiry(out: (line: string) => void, roster: Roster, v: InquiryView): void {
  out(`${v.kind === 'talk' ? '约谈' : '函询'}案件 ${v.caseId}：${townshipName(roster, v.township)}`);
  out(`状态：${v.stageLabel}　发出：${v.issuedOn}（${personName(roster, v.issuedBy)}）`);
  if (v.docNumber) out(`文号：${docNumberText(roster.county, v.docNumber)}`);
  out(`对象：${v.recipients.map((id) => personName(roster, id)).join('、')}`);
  out(`事由：${v.reason}`);
  if (v.explanationDue) out(`书面说明截止：${v.explanationDue}`);
  if (v.explanation) out(`书面说明（${v.explanation.receivedOn}${v.explanation.onTime ? '' : '，逾期'}）：根源：${v.explanation.rootCause}；措施：${v.explanation.measures}；时限：${v.explanation.timeLimit}`);
  if (v.talk) {
    out(`约谈：${v.talk.why}`);
    if (v.talk.scheduled) out(`  时间：${v.talk.scheduled.at.replace('T', ' ')}　地点：${v.talk.scheduled.place}　约谈人：${personName(roster, v.talk.scheduled.conductor)}`);
    if (v.talk.held) out(`  ${v.talk.held.on}已约谈：${v.talk.held.outcome}`);
  }
  for (const c of v.consequences) out(`后果：${ledgerLine(roster, c)}`);
  out('最近记录：');
  for (const h of v.history.slice(-10)) out(`  ${chinaTime(Date.parse(h.at))}　${h.text}${h.by ? `（${h.by}）` : ''}`);
}

function ledgerLine(roster: Roster, c: Consequence): string {
  const who =
    c.subject.type === 'person'
      ? personName(roster, c.subject.id)
      : c.subject.type === 'department'
        ? `${roster.departments.find((d) => d.code === (c.subject as { code: string }).code)?.name ?? c.subject.code}主要领导`
        : villageLabel(roster, c.subject.code);
  return `${who}　${c.from}${c.until ? `至${c.until}` : '起'}　${c.reason}　依据${c.clause}　案件 ${c.cause}`;
}

/** Township reports, inquiry cases and the consequences ledger (六(三), 六(四), 六(五)). */
function addSupervisionCommands(program: Command, out: (line: string) => void, rosterOption: () => Option): void {
  program
    .command('township')
    .description("show a township's reports, lapses, proposals and duties")
    .argument('<township>', 'township code')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (code: string, opts: { json?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const v = await apiOf(config).call<TownshipView>('GET', `/api/townships/${encodeURIComponent(code)}`);
      if (opts.json) return out(JSON.stringify(v, null, 2));
      printTownship(out, namesOf(config, opts.roster), v);
    });

  program
    .command('townships')
    .description('list the townships under supervision from the search attributes')
    .option('--proposals', 'only townships with a proposal awaiting the department')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (opts: { proposals?: boolean; json?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const query: Record<string, string> = { kind: 'township', ...(opts.proposals ? { stage: 'proposal-pending' } : {}) };
      const items = await apiOf(config).call<ListItem[]>('GET', '/api/entities', undefined, { query });
      if (opts.json) return out(JSON.stringify(items, null, 2));
      const roster = namesOf(config, opts.roster);
      for (const i of items) {
        out([townshipName(roster, i.township), i.township, i.stage === 'proposal-pending' ? '函询建议待决定' : '督促中', nextDueText(i.nextDue), i.overdue ? '已逾期' : '未逾期', `通知失败 ${i.failedDeliveries}`].join('　'));
      }
      out(`共${items.length}个乡镇。`);
    });

  program
    .command('report')
    .description('submit a half-monthly progress report (六(三)) from a JSON or YAML file, as the logged-in person; --template prints one to fill in')
    .argument('<township>', 'township code')
    .option('--file <file>', 'the report: period, amendment, entries[]')
    .option('--template', 'print a report of the current half month to fill in')
    .addOption(rosterOption())
    .action(async (code: string, opts: { file?: string; template?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const api = apiOf(config);
      if (opts.template) {
        const v = await api.call<TownshipView>('GET', `/api/townships/${encodeURIComponent(code)}`);
        for (const line of reportTemplate(namesOf(config, opts.roster), v, localDateOf(Date.now()))) out(line);
        return;
      }
      if (!opts.file) throw new UsageError('give --file <report.yaml>, or --template to print one');
      let report: unknown;
      try {
        report = parseYaml(readFileSync(opts.file, 'utf8'));
      } catch (err) {
        throw new UsageError(`--file: ${opts.file}: ${(err as Error).message}`);
      }
      const view = await api.call<TownshipView>('POST', `/api/townships/${encodeURIComponent(code)}/reports`, report);
      const last = view.history.at(-1);
      out(`已报送：${townshipName(namesOf(config, opts.roster), code)}${last ? `，${last.text}` : ''}`);
    });

  const inquiry = program.command('inquiry').description('inquiry letters and talks (六(四))');
  inquiry
    .command('issue')
    .description('issue an inquiry letter (or order a talk) to a township party secretary and organization officer, as the logged-in member of the department')
    .requiredOption('--township <code>', 'township code')
    .requiredOption('--reason <text>', 'what the letter asks about')
    .option('--talk', 'order a talk directly instead of a letter')
    .option('--proposal <quarter>', "answering the township's proposal for this quarter, e.g. 2019-Q1")
    .option('--case <id>', 'case id (default: township, quarter or date, kind)')
    .addOption(rosterOption())
    .action(async (opts: { township: string; reason: string; talk?: boolean; proposal?: string; case?: string; roster?: string }) => {
      const config = loadConfigOrExit();
      const api = apiOf(config);
      const issued = await api.call<{ workflowId: string }>('POST', '/api/cases', {
        township: opts.township,
        reason: opts.reason,
        kind: opts.talk ? 'talk' : 'inquiry',
        ...(opts.proposal ? { proposalQuarter: opts.proposal } : {}),
        ...(opts.case ? { caseId: opts.case } : {}),
      });
      const caseId = issued.workflowId.replace(/^inquiry:/, '');
      printInquiry(out, namesOf(config, opts.roster), await api.call<InquiryView>('GET', `/api/cases/${encodeURIComponent(caseId)}`));
    });
  inquiry
    .command('status')
    .description('show an inquiry case')
    .argument('<case>', 'case id')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (caseId: string, opts: { json?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const v = await apiOf(config).call<InquiryView>('GET', `/api/cases/${encodeURIComponent(caseId)}`);
      if (opts.json) return out(JSON.stringify(v, null, 2));
      printInquiry(out, namesOf(config, opts.roster), v);
    });
  inquiry
    .command('letter')
    .description('write the letter of a case as a printable Word document (.docx), or as PDF (.pdf, with LibreOffice)')
    .argument('<case>', 'case id')
    .requiredOption('--out <file>', 'where to write the .docx or .pdf')
    .action(async (caseId: string, opts: { out: string }) => {
      const config = loadConfigOrExit();
      // The document the API renders from the case itself: the same as the one mailed, under the same 文号.
      const { filename, content } = await apiOf(config).download(`/api/cases/${encodeURIComponent(caseId)}/letter.docx`);
      writeFileSync(opts.out, /\.pdf$/i.test(opts.out) ? await docxToPdf(content) : content);
      out(`已生成：${filename.replace(/（[^（]*）\.docx$/, '')}（${opts.out}）`);
    });
  inquiry
    .command('list')
    .description('list inquiry cases')
    .option('--township <code>', 'only this township')
    .option('--closed', 'include closed cases')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (opts: { township?: string; closed?: boolean; json?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const query: Record<string, string> = { kind: 'case', ...(opts.township ? { township: opts.township } : {}), ...(opts.closed ? { closed: 'true' } : {}) };
      const items = await apiOf(config).call<ListItem[]>('GET', '/api/entities', undefined, { query });
      if (opts.json) return out(JSON.stringify(items, null, 2));
      const roster = namesOf(config, opts.roster);
      for (const i of items) out(`${i.workflowId.replace(/^inquiry:/, '')}　${townshipName(roster, i.township)}　${i.stage}　${chinaTime(Date.parse(i.startedAt))}`);
      out(`共${items.length}件。`);
    });

  const ledger = program.command('ledger').description('the ledgers (台账): targets, consequences, award ineligibility, promotion blocks');
  ledger
    .command('awards')
    .description('who may not be put forward for awards in a year (六(四))')
    .requiredOption('--year <year>', 'calendar year')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (opts: { year: string; json?: boolean; roster?: string }) => {
      if (!/^\d{4}$/.test(opts.year)) throw new UsageError(`--year: ${opts.year} is not a year`);
      const config = loadConfigOrExit();
      const list = await apiOf(config).call<Consequence[]>('GET', `/api/ledger/awards/${opts.year}`);
      if (opts.json) return out(JSON.stringify(list, null, 2));
      const roster = namesOf(config, opts.roster);
      for (const c of list) out(ledgerLine(roster, c));
      out(`${opts.year}年度不得评先选优：共${list.length}条。`);
    });
  ledger
    .command('targets')
    .description('the ledger of targets (台账): one row per target; as an Excel workbook with --out')
    .option('--out <file>', 'write it as an Excel workbook (.xlsx)')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (opts: { out?: string; json?: boolean; roster?: string }) => {
      const config = loadConfigOrExit();
      const rows = await apiOf(config).call<TargetLedgerRow[]>('GET', '/api/ledger/targets');
      if (opts.json) return out(JSON.stringify(rows, null, 2));
      if (opts.out) {
        writeFileSync(opts.out, await targetLedgerWorkbook(rows, namesOf(config, opts.roster).county.name));
        return out(`已生成整顿对象台账：共${rows.length}个整顿对象（${opts.out}）`);
      }
      for (const r of rows) out(`${r.townshipName}${r.villageName}　认定${r.designatedOn}　${r.stage}　方案${r.planStatus}　未完成${r.openDuties}项（逾期${r.overdueDuties}项）`);
      out(`共${rows.length}个整顿对象。`);
    });
  ledger
    .command('consequences')
    .description('every consequence in force during a year; as an Excel workbook with --out')
    .requiredOption('--year <year>', 'calendar year')
    .option('--out <file>', 'write it as an Excel workbook (.xlsx)')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (opts: { year: string; out?: string; json?: boolean; roster?: string }) => {
      if (!/^\d{4}$/.test(opts.year)) throw new UsageError(`--year: ${opts.year} is not a year`);
      const config = loadConfigOrExit();
      const list = await apiOf(config).call<Consequence[]>('GET', `/api/ledger/consequences/${opts.year}`);
      if (opts.json) return out(JSON.stringify(list, null, 2));
      const roster = namesOf(config, opts.roster);
      if (opts.out) {
        writeFileSync(opts.out, await consequencesWorkbook(Number(opts.year), list, roster));
        return out(`已生成${opts.year}年度后果台账：共${list.length}条（${opts.out}）`);
      }
      for (const c of list) out(ledgerLine(roster, c));
      out(`${opts.year}年度后果台账：共${list.length}条。`);
    });
  ledger
    .command('promotion')
    .description('who may not be promoted on a date (六(五), 五(四))')
    .requiredOption('--date <date>', 'YYYY-MM-DD')
    .option('--json', 'print JSON')
    .addOption(rosterOption())
    .action(async (opts: { date: string; json?: boolean; roster?: string }) => {
      if (!isLocalDate(opts.date)) throw new UsageError(`--date: ${opts.date} is not a date like 2020-06-01`);
      const config = loadConfigOrExit();
      const list = await apiOf(config).call<Consequence[]>('GET', `/api/ledger/promotion/${opts.date}`);
      if (opts.json) return out(JSON.stringify(list, null, 2));
      const roster = namesOf(config, opts.roster);
      for (const c of list) out(ledgerLine(roster, c));
      out(`${opts.date}不得提拔使用：共${list.length}条。`);
    });
}

/** A half-monthly report of the current half month to fill in: one entry per target under rectification. */
export function reportTemplate(roster: Roster, v: TownshipView, today: string): string[] {
  const period = periodOf('half-month', today);
  const lines = [
    `# ${townshipName(roster, v.township)}${period.label}整顿工作进展（六(三) 每半月上报）`,
    `# 填写后报送：npm run cli -- report ${v.township} --file 本文件（报送人为登录的本人）`,
    `period: ${period.id}`,
    'amendment: false   # 更正已报送的进展时改为 true',
    'entries:',
  ];
  for (const t of v.targets.filter((x) => !x.withdrawnOn && !x.transformedOn)) {
    lines.push(`  - village: ${t.village}   # ${villageLabel(roster, t.village)}`);
    lines.push('    progress: ""      # 工作进展（必填）');
    lines.push('    problems: ""      # 存在问题');
    lines.push('    nextSteps: ""     # 下步打算');
    lines.push('    duties: []        # 本期完成的事项，如 - { kind: first-secretary-visit, date: 2026-11-10 }');
  }
  return lines;
}

function printOutcome(out: (line: string) => void, o: Outcome, did: string): void {
  out(`${did}：${o.done.length}个工作流。`);
  if (o.failed.length > 0) {
    out(`未能送达${o.failed.length}个工作流（可再次执行本命令）：`);
    for (const f of o.failed) out(`  ${f.workflowId}：${f.error}`);
  }
}

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
  const sv = p.supervision;
  lines.push(`建议发函询问：一个季度内${sv.lapsesPerQuarter.value}次未按时上报（${basisText(sv.lapsesPerQuarter.basis)}）`);
  lines.push(`书面说明期限：${sv.explanationWorkingDays.value}个工作日（${basisText(sv.explanationWorkingDays.basis)}）`);
  lines.push(`逾期未作书面说明：${sv.talkAfterMissedExplanation.value ? '自动转为约谈' : '由县委组织部决定是否约谈'}（${basisText(sv.talkAfterMissedExplanation.basis)}）`);
  lines.push(`审核书面说明：${sv.reviewWorkingDays.value}个工作日内（${basisText(sv.reviewWorkingDays.basis)}）`);
  lines.push(`约谈：${sv.talkWorkingDays.value}个工作日内进行（${basisText(sv.talkWorkingDays.basis)}）`);
  return lines;
}

/** A roster that leaves a post the ladders need empty is refused, each post and place named (exit 2). */
function refuseMissingPosts(roster: Roster, file: string): void {
  const missing = missingPosts(roster);
  if (missing.length) throw new RosterFileError(missing.map((m) => ({ file, ...m })));
}

function addAdminCommands(program: Command, out: (line: string) => void): void {
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

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .then(
      () => process.exit(0),
      (err: unknown) => {
        if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
        if (err instanceof ApiCallError) {
          process.stderr.write(`错误：${err.message}\n`);
          process.exit(err.exitCode);
        }
        if (err instanceof SimulateFailed) process.exit(err.code);
        if (err instanceof UsageError) {
          process.stderr.write(`错误：${err.message}\n`);
          process.exit(2);
        }
        if (err instanceof RosterFileError || err instanceof RosterWorkbookError || err instanceof CalendarFileError || err instanceof PolicyFileError) {
          process.stderr.write(`${err.message}\n`);
          process.exit(2);
        }
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(1);
      },
    );
}
