/**
 * Contract of the township supervision workflow (one per township): half-monthly progress reports
 * (六(三)), the party committee's quarterly study (五(三)), proposals of inquiry letters to the
 * organization department when reports are missed or late (六(四)), and the findings of the
 * department's inspections (六(三)).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { calendarYearSchema, localDateSchema, type LocalDate } from '../domain/calendar';
import { policySchema } from '../domain/policy';
import type { Lapse } from '../domain/supervision';
import { codeSchema, optionalText, personId, text, type EntityStatus } from './common';
import { attestedDutySchema, halfMonthSchema } from './village';

export const TOWNSHIP_WORKFLOW_TYPE = 'townshipSupervision';

export function townshipWorkflowId(townshipCode: string): string {
  return `township:${townshipCode}`;
}

export const townshipInputSchema = z.object({
  township: codeSchema,
  county: codeSchema,
  policy: policySchema.optional(),
  calendar: z.array(calendarYearSchema).max(6).optional(),
});
export type TownshipInput = z.input<typeof townshipInputSchema>;

/** A target of the township (or county) and the dates that say when it is under rectification. */
export const targetChangeSchema = z.strictObject({
  village: codeSchema,
  /** Its township, for the county's lists; absent in changes sent before it was carried. */
  township: codeSchema.optional(),
  date: localDateSchema,
  transformedOn: localDateSchema.optional(),
  withdrawnOn: localDateSchema.optional(),
  /** A transformation undone by a later acceptance (the acceptance's day): under rectification again. */
  reopenedOn: localDateSchema.optional(),
});
export type TargetChange = z.infer<typeof targetChangeSchema>;

/**
 * Sent when a target is designated, transformed or withdrawn. A signal: the sender (the
 * designation client, a village workflow) must not depend on the township being able to answer.
 */
export const targetChangedSignal = defineSignal<[TargetChange]>('targetChanged');

/** The most targets one `targetsChanged` signal carries (about 100 bytes each). */
export const TARGET_CHANGES_MAX = 500;
export const targetChangesSchema = z.array(targetChangeSchema).min(1, '至少一个整顿对象').max(TARGET_CHANGES_MAX, `每次最多${TARGET_CHANGES_MAX}个整顿对象`);

/**
 * Many targets at once (a designation round of a province): one signal, so one event in the
 * receiver's history however many targets it carries.
 */
export const targetsChangedSignal = defineSignal<[TargetChange[]]>('targetsChanged');

export const reportEntrySchema = z.strictObject({
  village: codeSchema,
  progress: text(4, 2000, '工作进展'),
  problems: optionalText(2000, '存在问题'),
  nextSteps: optionalText(2000, '下步打算'),
  /** Duties done in the village in the period, with their day (they settle its reminders). */
  duties: z.array(attestedDutySchema).max(20, '最多20项').default([]),
});

export const submitReportSchema = z
  .strictObject({
    /** The half month reported on (六(三)), e.g. 2019-03-H1. */
    period: halfMonthSchema,
    reportedBy: personId,
    /** A second report for a period replaces the first only when marked as an amendment. */
    amendment: z.boolean().default(false),
    entries: z.array(reportEntrySchema).min(1, '每个整顿对象一条进展').max(200, '最多200条'),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.entries.forEach((e, i) => {
      if (seen.has(e.village)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'village'], message: `${e.village}重复填报` });
      seen.add(e.village);
    });
  });
export type SubmitReport = z.input<typeof submitReportSchema>;

export const quarterSchema = z.string().max(7).regex(/^\d{4}-Q[1-4]$/, '应为季度，如2019-Q1');

export const recordStudySchema = z.strictObject({
  /** The quarter studied (五(三)), e.g. 2019-Q1. */
  quarter: quarterSchema,
  heldOn: localDateSchema,
  summary: text(4, 2000, '研究内容'),
  by: personId,
});
export type RecordStudy = z.infer<typeof recordStudySchema>;

export const decideProposalSchema = z
  .strictObject({
    quarter: quarterSchema,
    decision: z.enum(['inquiry', 'decline'], { error: '应为 inquiry（函询）或 decline（不予函询）' }),
    by: personId,
    /** The inquiry case opened on the proposal. */
    caseId: z.string().trim().min(1).max(80).optional(),
    note: optionalText(1000, '说明'),
  })
  .superRefine((d, ctx) => {
    if (d.decision === 'inquiry' && !d.caseId) ctx.addIssue({ code: 'custom', path: ['caseId'], message: '决定函询须注明案件编号' });
    if (d.decision === 'decline' && d.note.length < 4) ctx.addIssue({ code: 'custom', path: ['note'], message: '不予函询须说明理由（至少4个字）' });
  });
export type DecideProposal = z.input<typeof decideProposalSchema>;

/** How the department's inspection group looked (六(三) "随机调研、明察暗访、跟踪问效"). */
export const inspectionMethods = ['random', 'unannounced', 'follow-up'] as const;
export const inspectionMethodLabels: Record<(typeof inspectionMethods)[number], string> = { random: '随机调研', unannounced: '明察暗访', 'follow-up': '跟踪问效' };

/**
 * An inspection of the township's work by the department's inspection group (督导组, 六(三)):
 * each finding that needs correcting becomes the township's duty, due on the day given.
 */
export const recordInspectionSchema = z.strictObject({
  by: personId,
  on: localDateSchema,
  method: z.enum(inspectionMethods, { error: '应为 random（随机调研）、unannounced（明察暗访）或 follow-up（跟踪问效）' }),
  summary: text(4, 2000, '检查情况'),
  findings: z
    .array(
      z.strictObject({
        /** The target the finding is about, when it is about one. */
        village: codeSchema.optional(),
        problem: text(4, 500, '发现的问题'),
        correctBy: localDateSchema,
      }),
    )
    .max(20, '每次检查最多20个问题')
    .default([]),
});
export type RecordInspection = z.input<typeof recordInspectionSchema>;

export interface InspectionRecord {
  readonly id: string;
  readonly on: LocalDate;
  readonly method: (typeof inspectionMethods)[number];
  readonly summary: string;
  readonly by: string;
  readonly findings: readonly { readonly village?: string; readonly problem: string; readonly correctBy: LocalDate; readonly obligationId: string }[];
}

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
  /** The inspection group's visits and what they found (六(三)); their findings are duties. */
  readonly inspections: readonly InspectionRecord[];
}

export const submitReportUpdate = defineUpdate<TownshipView, [SubmitReport]>('submitReport');
export const recordStudyUpdate = defineUpdate<TownshipView, [RecordStudy]>('recordStudy');
export const decideProposalUpdate = defineUpdate<TownshipView, [DecideProposal]>('decideProposal');
export const recordInspectionUpdate = defineUpdate<TownshipView, [RecordInspection]>('recordInspection');
export const townshipStateQuery = defineQuery<TownshipView>('state');
