/**
 * Supervision rules: when a township's reporting record warrants proposing an inquiry letter to
 * the organization department (六(三), 六(四)), and the deadlines of an inquiry case (六(四)).
 */
import { z } from 'zod';
import { addWorkingDays, instantOf, addDays, isoInstant, periodOf, type LocalDate } from './calendar';

export const supervisionPolicySchema = z.object({
  /** Missed or late half-monthly reports in one quarter that make a proposal (default two). */
  lapsesPerQuarter: z.number().int().min(1).max(6).default(2),
  /** Working days a township has to send its written explanation to an inquiry letter. */
  explanationWorkingDays: z.number().int().min(1).max(30).default(10),
});
export type SupervisionPolicy = z.infer<typeof supervisionPolicySchema>;
export const defaultSupervisionPolicy: SupervisionPolicy = supervisionPolicySchema.parse({});

/** A half-monthly report obligation as far as lapses go: its period and when it was due. */
export interface ReportDue {
  readonly periodId: string;
  readonly periodStart: LocalDate;
  /** ISO instant: the end of the (working-day adjusted) due day, China time. */
  readonly dueInstant: string;
}

export type LapseKind = 'missing' | 'late';

export interface Lapse {
  readonly periodId: string;
  readonly quarter: string;
  readonly kind: LapseKind;
}

/**
 * The reports that were not in by their due time, as of `now`: missing (none yet) or late
 * (arrived after it). An amendment does not make a report late; the first submission counts.
 */
export function reportLapses(due: readonly ReportDue[], receivedAt: Readonly<Record<string, string>>, now: number): Lapse[] {
  const out: Lapse[] = [];
  for (const d of due) {
    if (Date.parse(d.dueInstant) > now) continue;
    const received = receivedAt[d.periodId];
    const quarter = periodOf('quarter', d.periodStart).id;
    if (received === undefined) out.push({ periodId: d.periodId, quarter, kind: 'missing' });
    else if (Date.parse(received) > Date.parse(d.dueInstant)) out.push({ periodId: d.periodId, quarter, kind: 'late' });
  }
  return out;
}

/** Quarters whose lapses reach the policy's threshold, each with its lapses, in order. */
export function quartersToPropose(lapses: readonly Lapse[], policy: SupervisionPolicy = defaultSupervisionPolicy): { quarter: string; lapses: Lapse[] }[] {
  const byQuarter = new Map<string, Lapse[]>();
  for (const l of lapses) byQuarter.set(l.quarter, [...(byQuarter.get(l.quarter) ?? []), l]);
  return [...byQuarter.entries()]
    .filter(([, list]) => list.length >= policy.lapsesPerQuarter)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([quarter, list]) => ({ quarter, lapses: list }));
}

/** The written explanation is due a number of working days after the letter (六(四)). */
export function explanationDeadline(issuedOn: LocalDate, policy: SupervisionPolicy = defaultSupervisionPolicy): { date: LocalDate; instant: string } {
  const date = addWorkingDays(issuedOn, policy.explanationWorkingDays);
  return { date, instant: isoInstant(instantOf(addDays(date, 1))) };
}
