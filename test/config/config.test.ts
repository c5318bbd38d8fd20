import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

describe('configuration', () => {
  test('a fresh machine needs no settings: embedded defaults', () => {
    const c = loadConfig({});
    expect(c.temporal).toEqual({ address: 'localhost:7233', namespace: 'default', taskQueue: 'rectification' });
    expect(c.smtp).toMatchObject({ host: 'localhost', port: 2525, secure: false, auth: undefined });
    expect(Object.isFrozen(c.smtp)).toBe(true);
  });

  test('every wrong setting is listed by name, with its value and the problem', () => {
    let error: unknown;
    try {
      loadConfig({ TEMPORAL_ADDRESS: '::bad', SMTP_PORT: '70000', SMTP_SECURE: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('TEMPORAL_ADDRESS="::bad": expected host:port, e.g. localhost:7233');
    expect(problems.some((p) => p.startsWith('SMTP_PORT="70000":'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SMTP_SECURE="yes":'))).toBe(true);
  });

  test('credentials come in pairs', () => {
    expect(() => loadConfig({ SMTP_USER: 'zzb' })).toThrow('SMTP_USER and SMTP_PASS must be set together');
  });

  test('secrets come from files as Docker mounts them (*_FILE); both ways at once, or an unreadable file, is said', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'secrets-'));
    writeFileSync(path.join(dir, 'smtp_pass'), 's3cret\n');
    writeFileSync(path.join(dir, 'api_key'), 'k-123');
    const config = loadConfig({ SMTP_USER: 'zzb', SMTP_PASS_FILE: path.join(dir, 'smtp_pass'), TEMPORAL_API_KEY_FILE: path.join(dir, 'api_key') });
    expect(config.smtp.auth).toEqual({ user: 'zzb', pass: 's3cret' });
    expect(config.temporal.apiKey).toBe('k-123');
    expect(() => loadConfig({ SMTP_USER: 'zzb', SMTP_PASS: 'x', SMTP_PASS_FILE: path.join(dir, 'smtp_pass') })).toThrow('SMTP_PASS and SMTP_PASS_FILE are both set: set one');
    expect(() => loadConfig({ SMTP_USER: 'zzb', SMTP_PASS_FILE: path.join(dir, 'missing') })).toThrow(`SMTP_PASS_FILE=${JSON.stringify(path.join(dir, 'missing'))}: cannot be read (ENOENT)`);
  });

  test('the worker started with a bad address exits with one readable message, not a stack trace', async () => {
    const run = promisify(execFile)(tsx, ['src/worker.ts'], {
      cwd: root,
      env: { ...process.env, TEMPORAL_ADDRESS: '::bad', WORKER_MAX_CONCURRENT_ACTIVITIES: '0' },
    });
    const failure = (await run.then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: number; stderr: string; stdout: string } | undefined;
    expect(failure?.code).toBe(78);
    expect(failure?.stderr).toBe(
      'Invalid configuration:\n' +
        '  - TEMPORAL_ADDRESS="::bad": expected host:port, e.g. localhost:7233\n' +
        '  - WORKER_MAX_CONCURRENT_ACTIVITIES="0": 不能小于1\n',
    );
    expect(failure?.stdout).toBe('');
  });
});
