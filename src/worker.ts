import path from 'node:path';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type Activities } from './activities';
import { createSmtpMailer } from './activities/mailer';
import { rosterFileSource } from './activities/roster-file';
import { openSentJournal } from './activities/sent-journal';
import { loadConfigOrExit, type Config } from './config';

// A directory: the bundler resolves its index with the .ts or .js extension, under tsx or compiled.
export const workflowsPath = path.join(__dirname, 'workflows');

export interface CreateWorkerOptions {
  readonly connection: NativeConnection;
  readonly config: Config;
  readonly activities: Activities;
  /** Tests pass a prebuilt bundle so that each test file bundles once. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function createWorker(o: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: o.config.temporal.taskQueue,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath }),
    activities: o.activities,
    // Notices go out as local activities (see the village workflow); both kinds share the bound.
    maxConcurrentActivityTaskExecutions: o.config.worker.maxConcurrentActivities,
    maxConcurrentLocalActivityExecutions: o.config.worker.maxConcurrentActivities,
  });
}

/**
 * Runs the worker until SIGINT or SIGTERM (the SDK's runtime handles both and lets running
 * activities finish), then releases the SMTP pool and the connection.
 */
export async function runWorker(config: Config): Promise<void> {
  if (config.worker.metricsBindAddress) {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.worker.metricsBindAddress } } } });
  }
  const roster = rosterFileSource(config.programme.rosterFile);
  roster.current(); // a wrong roster stops the worker at start, with every problem listed
  const connection = await NativeConnection.connect({ address: config.temporal.address }).catch((err: unknown) => {
    throw new Error(`Cannot connect to Temporal at ${config.temporal.address} (TEMPORAL_ADDRESS): ${(err as Error).message}`);
  });
  const mailer = createSmtpMailer(config.smtp);
  const journal = openSentJournal(config.smtp.sentJournalDir);
  try {
    const activities = createActivities({ mailer, roster, journal, baseUrl: config.programme.appBaseUrl });
    const worker = await createWorker({ connection, config, activities });
    console.log(
      `Worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}" at ${config.temporal.address}`,
    );
    await worker.run();
  } finally {
    mailer.close();
    await connection.close();
  }
}

if (require.main === module) {
  runWorker(loadConfigOrExit()).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
