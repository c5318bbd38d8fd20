/**
 * Contract of the county programme workflow (one per county): the county's own duties, each
 * reminded to the organization department: the standing committee's study twice a year (五(二)),
 * the quarterly 联席会 of the departments named in 四(一)4, the yearly debriefing evaluation of
 * township secretaries (六(四)) and the late-November
 * acceptance campaign for every target under rectification (五(一)); and the urging digest (督办)
 * of every overdue duty in the county past its red warning.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema, optionalWhenPresent } from '../domain/lazy-schema';
import { calendarYearsSchema, localDateSchema, type LocalDate } from '../domain/calendar';
import { policySchema } from '../domain/policy';
import { codeSchema, optionalText, personId, text, type EntityStatus } from './common';
import type { TargetChange } from './township';
import { caseIdSchema } from './inquiry';

export const PROGRAMME_WORKFLOW_TYPE = 'countyProgramme';

export function programmeWorkflowId(county: string): string {
  return `programme:${county}`;
}

export const programmeInputSchema = lazySchema(() => z.object({
  county: codeSchema,
  policy: optionalWhenPresent(policySchema),
  calendar: optionalWhenPresent(calendarYearsSchema),
}));
export type ProgrammeInput = z.input<typeof programmeInputSchema>;

/** An inquiry case opened or closed: the urging digest covers its overdue duties too. */
export const caseChangeSchema = lazySchema(() => z.strictObject({ caseId: caseIdSchema, township: codeSchema, open: z.boolean() }));
export type CaseChange = z.infer<typeof caseChangeSchema>;
export const caseChangedSignal = defineSignal<[CaseChange]>('caseChanged');

export interface ProgrammeView extends EntityStatus {
  readonly county: string;
  readonly targets: readonly (TargetChange & { readonly active: boolean })[];
  readonly openCases: readonly string[];
  /** The urging digests sent (督办): when, and how many duties each listed. */
  readonly urgings: readonly { readonly date: LocalDate; readonly items: number }[];
  /** The monthly bulletins drawn up (通报送审稿, 六(三)): the month, when, and what each listed. */
  readonly bulletins: readonly BulletinRecord[];
  /** The department's quarterly reports drawn up (情况报告送审稿): the quarter, when, and its headline figures. */
  readonly figuresReports: readonly FiguresReportRecord[];
  /** The standing committee's studies recorded (五(二)), with the plans they reviewed. */
  readonly committeeStudies: readonly CommitteeStudyRecord[];
  /** The 联席会 recorded (四(一)4), the latest twelve. */
  readonly jointMeetings: readonly JointMeetingRecord[];
  /** The yearly 述职评议考核 recorded (六(四)), the latest six years. */
  readonly evaluations: readonly EvaluationRecord[];
  /** The yearly 会诊 recorded (五(二)), the latest six years. */
  readonly diagnoses: readonly DiagnosisRecord[];
  /** The county's courses (四(一)5), the latest ten. */
  readonly courses: readonly CourseRecord[];
}

export interface FiguresReportRecord {
  readonly quarter: string;
  readonly on: LocalDate;
  readonly targets: number;
  readonly transformed: number;
  readonly townshipsBehind: number;
  readonly overdue: number;
}

export interface BulletinRecord {
  readonly month: string;
  readonly on: LocalDate;
  readonly townships: number;
  readonly overdue: number;
  /** Routine activities recorded as not held (未落实). */
  readonly missed: number;
  readonly behind: number;
}

/** Who answers for an item of a 交办任务书: the township's Party committee or the village's Party organization. */
export const taskOwners = ['township', 'village'] as const;

/**
 * A study of the standing committee (五(二) "县委常委每年专题研究2次…专题审核软弱涣散村整顿方案，
 * 并以'交办任务书'的形式明确各级党委和党组织整顿工作责任和具体整顿事项"): the plans it reviewed,
 * each with the items it assigns, their owner and deadline. `person` is set by the service from
 * the roster (the owner's party secretary); a request does not name it.
 */
