import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { requireBinary } from '../../src/infra/temporal-binaries';
import { cliSearchAttribute, searchAttributeKeys } from '../../src/search-attributes';

/** Real processes for the fault tests: the dev server on its SQLite file, the product's worker. */
const root = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForTemporal(address: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} did not answer: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface DevServerProcess {
  readonly address: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same file and port. */
  start(): Promise<void>;
}

/** The Temporal CLI's dev server as its own process, on a SQLite file that survives a restart. */
export async function startDevServerProcess(): Promise<DevServerProcess> {
  const port = await freePort();
  const dbFile = path.join(mkdtempSync(path.join(tmpdir(), 'temporal-')), 'temporal.sqlite');
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      requireBinary('cli').path,
      [
        'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile, '--log-level', 'error',
        '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal',
        ...searchAttributeKeys.map(cliSearchAttribute).flatMap((a) => ['--search-attribute', `${a.name}=${a.type}`]),
      ],
      { stdio: 'ignore' },
    );
    await waitForTemporal(address, child);
  };
  await start();
  return {
    address,
    start,
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      await exited;
    },
  };
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves once it polls (its start-up line). */
  readonly polling: Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The product's worker (src/worker.ts) as its own process, configured by environment only; or,
 * with `script`, another worker that prints the same start-up line (the benchmarks' floor).
 */
export function startWorkerProcess(env: Record<string, string>, nodeArgs: readonly string[] = [], script = path.join(root, 'src/worker.ts')): WorkerProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'ERROR', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const polling = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Worker polling task queue')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before polling:\n${err}`)));
  });
  polling.catch(() => {});
  return {
    child,
    stderr: () => err,
    polling,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}
