import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { expect, test } from 'vitest';
import { bundle } from '../support/temporal';

/**
 * Every recorded history (test/histories, written by the workflow tests with RECORD_HISTORIES=1)
 * replays against today's workflow code. Until the first release (1.0.0) a workflow change
 * re-records them; from 1.0.0 on, a change that fails here needs a `patched()` gate instead.
 */
const dir = path.resolve(__dirname, '../histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('recorded histories replay without non-determinism', async () => {
  const scenarios = new Set(files.map((f) => f.replace(/-run\d+\.json$/, '')));
  // One file per run (`<scenario>-runNN.json`): every workflow, update and signal, a continue-as-new
  // of each long-lived entity, a case to its talk, a year with every ladder step.
  expect([...scenarios].sort()).toEqual([
    'case-answered-in-time',
    'case-direct-talk',
    'case-refused-letter',
    'case-talk-waiting',
    'case-unanswered-to-talk',
    'case-updates-refused',
    'ledger-cases',
    'ledger-paired-department',
    'programme-cases',
    'programme-monthly-bulletin',
    'programme-urging-digest',
    'township-on-time',
    'township-proposal',
    'township-target-withdrawn',
    'township-updates-refused',
    'village-acceptance-grounds',
    'village-calendar-published',
    'village-cycle-every-ladder-step',
    'village-delivery-failed',
    'village-delivery-retried',
    'village-failed-acceptances',
    'village-forwarded-reports',
    'village-plan-never-submitted',
    'village-routine-activities',
    'village-smtp-outage',
    'village-updates-refused',
    'village-withdrawn',
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
