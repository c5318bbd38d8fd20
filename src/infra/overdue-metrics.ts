import type { Client } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import { DeliveryDelayedKey, FailedDeliveriesKey, OverdueKey, TownshipKey } from '../search-attributes';

/**
 * Gauges for operators, counted from the search attributes every entity keeps: open entities
 * (targets, townships, cases, the programme) with an overdue duty, per township; entities whose
 * notices wait for the mail server; entities with a delivery that failed for good. Refreshed on an
 * interval by the worker and exported on its Prometheus endpoint.
 */
export interface OverdueGauges {
  refresh(): Promise<void>;
  stop(): void;
}

export const OVERDUE_METRIC = 'rect_overdue_entities';
export const DELAYED_METRIC = 'rect_delivery_delayed_entities';
export const FAILED_METRIC = 'rect_failed_delivery_entities';
/** Set by the worker: 1 while the roster file is invalid and the last valid roster is in use. */
export const ROSTER_INVALID_METRIC = 'rect_roster_invalid';

/** The roster gauge, at 0 until told otherwise. */
export function rosterInvalidGauge(meter: MetricMeter): (invalid: boolean) => void {
  const gauge = meter.createGauge(ROSTER_INVALID_METRIC, 'int', '', '1 while the roster file is invalid and the last valid roster is in use');
  gauge.set(0);
  return (invalid) => gauge.set(invalid ? 1 : 0);
}

export function watchOverdue(client: Client, meter: MetricMeter, intervalMs: number): OverdueGauges {
  const overdue = meter.createGauge(OVERDUE_METRIC, 'int', 'entities', 'Open entities with an overdue duty, by township (county: the programme and county duties)');
  const delayed = meter.createGauge(DELAYED_METRIC, 'int', 'entities', 'Open entities with notices waiting for the mail server');
  const failed = meter.createGauge(FAILED_METRIC, 'int', 'entities', 'Open entities with a delivery refused for good (fix the roster, then retry)');
  const seen = new Set<string>();
  let running: Promise<void> | undefined;

  const count = async (): Promise<void> => {
    const byTownship = new Map<string, number>();
    for await (const wf of client.workflow.list({ query: `ExecutionStatus = 'Running' AND ${OverdueKey.name} = true` })) {
      const township = wf.typedSearchAttributes.get(TownshipKey) || 'county';
      byTownship.set(township, (byTownship.get(township) ?? 0) + 1);
    }
    for (const t of seen) if (!byTownship.has(t)) overdue.set(0, { township: t });
    for (const [t, n] of byTownship) {
      overdue.set(n, { township: t });
      seen.add(t);
    }
    delayed.set((await client.workflow.count(`ExecutionStatus = 'Running' AND ${DeliveryDelayedKey.name} = true`)).count);
    failed.set((await client.workflow.count(`ExecutionStatus = 'Running' AND ${FailedDeliveriesKey.name} > 0`)).count);
  };
  const refresh = (): Promise<void> => (running ??= count().finally(() => (running = undefined)));
  const timer = setInterval(() => void refresh().catch(() => {}), intervalMs);
  timer.unref();
  void refresh().catch(() => {});
  return { refresh, stop: () => clearInterval(timer) };
}
