/**
 * Moving a run started before the obligation book into it, at its continue-as-new: its record,
 * failed and held-back mail carry over; its duties are read from the window it used to recompute
 * (what it had settled stays closed, the steps it had sent stay sent).
 */
import type { FailedDelivery, HistoryEntry } from '../../contracts/common';
import { noticeFromLegacy, type MailRequest } from '../../contracts/mail';
import type { LocalDate, Policy } from '../../domain';
import type { Deferred } from './outbox';
import { newCore, type CoreState } from './runtime';

/** What every legacy run's state had. */
export interface LegacyEntityState {
  readonly startedAt: string;
  readonly runYear: number;
  /** Obligation id → the day it was fulfilled or waived. */
  readonly settled: Readonly<Record<string, LocalDate>>;
  /** `<obligation id>#<step id>` → due date: a step sent, superseded or skipped. */
  readonly sent: Readonly<Record<string, LocalDate>>;
  readonly failedDeliveries: FailedDelivery[];
  readonly failedDeliveryCount: number;
  readonly deferred?: { requests: unknown[]; since: string; attempts: number; lastError: string; retryAt: string };
  readonly history: HistoryEntry[];
}

/** A legacy held-back request, read as today's mail. */
function legacyMail(r: unknown): MailRequest {
  const o = r as { notice?: unknown; mail?: unknown };
  if (o.notice) return noticeFromLegacy(o.notice as never);
  if (o.mail) return { ...(o.mail as object), type: 'case' } as MailRequest;
  return noticeFromLegacy(r as never);
}

export function migrateCore(l: LegacyEntityState, policy: Policy): CoreState {
  const core = newCore(Date.parse(l.startedAt), policy);
  const deferred: Deferred | undefined = l.deferred ? { ...l.deferred, requests: l.deferred.requests.map(legacyMail) } : undefined;
  return {
    ...core,
    runYear: l.runYear,
    failedDeliveries: l.failedDeliveries,
    failedDeliveryCount: l.failedDeliveryCount,
    ...(deferred ? { deferred } : {}),
    history: l.history,
  };
}
