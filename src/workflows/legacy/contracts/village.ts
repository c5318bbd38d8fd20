/**
 * Contract of the village rectification workflow: its id, input, messages and state, shared by
 * the workflow, the worker, the surfaces for officials and operators, and the tests.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { localDateSchema, type LocalDate, type Phase } from '../domain/calendar';
import type { Consequence } from '../domain/consequences';
import { designationSchema } from '../domain/criteria';
import { escalationPolicySchema, type Severity } from '../domain/escalation';
import type { ObligationKind } from '../domain/obligations';

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

const personId = z.string().trim().min(1, 'must name a person');
const text = (min: number, what: string): z.ZodString => z.string().trim().min(min, `${what} must be at least ${min} characters`);

export const villageInputSchema = z.object({
  township: z.string().trim().min(1),
  /** The county's code: changes of the designation are told to the county programme too. */
  county: z.string().trim().min(1).optional(),
  designation: designationSchema,
  firstSecretary: personId.optional(),
  liaison: personId.optional(),
  policy: escalationPolicySchema.optional(),
});
export type VillageInput = z.infer<typeof villageInputSchema>;

// --- Updates -----------------------------------------------------------------------------------

export const submitPlanSchema = z.object({
  submittedBy: personId,
  summary: text(10, 'summary'),
  measures: z.array(text(4, 'each measure')).min(1, 'a plan lists at least one measure'),
});
export type SubmitPlan = z.infer<typeof submitPlanSchema>;

export const reviewPlanSchema = z
  .object({
    reviewer: personId,
    decision: z.enum(['approve', 'return']),
    comments: z.string().trim().default(''),
    /** Required when the plan is returned: the new deadline for the revised plan. */
    revisionDue: localDateSchema.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.decision === 'return' && !r.revisionDue) ctx.addIssue({ code: 'custom', path: ['revisionDue'], message: 'a returned plan needs a new deadline' });
    if (r.decision === 'return' && r.comments.length < 4) ctx.addIssue({ code: 'custom', path: ['comments'], message: 'say what to revise' });
  });
export type ReviewPlan = z.input<typeof reviewPlanSchema>;

/** Duties a progress report can attest, with the day they were done. */
export const attestableDuties = ['first-secretary-visit', 'first-secretary-symposium', 'village-quarterly-debriefing', 'three-meetings-one-lesson'] as const;

export const recordProgressSchema = z.object({
  /** The half month reported on (六(三)), e.g. 2019-03-H1. */
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-H[12]$/, 'must be a half month like 2019-03-H1'),
  reportedBy: personId,
  progress: text(4, 'progress'),
  problems: z.string().trim().default(''),
  nextSteps: z.string().trim().default(''),
  duties: z.array(z.object({ kind: z.enum(attestableDuties), date: localDateSchema })).default([]),
});
export type RecordProgress = z.input<typeof recordProgressSchema>;

export const fulfilObligationSchema = z.object({
  obligationId: z.string().min(1),
  fulfilledOn: localDateSchema,
  by: personId,
  note: z.string().trim().default(''),
});
export type FulfilObligation = z.input<typeof fulfilObligationSchema>;

export const waiveObligationSchema = z.object({
  obligationId: z.string().min(1),
  by: personId,
  reason: text(4, 'reason'),
});
export type WaiveObligation = z.input<typeof waiveObligationSchema>;

export const recordAcceptanceSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  evaluatedOn: localDateSchema,
  transformed: z.boolean(),
  evaluator: personId,
  summary: text(4, 'summary'),
});
export type RecordAcceptance = z.infer<typeof recordAcceptanceSchema>;

export const reassignSchema = z.object({
  role: z.enum(['first-secretary', 'township-liaison']),
  person: personId,
  effectiveOn: localDateSchema,
  by: personId,
});
export type Reassign = z.infer<typeof reassignSchema>;

export const withdrawSchema = z.object({ by: personId, reason: text(4, 'reason') });
export type Withdraw = z.infer<typeof withdrawSchema>;

export const submitPlanUpdate = defineUpdate<VillageView, [SubmitPlan]>('submitPlan');
export const reviewPlanUpdate = defineUpdate<VillageView, [ReviewPlan]>('reviewPlan');
export const recordProgressUpdate = defineUpdate<VillageView, [RecordProgress]>('recordProgress');
export const fulfilObligationUpdate = defineUpdate<VillageView, [FulfilObligation]>('fulfilObligation');
export const waiveObligationUpdate = defineUpdate<VillageView, [WaiveObligation]>('waiveObligation');
export const recordAcceptanceUpdate = defineUpdate<VillageView, [RecordAcceptance]>('recordAcceptance');
export const reassignUpdate = defineUpdate<VillageView, [Reassign]>('reassign');
export const withdrawUpdate = defineUpdate<VillageView, [Withdraw]>('withdraw');

