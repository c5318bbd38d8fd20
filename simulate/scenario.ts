/**
 * A simulation scenario: the county (roster, policy), the span simulated, a seed, and how the
 * simulated people behave: how often each kind of duty is done on time, late or never (per kind,
 * per township), how acceptances turn out, how the department answers plans, proposals and
 * explanations, and scripted events for one target, township or duty. YAML or JSON; every
 * problem is reported with its path.
 */
import path from 'node:path';
import { z } from 'zod';
import { localDateSchema } from '../src/domain/calendar';
import { obligationKinds } from '../src/domain/kinds';
import { readDataFile } from '../src/infra/data-file';

const share = z.number().min(0, '应在0到1之间').max(1, '应在0到1之间');

/** How a kind of duty is done: shares on time, late and never; what is left is on time. */
export const ratesSchema = z
  .strictObject({ onTime: share.optional(), late: share.default(0), missed: share.default(0) })
  .superRefine((r, ctx) => {
    const sum = (r.onTime ?? 0) + r.late + r.missed;
    if (sum > 1.000001) ctx.addIssue({ code: 'custom', path: [], message: `onTime、late、missed之和为${sum.toFixed(3)}，不能大于1` });
  })
  .transform((r) => ({ late: r.late, missed: r.missed, onTime: r.onTime ?? 1 - r.late - r.missed }));
export type Rates = z.output<typeof ratesSchema>;

const code = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '编码为1–40个字母、数字、_或-');
const kind = z.enum(obligationKinds, { error: `应为事项种类之一：${obligationKinds.join('、')}` });

const eventSchema = z.discriminatedUnion(
  'type',
  [
    /** Duties not done at all: of a kind, a township or village, within dates, or one duty by id. */
    z.strictObject({
      type: z.literal('missed'),
      township: code.optional(),
      village: code.optional(),
      kind: kind.optional(),
      obligation: z.string().min(1).max(160).optional(),
      from: localDateSchema.optional(),
      until: localDateSchema.optional(),
    }),
    /** The department's verdict on one target's acceptance of a year. */
    z.strictObject({ type: z.literal('acceptance'), village: code, year: z.number().int().min(2000).max(2100), transformed: z.boolean() }),
    z.strictObject({ type: z.literal('withdrawal'), village: code, on: localDateSchema, reason: z.string().min(4).max(500) }),
    z.strictObject({ type: z.literal('reassignment'), village: code, on: localDateSchema, role: z.enum(['first-secretary', 'township-liaison']), person: code }),
  ],
  { error: '事件类型应为 missed、acceptance、withdrawal 或 reassignment' },
);
export type ScriptedEvent = z.infer<typeof eventSchema>;

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).max(200).default('模拟'),
  /** A roster file, relative to the scenario file; the sample county when absent. */
  roster: z.string().min(1).optional(),
  /** A policy file, relative to the scenario file; the built-in policy when absent. */
  policy: z.string().min(1).optional(),
  /** The first day simulated; the earliest designation when absent. */
  start: localDateSchema.optional(),
  /** The last day simulated; the end of the last target's three-year cycle when absent. */
  end: localDateSchema.optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  behaviour: z
    .strictObject({
      default: ratesSchema.default({ onTime: 0.85, late: 0.1, missed: 0.05 }),
      byKind: z.partialRecord(kind, ratesSchema).default({}),
      /** Rates for one township's duties (and its targets'), before those by kind. */
      byTownship: z.record(code, ratesSchema).default({}),
      /** A late duty is done this many days after its due date (inclusive range). */
      lateDays: z.tuple([z.number().int().min(1), z.number().int().min(1)]).default([2, 20]),
      /** The department's acceptances: the share of targets not yet transformed that are transformed each year (a transformed one stays so). */
      acceptancePassRate: share.default(0.85),
      /** Plans returned for revision on first review. */
      planReturnRate: share.default(0.1),
      /** Working days the department takes to review a plan, or to answer a proposal. */
      departmentDays: z.number().int().min(0).max(60).default(3),
      /** Proposals of an inquiry the department follows with a letter; the rest it declines. */
      proposalInquiryRate: share.default(0.7),
      /** Explanations the department judges serious enough for a talk. */
      explanationTalkRate: share.default(0.2),
      /** Where the policy leaves a missed explanation to the department: the share it answers with a talk (it waives the rest). */
      missedExplanationTalkRate: share.default(1),
    })
    .prefault({}),
  events: z.array(eventSchema).max(1000).default([]),
});
export type Scenario = z.output<typeof scenarioSchema> & { readonly dir: string };

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`模拟场景文件有误（${file}）：\n${issues.map((i) => `  ${i.path}：${i.message}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** Parses a scenario (already read), naming the path of every problem. */
export function parseScenario(data: unknown, file: string): Scenario {
  const r = scenarioSchema.safeParse(data ?? {});
  if (!r.success) throw new ScenarioError(file, r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(场景)', message: i.message })));
  const s = r.data;
  if (s.start && s.end && s.end < s.start) throw new ScenarioError(file, [{ path: 'end', message: `结束日期${s.end}早于开始日期${s.start}` }]);
  if (s.behaviour.lateDays[1] < s.behaviour.lateDays[0]) throw new ScenarioError(file, [{ path: 'behaviour.lateDays', message: '应为[最少天数, 最多天数]' }]);
  return { ...s, dir: path.dirname(path.resolve(file)) };
}

/** Reads a scenario file: YAML, or JSON by its .json extension. */
export function readScenario(file: string): Scenario {
  let data: unknown;
  try {
    data = readDataFile(file);
  } catch (err) {
    throw new ScenarioError(file, [{ path: '(文件)', message: `无法读取：${(err as Error).message}` }]);
  }
  return parseScenario(data, file);
}
