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
    'bt-inquiry-talk-v2', // -v2: recorded before the obligation book (they replay through src/workflows/legacy)
    'bt-inquiry-talk-v3', // -v3: recorded before letters carried a 文号
    'bt-talk-waiting',
    'bt05-delivery-failed',
    'bt05-delivery-failed-v1', // recorded before notices went out one mail per recipient
    'bt05-delivery-failed-v2',
    'dp-direct-talk',
    'dp-direct-talk-v2',
    'dp-direct-talk-v3',
    'dp01-smtp-outage',
    'dp01-smtp-outage-v2',
    'js04-withdrawn',
    'js04-withdrawn-v2',
    'lh-inquiry-answered',
    'lh-inquiry-answered-v2',
    'lh-township-proposal',
    'lh-township-proposal-v1', // recorded before first-half entries waited for the second half
    'lh-township-proposal-v2',
    'lh02-updates',
    'lh02-updates-v2',
    'lh09-acceptance-never-recorded',
    'lh09-paired-ledger',
    'lh09-paired-ledger-v2',
    'lh09-ten-years',
    'lh09-ten-years-v2',
    'qs-inquiry-updates',
    'qs-inquiry-updates-v2',
    'qs-township-migrated',
    'qs-township-on-time',
    'qs-township-on-time-v1',
    'qs-township-on-time-v2',
    'qs-township-updates',
    'qs-township-updates-v2',
    'qs03-calendar-published',
    'qs03-forwarded-reports',
    'qs03-forwarded-reports-v1',
    'qs03-forwarded-reports-v2',
    'qs03-lifecycle',
    'qs03-lifecycle-v2',
    'qs03-migrated', // a legacy run continued into the book
    'qs03-plan-never-submitted',
    'qs07-withdrawn-told',
    'qs07-withdrawn-told-v2',
    'sl08-delivery-retried',
    'sl08-delivery-retried-v1',
    'sl08-delivery-retried-v2',
    'yl-ledger',
    'yl-ledger-paired',
    'yl-ledger-paired-v2',
    'yl-ledger-v2',
    'yl-ledger-v3',
    'yl-programme',
    'yl-programme-bulletin',
    'yl-programme-urging',
    'yl-programme-v2',
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
