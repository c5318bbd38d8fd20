/**
 * `npm run cli -- <command>`: the county's commands for designating targets and watching them.
 * What it prints is for officials, in Chinese; a wrong option names the option and changes nothing.
 *
 * The commands by group under ./cli/: targets, supervision (townships, cases, ledgers), admin
 * (calendar, policy), and the API's own commands (./cli-api.ts).
 */
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { useRunningDemo } from './demo';
import { projectRoot } from './infra/temporal-binaries';
import { RosterFileError } from './activities/roster-file';
import { CalendarFileError } from './activities/calendar-store';
import { addApiCommands, ApiCallError } from './cli-api';
import { RosterWorkbookError } from './documents/roster-workbook';
import { PolicyFileError } from './infra/policy-file';
import { UsageError, SimulateFailed, rosterOption } from './cli/common';
import { addTargetCommands } from './cli/targets';
import { addSupervisionCommands } from './cli/supervision';
import { addAdminCommands } from './cli/admin';

export function buildCli(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Command {
  const program = new Command('rect')
    .description('软弱涣散农村基层党组织整顿提升：认定整顿对象、查看工作流状态')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  addTargetCommands(program, out);
  addSupervisionCommands(program, out, rosterOption);
  addAdminCommands(program, out);
  addApiCommands(program, out);
  return program;
}

if (require.main === module) {
  // Beside `npm start -- --demo`, the demo's roster, as the workbench shows it.
  const demoNote = useRunningDemo(path.join(projectRoot, '.data', 'demo'));
  if (demoNote) process.stderr.write(`${demoNote}\n`);
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
