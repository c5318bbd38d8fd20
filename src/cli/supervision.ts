/** The CLI's commands for townships, inquiry cases (六(四)) and the ledgers. */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type Command, type Option } from 'commander';
import { docxToPdf } from '../documents/pdf';
import { loadConfigOrExit } from '../config';
import { caseStageLabels, type InquiryView } from '../contracts/inquiry';
import type { TownshipView } from '../contracts/township';
import { isLocalDate, localDateOf, periodOf } from '../domain/calendar';
import type { Consequence } from '../domain/consequences';
import { consequencesWorkbook, targetLedgerWorkbook, type TargetLedgerRow } from '../documents/ledger-workbook';
import type { Roster } from '../domain/roster';
import { docNumberText, chinaTime, historyLine, townshipName, villageLabel } from '../domain/names';
import type { ListItem } from '../service/service';
import { UsageError, apiOf, namesOf, nextDueText, personName } from './common';

export function printTownship(out: (line: string) => void, roster: Roster, v: TownshipView): void {
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
  for (const h of v.history.slice(-10)) out(`  ${historyLine(roster, h)}`);
}

export function printInquiry(out: (line: string) => void, roster: Roster, v: InquiryView): void {
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
  for (const h of v.history.slice(-10)) out(`  ${historyLine(roster, h)}`);
}

export function ledgerLine(roster: Roster, c: Consequence): string {
  const who =
    c.subject.type === 'person'
      ? personName(roster, c.subject.id)
      : c.subject.type === 'department'
        ? `${roster.departments.find((d) => d.code === (c.subject as { code: string }).code)?.name ?? c.subject.code}主要领导`
        : villageLabel(roster, c.subject.code);
  return `${who}　${c.from}${c.until ? `至${c.until}` : '起'}　${c.reason}　依据${c.clause}　案件 ${c.cause}`;
}

/** Township reports, inquiry cases and the consequences ledger (六(三), 六(四), 六(五)). */
export function addSupervisionCommands(program: Command, out: (line: string) => void, rosterOption: () => Option): void {
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
    .description(
      "submit a township's half-monthly progress report (六(三)) from a JSON or YAML file, as the logged-in person (--template prints one to fill in); " +
        "or, as `report figures`, write the department's quarterly report (情况报告, 送审稿) as .docx or .pdf",
    )
    .argument('<township>', 'township code; or "figures" for the quarterly report')
    .option('--file <file>', 'the report: period, amendment, entries[]')
    .option('--template', 'print a report of the current half month to fill in')
    .option('--quarter <quarter>', 'report figures: the quarter, e.g. 2019-Q2 (default: the quarter before today)')
    .option('--out <file>', 'report figures: where to write the .docx or .pdf')
    .addOption(rosterOption())
    .action(async (code: string, opts: { file?: string; template?: boolean; quarter?: string; out?: string; roster?: string }) => {
      const config = loadConfigOrExit();
      const api = apiOf(config);
      if (code === 'figures') {
        if (!opts.out) throw new UsageError('give --out <file.docx or file.pdf> for the quarterly report');
        if (opts.quarter !== undefined && !/^\d{4}-Q[1-4]$/.test(opts.quarter)) throw new UsageError(`--quarter: ${opts.quarter} is not a quarter (e.g. 2019-Q2)`);
        const { filename, content } = await api.download(`/api/figures/report.docx${opts.quarter ? `?quarter=${opts.quarter}` : ''}`);
        writeFileSync(opts.out, /\.pdf$/i.test(opts.out) ? await docxToPdf(content) : content);
        return out(`已生成：${filename.replace(/\.docx$/, '')}（${opts.out}）`);
      }
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
      for (const i of items) out(`${i.workflowId.replace(/^inquiry:/, '')}　${townshipName(roster, i.township)}　${(caseStageLabels as Record<string, string>)[i.stage] ?? i.stage}　${chinaTime(Date.parse(i.startedAt))}（北京时间）`);
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
