/**
 * Supervision rules: when a township's reporting record warrants proposing an inquiry letter to
 * the organization department (六(三), 六(四)), and the deadlines of an inquiry case (六(四)). The
 * thresholds and the days allowed are the county's practice, in its policy.
 */
import { endOfDayInstant, periodOf, type LocalDate, type WorkCalendar } from './calendar';
import type { BookEntry } from './obligations';
import type { ClosedEntry } from './book';
import type { Policy } from './policy';

export type LapseKind = 'missing' | 'late';

export interface Lapse {
  readonly periodId: string;
  readonly quarter: string;
  readonly kind: LapseKind;
}

/**
 * The half-monthly reports not in by their due time, as of `now`, from a township's book: an open
 * report past its due time is missing; one fulfilled after its due date was late. A report waived,
 * or no longer owed because no target was under rectification on the half month's last day, is no
 * lapse.
 */
export function reportLapses(open: readonly BookEntry[], closed: readonly ClosedEntry[], now: number): Lapse[] {
  const out: Lapse[] = [];
  const lapse = (periodId: string, start: LocalDate, kind: LapseKind): void => {
    out.push({ periodId, quarter: periodOf('quarter', start).id, kind });
  };
  for (const e of open) if (e.kind === 'half-monthly-report' && Date.parse(e.due.instant) <= now) lapse(e.period.id, e.period.start, 'missing');
  for (const c of closed) if (c.kind === 'half-monthly-report' && c.closed.how === 'late') lapse(c.period.id, c.period.start, 'late');
  return out.sort((a, b) => a.periodId.localeCompare(b.periodId));
}

/** Quarters whose lapses reach the policy's threshold, each with its lapses, in order. */
export function quartersToPropose(lapses: readonly Lapse[], policy: Policy): { quarter: string; lapses: Lapse[] }[] {
  const byQuarter = new Map<string, Lapse[]>();
  for (const l of lapses) byQuarter.set(l.quarter, [...(byQuarter.get(l.quarter) ?? []), l]);
  return [...byQuarter.entries()]
    .filter(([, list]) => list.length >= policy.supervision.lapsesPerQuarter.value)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([quarter, list]) => ({ quarter, lapses: list }));
}

/** The written explanation is due a number of working days after the letter (六(四); the number is county practice). */
export function explanationDeadline(issuedOn: LocalDate, calendar: WorkCalendar, policy: Policy): { date: LocalDate; instant: string } {
  const date = calendar.addWorkingDays(issuedOn, policy.supervision.explanationWorkingDays.value);
  return { date, instant: endOfDayInstant(date) };
}
