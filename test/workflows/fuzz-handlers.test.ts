import fc from 'fast-check';
import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { expect, test, vi } from 'vitest';
import type { z } from 'zod';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateTarget, issueInquiry } from '../../src/client/supervision';
import {
  applyPolicySchema,
  applyPolicyUpdate,
  calendarPublishedPayloadSchema,
  calendarPublishedSignal,
  fulfilObligationSchema,
  fulfilObligationUpdate,
  retryDeliveriesSchema,
  retryDeliveriesUpdate,
  waiveObligationSchema,
  waiveObligationUpdate,
} from '../../src/contracts/entity';
import {
  inquiryStateQuery,
  recordTalkSchema,
  recordTalkUpdate,
  reviewExplanationSchema,
  reviewExplanationUpdate,
  scheduleTalkSchema,
  scheduleTalkUpdate,
  submitExplanationSchema,
  submitExplanationUpdate,
} from '../../src/contracts/inquiry';
import { allocateDocNumberSchema, allocateDocNumberUpdate, ledgerDroppedQuery, ledgerEntriesQuery, ledgerWorkflowId, recordConsequencesSchema, recordConsequencesSignal } from '../../src/contracts/ledger';
import { caseChangedSignal, caseChangeSchema, programmeStateQuery, programmeWorkflowId } from '../../src/contracts/programme';
import {
  decideProposalSchema,
  decideProposalUpdate,
  recordStudySchema,
  recordStudyUpdate,
  submitReportSchema,
  submitReportUpdate,
  targetChangedSignal,
  targetChangeSchema,
  townshipStateQuery,
  townshipWorkflowId,
} from '../../src/contracts/township';
import {
  progressReportedPayloadSchema,
  progressReportedSignal,
  reassignSchema,
  reassignUpdate,
  recordAcceptanceSchema,
  recordAcceptanceUpdate,
  recordProgressSchema,
  recordProgressUpdate,
  reviewPlanSchema,
  reviewPlanUpdate,
  stateQuery,
  submitPlanSchema,
  submitPlanUpdate,
  withdrawSchema,
  withdrawUpdate,
} from '../../src/contracts/village';
import { localDateOf } from '../../src/domain/calendar';
import { builtinPolicy } from '../../src/domain/policy';
import { orderTalkSchema, orderTalkUpdate } from '../../src/contracts/inquiry';
import { official2027 } from '../support/calendar';
import { sampleRosterFile } from '../support/mail';
import { useVillageWorld, acceptanceOf } from '../support/village';

/**
 * Every update and signal of every workflow, given payloads a fuzzer makes (anything JSON, and
 * valid payloads with one field wrong, missing, extra or oversized): an update is rejected naming
 * the field, a signal is dropped and recorded, no workflow task fails, and nothing else changes.
 * Only payloads the contract's schema refuses are sent, so none of them may take effect.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ devServer: true });
const RUNS = 12;
const today = localDateOf(Date.now());

const json = <T>(v: T): unknown => JSON.parse(JSON.stringify(v) ?? 'null');

/** Payloads the schema refuses: anything at all, or the valid base with one thing wrong. */
function invalidPayloads(schema: z.ZodType, base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(base);
  return fc
    .oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ k: fc.constantFrom(...keys), v: fc.jsonValue({ maxDepth: 2 }) }).map(({ k, v }) => ({ ...base, [k]: v })),
      fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(base).filter(([x]) => x !== k))),
      fc.record({ k: fc.string({ minLength: 1, maxLength: 8 }), v: fc.jsonValue({ maxDepth: 1 }) }).map(({ k, v }) => ({ ...base, [k]: v })),
      fc.constantFrom(...keys).map((k) => ({ ...base, [k]: '长'.repeat(5000) })),
      fc.constantFrom(...keys).map((k) => ({ ...base, [k]: Array.from({ length: 300 }, () => base[k]) })),
    )
    .map(json)
    .filter((p) => !schema.safeParse(p).success);
}

/** What may differ after dropped input: its record, and the time-dependent parts of a view. */
function settled(view: Record<string, unknown>): Record<string, unknown> {
  // The moment it speaks of moves with every read; the state does not.
  const { history: _h, dropped: _d, asOf: _a, ...rest } = view;
  return rest;
}

