/**
 * Contract of the consequences ledger (one per county): every award ineligibility (六(四)) and
 * promotion block (六(五), 五(四)) with the clause and case behind it, kept beyond the retention of
 * the cases' own histories.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema } from '../domain/lazy-schema';
import { localDateSchema, type LocalDate } from '../domain/calendar';
import { accountabilityGrounds, type AccountabilityGround, type Consequence } from '../domain/consequences';
import { codeSchema, personId, text, type DroppedInput } from './common';

export const LEDGER_WORKFLOW_TYPE = 'consequencesLedger';

export function ledgerWorkflowId(county: string): string {
  return `ledger:${county}`;
}

export interface LedgerInput {
  readonly county: string;
}

const consequenceSchema = lazySchema(() => z.object({
  kind: z.enum(['award-ineligible', 'promotion-blocked', 'paired-leader-promotion-blocked', 'work-team-continues', 'village-secretary-removable']),
  subject: z.union([
    z.object({ type: z.literal('person'), id: z.string().min(1).max(40) }),
    z.object({ type: z.literal('department'), code: z.string().min(1).max(40) }),
    z.object({ type: z.literal('village'), code: z.string().min(1).max(40) }),
  ]),
  from: localDateSchema,
  until: localDateSchema.optional(),
  clause: z.string().min(1).max(20),
  reason: z.string().min(1).max(500),
  cause: z.string().min(1).max(120),
}));

/**
 * Entries of one case. A signal: a case must not wait on the ledger; entries carry their own
 * identity (kind, subject, start, case), so one recorded twice is kept once.
 */
export const recordConsequencesSchema = lazySchema(() => z.object({ caseId: z.string().min(1).max(120), consequences: z.array(consequenceSchema).max(50) }));
export interface RecordConsequences {
  readonly caseId: string;
  readonly consequences: readonly Consequence[];
}
export const recordConsequencesSignal = defineSignal<[RecordConsequences]>('recordConsequences');

/**
 * An accountability decision (六(五)) as the department head records it: who, on which ground of
 * the text (or `other` with its reason and sanction), the day and the decision's 文号. `confirmed`
 * is the head's confirmation that the person may not be promoted for two years from that day.
 */
export const recordAccountabilitySchema = lazySchema(() => z
  .strictObject({
    by: personId,
    person: personId,
    ground: z.enum(Object.keys(accountabilityGrounds) as [AccountabilityGround, ...AccountabilityGround[]], {
      error: '应为 false-designation（弄虚作假）、not-leading（不带头履职）、ineffective（整顿不力）、political-discipline（违反政治纪律）或 other（其他）',
    }),
    decidedOn: localDateSchema,
    docNumber: text(4, 40, '决定文号'),
    reason: text(4, 300, '问责事由').optional(),
    sanction: text(2, 60, '问责方式').optional(),
    village: codeSchema.optional(),
    confirmed: z.literal(true, { error: '请确认：记录后该同志自决定之日起两年内不得提拔使用' }),
  })
  .superRefine((a, ctx) => {
    if (a.ground === 'other' && !a.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: '其他问责须写明问责事由' });
    if (a.ground === 'other' && !a.sanction) ctx.addIssue({ code: 'custom', path: ['sanction'], message: '其他问责须写明问责方式' });
    if (a.village && a.ground !== 'false-designation') ctx.addIssue({ code: 'custom', path: ['village'], message: '只有确定整顿对象时弄虚作假的问责须指明整顿对象' });
  }));
export type RecordAccountability = z.input<typeof recordAccountabilitySchema>;
/** Records the decision's promotion block (六(五)) and answers with it; the same 文号 for the same person twice is refused. */
export const recordAccountabilityUpdate = defineUpdate<Consequence, [RecordAccountability]>('recordAccountability');

export const awardIneligibleQuery = defineQuery<Consequence[], [number]>('awardIneligible');
export const promotionBlockedQuery = defineQuery<Consequence[], [LocalDate]>('promotionBlocked');
export const ledgerEntriesQuery = defineQuery<Consequence[]>('entries');
/** Signals the ledger received and dropped because they did not validate, latest last. */
export const ledgerDroppedQuery = defineQuery<DroppedInput[]>('dropped');
/** A number the department's sequence gave, and what asked for it (`<case>/letter`, `<case>/talk/<time>`). */
export interface NumberedDocument {
  readonly key: string;
  readonly number: DocNumber;
}
/** Every 文号 given, by year and number. */
export const docNumbersQuery = defineQuery<NumberedDocument[]>('docNumbers');

/**
 * The department's document numbers (文号), one sequence a year, kept by the ledger. Whoever issues
 * a document (the service, when the department issues a letter or schedules a talk) asks for its
 * number under a key of its own; asked again under the same key (a retry), it gets the same number.
 * The year is the ledger's own (China time).
 */
export const allocateDocNumberSchema = lazySchema(() => z.strictObject({ key: z.string().min(1).max(200) }));
export const docNumberSchema = lazySchema(() => z.strictObject({ year: z.number().int().min(2000).max(2100), seq: z.number().int().min(1).max(1_000_000) }));
export type DocNumber = z.infer<typeof docNumberSchema>;
export const allocateDocNumberUpdate = defineUpdate<DocNumber, [z.infer<typeof allocateDocNumberSchema>]>('allocateDocNumber');

/** The numbering carried across continue-as-new: the last number of each year, and each key's. */
export interface Numbering {
  readonly last: Readonly<Record<string, number>>;
  readonly byKey: Readonly<Record<string, DocNumber>>;
}

