import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { cliSearchAttribute, searchAttributeKeys } from '../../src/search-attributes';

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
};
const text = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8').replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };

test('docker-compose.yml describes Temporal on PostgreSQL, its UI, an SMTP relay, the worker and the API', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'cli', 'postgresql', 'smtp', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']);
  expect(compose.services.temporal?.environment?.DB).toMatch(/^postgres/);
  expect(compose.services.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
});

test("the worker's and the API's environments are valid configurations pointing at the compose services, sharing the published calendars", () => {
  const configs = ['worker', 'api'].map((name) => loadConfig(compose.services[name]?.environment ?? {}));
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
  // The sent journal survives the worker's container; the roster and the policy are mounted read-only.
  expect(compose.services.worker?.volumes).toContain(`journal:${configs[0]!.smtp.sentJournalDir}`);
  expect(compose.services.worker?.volumes).toContain('./roster:/config/roster:ro');
  expect(compose.services.api?.volumes).toContain('./policy:/config/policy:ro');
  expect(Object.keys(compose.volumes).sort()).toEqual(['apidata', 'calendar', 'journal', 'pgdata']);
});

test('the worker and the API start only after the registration succeeded, which fails loudly, keeps histories ten years and registers every search attribute', () => {
  for (const name of ['worker', 'api']) {
    expect((compose.services[name]?.depends_on as Record<string, { condition: string }>)['temporal-setup']).toEqual({ condition: 'service_completed_successfully' });
    expect(compose.services[name]?.healthcheck?.test[0]).toBe('CMD');
  }
  const command = compose.services['temporal-setup']?.command?.join(' ') ?? '';
  expect(command).toMatch(/^set -eu;/);
  expect(command).not.toContain('|| true');
  expect(command).toContain('temporal operator namespace update --retention 3650d default');
  for (const { name, type } of searchAttributeKeys.map(cliSearchAttribute)) expect(command).toContain(`${name}:${type}`);
});

test('only the API is published to the network; Temporal, its UI and the mail catcher are not', () => {
  const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).filter((p) => !p.startsWith('127.0.0.1:')).map((p) => `${name} ${p}`));
  expect(published).toEqual(['api 8080:8080']);
});
