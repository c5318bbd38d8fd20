/**
 * Contract of the township supervision workflow (one per township): half-monthly progress reports
 * (六(三)), the party committee's quarterly study (五(三)), proposals of inquiry letters to the
 * organization department when reports are missed or late (六(四)), and the findings of the
 * department's inspections (六(三)).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema, optionalWhenPresent } from '../domain/lazy-schema';
import { calendarYearsSchema, localDateSchema, type LocalDate } from '../domain/calendar';
import { policySchema } from '../domain/policy';
import type { Lapse } from '../domain/supervision';
import { codeSchema, optionalText, personId, text, type EntityStatus } from './common';
import { attestedDutySchema, halfMonthSchema } from './village';

export const TOWNSHIP_WORKFLOW_TYPE = 'townshipSupervision';

export function townshipWorkflowId(townshipCode: string): string {
  return `township:${townshipCode}`;
}

export const townshipInputSchema = lazySchema(() => z.object({
  township: codeSchema,
  county: codeSchema,
  policy: optionalWhenPresent(policySchema),
  calendar: optionalWhenPresent(calendarYearsSchema),
}));
export type TownshipInput = z.input<typeof townshipInputSchema>;

/** A target of the township (or county) and the dates that say when it is under rectification. */
export const targetChangeSchema = lazySchema(() => z.strictObject({
  village: codeSchema,
  /** Its township, for the county's lists; absent in changes sent before it was carried. */
  township: codeSchema.optional(),
  date: localDateSchema,
  transformedOn: localDateSchema.optional(),
  withdrawnOn: localDateSchema.optional(),
  /** A transformation undone by a later acceptance (the acceptance's day): under rectification again. */
  reopenedOn: localDateSchema.optional(),
}));
export type TargetChange = z.infer<typeof targetChangeSchema>;

/**
 * Sent when a target is designated, transformed or withdrawn. A signal: the sender (the
 * designation client, a village workflow) must not depend on the township being able to answer.
 */
export const targetChangedSignal = defineSignal<[TargetChange]>('targetChanged');

/** The most targets one `targetsChanged` signal carries (about 100 bytes each). */
export const TARGET_CHANGES_MAX = 500;
export const targetChangesSchema = lazySchema(() => z.array(targetChangeSchema).min(1, '至少一个整顿对象').max(TARGET_CHANGES_MAX, `每次最多${TARGET_CHANGES_MAX}个整顿对象`));

/**
 * Many targets at once (a designation round of a province): one signal, so one event in the
 * receiver's history however many targets it carries.
 */
export const targetsChangedSignal = defineSignal<[TargetChange[]]>('targetsChanged');

export const reportEntrySchema = lazySchema(() => z.strictObject({
  village: codeSchema,
  progress: text(4, 2000, '工作进展'),
  problems: optionalText(2000, '存在问题'),
  nextSteps: optionalText(2000, '下步打算'),
  /** Duties done in the village in the period, with their day (they settle its reminders). */
  duties: z.array(attestedDutySchema).max(20, '最多20项').default([]),
}));

export const submitReportSchema = lazySchema(() => z
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
  }));
export type SubmitReport = z.input<typeof submitReportSchema>;
export type ReportEntry = z.output<typeof reportEntrySchema>;

/** The report last received (or amended), as it was sent: the township's page shows it read-only. */
export interface SentReport {
  readonly period: string;
  readonly entries: readonly ReportEntry[];
}

export const quarterSchema = lazySchema(() => z.string().max(7).regex(/^\d{4}-Q[1-4]$/, '应为季度，如2019-Q1'));

export const recordStudySchema = lazySchema(() => z.strictObject({
  /** The quarter studied (五(三)), e.g. 2019-Q1. */
  quarter: quarterSchema,
  heldOn: localDateSchema,
  summary: text(4, 2000, '研究内容'),
  by: personId,
}));
export type RecordStudy = z.infer<typeof recordStudySchema>;

export const decideProposalSchema = lazySchema(() => z
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
  }));
export type DecideProposal = z.input<typeof decideProposalSchema>;

/** How the department's inspection group looked (六(三) "随机调研、明察暗访、跟踪问效"). */
export const inspectionMethods = ['random', 'unannounced', 'follow-up'] as const;
export const inspectionMethodLabels: Record<(typeof inspectionMethods)[number], string> = { random: '随机调研', unannounced: '明察暗访', 'follow-up': '跟踪问效' };

/**
 * An inspection of the township's work by the department's inspection group (督导组, 六(三)):
 * each finding that needs correcting becomes the township's duty, due on the day given.
 */
