/**
 * The county at work for `npm start -- --demo`: the demo roster's county (designated last autumn)
 * is played forward on the time-skipping server with the officials of `scenarios/source-county.yaml`
 * (most duties done on time, some late, a few missed), from its designations to yesterday evening;
 * then every workflow still running is started where it stands on the server given (the dev
 * server), as continue-as-new would start it, and carries on there in real time: the next mail is
 * this morning's.
 *
 *   tsx simulate/demo.ts --roster FILE --address HOST:PORT [--namespace default] [--task-queue rectification]
 */
import path from 'node:path';
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Command } from 'commander';
import { readRosterFile } from '../src/activities/roster-file';
import { addDays, localDateOf } from '../src/domain/calendar';
import { simulate, type HandedOver } from './engine';
import { readScenario } from './scenario';

const SCENARIO = path.resolve(__dirname, '../scenarios/source-county.yaml');

/** Plays the county of `rosterFile` from its first designation to yesterday; what is running then. */
export async function playDemo(rosterFile: string, onDay?: (day: string) => void): Promise<{ start: string; end: string; handover: readonly HandedOver[]; problems: readonly string[] }> {
  const roster = readRosterFile(rosterFile);
  const start = roster.designations.map((d) => d.date).sort()[0];
  if (!start) throw new Error(`名册${rosterFile}中没有认定的整顿对象`);
  const end = addDays(localDateOf(Date.now()), -1);
  const scenario = { ...readScenario(SCENARIO), roster: path.resolve(rosterFile), start, end };
  const result = await simulate(scenario, { handover: true, ...(onDay ? { onProgress: (p) => onDay(p.day) } : {}) });
  return { start, end, handover: result.handover ?? [], problems: result.problems };
}

/** Starts each workflow handed over on `client`'s server; one already there is left as it is. */
export async function startHandedOver(client: Client, taskQueue: string, handover: readonly HandedOver[]): Promise<number> {
  let started = 0;
  for (const h of handover) {
    try {
      await client.workflow.start(h.workflowType, { workflowId: h.workflowId, taskQueue, args: [...h.args] });
      started++;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return started;
}

if (require.main === module) {
  const program = new Command()
    .name('demo')
    .requiredOption('--roster <file>', 'the demo roster')
    .requiredOption('--address <host:port>', 'the Temporal server that takes over')
    .option('--namespace <ns>', 'its namespace', 'default')
    .option('--task-queue <queue>', 'the worker’s task queue', 'rectification')
    .action(async (o: { roster: string; address: string; namespace: string; taskQueue: string }) => {
      let month = '';
      const played = await playDemo(o.roster, (day) => {
        if (day.slice(0, 7) === month) return;
        month = day.slice(0, 7);
        process.stdout.write(`演示：模拟至${month}……\n`);
      });
      const connection = await Connection.connect({ address: o.address });
      try {
        const n = await startHandedOver(new Client({ connection, namespace: o.namespace }), o.taskQueue, played.handover);
        console.log(`演示：已模拟${played.start}至${played.end}的整顿工作（县乡村各岗位按场景办理，少数逾期或未办），${n}个工作流转入开发服务器，按真实时间继续运行。`);
        if (played.problems.length) console.log(`演示：模拟中有${played.problems.length}项操作未被系统接受（不影响演示）。`);
      } finally {
        await connection.close();
      }
    });
  program.parseAsync().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`演示模拟失败：${(err as Error).message}`);
      process.exit(1);
    },
  );
}
