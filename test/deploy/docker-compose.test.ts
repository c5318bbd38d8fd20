import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config';
import { cliSearchAttribute, searchAttributeKeys } from '../../src/search-attributes';

const root = path.resolve(__dirname, '../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string; build?: string; environment?: Record<string, string>; command?: string[] }>;
};

test('docker-compose.yml describes Temporal on PostgreSQL, its UI, an SMTP relay and the worker', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['postgresql', 'smtp', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']);
  expect(compose.services.temporal?.environment?.DB).toMatch(/^postgres/);
  expect(compose.services.temporal?.environment?.POSTGRES_SEEDS).toBe('postgresql');
});

test("the worker's environment in docker-compose.yml is a valid configuration pointing at the compose services", () => {
  const env = compose.services.worker?.environment ?? {};
  const config = loadConfig(env);
  expect(config.temporal.address).toBe('temporal:7233');
  expect(config.smtp.host).toBe('smtp');
});

test('docker-compose.yml registers every search attribute the code uses, with its type', () => {
  const command = compose.services['temporal-setup']?.command?.join(' ') ?? '';
  for (const { name, type } of searchAttributeKeys.map(cliSearchAttribute)) {
    expect(command).toContain(`--name ${name} --type ${type}`);
  }
});
