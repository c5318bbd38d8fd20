/**
 * Contract of the consequences ledger (one per county): every award ineligibility (六(四)) and
 * promotion block (六(五), 五(四)) with the clause and case behind it, kept beyond the retention of
 * the cases' own histories.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LocalDate } from '../domain/calendar';
import type { Consequence } from '../domain/consequences';

export const LEDGER_WORKFLOW_TYPE = 'consequencesLedger';

export function ledgerWorkflowId(county: string): string {
  return `ledger:${county}`;
}

export interface LedgerInput {
  readonly county: string;
}

/**
 * Entries of one case. A signal: a case must not wait on the ledger; entries carry their own
 * identity (kind, subject, start, case), so one recorded twice is kept once.
 */
export interface RecordConsequences {
  readonly caseId: string;
  readonly consequences: readonly Consequence[];
}
export const recordConsequencesSignal = defineSignal<[RecordConsequences]>('recordConsequences');

export const awardIneligibleQuery = defineQuery<Consequence[], [number]>('awardIneligible');
export const promotionBlockedQuery = defineQuery<Consequence[], [LocalDate]>('promotionBlocked');
export const ledgerEntriesQuery = defineQuery<Consequence[]>('entries');
