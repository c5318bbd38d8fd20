/**
 * Messages every long-running entity (target, township, county programme, inquiry case) accepts:
 * closing a duty by fulfilment or waiver, applying a new version of the county's policy, a newly
 * published holiday arrangement, and an operator's "retry now" for mail.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { lazySchema } from '../domain/lazy-schema';
import { calendarYearSchema, localDateSchema, type CalendarYear } from '../domain/calendar';
import { policySchema, type Policy } from '../domain/policy';
import { obligationIdSchema, optionalText, personId, text, type EntityStatus } from './common';
import type { UrgedItem } from './mail';

export const fulfilObligationSchema = lazySchema(() => z.strictObject({
  obligationId: obligationIdSchema,
  fulfilledOn: localDateSchema,
  by: personId,
  note: optionalText(1000, '说明'),
}));
export type FulfilObligation = z.input<typeof fulfilObligationSchema>;

export const waiveObligationSchema = lazySchema(() => z.strictObject({
  obligationId: obligationIdSchema,
  by: personId,
  reason: text(4, 1000, '免除理由'),
}));
export type WaiveObligation = z.input<typeof waiveObligationSchema>;

export const applyPolicySchema = lazySchema(() => z.strictObject({ policy: policySchema, by: personId }));
export interface ApplyPolicy {
  readonly policy: Policy;
  readonly by: string;
}

export const retryDeliveriesSchema = lazySchema(() => z.strictObject({ by: personId }));
export type RetryDeliveries = z.infer<typeof retryDeliveriesSchema>;

export const fulfilObligationUpdate = defineUpdate<EntityStatus, [FulfilObligation]>('fulfilObligation');
export const waiveObligationUpdate = defineUpdate<EntityStatus, [WaiveObligation]>('waiveObligation');
/** An update, not a signal: the operator learns whether the workflow took the version, and it is in the history with who sent it. */
export const applyPolicyUpdate = defineUpdate<EntityStatus, [ApplyPolicy]>('applyPolicy');
/** Mail held back by an outage goes now; permanently failed mail whose duty is still open is sent again. */
export const retryDeliveriesUpdate = defineUpdate<EntityStatus, [RetryDeliveries]>('retryDeliveries');

/**
 * What starts this workflow anew where it stands: its type and the arguments of a start that
 * carries its state (as continue-as-new does). The demo plays a county forward on the
 * time-skipping server and starts each workflow so on the dev server (src/demo.ts).
 */
export interface Handover {
  readonly workflowType: string;
  readonly args: readonly unknown[];
}
export const handoverQuery = defineQuery<Handover>('handover');

/**
 * A year's holiday arrangement, newly published (`cli calendar publish`). A signal: sent to every
 * running workflow at once, none of which must hold up the others; an invalid one is dropped and
 * recorded, never thrown.
 */
export const calendarPublishedPayloadSchema = calendarYearSchema;
export const calendarPublishedSignal = defineSignal<[CalendarYear]>('calendarPublished');

/** An open duty past its red warning, as the county's urging digest (督办) needs it. */
export type RedWarnedItem = Omit<UrgedItem, 'round' | 'redWarnedOn'> & {
  /** ISO instant the red warning went out. */
  readonly redWarnedAt: string;
  /** Posts the red warning went to: the digest goes to them. */
  readonly roles: readonly string[];
};
/**
 * The memo field in which an entity keeps its duties urged lately (red-warned within the urging
 * window, still open): the county's digest reads it with `describe`, which the server answers from
 * its own record, instead of querying (and so replaying) every entity of a province.
 */
export const RED_WARNED_MEMO = 'redWarned';
