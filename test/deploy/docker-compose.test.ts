import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { cliSearchAttribute, searchAttributeKeys } from '../../src/search-attributes';

const root = path.resolve(__dirname, '../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string; build?: string; environment?: Record<string, string>; command?: string[]; ports?: string[] }>;
};

test('docker-compose.yml describes Temporal on PostgreSQL, its UI, an SMTP relay, the worker and the API', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgresql', 'smtp', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']);
  expect(compose.services.temporal?.environment?.DB).toMatch(/^postgres/);
  expect(compose.services.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
});

test("the worker's and the API's environments in docker-compose.yml are valid configurations pointing at the compose services", () => {
  for (const service of ['worker', 'api']) {
    const config = loadConfig(compose.services[service]?.environment ?? {});
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.smtp.host).toBe('smtp');
  }
});

test('only the API is published to the network; Temporal and its UI are not', () => {
  const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).filter((p) => !p.startsWith('127.0.0.1:')).map((p) => `${name} ${p}`));
  expect(published).toEqual(['api 8080:8080']);
});

test('docker-compose.yml registers every search attribute the code uses, with its type', () => {
  const command = compose.services['temporal-setup']?.command?.join(' ') ?? '';
  for (const { name, type } of searchAttributeKeys.map(cliSearchAttribute)) {
    expect(command).toContain(`--name ${name} --type ${type}`);
  }
});
