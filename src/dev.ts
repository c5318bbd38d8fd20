/**
 * `npm start`: the product on its embedded defaults. Starts the Temporal dev server (persistent
 * SQLite file under .data/, the project's search attributes registered, UI on 8233) and a local
 * SMTP sink that keeps every mail under .data/mail, then runs the API and the worker until Ctrl-C.
 * TEMPORAL_ADDRESS or SMTP_HOST, when set, point at existing servers instead.
 *
 * `npm start -- --demo`: the roster's targets designated last autumn (every date of the roster
 * moved by whole years, src/demo.ts), the county played to yesterday on the time-skipping server
 * and handed over to the dev server on the first start (simulate/demo.ts), with state of its own
 * under .data/demo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { designateTarget } from './client/supervision';
import { readRosterFile } from './activities/roster-file';
import { stateQuery, villageWorkflowId } from './contracts/village';
import { demoRoster, markDemoRunning } from './demo';
import { currentPolicy } from './infra/policy-file';
import { severityLabels } from './domain/policy';
import { isLoopback, startApi, type RunningApi } from './api/main';
import { loadConfigOrExit } from './config';
import { SmtpSink } from './infra/smtp-sink';
import { projectRoot, requireBinary, BinaryNotFoundError } from './infra/temporal-binaries';
import { cliSearchAttribute, searchAttributeKeys } from './search-attributes';
import { runWorker } from './worker';
import { onStopSignal } from './infra/stop-signals';

const demo = process.argv.includes('--demo');
const dataDir = path.join(projectRoot, '.data', ...(demo ? ['demo'] : []));
const UI_PORT = 8233;

function startDevServer(address: string, namespace: string): ChildProcess {
  const cli = requireBinary('cli');
  const port = address.slice(address.lastIndexOf(':') + 1);
  mkdirSync(dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--db-filename', path.join(dataDir, 'temporal.sqlite'),
    '--port', port,
    '--ui-port', String(UI_PORT),
    '--ui-disable-news-fetch',
    '--log-level', 'error',
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    ...(namespace === 'default' ? [] : ['--namespace', namespace]),
    ...searchAttributeKeys.map(cliSearchAttribute).flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
  ];
  // Its own process group: Ctrl-C reaches the worker first, and the server is stopped after it.
  const child = spawn(cli.path, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  process.on('exit', () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  return child;
}

async function waitForServer(address: string, child: ChildProcess | undefined, stop: AbortSignal, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!stop.aborted) {
    if (child && child.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} did not answer within ${timeoutMs / 1000} s: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function mailDate(headers: ReadonlyMap<string, unknown>): string {
  const d = headers.get('date');
  return d instanceof Date ? d.toISOString() : new Date().toISOString();
}

/** The demo's roster file: the configured roster with its dates moved to last autumn. */
function prepareDemo(): { file: string; years: number; targets: number } {
  // Designated last autumn: the county is in its first year of rectification (simulate/demo.ts plays it to yesterday).
  const { roster, years } = demoRoster(loadConfigOrExit().programme.rosterFile, Date.now(), 1);
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'roster.json');
  writeFileSync(file, `${JSON.stringify(roster, null, 2)}\n`);
  return { file, years, targets: roster.designations.length };
}

/**
 * Plays the demo county from its designations (last autumn) to yesterday on the time-skipping
 * server and hands its workflows over to the dev server (simulate/demo.ts, a child process: the
 * simulation is not part of the product). True when it did.
 */
async function playDemo(config: ReturnType<typeof loadConfigOrExit>, stop: AbortSignal): Promise<boolean> {
  const tsx = ['--import', 'tsx'];
  const run = (args: string[]): Promise<number> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [...tsx, ...args], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
      const kill = (): boolean => child.kill('SIGTERM');
      stop.addEventListener('abort', kill, { once: true });
      child.once('exit', (code) => {
        stop.removeEventListener('abort', kill);
        resolve(code ?? 1);
      });
    });
  // The time-skipping server starts at a past date with libfaketime (installed as `npm run simulate` does).
  if ((await run([path.join(projectRoot, 'scripts/setup-temporal.ts'), '--simulate'])) !== 0 || stop.aborted) return false;
  console.log('演示：在时间跳跃服务器上模拟自认定以来的整顿工作，约需一两分钟……');
  const args = ['--roster', config.programme.rosterFile, '--address', config.temporal.address, '--namespace', config.temporal.namespace, '--task-queue', config.temporal.taskQueue];
  return (await run([path.join(projectRoot, 'simulate/demo.ts'), ...args])) === 0;
}

/**
 * The demo county at work: on the first start, played to yesterday and handed over (or, when that
 * cannot run, designated today); on later starts, as it stands. Says when the next notice is due,
 * from the targets' own views once the worker answers.
 */
