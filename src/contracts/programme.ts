/**
 * Contract of the county programme workflow (one per county): the county's own duties, each
 * reminded to the organization department: the standing committee's study twice a year (五(二)),
 * the yearly debriefing evaluation of township secretaries (六(四)) and the late-November
 * acceptance campaign for every target under rectification (五(一)); and the urging digest (督办)
 * of every overdue duty in the county past its red warning.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { calendarYearSchema, type LocalDate } from '../domain/calendar';
import { policySchema } from '../domain/policy';
import { codeSchema, type EntityStatus } from './common';
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
}

export interface BulletinRecord {
  readonly month: string;
  readonly on: LocalDate;
  readonly townships: number;
  readonly overdue: number;
  readonly behind: number;
}

export const programmeStateQuery = defineQuery<ProgrammeView>('state');
