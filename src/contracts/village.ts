/**
 * Contract of the village rectification workflow: its id, input, messages and state, shared by
 * the workflow, the worker, the surfaces for officials and operators, and the tests.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema, optionalWhenPresent } from '../domain/lazy-schema';
import { calendarYearsSchema, localDateSchema, type LocalDate, type Phase } from '../domain/calendar';
import type { AcceptanceResult, Consequence } from '../domain/consequences';
import { designationSchema, starRatingSchema, type StarRating } from '../domain/criteria';
import { policySchema } from '../domain/policy';
import { codeSchema, optionalText, personId, text, type EntityStatus } from './common';

export const VILLAGE_WORKFLOW_TYPE = 'villageRectification';

/** One workflow per target; the village code is the idempotency key of a designation. */
export function villageWorkflowId(villageCode: string): string {
  return `village:${villageCode}`;
}

export const stages = [
  'plan-due',
  'plan-submitted',
  'plan-returned',
  'rectifying',
  'acceptance',
  'consolidating',
  'upgrading',
  'closed',
  'withdrawn',
] as const;
export type Stage = (typeof stages)[number];

export const stageLabels: Record<Stage, string> = {
  'plan-due': '待报送整顿方案',
  'plan-submitted': '整顿方案待审核',
  'plan-returned': '整顿方案退回修改',
  rectifying: '整顿中',
  acceptance: '验收评价中',
  consolidating: '巩固阶段',
  upgrading: '提升阶段',
  closed: '已结束',
  withdrawn: '已撤销认定',
};

export const villageInputSchema = lazySchema(() => z.object({
  township: codeSchema,
  /** The county's code: changes of the designation are told to the county programme and ledger. */
  county: codeSchema.optional(),
  designation: designationSchema,
  firstSecretary: personId.optional(),
  liaison: personId.optional(),
  /** The county's policy in force at designation (policy file); the built-in one when absent. */
  policy: optionalWhenPresent(policySchema),
  /** The holiday arrangement of the years the workflow needs first; it asks the worker for the rest. */
  calendar: optionalWhenPresent(calendarYearsSchema),
}));
export type VillageInput = z.input<typeof villageInputSchema>;

// --- Updates -----------------------------------------------------------------------------------

/**
 * 五(一) "分类提出每个整顿对象的整治、巩固、提升的具体方案": the three stages of a target's plan;
 * 五(二) "第一年抓重点问题整治，第二年抓巩固，第三年抓提升".
 */
export const planStages = ['rectify', 'consolidate', 'upgrade'] as const;
export type PlanStage = (typeof planStages)[number];
export const planStageLabels: Record<PlanStage, string> = { rectify: '整治', consolidate: '巩固', upgrade: '提升' };

/**
 * One measure of a plan: its stage, what is done, and, when it is dated, who answers for it: a
 * dated measure becomes a duty of its owner once the plan is approved. A line of text is an
 * undated measure of the 整治 stage.
 */
export const planMeasureSchema = lazySchema(() => z.preprocess(
  (m) => (typeof m === 'string' ? { stage: 'rectify', what: m } : m),
  z
    .strictObject({
      stage: z.enum(planStages, { error: '应为 rectify（整治）、consolidate（巩固）或 upgrade（提升）' }),
      what: text(4, 500, '措施内容'),
      owner: personId.optional(),
      due: localDateSchema.optional(),
    })
    .superRefine((m, ctx) => {
      if (m.due && !m.owner) ctx.addIssue({ code: 'custom', path: ['owner'], message: '有完成时限的措施须明确责任人' });
    }),
));
export type PlanMeasure = z.output<typeof planMeasureSchema>;

/**
 * 五(二) "对经济基础薄弱的软弱涣散基层党组织…拿出具体的'时间表'和'路线图'": the route the
 * collective economy takes and its dated milestones, each a duty of its owner once approved.
 */
export const roadmapSchema = lazySchema(() => z.strictObject({
  route: text(10, 1000, '路线图'),
  milestones: z
    .array(z.strictObject({ date: localDateSchema, goal: text(4, 300, '节点目标'), owner: personId }))
    .min(1, '时间表至少列出一个节点')
    .max(12, '时间表最多12个节点'),
}));
export type Roadmap = z.output<typeof roadmapSchema>;

