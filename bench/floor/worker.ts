/**
 * The floor's worker as its own process, configured as the product's worker is (the same cache of
 * workflows and bound on activities, the default reused V8 context): `bench/province.ts` measures
 * the floor's designation and catch-up against it. Environment: TEMPORAL_ADDRESS,
 * TEMPORAL_TASK_QUEUE.
 */
import path from 'node:path';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: path.join(__dirname, 'workflows.ts'),
    activities: { touch: async (i: number) => i },
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentLocalActivityExecutions: config.worker.maxConcurrentActivities,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
  });
  process.on('SIGTERM', () => worker.shutdown());
  process.stdout.write(`Worker polling task queue ${config.temporal.taskQueue}\n`);
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