async function startDemo(config: ReturnType<typeof loadConfigOrExit>, stop: AbortSignal): Promise<void> {
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const roster = readRosterFile(config.programme.rosterFile);
    const first = roster.designations[0];
    const there = first ? await client.workflow.getHandle(villageWorkflowId(first.village)).describe().then(() => true, () => false) : true;
    if (!there && !(await playDemo(config, stop))) {
      if (stop.aborted) return;
      console.log('演示：未能模拟（见上），改为今天认定各整顿对象：县里处于整顿周期之初。');
      const policy = currentPolicy(config.programme.policyFile);
      for (const d of roster.designations) await designateTarget(client, config.temporal.taskQueue, roster, d.village, { policy });
    }
    const dates = [...new Set(roster.designations.map((d) => d.date))].sort();
    console.log(`演示：${roster.designations.length}个整顿对象（认定日期${dates[0]}至${dates.at(-1)}）。`);
    let next: { at: string; what: string } | undefined;
    for (const d of roster.designations) {
      if (stop.aborted) return;
      const view = await client.workflow
        .getHandle(villageWorkflowId(d.village))
        .query(stateQuery)
        .catch(() => undefined);
      for (const o of [...(view?.open ?? []), ...(view?.upcoming ?? [])]) {
        if (o.nextStep && (!next || o.nextStep.at < next.at)) next = { at: o.nextStep.at, what: `${severityLabels[o.nextStep.severity]}，${d.village}：${o.title}` };
      }
    }
    if (next) console.log(`下一封通知：${new Date(Date.parse(next.at) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间），${next.what}。全过程可用 npm run simulate 预演。`);
  } finally {
    await connection.close();
  }
}

let unmarkDemo: (() => void) | undefined;

async function main(): Promise<void> {
  if (demo) {
    const d = prepareDemo();
    process.env.ROSTER_FILE = d.file;
    process.env.SENT_JOURNAL_DIR ??= path.join(dataDir, 'sent-journal');
    process.env.DOCUMENT_DIR ??= path.join(dataDir, 'documents');
    console.log(`演示模式：名册中的日期整体后移${d.years}年（其余不变），写入${path.relative(process.cwd(), d.file)}；状态保存在${path.relative(process.cwd(), dataDir)}/。`);
    // The CLI run beside the demo reads the demo's roster and documents (src/demo.ts, useRunningDemo).
    unmarkDemo = markDemoRunning(dataDir, { ROSTER_FILE: d.file, DOCUMENT_DIR: process.env.DOCUMENT_DIR, SENT_JOURNAL_DIR: process.env.SENT_JOURNAL_DIR });
    console.log('命令行（npm run cli -- …）在演示运行期间自动使用演示名册。');
  }
  // Links in mail lead to the address printed below (one host, one login in the browser): on the
  // embedded defaults that is this API's own address unless APP_BASE_URL says otherwise.
  if (!process.env.APP_BASE_URL) {
    const host = process.env.API_HOST && process.env.API_HOST !== '0.0.0.0' && process.env.API_HOST !== '::' ? process.env.API_HOST : '127.0.0.1';
    process.env.APP_BASE_URL = `http://${host.includes(':') ? `[${host}]` : host}:${process.env.API_PORT ?? '8080'}`;
  }
  const config = loadConfigOrExit();
  // From here on a stop signal stops the worker gracefully, then everything else, whenever it comes.
  const controller = new AbortController();
  onStopSignal(() => controller.abort());
  const ownServer = !process.env.TEMPORAL_ADDRESS;
  const ownSmtp = !process.env.SMTP_HOST;

  const server = ownServer ? startDevServer(config.temporal.address, config.temporal.namespace) : undefined;
  const sink = ownSmtp
    ? await SmtpSink.start({
        host: '127.0.0.1',
        port: config.smtp.port,
        mailDir: path.join(dataDir, 'mail'),
        onMail: (m) => console.log(`[SMTP sink] ${m.envelopeTo.join(', ')} ← ${m.subject}`),
      })
    : undefined;
  let api: RunningApi | undefined;
  try {
    await waitForServer(config.temporal.address, server, controller.signal);
    if (controller.signal.aborted) return;
    console.log(ownServer ? `Temporal dev server: ${config.temporal.address} (data in ${path.relative(process.cwd(), dataDir)}/temporal.sqlite)` : `Temporal server: ${config.temporal.address}`);
    if (ownServer) console.log(`Temporal UI: http://localhost:${UI_PORT}`);
    console.log(sink ? `SMTP sink: ${sink.host}:${sink.port} (mail kept in ${path.relative(process.cwd(), dataDir)}/mail)` : `SMTP relay: ${config.smtp.host}:${config.smtp.port}`);
    api = await startApi(config, {
      ...(sink ? { mailbox: () => sink.received.map((m) => ({ to: m.envelopeTo, subject: m.subject, text: m.text, at: mailDate(m.headers) })) } : {}),
      ...(ownServer ? { temporalUi: `http://localhost:${UI_PORT}` } : {}),
    });
    const local = isLoopback(config.api.host);
    console.log(`Workbench: ${api.url}/ (log in with a roster id; the code arrives by mail${sink ? (local ? ', printed above as the sink receives it' : '') : ''})`);
    if (sink && local) console.log(`Local mailbox: ${api.url}/dev/mail (for a logged-in operator or department member on this machine)`);
    if (sink && !local) {
      console.log(`WARNING: the API listens on ${config.api.host}, beyond this machine, while every mail (login codes included) goes to the local SMTP sink, not to the people of the roster.`);
      console.log('         The /dev/mail page is off; set SMTP_HOST to a real relay before anyone else uses this API.');
    }
    console.log(`API: ${api.url}/api (OpenAPI document at ${api.url}/api/openapi.json)`);
    if (!demo) console.log('Designate the roster\'s targets with `npm run cli -- designate --all`; watch them with `npm run cli -- list`.');
    console.log('Press Ctrl-C to stop.');
    const worker = runWorker(config, controller.signal);
    if (demo) await startDemo(config, controller.signal).catch((err: unknown) => console.error(`演示启动失败：${(err as Error).message}`));
    await worker;
  } finally {
    await api?.close();
    await sink?.close();
    if (server) await stopChild(server);
    unmarkDemo?.();
    console.log('Stopped.');
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof BinaryNotFoundError ? err.message : `npm start failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
