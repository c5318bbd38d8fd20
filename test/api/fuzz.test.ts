import fc from 'fast-check';
import { expect, test, vi } from 'vitest';
import type { z } from 'zod';
import { routes } from '../../src/service/routes';
import { inquiryWorkflowId } from '../../src/contracts/inquiry';
import { programmeWorkflowId } from '../../src/contracts/programme';
import { townshipWorkflowId } from '../../src/contracts/township';
import { villageWorkflowId } from '../../src/contracts/village';
import { useApiWorld } from '../support/api';

/**
 * Bodies a fuzzer makes for every endpoint (wrong types, huge strings, unknown keys, script tags),
 * sent by someone allowed to act: never a 5xx, always a 4xx that says what is wrong, and no
 * workflow takes an update or a signal from any of them.
 */
const api = useApiWorld();
const RUNS = 15;

const nasty = fc.constantFrom('<script>alert(1)</script>', '长'.repeat(20_000), "'; DROP TABLE x; --", '\u0000\u000b\ufffe', '../../etc/passwd', '{{7*7}}', '😀'.repeat(500));

function bodies(schema: z.ZodType | undefined, base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(base);
  const some = [
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({ k: fc.string({ minLength: 1, maxLength: 12 }), v: fc.oneof(fc.jsonValue({ maxDepth: 1 }), nasty) }).map(({ k, v }) => ({ ...base, [k]: v })),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty), { maxKeys: 6 }),
  ];
  if (keys.length) {
    some.push(fc.record({ k: fc.constantFrom(...keys), v: fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty) }).map(({ k, v }) => ({ ...base, [k]: v })));
    some.push(fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(base).filter(([x]) => x !== k))));
  }
  return fc.oneof(...some).filter((b) => (schema ? !schema.safeParse(b).success : true));
}

test('no body breaks an endpoint or changes a workflow', async () => {
  const { app } = api;
  const head = api.bearer('zzb-head');
  expect((await app.inject({ method: 'POST', url: '/api/villages/QS03/designate', headers: head, payload: {} })).statusCode).toBe(201);
  expect((await app.inject({ method: 'POST', url: '/api/cases', headers: head, payload: { township: 'QS', reason: '半月报告多次逾期未报', caseId: 'QS-fuzz' } })).statusCode).toBe(201);
  const workflows = [villageWorkflowId('QS03'), townshipWorkflowId('QS'), inquiryWorkflowId('QS-fuzz'), programmeWorkflowId('YL')];
  const taken = async (): Promise<number> => {
    let n = 0;
    for (const id of workflows) {
      const events = (await api.world.env.client.workflow.getHandle(id).fetchHistory()).events ?? [];
      n += events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionSignaledEventAttributes).length;
    }
    return n;
  };
  // The case tells the county programme it opened (a signal of its own, after the request returns).
  await vi.waitFor(
    async () => {
      const events = (await api.world.env.client.workflow.getHandle(programmeWorkflowId('YL')).fetchHistory()).events ?? [];
      expect(events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'caseChanged')).toBe(true);
    },
    { timeout: 10_000, interval: 200 },
  );
  const before = await taken();

  // Who may do each (the department, or the township for its own acts).
  const actorFor = (action: string): { headers: Record<string, string>; id: string } =>
    ['plan.submit', 'progress.record', 'report.submit', 'study.record', 'explanation.submit'].includes(action)
      ? { headers: api.bearer('qs-org'), id: 'qs-org' }
      : { headers: head, id: 'zzb-head' };
  const url = (u: string): string => u.replace(':code', u.startsWith('/api/townships') ? 'QS' : 'QS03').replace(':id', 'QS-fuzz').replace(':year', '2026').replace(':date', '2026-11-01');

  const failures: string[] = [];
  for (const spec of routes.filter((r) => r.method === 'POST')) {
    const who = actorFor(spec.action);
    const schema = spec.body?.schema;
    const field = spec.body?.actorField;
    // The body the service would parse is this one with the actor added.
    const invalid = schema ? { safeParse: (b: unknown) => (typeof b === 'object' && b !== null && !Array.isArray(b) && !(field && field in b) ? schema.safeParse(field ? { ...b, [field]: who.id } : b) : { success: false }) } : undefined;
    await fc.assert(
      fc.asyncProperty(bodies(invalid as z.ZodType | undefined, {}), async (body) => {
        const res = await app.inject({ method: 'POST', url: url(spec.url), headers: { ...who.headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        if (res.statusCode >= 500 || res.statusCode < 400) failures.push(`${spec.url} ${res.statusCode} ${JSON.stringify(body).slice(0, 100)} → ${res.body.slice(0, 100)}`);
        else if (!/\S/.test(res.json<{ message?: string }>().message ?? '')) failures.push(`${spec.url}: ${res.statusCode} without a message`);
      }),
      { numRuns: RUNS },
    );
  }
  // Not JSON at all, or too big.
  const raw = await app.inject({ method: 'POST', url: '/api/villages/QS03/plan', headers: { ...api.bearer('qs-org'), 'content-type': 'application/json' }, payload: '{"summary": <script>' });
  expect(raw.statusCode).toBe(400);
  expect(raw.json().message).toBe('请求内容不是有效的JSON');
  const huge = await app.inject({ method: 'POST', url: '/api/villages/QS03/plan', headers: { ...api.bearer('qs-org'), 'content-type': 'application/json' }, payload: JSON.stringify({ summary: 'x'.repeat(300_000) }) });
  expect(huge.statusCode).toBe(413);
  // Query strings of the list.
  await fc.assert(
    fc.asyncProperty(fc.dictionary(fc.constantFrom('kind', 'township', 'overdue', 'limit', 'closed', 'x'), fc.oneof(fc.string(), nasty), { maxKeys: 4 }), async (q) => {
      const res = await app.inject({ method: 'GET', url: '/api/entities', query: q, headers: head });
      if (res.statusCode >= 500) failures.push(`/api/entities ${JSON.stringify(q).slice(0, 100)} → ${res.statusCode}`);
    }),
    { numRuns: 40 },
  );
  expect(failures).toEqual([]);
  expect(await taken()).toBe(before);
}, 300_000);
