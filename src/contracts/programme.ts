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
import { calendarYearSchema, localDateSchema, type LocalDate } from '../domain/calendar';
import { policySchema } from '../domain/policy';
import { codeSchema, personId, text, type EntityStatus } from './common';
import type { TargetChange } from './township';
import { caseIdSchema } from './inquiry';

export const PROGRAMME_WORKFLOW_TYPE = 'countyProgramme';

export function programmeWorkflowId(county: string): string {
  return `programme:${county}`;
}

export const programmeInputSchema = z.object({
  county: codeSchema,
  policy: policySchema.optional(),
  calendar: z.array(calendarYearSchema).max(6).optional(),
});
export type ProgrammeInput = z.input<typeof programmeInputSchema>;

/** An inquiry case opened or closed: the urging digest covers its overdue duties too. */
export const caseChangeSchema = z.strictObject({ caseId: caseIdSchema, township: codeSchema, open: z.boolean() });
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
  /** The standing committee's studies recorded (五(二)), with the plans they reviewed. */
  readonly committeeStudies: readonly CommitteeStudyRecord[];
  /** The 联席会 recorded (四(一)4), the latest twelve. */
  readonly jointMeetings: readonly JointMeetingRecord[];
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
export const recordCommitteeStudySchema = z.strictObject({
  by: personId,
  heldOn: localDateSchema,
  summary: text(4, 2000, '研究内容'),
  plans: z
    .array(
      z.strictObject({
        village: codeSchema,
        tasks: z
          .array(
            z.strictObject({
              item: text(4, 300, '整顿事项'),
              owner: z.enum(taskOwners, { error: '应为 township（乡镇党委）或 village（村党组织）' }),
              deadline: localDateSchema,
              person: personId.optional(),
            }),
          )
          .min(1, '每个整顿方案至少交办一项整顿事项')
          .max(20, '每个整顿方案最多交办20项'),
      }),
    )
    .max(200)
    .default([]),
});
export type RecordCommitteeStudy = z.input<typeof recordCommitteeStudySchema>;

export interface CommitteeStudyRecord {
  readonly heldOn: LocalDate;
  readonly summary: string;
  readonly by: string;
  /** The plans reviewed, and how many items each was assigned. */
  readonly plans: readonly { readonly village: string; readonly tasks: number }[];
}

export const recordCommitteeStudyUpdate = defineUpdate<ProgrammeView, [RecordCommitteeStudy]>('recordCommitteeStudy');

/**
 * A 联席会 (四(一)4 "县工青妇、武装、民政等部门每季度召开一次联席会，研究整治配套组织软弱涣散的问题"):
 * the day it met, what it studied, and the departments (roster codes) that took part; recorded by
 * the organization department, which leads the work (六(二)).
 */
export const recordJointMeetingSchema = z.strictObject({
  by: personId,
  heldOn: localDateSchema,
  topics: text(4, 2000, '研究内容'),
  departments: z.array(codeSchema).min(2, '联席会至少有两个部门参加').max(20, '最多20个部门'),
});
export type RecordJointMeeting = z.input<typeof recordJointMeetingSchema>;

export interface JointMeetingRecord {
  readonly heldOn: LocalDate;
  readonly topics: string;
  readonly departments: readonly string[];
  readonly by: string;
}

export const recordJointMeetingUpdate = defineUpdate<ProgrammeView, [RecordJointMeeting]>('recordJointMeeting');
export const programmeStateQuery = defineQuery<ProgrammeView>('state');
