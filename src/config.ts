import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Process configuration, read once from the environment and frozen.
 * Every setting has an embedded default, so a fresh clone runs with no configuration at all;
 * a wrong value stops the process with one message that lists every wrong setting.
 */

const hostPort = z.string().superRefine((s, ctx) => {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(s);
  if (!m) ctx.addIssue({ code: 'custom', message: 'expected host:port, e.g. localhost:7233' });
  else if (Number(m[2]) < 1 || Number(m[2]) > 65535) ctx.addIssue({ code: 'custom', message: 'port must be between 1 and 65535' });
});

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  // --- Temporal ---
  TEMPORAL_ADDRESS: hostPort.default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('rectification'),
  // mTLS to the Temporal frontend (client certificate and key, optionally the CA and server name), or an API key.
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  // --- Worker ---
  // Bounded so that a burst of due reminders cannot open more SMTP sessions than the pool has.
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(20),
  // Workflows kept in the worker's cache, about 2.3 MiB each (bench/province.ts: 500 targets,
  // 643 MiB with 20 cached, 807 with 50, 1.8 GiB with all); the SDK's default from the heap size
  // (some 2,000 here) would keep them all. An evicted workflow replays its history when it wakes.
  WORKER_MAX_CACHED_WORKFLOWS: positiveInt.default(50),
  // The worker's own log (the SDK's lifecycle and bundler messages); warnings and errors by default.
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN'),
  // host:port for a Prometheus scrape endpoint; unset means no metrics endpoint.
  METRICS_BIND_ADDRESS: hostPort.optional(),
  // How often the worker counts open entities with overdue duties, per township, for that endpoint.
  METRICS_OVERDUE_INTERVAL_SECONDS: positiveInt.default(60),
  // --- Mail ---
  SMTP_HOST: z.string().min(1).default('localhost'),
  SMTP_PORT: port.default(2525),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASS: z.string().min(1).optional(),
  SMTP_POOL_SIZE: positiveInt.default(5),
  MAIL_FROM: z.string().min(3).default('整顿提升工作提醒 <noreply@county.example.org>'),
  // Keys of mail already accepted, so that a retried send does not send again.
  SENT_JOURNAL_DIR: z.string().min(1).default('.data/sent-journal'),
  // PostgreSQL for a sent journal shared by several worker hosts (postgres://user:pass@host/db);
  // unset means the files in SENT_JOURNAL_DIR, for one worker host.
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL like postgres://user:password@host:5432/rect').optional(),
  SENT_JOURNAL_RETENTION_DAYS: positiveInt.default(30),
  // A PDF beside each letter's Word document, converted by LibreOffice (soffice must be installed).
  LETTER_PDF: bool.default(false),
  // --- Programme ---
  ROSTER_FILE: z.string().min(1).default('roster/sample-county.json'),
  // Base of the links in notices, where officials act on them.
  APP_BASE_URL: z.url('must be a URL like http://localhost:8080').default('http://localhost:8080'),
  // The county's policy (YAML or JSON); unset means the built-in one (policy/county-policy.yaml says what it is).
  POLICY_FILE: z.string().min(1).optional(),
  // Holiday arrangements published by operators for years the bundled data does not cover.
  CALENDAR_DIR: z.string().min(1).default('.data/calendar'),
  // The documents as mailed (letters, notices, 交办任务书…), written by the worker and offered for
  // download by the API: the same folder for both (a shared volume when they run apart).
  DOCUMENT_DIR: z.string().min(1).default('.data/documents'),
  // --- API ---
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(8080),
  // 32 bytes, base64, that seal session cookies and bearer tokens; or a file holding them. When
  // neither is set, a key is generated into SESSION_KEY_FILE's default on first start.
  SESSION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64 (e.g. `openssl rand -base64 32`)')
    .optional(),
  SESSION_KEY_FILE: z.string().min(1).default('.data/session.key'),
  // Behind a reverse proxy that sets X-Forwarded-For (per-client rate limits): the proxies trusted,
  // as addresses or CIDR ranges separated by commas (e.g. 127.0.0.1,10.0.0.0/8), or a number of
  // hops. `true` (trust whatever a client writes in the header) is refused: any client could then
  // pose as a new address on every request. Empty: the peer's own address.
  API_TRUST_PROXY: z
    .string()
    .trim()
    .default('')
    .refine((v) => !/^(true|yes|on|all|\*)$/i.test(v), 'must name the proxies (addresses or CIDR ranges, comma separated) or a hop count, never true: a client could set any X-Forwarded-For')
    .refine((v) => v === '' || v === 'false' || /^\d{1,2}$/.test(v) || v.split(',').every((x) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x.trim())), 'must be addresses or CIDR ranges separated by commas, or a hop count')
    .transform((v): string[] | number | false => (v === '' || v === 'false' ? false : /^\d{1,2}$/.test(v) ? Number(v) : v.split(',').map((x) => x.trim()))),
  // --- CLI ---
  // Where the CLI reaches the API (default: API_HOST:API_PORT on this machine), and where `cli login` keeps its token.
  API_URL: z.url('must be a URL like http://127.0.0.1:8080').optional(),
  CLI_TOKEN_FILE: z.string().min(1).optional(),
});

