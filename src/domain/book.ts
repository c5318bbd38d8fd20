/**
 * The obligation book: the open duties of one entity (a target, a township, the county, an
 * inquiry case) as durable state. A duty is opened when it becomes owed and stays open, and
 * overdue once past its due date, until it is closed by fulfilment (on time or late), a waiver, a
 * recorded result, or its subject leaving supervision; a routine activity (升国旗 on the 1st),
 * which cannot be done after its day, is recorded as missed (未落实) once the township has been
 * told (docs/obligations.md).
 * Nothing is forgotten because time passed. Plain JSON, no I/O, `now` passed in.
 */
import { addDays, localDateOf, yearOf, type LocalDate } from './calendar';
import { obligationKinds } from './kinds';
import { dueDateOf, ladderSteps, type BookEntry, type DueDate, type Duty, type LayoutContext, type StepState } from './obligations';

export const closeHows = ['fulfilled', 'late', 'waived', 'result', 'left-supervision', 'missed'] as const;
export type CloseHow = (typeof closeHows)[number];

export const closeHowLabels: Record<CloseHow, string> = {
  fulfilled: '按时完成',
  late: '逾期完成',
  waived: '免除',
  result: '已记录结果',
  'left-supervision': '不再列为整顿对象',
  missed: '未落实',
};

export interface Closure {
  readonly how: CloseHow;
  /** The day it was done (fulfilment) or decided. */
  readonly on: LocalDate;
  /** ISO instant the book recorded it. */
  readonly at: string;
  readonly by?: string;
  readonly note?: string;
}

/** A closed duty as the book remembers it: enough for the timeline, lapses and operators. */
export interface ClosedEntry {
  readonly id: string;
  readonly kind: BookEntry['kind'];
  readonly subject: BookEntry['subject'];
  readonly period: BookEntry['period'];
  readonly due: DueDate;
  readonly openedAt: string;
  readonly closed: Closure;
  /** The steps that went out: severity, when, to whom. */
  readonly told: { readonly step: string; readonly severity: StepState['severity']; readonly at: string; readonly to?: readonly string[] }[];
}

export interface BookState {
  open: BookEntry[];
  closed: ClosedEntry[];
  /** Duties of periods that had begun by this day have been considered for opening. */
  syncedThrough?: LocalDate;
  /**
   * What became of the duties of each year (by the year their period begins): opened, and closed
   * by how, per kind. Counted as they happen, since closed duties are forgotten after a while;
   * kept eleven years (the department's figures).
   */
  tally?: Record<string, Partial<Record<BookEntry['kind'], DutyTally>>>;
}

/** One kind's duties of one year: how many were opened, and how many closed in each way. */
export type DutyTally = Partial<Record<'opened' | CloseHow, number>>;

export function emptyBook(): BookState {
  return { open: [], closed: [] };
}

const kindOrder = new Map(obligationKinds.map((k, i) => [k, i]));

/** Earliest due first; on the same day in the order of the text's duties, then by id. */
export function byDue(a: BookEntry, b: BookEntry): number {
  return a.due.date.localeCompare(b.due.date) || kindOrder.get(a.kind)! - kindOrder.get(b.kind)! || a.id.localeCompare(b.id);
}

/** Closed duties are remembered this long (the timeline, lapses), and at most this many. */
const CLOSED_KEEP_DAYS = 400;
const CLOSED_KEEP_MAX = 250;

/** A step due now, for one open duty: what the entity sends. */
export interface DueStep {
  readonly entry: BookEntry;
  readonly step: StepState;
}

/** A change of due date: what the people who owe the duty are told. */
export interface Redated {
  readonly entry: BookEntry;
  readonly from: DueDate;
}

export class Book {
  constructor(readonly s: BookState) {}

  get open(): readonly BookEntry[] {
    return this.s.open;
  }

  find(id: string): BookEntry | undefined {
    return this.s.open.find((e) => e.id === id);
  }

  /** Whether the book holds the duty, open or closed. */
  knows(id: string): boolean {
    return this.s.open.some((e) => e.id === id) || this.s.closed.some((e) => e.id === id);
  }

  add(entry: BookEntry): void {
    this.s.open.push(entry);
    this.s.open.sort(byDue);
    this.count(entry, 'opened');
  }

  private count(entry: Pick<BookEntry, 'kind' | 'period'>, what: 'opened' | CloseHow): void {
    const year = ((this.s.tally ??= {})[String(yearOf(entry.period.start))] ??= {});
    const t = (year[entry.kind] ??= {});
    t[what] = (t[what] ?? 0) + 1;
  }

  /**
   * Opens the duties not yet known whose period has begun, or whose first notice is due by now
   * (a 1st on a rest day: its notice comes the working morning before), and whose due time comes
   * after `notBefore` (what fell due before the entity existed is not owed to it). Returns what
   * was opened.
   */
  sync(duties: readonly Duty[], now: number, notBefore: number, lay: (d: Duty) => BookEntry | undefined): BookEntry[] {
    const opened: BookEntry[] = [];
    const today = localDateOf(now);
    for (const d of duties) {
      if (this.knows(d.id)) continue;
      const entry = lay(d);
      if (!entry || Date.parse(entry.due.instant) <= notBefore) continue;
      if (d.period.start > today && !entry.steps.some((st) => !st.skipped && Date.parse(st.at) <= now)) continue;
      this.add(entry);
      opened.push(entry);
    }
    if (!this.s.syncedThrough || this.s.syncedThrough < today) this.s.syncedThrough = today;
    return opened;
  }

