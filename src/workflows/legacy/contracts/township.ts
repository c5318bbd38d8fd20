/**
 * Contract of the township supervision workflow (one per township): half-monthly progress reports
 * (六(三)), the party committee's quarterly study (五(三)), and proposals of inquiry letters to the
 * organization department when reports are missed or late (六(四)).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { localDateSchema, type LocalDate } from '../domain/calendar';
import { escalationPolicySchema } from '../domain/escalation';
import { supervisionPolicySchema, type Lapse } from '../domain/supervision';
import { attestableDuties, type EntityStatus } from './village';

export const TOWNSHIP_WORKFLOW_TYPE = 'townshipSupervision';

export function townshipWorkflowId(townshipCode: string): string {
  return `township:${townshipCode}`;
}

const personId = z.string().trim().min(1, 'must name a person');
const text = (min: number, what: string): z.ZodString => z.string().trim().min(min, `${what} must be at least ${min} characters`);

export const townshipInputSchema = z.object({
  township: z.string().trim().min(1),
  county: z.string().trim().min(1),
  policy: escalationPolicySchema.optional(),
  supervision: supervisionPolicySchema.optional(),
});
export type TownshipInput = z.input<typeof townshipInputSchema>;

/** A target of the township (or county) and the dates that say when it is under rectification. */
export const targetDatesSchema = z.object({
  village: z.string().trim().min(1),
  date: localDateSchema,
  transformedOn: localDateSchema.optional(),
  withdrawnOn: localDateSchema.optional(),
});
export type TargetChange = z.infer<typeof targetDatesSchema>;

/**
 * Sent when a target is designated, transformed or withdrawn. A signal: the sender (the
 * designation client, a village workflow) must not depend on the township being able to answer.
 */
export const targetChangedSignal = defineSignal<[TargetChange]>('targetChanged');

export const halfMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-H[12]$/, 'must be a half month like 2019-03-H1');

export const reportEntrySchema = z.object({
  village: z.string().trim().min(1, 'must name a village'),
  progress: text(4, 'progress'),
  problems: z.string().trim().default(''),
  nextSteps: z.string().trim().default(''),
  /** Duties done in the village in the period, with their day (they settle its reminders). */
  duties: z.array(z.object({ kind: z.enum(attestableDuties), date: localDateSchema })).default([]),
});

export const submitReportSchema = z
  .object({
    /** The half month reported on (六(三)), e.g. 2019-03-H1. */
    period: halfMonthSchema,
    reportedBy: personId,
    /** A second report for a period replaces the first only when marked as an amendment. */
    amendment: z.boolean().default(false),
    entries: z.array(reportEntrySchema).min(1, 'a report has one entry per target'),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.entries.forEach((e, i) => {
      if (seen.has(e.village)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'village'], message: `${e.village} has a second entry` });
      seen.add(e.village);
    });
  });
export type SubmitReport = z.input<typeof submitReportSchema>;

export const recordStudySchema = z.object({
  /** The quarter studied (五(三)), e.g. 2019-Q1. */
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'must be a quarter like 2019-Q1'),
  heldOn: localDateSchema,
  summary: text(4, 'summary'),
  by: personId,
});
export type RecordStudy = z.infer<typeof recordStudySchema>;

export const decideProposalSchema = z
  .object({
    quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'must be a quarter like 2019-Q1'),
    decision: z.enum(['inquiry', 'decline']),
    by: personId,
    /** The inquiry case opened on the proposal. */
    caseId: z.string().trim().min(1).optional(),
    note: z.string().trim().default(''),
  })
  .superRefine((d, ctx) => {
    if (d.decision === 'inquiry' && !d.caseId) ctx.addIssue({ code: 'custom', path: ['caseId'], message: 'an inquiry decision names its case' });
    if (d.decision === 'decline' && d.note.length < 4) ctx.addIssue({ code: 'custom', path: ['note'], message: 'say why no inquiry letter is issued' });
  });
export type DecideProposal = z.input<typeof decideProposalSchema>;

export interface ReportRecord {
  readonly period: string;
  readonly periodLabel: string;
  /** ISO instant the first report for the period came in; amendments do not move it. */
  readonly receivedAt: string;
  readonly reportedBy: string;
  readonly villages: readonly string[];
  readonly amendments: number;
  readonly late: boolean;
}

export interface Proposal {
  readonly quarter: string;
  readonly quarterLabel: string;
  readonly proposedAt: string;
  readonly lapses: readonly Lapse[];
  readonly decision?: { readonly decision: 'inquiry' | 'decline'; readonly by: string; readonly on: LocalDate; readonly caseId?: string; readonly note: string };
}

export interface TownshipView extends EntityStatus {
  readonly township: string;
  readonly county: string;
  readonly targets: readonly (TargetChange & { readonly active: boolean })[];
  readonly reports: readonly ReportRecord[];
  readonly lapses: readonly Lapse[];
  readonly proposals: readonly Proposal[];
  readonly studies: readonly RecordStudy[];
}

export const submitReportUpdate = defineUpdate<TownshipView, [SubmitReport]>('submitReport');
export const recordStudyUpdate = defineUpdate<TownshipView, [RecordStudy]>('recordStudy');
export const decideProposalUpdate = defineUpdate<TownshipView, [DecideProposal]>('decideProposal');
export const townshipStateQuery = defineQuery<TownshipView>('state');