export const submitPlanSchema = lazySchema(() => z
  .strictObject({
    submittedBy: personId,
    summary: text(10, 2000, '方案概要'),
    /** The problems found, by the ground (三(一)–(六)) the target was designated on. */
    problems: z
      .array(z.strictObject({ criterion: z.number().int().min(1).max(6), problem: text(4, 1000, '存在问题') }))
      .max(6)
      .default([]),
    measures: z.array(planMeasureSchema).min(1, '方案至少列出一项整顿措施').max(30, '整顿措施最多30项'),
    /** The target is economically weak (五(二)): its plan carries the 时间表 and 路线图. */
    economicallyWeak: z.boolean().default(false),
    roadmap: roadmapSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.economicallyWeak && !p.roadmap) ctx.addIssue({ code: 'custom', path: ['roadmap'], message: '经济基础薄弱的整顿对象须拿出具体的“时间表”和“路线图”（五(二)）' });
  }));
export type SubmitPlan = z.input<typeof submitPlanSchema>;

export const reviewPlanSchema = lazySchema(() => z
  .strictObject({
    reviewer: personId,
    decision: z.enum(['approve', 'return'], { error: '应为 approve（审核通过）或 return（退回修改）' }),
    comments: optionalText(2000, '审核意见'),
    /** Required when the plan is returned: the new deadline for the revised plan. */
    revisionDue: localDateSchema.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.decision === 'return' && !r.revisionDue) ctx.addIssue({ code: 'custom', path: ['revisionDue'], message: '退回修改须给出重新报送的期限' });
    if (r.decision === 'return' && r.comments.length < 4) ctx.addIssue({ code: 'custom', path: ['comments'], message: '退回修改须写明修改意见（至少4个字）' });
  }));
export type ReviewPlan = z.input<typeof reviewPlanSchema>;

/** Duties a progress report can attest, with the day they were done. */
export const attestableDuties = [
  'first-secretary-visit',
  'first-secretary-symposium',
  'village-quarterly-debriefing',
  'three-meetings-one-lesson',
  'flag-raising',
  'service-day',
  'concentrated-service',
  'religious-contact',
] as const;
/**
 * A duty a report says was done, with its date: a kind of the list above (the one open in the
 * date's period is closed), or a measure of the approved plan named by its duty's id (五(一)).
 */
export const attestedDutySchema = lazySchema(() => z.union([
  z.strictObject({ kind: z.enum(attestableDuties), date: localDateSchema }),
  z.strictObject({ kind: z.literal('plan-measure'), obligationId: z.string().min(1).max(200), date: localDateSchema }),
]));

export const halfMonthSchema = lazySchema(() => z.string().max(10).regex(/^\d{4}-(0[1-9]|1[0-2])-H[12]$/, '应为半月，如2019-03-H1（上半月）或2019-03-H2（下半月）'));

export const recordProgressSchema = lazySchema(() => z.strictObject({
  /** The half month reported on (六(三)), e.g. 2019-03-H1. */
  period: halfMonthSchema,
  reportedBy: personId,
  progress: text(4, 2000, '工作进展'),
  problems: optionalText(2000, '存在问题'),
  nextSteps: optionalText(2000, '下步打算'),
  duties: z.array(attestedDutySchema).max(20, '最多20项').default([]),
}));
export type RecordProgress = z.input<typeof recordProgressSchema>;

/**
 * 五(一) "扎实开展'六有'服务型基层党组织…创建": the six marks of a service-oriented Party
 * organization the acceptance checks (the central opinion on service-oriented Party organizations).
 */
export const sixHasItems = ['leadership', 'backbone', 'venue', 'carriers', 'mechanisms', 'results'] as const;
export type SixHas = (typeof sixHasItems)[number];
export const sixHasLabels: Record<SixHas, string> = {
  leadership: '有坚强有力的领导班子',
  backbone: '有本领过硬的骨干队伍',
  venue: '有功能实用的服务场所',
  carriers: '有形式多样的服务载体',
  mechanisms: '有健全完善的制度机制',
  results: '有群众满意的服务业绩',
};