export const recordCommitteeStudySchema = lazySchema(() => z.strictObject({
  by: personId,
  heldOn: localDateSchema,
  summary: text(4, 2000, '研究内容'),
  plans: z
    .array(
      z
        .strictObject({
          village: codeSchema,
          /** approve: the plan stands and its items are assigned; return: it goes back to the township with the committee's opinion and a new deadline. */
          decision: z.enum(['approve', 'return'], { error: '应为 approve（审核通过并交办）或 return（退回修改）' }).default('approve'),
          opinion: text(4, 500, '审核意见').optional(),
          revisionDue: localDateSchema.optional(),
          tasks: z
            .array(
              z.strictObject({
                item: text(4, 300, '整顿事项'),
                owner: z.enum(taskOwners, { error: '应为 township（乡镇党委）或 village（村党组织）' }),
                deadline: localDateSchema,
                person: personId.optional(),
              }),
            )
            .max(20, '每个整顿方案最多交办20项')
            .default([]),
        })
        .superRefine((p, ctx) => {
          if (p.decision === 'approve' && p.tasks.length === 0) ctx.addIssue({ code: 'custom', path: ['tasks'], message: '每个审核通过的整顿方案至少交办一项整顿事项' });
          if (p.decision === 'return') {
            if (!p.opinion) ctx.addIssue({ code: 'custom', path: ['opinion'], message: '退回修改须写明审核意见' });
            if (!p.revisionDue) ctx.addIssue({ code: 'custom', path: ['revisionDue'], message: '退回修改须明确重新报送期限' });
            if (p.tasks.length > 0) ctx.addIssue({ code: 'custom', path: ['tasks'], message: '退回修改的整顿方案不交办整顿事项' });
          }
        }),
    )
    .max(200)
    .default([]),
  /** The year of the 会诊 (五(二)) the study drew on, when one was recorded. */
  diagnosis: z.number().int().min(2000).max(2100).optional(),
}));
export type RecordCommitteeStudy = z.input<typeof recordCommitteeStudySchema>;

export interface CommitteeStudyRecord {
  readonly heldOn: LocalDate;
  readonly summary: string;
  readonly by: string;
  /** The plans reviewed, and how many items each was assigned (none for one returned). */
  readonly plans: readonly { readonly village: string; readonly tasks: number; readonly returned?: true }[];
  /** The 会诊 the study drew on (五(二)): its year and day. */
  readonly diagnosis?: { readonly year: number; readonly heldOn: LocalDate };
}

export const recordCommitteeStudyUpdate = defineUpdate<ProgrammeView, [RecordCommitteeStudy]>('recordCommitteeStudy');

/**
 * A 联席会 (四(一)4 "县工青妇、武装、民政等部门每季度召开一次联席会，研究整治配套组织软弱涣散的问题"):
 * the day it met, what it studied, and the departments (roster codes) that took part; recorded by
 * the organization department, which leads the work (六(二)).
 */
export const recordJointMeetingSchema = lazySchema(() => z.strictObject({
  by: personId,
  heldOn: localDateSchema,
  topics: text(4, 2000, '研究内容'),
  departments: z.array(codeSchema).min(2, '联席会至少有两个部门参加').max(20, '最多20个部门'),
}));
export type RecordJointMeeting = z.input<typeof recordJointMeetingSchema>;

export interface JointMeetingRecord {
  readonly heldOn: LocalDate;
  readonly topics: string;
  readonly departments: readonly string[];
  readonly by: string;
}

export const recordJointMeetingUpdate = defineUpdate<ProgrammeView, [RecordJointMeeting]>('recordJointMeeting');

/**
 * 五(二) "由组织部牵头，对整顿软弱涣散基层党组织状况逐一进行会诊": the department's yearly diagnosis of
 * every target under rectification on the day: the problems found, and whether its plan still
 * stands (a plan that does not is for the standing committee to return). Each target's finding is
 * kept on the target; the county keeps the record of the 会诊.
 */
