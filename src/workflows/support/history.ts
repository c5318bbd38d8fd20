/**
 * The record of what happened to an entity, for officials (Chinese) and operators, bounded in
 * entries and in bytes so that no input can grow a continued run's state past Temporal's limits.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { issuesOf, issuesText, type DroppedInput, type FieldIssue, type HistoryEntry } from '../../contracts/common';
import { isoInstant } from '../../domain/calendar';

const HISTORY_KEPT = 120;
const TEXT_MAX = 600;
const DROPPED_KEPT = 20;

export function clip(text: string, max = TEXT_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function appendHistory(history: HistoryEntry[], now: number, type: string, text: string, by?: string): void {
  history.push({ at: isoInstant(now), type, text: clip(text), ...(by ? { by } : {}) });
  if (history.length > HISTORY_KEPT) history.splice(0, history.length - HISTORY_KEPT);
}

export function recordDropped(dropped: DroppedInput[], now: number, what: string, problem: string): void {
  dropped.push({ at: isoInstant(now), what, problem: clip(problem, 300) });
  if (dropped.length > DROPPED_KEPT) dropped.splice(0, dropped.length - DROPPED_KEPT);
}

/** The caller's input is wrong: each problem with its field (the API shows it next to the field). */
export function invalid(message: string, issues: readonly FieldIssue[] = []): ApplicationFailure {
  return ApplicationFailure.create({ message, type: 'InvalidInput', nonRetryable: true, details: issues.length ? [issues] : [] });
}

/** The input is well formed but the entity's state does not allow it now. */
export function refused(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidState');
}

/** Parses an update's input, or rejects it naming every wrong field. */
export function parseOrReject<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw invalid(issuesText(issuesOf(r.error, '输入')), issuesOf(r.error));
  }
  return r.data;
}

/** A field-level refusal: the field and what is wrong with it. */
export function fieldError(path: string, message: string): ApplicationFailure {
  return invalid(`${path}：${message}`, [{ path, message }]);
}