/** One ground the target was designated on (三(一)–(六)), as the acceptance found it. */
export const acceptanceGroundSchema = lazySchema(() => z.strictObject({
  criterion: z.number().int().min(1, '应为认定情形1–6').max(6, '应为认定情形1–6'),
  resolved: z.boolean(),
  evidence: text(2, 1000, '整改情况'),
}));

/**
 * The county's acceptance of a year (五(一) "次年11月下旬由县委进行验收评价"): each ground the
 * target was designated on with resolved or not and the evidence, the 六有 marks found, the star
 * rating after (三(六)), and the county's decision (transformed or not) with the meeting it was
 * taken at. "Transformed" is the decision on that record, never derived from it; a target with a
 * ground not resolved cannot be decided transformed.
 */
export const recordAcceptanceSchema = lazySchema(() => z.strictObject({
  year: z.number().int().min(2000).max(2100),
  evaluatedOn: localDateSchema,
  grounds: z.array(acceptanceGroundSchema).min(1, '须逐项评价认定时依据的情形（三）').max(6),
  sixHas: z.array(z.enum(sixHasItems, { error: '应为“六有”之一' })).max(6).default([]),
  rating: starRatingSchema.optional(),
  transformed: z.boolean(),
  /**
   * 五(二) "第一年抓重点问题整治，第二年抓巩固，第三年抓提升": the stage a transformed target moves
   * to, as the county decides (default: by the cycle year), and what its plan must now contain.
   */
  nextStage: z.enum(['consolidating', 'upgrading'], { error: '应为巩固或提升' }).optional(),
  nextFocus: optionalText(500, '下一阶段重点'),
  meeting: text(2, 100, '县委验收评价会议'),
  evaluator: personId,
  summary: text(4, 2000, '验收评价意见'),
}));
export type RecordAcceptance = z.input<typeof recordAcceptanceSchema>;

export const reassignSchema = lazySchema(() => z.strictObject({
  role: z.enum(['first-secretary', 'township-liaison']),
  person: personId,
  effectiveOn: localDateSchema,
  by: personId,
}));
export type Reassign = z.infer<typeof reassignSchema>;

export const withdrawSchema = lazySchema(() => z.strictObject({ by: personId, reason: text(4, 1000, '撤销理由') }));
export type Withdraw = z.infer<typeof withdrawSchema>;

export const submitPlanUpdate = defineUpdate<VillageView, [SubmitPlan]>('submitPlan');
export const reviewPlanUpdate = defineUpdate<VillageView, [ReviewPlan]>('reviewPlan');
export const recordProgressUpdate = defineUpdate<VillageView, [RecordProgress]>('recordProgress');
export const recordAcceptanceUpdate = defineUpdate<VillageView, [RecordAcceptance]>('recordAcceptance');
export const reassignUpdate = defineUpdate<VillageView, [Reassign]>('reassign');
export const withdrawUpdate = defineUpdate<VillageView, [Withdraw]>('withdraw');

export const stateQuery = defineQuery<VillageView>('state');

/**
 * A township's half-monthly report entry for this village, forwarded by the township workflow,
 * which has validated it. A signal, not an update: the township must not wait on each village,
 * and a signal costs the village's history fewer events. `key` makes a re-sent entry harmless.
 */
export const forwardedProgressSchema = lazySchema(() => z.strictObject({
  key: z.string().min(1).max(200),
  period: halfMonthSchema,
  reportedBy: personId,
  progress: text(1, 2000, '工作进展'),
  problems: optionalText(2000, '存在问题'),
  nextSteps: optionalText(2000, '下步打算'),
  duties: z.array(attestedDutySchema).max(20).default([]),
  amendment: z.boolean().default(false),
}));
export type ForwardedProgress = z.input<typeof forwardedProgressSchema>;
/** One entry, or several of one village (first-half entries held back to go with the next). */
export const progressReportedPayloadSchema = lazySchema(() => z.union([forwardedProgressSchema, z.array(forwardedProgressSchema).min(1).max(24)]));
export const progressReportedSignal = defineSignal<[ForwardedProgress | readonly ForwardedProgress[]]>('progressReported');