export const recordInspectionSchema = lazySchema(() => z.strictObject({
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
}));
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

/**
 * Training the township records (四(一)5): of the village cadres ("每年对村…党组织书记、班子成员进行培训不少于7天",
 * days per person) or of the members without post ("乡镇每年对农村无职党员进行培训不少于5天", days and
 * headcount). A record lies within one year; its days add up to that year's.
 */
export const trainingKinds = ['cadres', 'members'] as const;
export const trainingKindLabels: Record<(typeof trainingKinds)[number] | 'county-course', string> = {
  cadres: '村党组织书记、班子成员培训',
  members: '农村无职党员培训',
  'county-course': '县委专题研修班',
};
const trainingDates = {
  startOn: localDateSchema,
  endOn: localDateSchema,
  days: z.number({ error: '培训天数应为整数' }).int('培训天数应为整数').min(1, '培训天数至少1天').max(60, '培训天数最多60天'),
  topic: text(4, 200, '培训内容'),
};
export const recordTrainingSchema = lazySchema(() => z
  .strictObject({
    by: personId,
    kind: z.enum(trainingKinds, { error: '应为 cadres（村党组织书记、班子成员培训）或 members（农村无职党员培训）' }),
    ...trainingDates,
    /** The cadres trained (roster ids), for `cadres`. */
    people: z.array(personId).max(500, '一次最多记录500人').default([]),
    /** How many members without post attended, for `members`. */
    headcount: z.number().int().min(1, '参训人数至少1人').max(5000).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'cadres' && r.people.length === 0) ctx.addIssue({ code: 'custom', path: ['people'], message: '请选择参训的村党组织书记、班子成员' });
    if (r.kind === 'cadres' && new Set(r.people).size !== r.people.length) ctx.addIssue({ code: 'custom', path: ['people'], message: '参训人员重复' });
    if (r.kind === 'members' && r.headcount === undefined) ctx.addIssue({ code: 'custom', path: ['headcount'], message: '请填写参训的农村无职党员人数' });
  }));
export type RecordTraining = z.input<typeof recordTrainingSchema>;

/** The county's course (四(一)5) attended by cadres of this township: sent by the county programme; `key` makes a re-sent one harmless. */
export const trainingAttendedSchema = lazySchema(() => z.strictObject({ key: z.string().min(1).max(200), ...trainingDates, people: z.array(personId).min(1).max(5000) }));
export type TrainingAttended = z.infer<typeof trainingAttendedSchema>;
export const trainingAttendedSignal = defineSignal<[TrainingAttended]>('trainingAttended');

export interface TrainingRecord {
  readonly kind: (typeof trainingKinds)[number] | 'county-course';
  readonly startOn: LocalDate;
  readonly endOn: LocalDate;
  readonly days: number;
  readonly topic: string;
  /** Cadres trained (cadres, county course). */
  readonly people?: readonly string[];
  readonly headcount?: number;
  readonly by?: string;
}

/** A year's training in the township: days per cadre (roster id), the members' days, the records. */
export interface TrainingYear {
  readonly year: number;
  readonly days: Readonly<Record<string, number>>;
  readonly memberDays: number;
  readonly records: readonly TrainingRecord[];
}

export interface TownshipView extends EntityStatus {
  readonly township: string;
  readonly county: string;
  readonly targets: readonly (TargetChange & { readonly active: boolean })[];
  readonly reports: readonly ReportRecord[];
  readonly lastReport?: SentReport;
  readonly lapses: readonly Lapse[];
  readonly proposals: readonly Proposal[];
  readonly studies: readonly RecordStudy[];
  /** The inspection group's visits and what they found (六(三)); their findings are duties. */
  readonly inspections: readonly InspectionRecord[];
  /** Training days of this year and the last (四(一)5). */
  readonly training: readonly TrainingYear[];
  /** The day this year's training days are counted by (the county's policy); a cadre short after it is listed. */
  readonly trainingCountedBy: LocalDate;
}

export const submitReportUpdate = defineUpdate<TownshipView, [SubmitReport]>('submitReport');
export const recordStudyUpdate = defineUpdate<TownshipView, [RecordStudy]>('recordStudy');
export const decideProposalUpdate = defineUpdate<TownshipView, [DecideProposal]>('decideProposal');
export const recordInspectionUpdate = defineUpdate<TownshipView, [RecordInspection]>('recordInspection');
export const recordTrainingUpdate = defineUpdate<TownshipView, [RecordTraining]>('recordTraining');
export const townshipStateQuery = defineQuery<TownshipView>('state');