export const stateQuery = defineQuery<VillageView>('state');

/**
 * A township's half-monthly report entry for this village, forwarded by the township workflow,
 * which has validated it. A signal, not an update: the township must not wait on each village,
 * and a signal costs the village's history fewer events. `key` makes a re-sent entry harmless.
 */
export interface ForwardedProgress {
  readonly key: string;
  readonly period: string;
  readonly reportedBy: string;
  readonly progress: string;
  readonly problems: string;
  readonly nextSteps: string;
  readonly duties: readonly { readonly kind: (typeof attestableDuties)[number]; readonly date: LocalDate }[];
  readonly amendment: boolean;
}
/** One entry, or several of one village (first-half entries held back to go with the next). */
export const progressReportedSignal = defineSignal<[ForwardedProgress | readonly ForwardedProgress[]]>('progressReported');

// --- Notices (the activity's input and output) -------------------------------------------------

export interface NoticeRequest {
  /** Idempotency key: workflow id + obligation id + ladder step. */
  readonly key: string;
  /** Empty for a township's or the county's own duty. */
  readonly village: string;
  /** Empty for the county's own duty. */
  readonly township: string;
  /** Whose duty it is; absent means a village (notices recorded before townships had workflows). */
  readonly subject?: 'village' | 'township' | 'county';
  /** Village codes the duty covers, e.g. the targets of an acceptance campaign (五(一)). */
  readonly targets?: readonly string[];
  readonly obligation: {
    readonly id: string;
    readonly kind: ObligationKind;
    readonly title: string;
    readonly clause: string;
    readonly periodLabel: string;
    readonly dueDate: LocalDate;
    readonly nominalDue: LocalDate;
    readonly provisional: boolean;
  };
  readonly step: { readonly id: string; readonly severity: Severity };
  readonly notify: readonly string[];
  /** Posts the workflow itself assigns (reassignments); other posts come from the roster. */
  readonly assigned: { readonly 'first-secretary'?: string; readonly 'township-liaison'?: string };
}

export interface NoticeResult {
  readonly key: string;
  readonly status: 'sent' | 'already-sent' | 'failed' | 'no-recipient';
  /** Addresses the mail server accepted (now or on an earlier try). */
  readonly recipients: readonly string[];
  /** Addresses it refused for good (5xx). */
  readonly refused?: readonly string[];
  readonly error?: string;
}

// --- State as operators and officials see it ----------------------------------------------------

export interface HistoryEntry {
  readonly at: string;
  readonly type: string;
  /** For officials, in Chinese. */
  readonly text: string;
  readonly by?: string;
}

export interface UpcomingObligation {
  readonly id: string;
  readonly kind: ObligationKind;
  readonly title: string;
  readonly clause: string;
  readonly periodLabel: string;
  readonly dueDate: LocalDate;
  readonly provisional: boolean;
  readonly overdue: boolean;
  readonly nextStep?: { readonly id: string; readonly severity: Severity; readonly at: string };
}

export interface FailedDelivery {
  readonly key: string;
  readonly obligationId: string;
  readonly step: string;
  readonly at: string;
  /** Who did not get it: refused addresses (none when nobody holds the post). */
  readonly recipients: readonly string[];
  readonly error: string;
}

export interface DeliveryDelay {
  readonly since: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly retryAt: string;
  readonly pending: number;
}

export interface AcceptanceRecord {
  readonly year: number;
  readonly date: LocalDate;
  readonly transformed: boolean;
  readonly evaluator: string;
  readonly summary: string;
}

/** What every long-running entity (village, township, county) shows about its duties and mail. */
export interface EntityStatus {
  readonly upcoming: readonly UpcomingObligation[];
  readonly overdue: boolean;
  readonly failedDeliveries: readonly FailedDelivery[];
  readonly failedDeliveryCount: number;
  /** Notices the mail server has not taken yet; they are retried until it does. */
  readonly deliveryDelayed?: DeliveryDelay;
  readonly history: readonly HistoryEntry[];
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
  readonly plan?: {
    readonly submittedOn?: LocalDate;
    readonly summary?: string;
    readonly measures?: readonly string[];
    readonly status: 'due' | 'submitted' | 'returned' | 'approved';
    readonly revisionDue?: LocalDate;
    readonly revisions: number;
  };
  readonly acceptances: readonly AcceptanceRecord[];
  readonly consequences: readonly Consequence[];
}

export interface VillageOutcome {
  readonly village: string;
  readonly stage: Stage;
  readonly acceptances: readonly AcceptanceRecord[];
}
