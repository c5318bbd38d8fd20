/**
 * `npm run simulate -- --scenario FILE --out DIR`: plays a scenario forward on the product's own
 * workflows and writes timeline.jsonl, summary.json and report.html to DIR.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { BinaryNotFoundError } from '../src/infra/temporal-binaries';
import { simulate, type Progress } from './engine';
import { renderReport } from './report';
import { readScenario, ScenarioError } from './scenario';
import { summarize } from './summary';

function progressLine(p: Progress): string {
  const total = Math.max(1, Date.parse(p.end) - Date.parse(p.start));
  const done = (Date.parse(p.day) - Date.parse(p.start)) / total;
  const width = 24;
  const bar = '█'.repeat(Math.round(done * width)).padEnd(width, '░');
  return `${bar} 模拟日期 ${p.day} ｜ 邮件 ${p.mail} 封 ｜ 用时 ${Math.round(p.elapsedMs / 1000)} 秒`;
}

export async function runSimulation(scenarioFile: string, out: string): Promise<void> {
  const scenario = readScenario(scenarioFile);
  const tty = process.stderr.isTTY;
  let lastMonth = '';
  const result = await simulate(scenario, {
    onProgress: (p) => {
      if (tty) process.stderr.write(`\r${progressLine(p)}`);
      else if (p.day.slice(0, 7) !== lastMonth || p.day === p.end) {
        lastMonth = p.day.slice(0, 7);
        process.stderr.write(`${progressLine(p)}\n`);
      }
    },
  });
  if (tty) process.stderr.write('\n');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'timeline.jsonl'), result.timeline.map((e) => JSON.stringify(e)).join('\n') + (result.timeline.length ? '\n' : ''));
  const summary = summarize(result);
  writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(out, 'report.html'), renderReport(result, summary));
  console.log(`模拟完成：${scenario.name}，${result.start}至${result.end}，邮件${summary.mail.total}封，用时${summary.wallSeconds}秒`);
  console.log(`输出：${path.join(out, 'timeline.jsonl')}、summary.json、report.html`);
  if (summary.problems.length) console.log(`有${summary.problems.length}项模拟操作未被系统接受，见summary.json的problems`);
}

if (require.main === module) {
  const program = new Command()
    .name('simulate')
    .description('在时间跳跃的Temporal服务器上按场景模拟整顿工作全过程')
    .requiredOption('--scenario <file>', '场景文件（YAML或JSON）')
    .requiredOption('--out <dir>', '输出目录')
    .action(async (o: { scenario: string; out: string }) => runSimulation(o.scenario, o.out));
  program.parseAsync().then(
    () => process.exit(0),
    (err: unknown) => {
      if (err instanceof ScenarioError) {
        console.error(err.message);
        process.exit(2);
      }
      console.error(err instanceof BinaryNotFoundError ? err.message : `模拟失败：${(err as Error).stack ?? String(err)}`);
      process.exit(1);
    },
  );
}
