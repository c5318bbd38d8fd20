/**
 * Contract of an inquiry case (one workflow per case): the organization department's inquiry
 * letter (函询) to a township's party secretary and organization officer, their written
 * explanation, and the talk (约谈) that follows when it is missing or the problem is serious
 * (六(四)); accountability decisions (六(五)).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema, optionalWhenPresent } from '../domain/lazy-schema';
import { calendarYearsSchema, localDateSchema, type LocalDate } from '../domain/calendar';
import type { Consequence } from '../domain/consequences';
import { policySchema } from '../domain/policy';
import { codeSchema, optionalText, personId, text, type EntityStatus } from './common';
import { docNumberSchema, type DocNumber } from './ledger';

export const INQUIRY_WORKFLOW_TYPE = 'inquiryCase';

/** The case id is the idempotency key: issuing the same case twice returns the running one. */
export function inquiryWorkflowId(caseId: string): string {
  return `inquiry:${caseId}`;
}

export const caseIdSchema = lazySchema(() => z.string().trim().regex(/^[A-Za-z0-9_:.-]{1,80}$/, '案件编号为1–80个字母、数字、_ : . -'));

/** The department's posts that may issue letters and order talks (六(四) "县委将…进行函询"). */
export const issuerRoles = ['org-department-staff', 'org-department-head'] as const;
/** The posts a letter goes to (六(四) "对乡镇党委书记、组织干事进行函询"). */
export const addresseeRoles = ['township-party-secretary', 'organization-officer'] as const;

export const inquiryInputSchema = lazySchema(() => z.object({
  caseId: caseIdSchema,
  county: codeSchema,
  township: codeSchema,
  /** An inquiry letter, or a talk ordered directly. */
  kind: z.enum(['inquiry', 'talk']).default('inquiry'),
  /** A member of the organization department, as the roster names the post. */
  issuedBy: personId,
  issuerRole: z.enum(issuerRoles, { error: '函询、约谈只能由县委组织部发出' }),
  reason: text(4, 2000, '函询事由'),
  /** The township's party secretary and organization officer, as the roster names them now. */
  recipients: z.array(personId).min(1, '函询至少发给一人').max(4),
  recipientRoles: z.array(z.enum(addresseeRoles, { error: '函询对象须为乡镇党委书记或组织干事' })).max(4),
  /** The proposal (a quarter of missed reports) the case answers, if any. */
  proposalQuarter: z.string().regex(/^\d{4}-Q[1-4]$/).optional(),
  /** The letter's 文号, given by the county ledger when the case is issued. */
  docNumber: docNumberSchema.optional(),
  policy: optionalWhenPresent(policySchema),
  calendar: optionalWhenPresent(calendarYearsSchema),
}));
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
export const submitExplanationSchema = lazySchema(() => z.strictObject({
  by: personId,
  rootCause: text(4, 3000, '问题根源'),
  measures: text(4, 3000, '整顿措施'),
  /** The day by which the measures will have been carried out. */
  timeLimit: localDateSchema,
}));
export type SubmitExplanation = z.infer<typeof submitExplanationSchema>;

export const reviewExplanationSchema = lazySchema(() => z
  .strictObject({
    by: personId,
    /** Accept and close the case, or judge the problem serious and order a talk. */
    decision: z.enum(['accept', 'talk'], { error: '应为 accept（认可）或 talk（问题突出，约谈）' }),
    note: optionalText(1000, '审阅意见'),
  })
  .superRefine((r, ctx) => {
    if (r.decision === 'talk' && r.note.length < 4) ctx.addIssue({ code: 'custom', path: ['note'], message: '决定约谈须说明问题突出在何处（至少4个字）' });
  }));
export type ReviewExplanation = z.input<typeof reviewExplanationSchema>;

