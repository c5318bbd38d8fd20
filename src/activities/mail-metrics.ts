import type { MetricMeter } from '@temporalio/common';

/**
 * The product's own figures on the worker's Prometheus endpoint, beside the SDK's: every mail by
 * its kind (reminder, due, overdue, red-warning, redated, digest, and the case mails' kinds) and
 * what became of it. `delayed` counts attempts the mail server did not take (the send is retried);
 * `refused` is a permanent refusal (5xx); `no-recipient` a post the roster has nobody for.
 */
export type MailOutcome = 'sent' | 'already-sent' | 'refused' | 'delayed' | 'no-recipient';

export interface MailMetrics {
  count(kind: string, outcome: MailOutcome, n?: number): void;
}

export const noMailMetrics: MailMetrics = { count() {} };

export const MAILS_METRIC = 'rect_mails_total';

export function meterMailMetrics(meter: MetricMeter): MailMetrics {
  const counter = meter.createCounter(MAILS_METRIC, 'mails', 'Mails by kind and outcome (sent, already-sent, refused, delayed, no-recipient)');
  return { count: (kind, outcome, n = 1) => counter.add(n, { kind, outcome }) };
}
