import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createActivities, type Activities } from './activities';
import { calendarStore } from './activities/calendar-store';
import { createSmtpMailer } from './activities/mailer';
import { rosterFileSource } from './activities/roster-file';
import { missingPosts } from './domain/roster';
import { meterMailMetrics } from './activities/mail-metrics';
import { openSentJournal, type SentJournal } from './activities/sent-journal';
import { loadConfigOrExit, type Config } from './config';
import { docxToPdf, findSoffice } from './documents/pdf';
import { rosterInvalidGauge, watchOverdue } from './infra/overdue-metrics';
import { openPgSentJournal } from './activities/pg-sent-journal';
import { fileDocumentStore } from './infra/document-store';
import { connectionOptions } from './infra/temporal-connection';
import { onStopSignal } from './infra/stop-signals';
import { workflowBundlerOptions, workflowsPath } from './workflow-bundle';


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
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath, bundlerOptions: workflowBundlerOptions }),
    activities: o.activities,
    // Notices go out as local activities (see the village workflow); both kinds share the bound.
    maxConcurrentActivityTaskExecutions: o.config.worker.maxConcurrentActivities,
    maxConcurrentLocalActivityExecutions: o.config.worker.maxConcurrentActivities,
    maxCachedWorkflows: o.config.worker.maxCachedWorkflows,
  });
}

/** PostgreSQL when DATABASE_URL is set (several worker hosts share it), else files on this host. */
export async function openJournal(config: Config): Promise<SentJournal> {
  const { databaseUrl, sentJournalDir, sentJournalRetentionDays } = config.smtp;
  if (!databaseUrl) return openSentJournal(sentJournalDir, sentJournalRetentionDays);
  return openPgSentJournal(databaseUrl, { retentionDays: sentJournalRetentionDays }).catch((err: unknown) => {
    throw new Error(`Cannot open the sent journal in PostgreSQL (DATABASE_URL): ${(err as Error).message}`);
  });
}

/**
 * Runs the worker until `signal` aborts (running activities finish first), then releases the
 * SMTP pool and the connection.
 */
export async function runWorker(config: Config, signal: AbortSignal): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger(config.worker.logLevel),
    // Signals are ours to handle (see onStopSignal).
    shutdownSignals: [],
    ...(config.worker.metricsBindAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.worker.metricsBindAddress } } } }
      : {}),
  });
  // A wrong roster stops the worker at start, with every problem listed; one edited into a wrong
  // state later leaves the last valid one in use, and the operators are told (log, metrics, 运维).
  const meter = Runtime.instance().metricMeter;
  const rosterInvalid = rosterInvalidGauge(meter);
  const roster = rosterFileSource(config.programme.rosterFile, (problem) => {
    if (problem) console.error(`${problem.message}\n仍按上次有效的名册发送通知。`);
    else console.error('名册文件已修正，按新名册发送通知。');
    rosterInvalid(problem !== undefined);
  }, { watch: true });
  // Posts the ladders need that the roster leaves empty: said at start (roster-check refuses such a roster).
  for (const m of missingPosts(roster.current())) console.error(`名册缺少职务：${m.message}`);
  const connection = await NativeConnection.connect(connectionOptions(config)).catch((err: unknown) => {
    throw new Error(`Cannot connect to Temporal at ${config.temporal.address} (TEMPORAL_ADDRESS): ${(err as Error).message}`);
  });
  const soffice = config.smtp.letterPdf ? findSoffice() : undefined;
  if (config.smtp.letterPdf && !soffice) throw new Error('LETTER_PDF=true needs LibreOffice (soffice), which is not installed (Debian: apt-get install libreoffice-writer-nogui)');
  const mailer = createSmtpMailer(config.smtp);
  const journal = await openJournal(config);
  // The urging digest asks the county's workflows for their overdue duties through a client of its own.
  const clientConnection = await Connection.connect(connectionOptions(config));
  const temporal = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const gauges = config.worker.metricsBindAddress ? watchOverdue(temporal, meter, config.worker.overdueMetricsIntervalMs) : undefined;
  try {
    const activities = createActivities({
      mailer,
      roster,
      journal,
      baseUrl: config.programme.appBaseUrl,
      calendar: calendarStore(config.programme.calendarDir),
      documents: fileDocumentStore(config.programme.documentDir, { keepFailed: (key, err) => console.warn(`文书未能保存（${key}）：${err.message}；邮件照常发出，下载时将重新生成。`) }),
      temporal,
      metrics: meterMailMetrics(meter),
      ...(soffice ? { letterPdf: (docx: Uint8Array) => docxToPdf(docx, soffice) } : {}),
    });
    const worker = await createWorker({ connection, config, activities });
    console.log(
      `Worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}" at ${config.temporal.address}; sent journal: ${journal.description}`,
    );
    // Stopped while the bundle was being built: the worker still holds the connection until it has
    // run and shut down, so it runs for no time rather than being left behind.
    if (signal.aborted) return await worker.runUntil(Promise.resolve());
    signal.addEventListener('abort', () => worker.getState() === 'RUNNING' && worker.shutdown(), { once: true });
    await worker.run();
  } finally {
    gauges?.stop();
    mailer.close();
    await journal.close();
    await clientConnection.close();
    await connection.close();
  }
}

if (require.main === module) {
  const controller = new AbortController();
  onStopSignal(() => controller.abort());
  runWorker(loadConfigOrExit(), controller.signal).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