export const scheduleTalkSchema = lazySchema(() => z.strictObject({
  by: personId,
  /** China time, e.g. 2019-05-10T09:30. */
  at: z.string().max(16).regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, '应为北京时间的日期和时刻，如2019-05-10T09:30'),
  place: text(2, 200, '约谈地点'),
  /** Who conducts the talk. */
  conductor: personId,
  /** The notice's 文号, given by the county ledger when the service schedules the talk. */
  docNumber: docNumberSchema.optional(),
}));
export type ScheduleTalk = z.infer<typeof scheduleTalkSchema>;

export const recordTalkSchema = lazySchema(() => z.strictObject({
  by: personId,
  heldOn: localDateSchema,
  outcome: text(4, 3000, '约谈情况'),
  /** People held accountable (六(五)): not promoted for two years. */
  accountability: z.array(z.strictObject({ person: personId, ground: text(4, 500, '问责事由') })).max(10).default([]),
}));
export type RecordTalk = z.input<typeof recordTalkSchema>;

/**
 * The department records that the letter reached its addressees some other way (六(四): the letter
 * must be received before an explanation can be owed), e.g. handed over when the mail server refused it.
 */
export const recordDeliverySchema = lazySchema(() => z.strictObject({
  by: personId,
  /** The day the letter was handed over. */
  on: localDateSchema,
  /** How: 当面送达, 机要交换, 传真… */
  means: text(2, 100, '送达方式'),
}));
export type RecordDelivery = z.infer<typeof recordDeliverySchema>;

/** How the case's letter reached its addressees: by mail (the day the server took it) or by hand (recorded). */
export interface LetterDelivery {
  readonly on: LocalDate;
  readonly means: string;
  /** Who recorded a delivery by hand. */
  readonly by?: string;
}

/** The letter refused for good by the mail server for every addressee: the explanation's clock waits for its delivery. */
export interface LetterRefusal {
  readonly at: string;
  readonly error: string;
}

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

export interface InquiryView extends EntityStatus {
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
  /** The letter's 文号 in the department's sequence (cases issued since it is kept). */
  readonly docNumber?: DocNumber;
  readonly explanationDue?: LocalDate;
  readonly letterDelivered?: LetterDelivery;
  readonly letterRefused?: LetterRefusal;
  readonly explanation?: Explanation;
  readonly review?: { readonly decision: 'accept' | 'talk'; readonly by: string; readonly on: LocalDate; readonly note: string };
  readonly talk?: TalkRecord;
  readonly consequences: readonly Consequence[];
  /** Whether the case's policy makes a missed explanation a talk (county practice): the letter says so. */
  readonly talkAfterMissedExplanation?: boolean;
}

export const submitExplanationUpdate = defineUpdate<InquiryView, [SubmitExplanation]>('submitExplanation');
export const reviewExplanationUpdate = defineUpdate<InquiryView, [ReviewExplanation]>('reviewExplanation');
export const scheduleTalkUpdate = defineUpdate<InquiryView, [ScheduleTalk]>('scheduleTalk');
export const recordTalkUpdate = defineUpdate<InquiryView, [RecordTalk]>('recordTalk');
export const recordDeliveryUpdate = defineUpdate<InquiryView, [RecordDelivery]>('recordDelivery');

/** The department orders a talk itself (六(四) "对问题突出的，要及时约谈"), e.g. when no explanation came. */
export const orderTalkSchema = lazySchema(() => z.strictObject({ by: personId, why: text(4, 1000, '约谈事由') }));
export const orderTalkUpdate = defineUpdate<InquiryView, [z.infer<typeof orderTalkSchema>]>('orderTalk');
export const inquiryStateQuery = defineQuery<InquiryView>('state');
/** How a talk ordered for a missed explanation (county practice) begins its reason; mails tell it apart by this. */
export const MISSED_EXPLANATION_WHY = '逾期未报送书面说明';
/**
 * Answers once the case is opened: numbered, addressed and, for a letter, with the explanation's
 * deadline (which needs the calendar, loaded by an activity). Whoever issues a case reads it
 * through this update, never through a query that may run before the case has its deadline.
 */
export const caseOpenedUpdate = defineUpdate<InquiryView, []>('caseOpened');