export const recordDiagnosisSchema = lazySchema(() => z.strictObject({
  by: personId,
  year: z.number().int().min(2000).max(2100),
  heldOn: localDateSchema,
  targets: z
    .array(
      z.strictObject({
        village: codeSchema,
        problems: text(2, 500, '发现的问题'),
        planStands: z.boolean({ error: '须说明整顿方案是否可行' }),
        note: optionalText(500, '调整意见'),
      }),
    )
    .min(1, '至少会诊一个整顿对象')
    .max(10_000),
}));
export type RecordDiagnosis = z.input<typeof recordDiagnosisSchema>;

export interface DiagnosisRecord {
  readonly year: number;
  readonly heldOn: LocalDate;
  readonly by: string;
  /** How many targets were diagnosed, and those whose plan does not stand. */
  readonly targets: number;
  readonly planNotStanding: readonly string[];
}

export const recordDiagnosisUpdate = defineUpdate<ProgrammeView, [RecordDiagnosis]>('recordDiagnosis');

/**
 * 四(一)5 "县委每年举办不少于20天的软弱涣散村村干部专题研修班，对软弱涣散基层党组织班子成员进行全员轮训":
 * a course the county held (or a session of it: a year's sessions add up to the 20 days), with the
 * cadres who attended (roster ids). `byTownship` is the service's, from the roster: the attendees
 * grouped by their township, whose workflows count the days towards each cadre's seven.
 */
export const recordCourseSchema = lazySchema(() => z.strictObject({
  by: personId,
  startOn: localDateSchema,
  endOn: localDateSchema,
  days: z.number({ error: '研修天数应为整数' }).int('研修天数应为整数').min(1, '研修天数至少1天').max(60, '研修天数最多60天'),
  topic: text(4, 200, '研修内容'),
  attendees: z.array(personId).min(1, '至少列出一名参训的村干部').max(5000),
  byTownship: z.record(codeSchema, z.array(personId).max(5000)).optional(),
}));
export type RecordCourse = z.input<typeof recordCourseSchema>;

export interface CourseRecord {
  readonly startOn: LocalDate;
  readonly endOn: LocalDate;
  readonly days: number;
  readonly topic: string;
  readonly attendees: number;
  readonly by: string;
}

export const recordCourseUpdate = defineUpdate<ProgrammeView, [RecordCourse]>('recordCourse');

/** The grades of the yearly 述职评议考核 (六(四)). */
export const evaluationGrades = ['good', 'fairly-good', 'average', 'poor'] as const;
export type EvaluationGrade = (typeof evaluationGrades)[number];
export const evaluationGradeLabels: Record<EvaluationGrade, string> = { good: '好', 'fairly-good': '较好', average: '一般', poor: '差' };

/**
 * The yearly 述职评议考核 of township party secretaries (六(四) "县委每年要组织乡镇党委书记抓基层党建工作述职
 * 评议考核，把整顿软弱涣散基层党组织作为重要内容"): the year evaluated, the day, and each secretary's
 * grade. A 差 is listed for the department to act on.
 */
export const recordEvaluationSchema = lazySchema(() => z.strictObject({
  by: personId,
  year: z.number().int().min(2000, '年份应在2000至2100之间').max(2100, '年份应在2000至2100之间'),
  evaluatedOn: localDateSchema,
  results: z
    .array(z.strictObject({ person: personId, grade: z.enum(evaluationGrades, { error: '应为 good（好）、fairly-good（较好）、average（一般）或 poor（差）' }), note: text(2, 300, '评议意见').optional() }))
    .min(1, '至少记录一名乡镇党委书记的结果')
    .max(200),
}));
export type RecordEvaluation = z.input<typeof recordEvaluationSchema>;

export interface EvaluationRecord {
  readonly year: number;
  readonly evaluatedOn: LocalDate;
  readonly by: string;
  readonly results: readonly { readonly person: string; readonly grade: EvaluationGrade; readonly note?: string }[];
}

export const recordEvaluationUpdate = defineUpdate<ProgrammeView, [RecordEvaluation]>('recordEvaluation');
export const programmeStateQuery = defineQuery<ProgrammeView>('state');