/**
 * The items of a 交办任务书 for this target (五(二)), sent by the county programme once the
 * standing committee has reviewed its plan: each becomes a duty of the person who answers for it.
 * A signal: the programme must not wait on each village; `key` makes a re-sent one harmless.
 */
export const tasksAssignedSchema = lazySchema(() => z.strictObject({
  key: z.string().min(1).max(200),
  studyOn: localDateSchema,
  tasks: z.array(z.strictObject({ n: z.number().int().min(1).max(20), item: text(1, 300, '整顿事项'), deadline: localDateSchema, person: personId })).min(1).max(20),
}));
export type TasksAssigned = z.infer<typeof tasksAssignedSchema>;
export const tasksAssignedSignal = defineSignal<[TasksAssigned]>('tasksAssigned');

/**
 * The standing committee returned the target's plan (五(二) "要专题审核软弱涣散村整顿方案"): it goes
 * back to the township with the committee's opinion and the deadline for the revised plan.
 */
export const planReturnedSchema = lazySchema(() => z.strictObject({
  key: z.string().min(1).max(200),
  studyOn: localDateSchema,
  opinion: text(1, 500, '审核意见'),
  revisionDue: localDateSchema,
}));
export type PlanReturned = z.infer<typeof planReturnedSchema>;
export const planReturnedSignal = defineSignal<[PlanReturned]>('planReturned');

/** The department's 会诊 of this target (五(二)), sent by the county programme; `key` makes a re-sent one harmless. */
export const diagnosedSchema = lazySchema(() => z.strictObject({
  key: z.string().min(1).max(200),
  year: z.number().int().min(2000).max(2100),
  heldOn: localDateSchema,
  by: personId,
  problems: text(1, 500, '发现的问题'),
  planStands: z.boolean(),
  note: optionalText(500, '调整意见'),
}));
export type Diagnosed = z.input<typeof diagnosedSchema>;
export const diagnosedSignal = defineSignal<[Diagnosed]>('diagnosed');

// --- State as operators and officials see it ----------------------------------------------------

export interface AcceptanceRecord {
  readonly year: number;
  readonly date: LocalDate;
  /** Each ground of the designation as found (absent in a record made before grounds were asked). */
  readonly grounds?: readonly { readonly criterion: number; readonly resolved: boolean; readonly evidence: string }[];
  readonly sixHas?: readonly SixHas[];
  readonly rating?: StarRating;
  readonly transformed: boolean;
  /** The stage the county moved a transformed target to, and what its plan must now contain (五(二)). */
  readonly nextStage?: 'consolidating' | 'upgrading';
  readonly nextFocus?: string;
  /** A transformation of an earlier year undone by this acceptance: the target is under rectification again. */
  readonly reopened?: boolean;
  /** The meeting the county decided at (县委验收评价). */
  readonly meeting?: string;
  readonly evaluator: string;
  readonly summary: string;
}

export interface VillageView extends EntityStatus {
  readonly village: string;
  readonly township: string;
  readonly stage: Stage;
  readonly stageLabel: string;
  readonly designation: z.infer<typeof designationSchema>;
  readonly cycleYear: number;
  readonly phase: Phase;
  readonly firstSecretary?: string;
  readonly liaison?: string;
  readonly plan: {
    readonly submittedOn?: LocalDate;
    readonly summary?: string;
    readonly problems?: readonly { readonly criterion: number; readonly problem: string }[];
    readonly measures?: readonly PlanMeasure[];
    readonly economicallyWeak?: boolean;
    readonly roadmap?: Roadmap;
    readonly approvedOn?: LocalDate;
    readonly status: 'due' | 'submitted' | 'returned' | 'approved';
    readonly revisionDue?: LocalDate;
    readonly revisions: number;
  };
  readonly acceptances: readonly AcceptanceRecord[];
  /** The department's 会诊 of the target (五(二)), the latest three. */
  readonly diagnoses: readonly Omit<Diagnosed, 'key'>[];
  /** Recorded results and, for years with none by their end, "not transformed" (五(四)). */
  readonly acceptanceResults: readonly AcceptanceResult[];
  readonly consequences: readonly Consequence[];
}

export interface VillageOutcome {
  readonly village: string;
  readonly stage: Stage;
  readonly acceptances: readonly AcceptanceRecord[];
}
