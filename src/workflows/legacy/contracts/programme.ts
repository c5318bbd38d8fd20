/**
 * Contract of the county programme workflow (one per county): the county's own duties, each
 * reminded to the organization department: the standing committee's study twice a year (五(二)),
 * the yearly debriefing evaluation of township secretaries (六(四)) and the late-November
 * acceptance campaign for every target under rectification (五(一)).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { localDateSchema } from '../domain/calendar';
import { escalationPolicySchema } from '../domain/escalation';
import type { TargetChange } from './township';
import type { EntityStatus } from './village';

export const PROGRAMME_WORKFLOW_TYPE = 'countyProgramme';

export function programmeWorkflowId(county: string): string {
  return `programme:${county}`;
}

export const programmeInputSchema = z.object({
  county: z.string().trim().min(1),
  policy: escalationPolicySchema.optional(),
});
export type ProgrammeInput = z.input<typeof programmeInputSchema>;

export const fulfilDutySchema = z.object({
  obligationId: z.string().min(1),
  fulfilledOn: localDateSchema,
  by: z.string().trim().min(1, 'must name a person'),
  note: z.string().trim().default(''),
});
export type FulfilDuty = z.input<typeof fulfilDutySchema>;

export interface ProgrammeView extends EntityStatus {
  readonly county: string;
  readonly targets: readonly (TargetChange & { readonly active: boolean })[];
}

export const fulfilDutyUpdate = defineUpdate<ProgrammeView, [FulfilDuty]>('fulfilDuty');
export const programmeStateQuery = defineQuery<ProgrammeView>('state');
