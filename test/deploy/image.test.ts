import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { issueInquiry } from '../../src/client/supervision';
import { SmtpSink } from '../../src/infra/smtp-sink';
import { sampleRosterFile } from '../support/mail';
import { createDevServerEnv, uniqueId } from '../support/temporal';

/**
 * The image's file set without a Docker engine: the final stage of the Dockerfile read and
 * carried out in a temporary folder (its COPY lines, its `npm ci --omit=dev`, the build stage's
 * output), then the worker and the API run from it as an unprivileged user, against a dev server
 * and a real SMTP server. The worker must poll and send; the API must answer its health check.
 */
const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const asRoot = userInfo().uid === 0;
let env: TestWorkflowEnvironment;
let sink: SmtpSink;
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The final stage of the Dockerfile: what it copies, and the commands it runs. */
function finalStage(): { copies: { from?: string; src: string; dest: string }[]; runs: string[]; cmd: string[] } {
  const lines = readFileSync(path.join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const last = lines.map((l, i) => (l.startsWith('FROM ') ? i : -1)).filter((i) => i >= 0).at(-1)!;
  const stage = lines.slice(last + 1);
  const copies = stage
    .filter((l) => l.startsWith('COPY '))
    .map((l) => {
      const parts = l.split(/\s+/).slice(1);
      const from = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
      const dest = parts.pop()!;
      return parts.map((src) => ({ ...(from ? { from } : {}), src, dest }));
    })
    .flat();
  const runs = stage.filter((l) => l.startsWith('RUN ')).map((l) => l.slice(4));
  const cmd = JSON.parse(stage.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
  return { copies, runs, cmd };
}

beforeAll(async () => {
  [env, sink] = await Promise.all([createDevServerEnv(), SmtpSink.start()]);
});

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await sink?.close();
  await env?.teardown();
});

test.runIf(asRoot)('the worker and the API run from the production file set as an unprivileged user, and the worker sends', async () => {
  const app = mkdtempSync(path.join(tmpdir(), 'image-'));
  chmodSync(app, 0o755);
  const stage = finalStage();
  expect(stage.cmd).toEqual(['node', 'dist/worker.js']);

  // The build stage's output.
  await run(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', path.join(app, '.build')], { cwd: root });
  for (const c of stage.copies) {
    const from = c.from ? path.join(app, '.build') : path.join(root, c.src);
    const dest = c.dest.endsWith('/') ? path.join(app, c.dest, path.basename(c.src)) : path.join(app, c.dest);
    cpSync(from, dest, { recursive: true });
  }
  expect(readdirSync(path.join(app, 'dist'))).toContain('worker.js');
  // The stage's commands: production dependencies only, and /data for the unprivileged user.
  const data = path.join(app, 'data');
  for (const cmd of stage.runs) {
    const local = cmd.replaceAll('/data', data).replace('chown -R node:node', 'chown -R nobody:nogroup');
    await run('/bin/sh', ['-c', local], { cwd: app, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  }
  expect(readdirSync(path.join(app, 'node_modules'))).not.toContain('vitest');
  expect(statSync(path.join(data, 'sent-journal')).uid).toBe(65534);
  cpSync(sampleRosterFile, path.join(app, 'roster.json'));

  const taskQueue = uniqueId('image');
  const common = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: data,
    NODE_ENV: 'production',
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_HOST: sink.host,
    SMTP_PORT: String(sink.port),
    ROSTER_FILE: path.join(app, 'roster.json'),
    POLICY_FILE: path.join(app, 'policy/county-policy.yaml'),
    CALENDAR_DIR: path.join(data, 'calendar'),
    DOCUMENT_DIR: path.join(data, 'documents'),
    SENT_JOURNAL_DIR: path.join(data, 'sent-journal'),
    SESSION_KEY_FILE: path.join(data, 'api/session.key'),
    LOG_LEVEL: 'WARN',
  };
  const start = (args: string[], extra: Record<string, string> = {}): ChildProcess => {
    const child = spawn('runuser', ['-u', 'nobody', '--', process.execPath, ...args], { cwd: app, env: { ...common, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    return child;
  };
  const worker = start(stage.cmd.slice(1));
  let workerErr = '';
  worker.stderr!.on('data', (d: Buffer) => (workerErr += d.toString()));
  const api = start(['dist/api/main.js'], { API_HOST: '127.0.0.1', API_PORT: String(await freePort()) });

  // The worker polls: an inquiry letter issued on its task queue goes out at once.
  const roster = readRosterFile(sampleRosterFile);
  await issueInquiry(env.client, taskQueue, roster, { township: 'QS', reason: '半月进展报送不及时', issuedBy: 'zzb-zhang', caseId: 'IMAGE-1' });
  const letters = await sink.waitFor((m) => m.subject.startsWith('【函询】'), 1, 90_000).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\nworker stderr:\n${workerErr}`);
  });
  expect(letters[0]!.envelopeTo.length).toBeGreaterThan(0);
  // Written by the unprivileged user, in its data folder, right after the SMTP server took the mail.
  await vi.waitFor(() => expect(readdirSync(path.join(data, 'sent-journal')).length).toBeGreaterThan(0), { timeout: 10_000, interval: 100 });
  const journal = readdirSync(path.join(data, 'sent-journal'));
  expect(statSync(path.join(data, 'sent-journal', journal[0]!)).uid).toBe(65534);

  // The API from the same files answers its health check; its session key is the user's, mode 600.
  let apiOut = '';
  api.stdout!.on('data', (d: Buffer) => (apiOut += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start: ${apiOut}`)), 60_000);
    const check = setInterval(() => {
      const m = /"msg":"Server listening at (http:\/\/[^"]+)"/.exec(apiOut);
      if (m) {
        clearInterval(check);
        clearTimeout(timer);
        resolve(m[1]!);
      }
    }, 200);
  });
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
  const key = statSync(path.join(data, 'api/session.key'));
  expect([key.uid, key.mode & 0o777]).toEqual([65534, 0o600]);
}, 600_000);