/** No task failed, and no update was accepted but the `accepted` ones made before the fuzzing. */
async function noTaskFailed(handle: WorkflowHandle, accepted = 0): Promise<void> {
  const history = await handle.fetchHistory();
  expect(history.events?.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(accepted);
}

async function fuzzUpdate(handle: WorkflowHandle, def: UpdateDefinition<unknown, [never]>, schema: z.ZodType, base: Record<string, unknown>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(invalidPayloads(schema, base), async (payload) => {
      const err = await handle.executeUpdate(def as UpdateDefinition<unknown, [unknown]>, { args: [payload] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${def.name} accepted ${JSON.stringify(payload).slice(0, 200)}`).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; message: string };
      expect(cause.type).toBe('InvalidInput');
      // The message names the field (or the payload as a whole) and what is wrong with it.
      expect(cause.message).toMatch(/^[^：]+：/);
    }),
    { numRuns: RUNS },
  );
}

async function fuzzSignal(
  handle: WorkflowHandle,
  def: SignalDefinition<[never]>,
  schema: z.ZodType,
  base: Record<string, unknown>,
  dropped: () => Promise<readonly { what: string }[]>,
): Promise<void> {
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(invalidPayloads(schema, base), async (payload) => {
      await handle.signal(def as SignalDefinition<[unknown]>, payload);
      sent++;
    }),
    { numRuns: RUNS },
  );
  // Each one dropped and recorded (the record keeps the latest 20).
  await vi.waitFor(async () => expect((await dropped()).filter((d) => d.what.includes(def.name)).length).toBe(Math.min(sent, 20)), { timeout: 15_000, interval: 200 });
}

test('no update or signal payload breaks a workflow or changes it', async () => {
  const { client } = world.env;
  const village = await designateTarget(client, world.taskQueue, roster, 'QS03', { redesignate: `${today.slice(0, 7)}-01` });
  const township = client.workflow.getHandle(townshipWorkflowId('QS'));
  const programme = client.workflow.getHandle(programmeWorkflowId(roster.county.code));
  const ledger = client.workflow.getHandle(ledgerWorkflowId(roster.county.code));
  const inquiry = await issueInquiry(client, world.taskQueue, roster, { township: 'QS', reason: '半月报告多次逾期未报', issuedBy: 'zzb-zhang' });
  const views = {
    village: () => village.query(stateQuery) as Promise<unknown> as Promise<Record<string, unknown>>,
    township: () => township.query(townshipStateQuery) as Promise<unknown> as Promise<Record<string, unknown>>,
    programme: () => programme.query(programmeStateQuery) as Promise<unknown> as Promise<Record<string, unknown>>,
    inquiry: () => inquiry.query(inquiryStateQuery) as Promise<unknown> as Promise<Record<string, unknown>>,
  };
  // Once each has loaded its calendar and opened its duties.
  for (const view of Object.values(views)) await vi.waitFor(async () => expect(((await view()) as { calendarYears: unknown[] }).calendarYears.length).toBeGreaterThan(0), { timeout: 10_000 });
  const before = Object.fromEntries(await Promise.all(Object.entries(views).map(async ([k, v]) => [k, settled(await v())] as const)));
  const ledgerBefore = await ledger.query(ledgerEntriesQuery);

  const common = (handle: WorkflowHandle): (() => Promise<void>)[] => [
    () => fuzzUpdate(handle, fulfilObligationUpdate as never, fulfilObligationSchema, { obligationId: 'rectification-plan/village:QS03/2026', fulfilledOn: today, by: 'qs-sec', note: '' }),
    () => fuzzUpdate(handle, waiveObligationUpdate as never, waiveObligationSchema, { obligationId: 'rectification-plan/village:QS03/2026', by: 'zzb-zhang', reason: '经研究予以免除' }),
    () => fuzzUpdate(handle, applyPolicyUpdate as never, applyPolicySchema, { policy: builtinPolicy(), by: 'zzb-zhang' }),
    () => fuzzUpdate(handle, retryDeliveriesUpdate as never, retryDeliveriesSchema, { by: 'zzb-zhang' }),
  ];
  for (const handle of [village, township, programme, inquiry] as WorkflowHandle[]) for (const run of common(handle)) await run();

  await fuzzUpdate(village, submitPlanUpdate as never, submitPlanSchema, { submittedBy: 'qs-sec', summary: '规范“两会两票”，公开村务财务', measures: ['每季度公开村务财务'] });
  await fuzzUpdate(village, reviewPlanUpdate as never, reviewPlanSchema, { reviewer: 'zzb-zhang', decision: 'return', comments: '措施不具体', revisionDue: today });
  await fuzzUpdate(village, recordProgressUpdate as never, recordProgressSchema, { period: `${today.slice(0, 7)}-H1`, reportedBy: 'qs-org', progress: '推进中推进中' });
  await fuzzUpdate(village, recordAcceptanceUpdate as never, recordAcceptanceSchema, acceptanceOf('QS03', { year: 2027, evaluatedOn: '2027-11-25', transformed: true, evaluator: 'zzb-li', summary: '已经转化' }));
  await fuzzUpdate(village, reassignUpdate as never, reassignSchema, { role: 'first-secretary', person: 'spare-fs', effectiveOn: today, by: 'zzb-zhang' });
  await fuzzUpdate(village, withdrawUpdate as never, withdrawSchema, { by: 'zzb-zhang', reason: '经复核不符合认定标准' });
  await fuzzUpdate(township, submitReportUpdate as never, submitReportSchema, { period: `${today.slice(0, 7)}-H1`, reportedBy: 'qs-org', entries: [{ village: 'QS03', progress: '推进中推进中' }] });
  await fuzzUpdate(township, recordStudyUpdate as never, recordStudySchema, { quarter: '2026-Q4', heldOn: today, summary: '专题研究整顿工作', by: 'qs-sec' });
  await fuzzUpdate(township, decideProposalUpdate as never, decideProposalSchema, { quarter: '2026-Q4', decision: 'decline', by: 'zzb-zhang', note: '已整改到位' });
  await fuzzUpdate(inquiry, submitExplanationUpdate as never, submitExplanationSchema, { by: 'qs-sec', rootCause: '组织干事调整', measures: '明确专人负责', timeLimit: today });
  await fuzzUpdate(inquiry, reviewExplanationUpdate as never, reviewExplanationSchema, { by: 'zzb-zhang', decision: 'accept', note: '' });
  await fuzzUpdate(inquiry, scheduleTalkUpdate as never, scheduleTalkSchema, { by: 'zzb-zhang', at: `${today}T09:30`, place: '县委组织部', conductor: 'zzb-head' });
  await fuzzUpdate(inquiry, recordTalkUpdate as never, recordTalkSchema, { by: 'zzb-zhang', heldOn: today, outcome: '已约谈并提出要求', accountability: [] });
  await fuzzUpdate(inquiry, orderTalkUpdate as never, orderTalkSchema, { by: 'zzb-zhang', why: '问题突出需要约谈' });

  const droppedOf = (view: () => Promise<Record<string, unknown>>) => async () => ((await view()) as { dropped: { what: string }[] }).dropped;
  const calendar = { ...official2027 } as unknown as Record<string, unknown>;
  for (const [handle, view] of [
    [village, views.village],
    [township, views.township],
    [programme, views.programme],
    [inquiry, views.inquiry],
  ] as const) {
    await fuzzSignal(handle as WorkflowHandle, calendarPublishedSignal as never, calendarPublishedPayloadSchema, calendar, droppedOf(view));
  }
  const progress = { key: 'fuzz', period: `${today.slice(0, 7)}-H1`, reportedBy: 'qs-org', progress: '推进中', duties: [], amendment: false };
  await fuzzSignal(village, progressReportedSignal as never, progressReportedPayloadSchema, progress, droppedOf(views.village));
  const change = { village: 'QS03', township: 'QS', date: today };
  await fuzzSignal(township, targetChangedSignal as never, targetChangeSchema, change, droppedOf(views.township));
  await fuzzSignal(programme, targetChangedSignal as never, targetChangeSchema, change, droppedOf(views.programme));
  await fuzzSignal(programme, caseChangedSignal as never, caseChangeSchema, { caseId: 'QS-fuzz', township: 'QS', open: true }, droppedOf(views.programme));
  const consequence = { kind: 'award-ineligible', subject: { type: 'person', id: 'qs-sec' }, from: today, clause: '六(四)', reason: '函询', cause: 'fuzz' };
  await fuzzUpdate(ledger, allocateDocNumberUpdate as never, allocateDocNumberSchema, { key: 'QS-fuzz/letter' });
  await fuzzSignal(ledger, recordConsequencesSignal as never, recordConsequencesSchema, { caseId: 'fuzz', consequences: [consequence] }, () => ledger.query(ledgerDroppedQuery));

  // Nothing changed but the record of what was dropped; no task failed anywhere.
  for (const [k, view] of Object.entries(views)) expect(settled(await view()), k).toEqual(before[k]);
  expect(await ledger.query(ledgerEntriesQuery)).toEqual(ledgerBefore);
  for (const handle of [village, township, programme] as WorkflowHandle[]) await noTaskFailed(handle);
  await noTaskFailed(inquiry, 1); // the case opened, which issuing waits for
  await noTaskFailed(ledger, 1); // the 文号 of the inquiry's letter
  expect((await inquiry.query(inquiryStateQuery)).docNumber).toEqual({ year: Number(today.slice(0, 4)), seq: 1 });
  // What was dropped is in the record officials read, with the problem.
  expect(((await views.village()) as { history: { type: string; text: string }[] }).history.filter((h) => h.type === 'dropped').at(-1)?.text).toMatch(/^收到的半月进展无效，已忽略：/);
}, 600_000);
