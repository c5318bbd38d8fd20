import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { cliSearchAttribute, searchAttributeKeys } from '../../src/search-attributes';
import { requireBinary, resolveBinary } from '../../src/infra/temporal-binaries';

/**
 * docker-compose.yml read as Docker Compose reads it (merge keys, `${VAR:-default}` with nothing
 * set): no engine runs here, so what can be checked without one is checked.
 */
const root = path.resolve(__dirname, '../..');
type Service = {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  entrypoint?: string[];
  networks?: string[];
  profiles?: string[];
};
const text = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8').replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const compose = parse(text, { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  networks: Record<string, { internal?: boolean }>;
};
const oneShots = ['temporal-schema', 'temporal-register'];

test('docker-compose.yml describes Temporal on PostgreSQL, its UI, an SMTP relay, the worker and the API', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'cli', 'postgresql', 'smtp', 'temporal', 'temporal-register', 'temporal-schema', 'temporal-ui', 'worker']);
  expect(compose.services.temporal?.environment?.DB).toMatch(/^postgres/);
  expect(compose.services.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
  // The server starts on a schema brought up to date first.
  expect(compose.services.temporal?.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
});

test('Temporal in compose is the version the tests run against', () => {
  const version = execFileSync(resolveBinary('cli')!.path, ['--version'], { encoding: 'utf8' });
  const [, server, ui] = /Server (\d+\.\d+\.\d+), UI (\d+\.\d+\.\d+)/.exec(version) ?? [];
  expect(server).toBeDefined();
  expect(compose.services.temporal?.image).toBe(`temporalio/server:${server}`);
  for (const name of oneShots) expect(compose.services[name]?.image).toBe(`temporalio/admin-tools:${server}`);
  expect(compose.services['temporal-ui']?.image).toBe(`temporalio/ui:${ui}`);
});

test('every long-running service has a health check, and the one-shot steps run scripts from deploy/', () => {
  const longRunning = Object.entries(compose.services).filter(([name, s]) => !oneShots.includes(name) && !s.profiles?.includes('tools'));
  expect(longRunning.filter(([, s]) => !s.healthcheck?.test?.length).map(([name]) => name)).toEqual([]);
  for (const name of oneShots) {
    const script = compose.services[name]!.entrypoint!.at(-1)!;
    expect(compose.services[name]?.volumes).toContain(`.${script}:${script}:ro`);
    expect(readFileSync(path.join(root, script), 'utf8')).toMatch(/^#!\/bin\/sh\n[\s\S]*\nset -eu\n/);
  }
});

test("the worker's and the API's environments are valid configurations pointing at the compose services, sharing the published calendars", () => {
  // Docker secrets are files under /run/secrets: here, files of a temporary folder.
  const secrets = mkdtempSync(path.join(tmpdir(), 'secrets-'));
  writeFileSync(path.join(secrets, 'journal_database_url'), 'postgres://rect_journal:pw@postgresql:5432/rect\n');
  const withSecrets = (env: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('/run/secrets/', `${secrets}/`)]));
  const configs = ['worker', 'api'].map((name) => loadConfig(withSecrets(compose.services[name]?.environment ?? {})));
  expect(configs[0]!.smtp.databaseUrl).toBe('postgres://rect_journal:pw@postgresql:5432/rect');
  expect(configs[1]!.api.trustProxy).toBe(1);
  for (const config of configs) {
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.smtp.host).toBe('smtp');
    expect(config.programme.appBaseUrl).toBe('http://localhost:8080');
  }
  // The API installs published calendars where the worker reads them: one volume, one path.
  expect(configs[0]!.programme.calendarDir).toBe(configs[1]!.programme.calendarDir);
  const calendarMount = (name: string) => compose.services[name]?.volumes?.find((v) => v.endsWith(`:${configs[0]!.programme.calendarDir}`));
  expect(calendarMount('worker')).toBe('calendar:/data/calendar');
  expect(calendarMount('api')).toBe('calendar:/data/calendar');
  // The worker keeps the documents it mails where the API offers them for download.
  expect(configs[0]!.programme.documentDir).toBe(configs[1]!.programme.documentDir);
  for (const name of ['worker', 'api']) expect(compose.services[name]?.volumes).toContain(`documents:${configs[0]!.programme.documentDir}`);
  // The sent journal survives the worker's container; the roster and the policy are mounted read-only.
  expect(compose.services.worker?.volumes).toContain(`journal:${configs[0]!.smtp.sentJournalDir}`);
  expect(compose.services.worker?.volumes).toContain('./roster:/config/roster:ro');
  expect(compose.services.api?.volumes).toContain('./policy:/config/policy:ro');
  expect(Object.keys(compose.volumes).sort()).toEqual(['apidata', 'calendar', 'clidata', 'documents', 'journal', 'pgdata']);
  // The session key's volume is the API's alone.
  expect(Object.entries(compose.services).filter(([, s]) => s.volumes?.some((v) => v.startsWith('apidata:'))).map(([n]) => n)).toEqual(['api']);
});