export interface TemporalTls {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string | undefined;
  readonly serverName: string | undefined;
}

export interface Config {
  readonly temporal: {
    readonly address: string;
    readonly namespace: string;
    readonly taskQueue: string;
    readonly tls: TemporalTls | undefined;
    readonly apiKey: string | undefined;
  };
  readonly worker: {
    readonly maxConcurrentActivities: number;
    readonly maxCachedWorkflows: number;
    readonly metricsBindAddress: string | undefined;
    readonly overdueMetricsIntervalMs: number;
    readonly logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  };
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    readonly secure: boolean;
    readonly auth: { readonly user: string; readonly pass: string } | undefined;
    readonly poolSize: number;
    readonly from: string;
    readonly sentJournalDir: string;
    readonly databaseUrl: string | undefined;
    readonly sentJournalRetentionDays: number;
    readonly letterPdf: boolean;
  };
  readonly programme: { readonly rosterFile: string; readonly appBaseUrl: string; readonly policyFile: string | undefined; readonly calendarDir: string; readonly documentDir: string };
  readonly api: { readonly host: string; readonly port: number; readonly sessionKey: string | undefined; readonly sessionKeyFile: string; readonly trustProxy: string[] | number | false };
  readonly cli: { readonly apiUrl: string; readonly tokenFile: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Secrets that may come from a file (`SMTP_PASS_FILE=/run/secrets/smtp_pass`), as Docker secrets are
 * mounted. The session key has its own SESSION_KEY_FILE (generated there when missing).
 */
export const SECRET_VARIABLES = ['SMTP_USER', 'SMTP_PASS', 'TEMPORAL_API_KEY', 'DATABASE_URL'] as const;

/** `X_FILE` read into `X` (trailing newline dropped); both set, or a file that cannot be read, is a problem. */
function withSecretFiles(present: Record<string, string>): Record<string, string> {
  const out = { ...present };
  const problems: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const file = present[`${name}_FILE`];
    if (file === undefined) continue;
    delete out[`${name}_FILE`];
    if (present[name] !== undefined) {
      problems.push(`${name} and ${name}_FILE are both set: set one`);
      continue;
    }
    try {
      out[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      problems.push(`${name}_FILE=${JSON.stringify(file)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  // An empty variable means "not set", as a shell user would expect from `FOO= cmd`.
  const present = withSecretFiles(Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}=${JSON.stringify(present[String(i.path[0])] ?? '')}: ${i.message}`),
    );
  }
  const e = parsed.data;
  if ((e.SMTP_USER === undefined) !== (e.SMTP_PASS === undefined)) {
    throw new ConfigError(['SMTP_USER and SMTP_PASS must be set together']);
  }
  if ((e.TEMPORAL_TLS_CERT_FILE === undefined) !== (e.TEMPORAL_TLS_KEY_FILE === undefined)) {
    throw new ConfigError(['TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE must be set together']);
  }
  return deepFreeze({
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls:
        e.TEMPORAL_TLS_CERT_FILE && e.TEMPORAL_TLS_KEY_FILE
          ? { certFile: e.TEMPORAL_TLS_CERT_FILE, keyFile: e.TEMPORAL_TLS_KEY_FILE, caFile: e.TEMPORAL_TLS_CA_FILE, serverName: e.TEMPORAL_TLS_SERVER_NAME }
          : undefined,
      apiKey: e.TEMPORAL_API_KEY,
    },
    worker: { maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES, maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS, metricsBindAddress: e.METRICS_BIND_ADDRESS, overdueMetricsIntervalMs: e.METRICS_OVERDUE_INTERVAL_SECONDS * 1000, logLevel: e.LOG_LEVEL },
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      auth: e.SMTP_USER !== undefined && e.SMTP_PASS !== undefined ? { user: e.SMTP_USER, pass: e.SMTP_PASS } : undefined,
      poolSize: e.SMTP_POOL_SIZE,
      from: e.MAIL_FROM,
      sentJournalDir: e.SENT_JOURNAL_DIR,
      databaseUrl: e.DATABASE_URL,
      sentJournalRetentionDays: e.SENT_JOURNAL_RETENTION_DAYS,
      letterPdf: e.LETTER_PDF,
    },
    programme: { rosterFile: e.ROSTER_FILE, appBaseUrl: e.APP_BASE_URL, policyFile: e.POLICY_FILE, calendarDir: e.CALENDAR_DIR, documentDir: e.DOCUMENT_DIR },
    api: { host: e.API_HOST, port: e.API_PORT, sessionKey: e.SESSION_KEY, sessionKeyFile: e.SESSION_KEY_FILE, trustProxy: e.API_TRUST_PROXY },
    cli: {
      apiUrl: (e.API_URL ?? `http://${e.API_HOST === '0.0.0.0' || e.API_HOST === '::' ? '127.0.0.1' : e.API_HOST}:${e.API_PORT}`).replace(/\/$/, ''),
      tokenFile: e.CLI_TOKEN_FILE ?? path.join(homedir(), '.config', 'rect', 'token'),
    },
  });
}

/** Loads the configuration or ends the process with the list of problems (no stack trace). */
export function loadConfigOrExit(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