  /** Closes an open duty; undefined when it is not open. */
  close(id: string, closure: Closure): ClosedEntry | undefined {
    const i = this.s.open.findIndex((e) => e.id === id);
    if (i < 0) return undefined;
    const [e] = this.s.open.splice(i, 1) as [BookEntry];
    const closed: ClosedEntry = {
      id: e.id,
      kind: e.kind,
      subject: e.subject,
      period: e.period,
      due: e.due,
      openedAt: e.openedAt,
      closed: closure,
      told: e.steps.filter((st) => st.sentAt).map((st) => ({ step: st.id, severity: st.severity, at: st.sentAt!, ...(st.to ? { to: st.to } : {}) })),
    };
    this.s.closed.push(closed);
    this.count(e, closure.how);
    return closed;
  }

  /** Fulfilment on a day: on time up to the due date, late after it. */
  fulfil(id: string, on: LocalDate, at: number, by?: string, note?: string): ClosedEntry | undefined {
    const e = this.find(id);
    if (!e) return undefined;
    return this.close(id, { how: on > e.due.date ? 'late' : 'fulfilled', on, at: new Date(at).toISOString(), ...(by ? { by } : {}), ...(note ? { note } : {}) });
  }

  /**
   * The steps due now: per open duty the latest step whose time has come; earlier ones not yet
   * sent (the worker was down) are superseded rather than sent late one after another. Each is
   * marked sent at `now`.
   */
  due(now: number): DueStep[] {
    const out: DueStep[] = [];
    const at = new Date(now).toISOString();
    for (const entry of this.s.open) {
      const pending = entry.steps.filter((st) => !st.sentAt && !st.skipped && Date.parse(st.at) <= now);
      const latest = pending.at(-1);
      if (!latest) continue;
      for (const st of pending) if (st !== latest) st.skipped = true;
      latest.sentAt = at;
      out.push({ entry, step: latest });
    }
    return out;
  }

  /** Records who a step reached, once the mail server took it (also of a duty closed since, such as a routine activity recorded as missed). */
  delivered(entryId: string, stepId: string, to: readonly string[]): void {
    const st = this.find(entryId)?.steps.find((x) => x.id === stepId);
    if (st) {
      st.to = [...to];
      return;
    }
    const closed = this.s.closed.find((c) => c.id === entryId);
    const told = closed?.told.findIndex((t) => t.step === stepId) ?? -1;
    if (closed && told >= 0) closed.told[told] = { ...closed.told[told]!, to: [...to] };
  }

  /** The next moment a step of an open duty falls due, after `now`. */
  nextStepAt(now: number): number | undefined {
    let next: number | undefined;
    for (const e of this.s.open) {
      for (const st of e.steps) {
        if (st.sentAt || st.skipped) continue;
        const t = Date.parse(st.at);
        if (t > now && (next === undefined || t < next)) next = t;
      }
    }
    return next;
  }

  overdue(now: number): BookEntry[] {
    return this.s.open.filter((e) => Date.parse(e.due.instant) <= now);
  }

  /**
   * Lays the open duties out again under a new calendar or policy: due dates that move (a
   * provisional year made official, a changed rule) and the steps not yet sent. Entries with a
   * date the department set (`fixed`) keep it. Returns the duties whose due date moved.
   */
  redate(ctx: LayoutContext, now: number, fixed: (e: BookEntry) => boolean): Redated[] {
    const moved: Redated[] = [];
    for (const e of this.s.open) {
      const from = e.due;
      e.due = fixed(e) ? { ...from, provisional: ctx.calendar.isProvisionalYear(yearOf(from.date)) } : dueDateOf(e.kind, from.nominal, ctx);
      const sent = new Map(e.steps.map((st) => [st.id, st]));
      e.steps = ladderSteps(e.kind, e.due, ctx, e.people !== undefined).map((st) => {
        const before = sent.get(st.id);
        if (before?.sentAt || before?.skipped) return before;
        return Date.parse(st.at) < now ? { ...st, skipped: true } : st;
      });
      e.policyVersion = ctx.policy.version;
      if (e.due.date !== from.date) moved.push({ entry: e, from });
    }
    this.s.open.sort(byDue);
    return moved;
  }

  /** Gives an open duty a new due date the department set (a talk's date): its ladder follows it. */
  setDue(id: string, due: DueDate, ctx: LayoutContext, now: number): void {
    const e = this.find(id);
    if (!e) return;
    e.due = due;
    e.steps = ladderSteps(e.kind, due, ctx, e.people !== undefined).map((st) => (Date.parse(st.at) < now ? { ...st, skipped: true } : st));
    this.s.open.sort(byDue);
  }

  /** What the book still needs to remember of closed duties: recent ones, a bounded number. */
  prune(today: LocalDate, keepFrom: LocalDate = addDays(today, -CLOSED_KEEP_DAYS)): void {
    const kept = this.s.closed.filter((c) => c.closed.on >= keepFrom || c.period.end >= keepFrom);
    this.s.closed = kept.slice(-CLOSED_KEEP_MAX);
    const oldest = yearOf(today) - 10;
    for (const y of Object.keys(this.s.tally ?? {})) if (Number(y) < oldest) delete this.s.tally![y];
  }
}