test('the worker and the API start only after the registration succeeded, which fails loudly, keeps histories ten years and registers every search attribute', () => {
  for (const name of ['worker', 'api']) {
    expect((compose.services[name]?.depends_on as Record<string, { condition: string }>)['temporal-register']).toEqual({ condition: 'service_completed_successfully' });
    expect(compose.services[name]?.healthcheck?.test[0]).toBe('CMD');
  }
  expect(compose.services['temporal-register']?.environment?.TEMPORAL_RETENTION).toBe('3650d');
  const script = readFileSync(path.join(root, 'deploy/temporal-register.sh'), 'utf8');
  expect(script).not.toContain('|| true');
  const pairs = /^ATTRIBUTES="([^"]*)"$/m.exec(script)?.[1]?.split(' ');
  expect(pairs).toEqual(searchAttributeKeys.map(cliSearchAttribute).map(({ name, type }) => `${name}:${type}`));
});

test('nothing is published beyond the host\'s loopback: the API sits behind the host\'s TLS proxy; Temporal, its UI and the mail catcher are internal', () => {
  const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).filter((p) => !p.startsWith('127.0.0.1:')).map((p) => `${name} ${p}`));
  expect(published).toEqual([]);
  expect(compose.services.api?.ports).toEqual(['127.0.0.1:8080:8080']);
  expect(compose.services['temporal-ui']?.environment?.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
  // PostgreSQL and the Temporal frontend are on a network with no route outside the project.
  expect(compose.networks.internal?.internal).toBe(true);
  for (const name of ['postgresql', 'temporal', ...oneShots]) expect(compose.services[name]?.networks).toEqual(['internal']);
});

test('no password in the compose file; the application containers are read-only, without capabilities or new privileges; a supported Node', () => {
  expect(text).not.toMatch(/PASSWORD:\s*\S|POSTGRES_PWD:|SQL_PASSWORD:|DATABASE_URL:/);
  for (const name of ['worker', 'api', 'cli']) {
    const s = compose.services[name] as Service & { read_only?: boolean; cap_drop?: string[]; security_opt?: string[] };
    expect(s.read_only, name).toBe(true);
    expect(s.cap_drop, name).toEqual(['ALL']);
    expect(s.security_opt, name).toEqual(['no-new-privileges:true']);
  }
  const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  expect([...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]))).toEqual([22, 22]);
  // The journal's own role, created from its secret on the first start.
  expect(readFileSync(path.join(root, 'deploy/postgres-init.sh'), 'utf8')).toContain('CREATE DATABASE rect OWNER rect_journal');
});

test('the Dockerfile passes hadolint at warning level', () => {
  const hadolint = requireBinary('hadolint').path;
  const lint = spawnSync(hadolint, ['--failure-threshold', 'warning', '--no-color', path.join(root, 'Dockerfile')], { encoding: 'utf8' });
  expect(lint.stdout + lint.stderr).toBe('');
  expect(lint.status).toBe(0);
});
