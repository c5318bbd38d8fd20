/**
 * Contract of an inquiry case (one workflow per case): the organization department's inquiry
 * letter (函询) to a township's party secretary and organization officer, their written
 * explanation, and the talk (约谈) that follows when it is missing or the problem is serious
 * (六(四)); accountability decisions (六(五)). Also the mails of cases and proposals.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { localDateSchema, type LocalDate } from '../domain/calendar';
import type { Consequence } from '../domain/consequences';
import type { Severity } from '../domain/escalation';
import type { Role } from '../../../domain/roster';
import { supervisionPolicySchema, type Lapse } from '../domain/supervision';
import type { DeliveryDelay, FailedDelivery, HistoryEntry } from './village';

export const INQUIRY_WORKFLOW_TYPE = 'inquiryCase';

/** The case id is the idempotency key: issuing the same case twice returns the running one. */
export function inquiryWorkflowId(caseId: string): string {
  return `inquiry:${caseId}`;
}

const personId = z.string().trim().min(1, 'must name a person');
const text = (min: number, what: string): z.ZodString => z.string().trim().min(min, `${what} must be at least ${min} characters`);

export const inquiryInputSchema = z.object({
  caseId: z.string().trim().regex(/^[A-Za-z0-9_:.-]{1,80}$/, 'must be 1–80 letters, digits, _ : . or -'),
  county: z.string().trim().min(1),
  township: z.string().trim().min(1),
  /** An inquiry letter, or a talk ordered directly. */
  kind: z.enum(['inquiry', 'talk']).default('inquiry'),
  /** A member of the organization department. */
  issuedBy: personId,
  reason: text(4, 'reason'),
  /** The township's party secretary and organization officer, as the roster names them now. */
  recipients: z.array(personId).min(1, 'a letter goes to at least one person'),
  /** The proposal (a quarter of missed reports) the case answers, if any. */
  proposalQuarter: z.string().regex(/^\d{4}-Q[1-4]$/).optional(),
  policy: supervisionPolicySchema.optional(),
});
export type InquiryInput = z.input<typeof inquiryInputSchema>;

export const caseStages = ['awaiting-explanation', 'explained', 'talk-required', 'talk-scheduled', 'closed'] as const;
export type CaseStage = (typeof caseStages)[number];
export const caseStageLabels: Record<CaseStage, string> = {
  'awaiting-explanation': '待书面说明',
  explained: '书面说明待审阅',
  'talk-required': '待约谈',
  'talk-scheduled': '已安排约谈',
  closed: '已办结',
};

// --- Updates -----------------------------------------------------------------------------------

/** The written explanation has three required parts (六(四)): root cause, measures, time limit. */
export const submitExplanationSchema = z.object({
  by: personId,
  rootCause: text(4, 'rootCause'),
  measures: text(4, 'measures'),
  /** The day by which the measures will have been carried out. */
  timeLimit: localDateSchema,
});
export type SubmitExplanation = z.infer<typeof submitExplanationSchema>;

export const reviewExplanationSchema = z
  .object({
    by: personId,
    /** Accept and close the case, or judge the problem serious and order a talk. */
    decision: z.enum(['accept', 'talk']),
    note: z.string().trim().default(''),
  })
  .superRefine((r, ctx) => {
    if (r.decision === 'talk' && r.note.length < 4) ctx.addIssue({ code: 'custom', path: ['note'], message: 'say why the problem is serious' });
  });
export type ReviewExplanation = z.input<typeof reviewExplanationSchema>;

export const scheduleTalkSchema = z.object({
  by: personId,
  /** China time, e.g. 2019-05-10T09:30. */
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a China-time date and time like 2019-05-10T09:30'),
  place: text(2, 'place'),
  /** Who conducts the talk. */
  conductor: personId,
});
export type ScheduleTalk = z.infer<typeof scheduleTalkSchema>;

export const recordTalkSchema = z.object({
  by: personId,
  heldOn: localDateSchema,
  outcome: text(4, 'outcome'),
  /** People held accountable (六(五)): not promoted for two years. */
  accountability: z.array(z.object({ person: personId, ground: text(4, 'ground') })).default([]),
});
export type RecordTalk = z.input<typeof recordTalkSchema>;

export interface Explanation extends SubmitExplanation {
  readonly receivedOn: LocalDate;
  readonly onTime: boolean;
}

export interface TalkRecord {
  readonly orderedOn: LocalDate;
  /** Why a talk: ordered directly, no explanation in time, or judged serious. */
  readonly why: string;
  readonly scheduled?: ScheduleTalk;
  readonly held?: { readonly on: LocalDate; readonly outcome: string; readonly by: string };
}

export interface InquiryView {
  readonly caseId: string;
  readonly county: string;
  readonly township: string;
  readonly kind: 'inquiry' | 'talk';
  readonly stage: CaseStage;
  readonly stageLabel: string;
  readonly reason: string;
  readonly issuedBy: string;
  readonly issuedOn: LocalDate;
  readonly recipients: readonly string[];
  readonly proposalQuarter?: string;
  readonly explanationDue?: LocalDate;
  readonly explanation?: Explanation;
  readonly review?: { readonly decision: 'accept' | 'talk'; readonly by: string; readonly on: LocalDate; readonly note: string };
  readonly talk?: TalkRecord;
  readonly consequences: readonly Consequence[];
  readonly failedDeliveries: readonly FailedDelivery[];
  readonly failedDeliveryCount: number;
  readonly deliveryDelayed?: DeliveryDelay;
  readonly history: readonly HistoryEntry[];
}

export const submitExplanationUpdate = defineUpdate<InquiryView, [SubmitExplanation]>('submitExplanation');
export const reviewExplanationUpdate = defineUpdate<InquiryView, [ReviewExplanation]>('reviewExplanation');
export const scheduleTalkUpdate = defineUpdate<InquiryView, [ScheduleTalk]>('scheduleTalk');
export const recordTalkUpdate = defineUpdate<InquiryView, [RecordTalk]>('recordTalk');
export const inquiryStateQuery = defineQuery<InquiryView>('state');

// --- Mails of cases and proposals (the activity's input) ----------------------------------------

export const caseMailKinds = ['inquiry-proposal', 'inquiry-letter', 'explanation-reminder', 'explanation-received', 'talk-required', 'talk-notice'] as const;
export type CaseMailKind = (typeof caseMailKinds)[number];

/** What a letter or notice of a case says; rendered into Chinese by the activity. */
export interface CaseFacts {
  readonly caseId: string;
  readonly kind: 'inquiry' | 'talk';
  readonly reason: string;
  readonly issuedBy: string;
  readonly issuedOn: LocalDate;
  readonly recipients: readonly string[];
  readonly explanationDue?: LocalDate;
  readonly talk?: { readonly why: string; readonly scheduled?: ScheduleTalk };
}

export interface CaseMailRequest {
  /** Idempotency key: workflow id + what + step. */
  readonly key: string;
  readonly kind: CaseMailKind;
  readonly township: string;
  /** People by id, and posts resolved from the roster when the mail is sent. */
  readonly people: readonly string[];
  readonly roles: readonly Role[];
  readonly severity?: Severity;
  readonly case?: CaseFacts;
  /** For a proposal: the quarter and its missed or late reports. */
  readonly proposal?: { readonly quarter: string; readonly quarterLabel: string; readonly lapses: readonly (Lapse & { readonly label: string })[] };
}
