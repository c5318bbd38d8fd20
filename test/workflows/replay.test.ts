import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { expect, test } from 'vitest';
import { bundle } from '../support/temporal';

/**
 * Every recorded history (test/histories, written by the workflow tests with RECORD_HISTORIES=1)
 * replays against today's workflow code: a change that would break running workflows fails here.
 */
const dir = path.resolve(__dirname, '../histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('recorded histories replay without non-determinism', async () => {
  const scenarios = new Set(files.map((f) => f.replace(/-run\d+\.json$/, '')));
  expect([...scenarios].sort()).toEqual([
    'bt-inquiry-talk',
    'bt05-delivery-failed',
    'bt05-delivery-failed-v1', // recorded before notices went out one mail per recipient
    'dp-direct-talk',
    'dp01-smtp-outage',
    'js04-withdrawn',
    'lh-inquiry-answered',
    'lh-township-proposal',
    'lh-township-proposal-v1', // recorded before first-half entries waited for the second half
    'lh02-updates',
    'lh09-paired-ledger',
    'lh09-ten-years',
    'qs-inquiry-updates',
    'qs-township-on-time',
    'qs-township-on-time-v1',
    'qs-township-updates',
    'qs03-forwarded-reports',
    'qs03-forwarded-reports-v1',
    'qs03-lifecycle',
    'qs07-withdrawn-told',
    'sl08-delivery-retried',
    'sl08-delivery-retried-v1',
    'yl-ledger',
    'yl-ledger-paired',
    'yl-programme',
  ]);
  const workflowBundle = await bundle(path.join(__dirname, '../../src/workflows'));
  const histories = files.map((f) => {
    const recorded = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { workflowId: string; history: unknown };
    return { workflowId: recorded.workflowId, history: historyFromJSON(recorded.history) };
  });
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'recorded-histories' }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
}, 300_000);
