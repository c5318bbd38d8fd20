/**
 * `npm run api`: the HTTP API on API_HOST:API_PORT (also started by `npm start`). It reaches
 * Temporal with the configured credentials; officials reach only the API.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { calendarStore } from '../activities/calendar-store';
import { fileDocumentStore } from '../infra/document-store';
import { createSmtpMailer } from '../activities/mailer';
import { rosterFileSource } from '../activities/roster-file';
import { loadConfigOrExit, type Config } from '../config';
import { onStopSignal } from '../infra/stop-signals';
import { currentPolicy } from '../infra/policy-file';
import { connectClient } from '../infra/temporal-connection';
import type { Roster } from '../domain/roster';
import { Login, TokenSealer } from '../service/identity';
import { SessionRegistry } from '../service/sessions';
import { Service } from '../service/service';
import type { MailboxMessage } from '../web/pages';
import { buildApi } from './server';

/** The 32-byte key that seals sessions: SESSION_KEY, or the key file (generated on first start). */
export function sessionKey(config: Config): Buffer {
  if (config.api.sessionKey) return Buffer.from(config.api.sessionKey, 'base64');
  const file = config.api.sessionKeyFile;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} (SESSION_KEY_FILE) must hold 32 bytes, base64`);
  return key;
}

export interface RunningApi {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

export interface ApiExtras {
  /** The local SMTP sink's messages, shown at /dev/mail in the embedded default. */
  readonly mailbox?: () => readonly MailboxMessage[];
  readonly temporalUi?: string;
}

/** Whether the API listens on this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startApi(config: Config, extras: ApiExtras = {}): Promise<RunningApi> {
  const client = await connectClient(config);
  // A broken file does not lock everyone out: the last valid roster stays in use, and 运维 says why.
  const rosterSource = rosterFileSource(config.programme.rosterFile);
  const roster = (): Roster => rosterSource.current();
  const key = sessionKey(config);
  const mailer = createSmtpMailer({ ...config.smtp, from: config.smtp.from });
  // Ended sessions are kept beside the session key, in the API's own volume.
  const sealer = new TokenSealer(key, new SessionRegistry(path.join(path.dirname(config.api.sessionKeyFile), 'sessions.json')));
  const service = new Service({
    client,
    taskQueue: config.temporal.taskQueue,
    roster,
    policy: () => currentPolicy(config.programme.policyFile),
    calendar: calendarStore(config.programme.calendarDir),
    documents: fileDocumentStore(config.programme.documentDir),
  });
  const login = new Login({ roster, mailer, sealer, hashKey: key });
  const app = await buildApi({
    service,
    login,
    sealer,
    trustProxy: config.api.trustProxy,
    // Secure unless the API serves this machine alone: beyond loopback it is reached through TLS.
    secureCookies: config.programme.appBaseUrl.startsWith('https:') || !isLoopback(config.api.host),
    logger: { level: 'info' },
    web: {
      roster,
      calendar: calendarStore(config.programme.calendarDir),
      // Login codes are in the sink: its page is served only to this machine.
      ...(extras.mailbox && isLoopback(config.api.host) ? { mailbox: extras.mailbox } : {}),
      ...(extras.temporalUi ? { temporalUi: extras.temporalUi } : {}),
      rosterProblem: () => rosterSource.problem(),
    },
  });
  const url = await app.listen({ host: config.api.host, port: config.api.port });
  return {
    app,
    url,
    async close() {
      await app.close();
      mailer.close();
      await client.connection.close();
    },
  };
}

if (require.main === module) {
  void (async () => {
    const api = await startApi(loadConfigOrExit());
    onStopSignal(() => void api.close().then(() => process.exit(0)));
  })().catch((err: unknown) => {
    console.error(`API failed to start: ${(err as Error).message}`);
    process.exit(1);
  });
}
