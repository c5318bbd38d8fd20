/**
 * What every contract shares: validation messages in Chinese (officials read them, next to the
 * field they name), bounded text and lists (no input can grow a workflow's state or history past
 * Temporal's limits), the record of what happened, deliveries, and the obligation views.
 */
import { z } from 'zod';
import { lazySchema } from '../domain/lazy-schema';
import type { Closure, DutyTally } from '../domain/book';
import type { LocalDate } from '../domain/calendar';
import type { ObligationKind } from '../domain/kinds';
import type { Severity } from '../domain/policy';

import '../domain/messages';
import { NO_CONTROLS } from '../domain/text';

/** A person of the roster, by id. */
export const personId = lazySchema(() => z.string().trim().min(1, '须填写人员编号').max(40, '人员编号最多40个字').regex(/^[A-Za-z0-9_-]+$/, '人员编号只能用字母、数字、_和-'));
/** A township, village or department code of the roster. */
export const codeSchema = lazySchema(() => z.string().trim().min(1, '须填写编码').max(40, '编码最多40个字').regex(/^[A-Za-z0-9_-]+$/, '编码只能用字母、数字、_和-'));
/** Free text refuses control and direction-reversing characters (src/domain/text.ts). */
export const controlsMessage = (what: string): string => `${what}含有控制字符或文字方向控制符（如U+202E），请删除后重新填写`;

/** Free text an official writes, bounded. */
export const text = (min: number, max: number, what: string): z.ZodString =>
  z.string().trim().min(min, `${what}至少${min}个字`).max(max, `${what}最多${max}个字`).regex(NO_CONTROLS, controlsMessage(what));
export const optionalText = (max: number, what: string): z.ZodDefault<z.ZodString> =>
  z.string().trim().max(max, `${what}最多${max}个字`).regex(NO_CONTROLS, controlsMessage(what)).default('');
export const obligationIdSchema = lazySchema(() => z.string().min(1, '须指明事项').max(160, '事项编号过长'));

/** How a rejected input is described: each problem with the path of its field. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The problems of a rejected input; a problem with the input as a whole gets `root` as its path. */
export function issuesOf(error: z.ZodError, root = ''): FieldIssue[] {
  return error.issues.map((i) => ({ path: fieldPath(i.path) || root, message: i.message }));
}

/** Problems as one line for officials: `字段：问题；字段：问题`. */
export function issuesText(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}：${i.message}`).join('；');
}

// --- The record of what happened ---------------------------------------------------------------

export interface HistoryEntry {
  readonly at: string;
  readonly type: string;
  /** For officials, in Chinese. */
  readonly text: string;
  readonly by?: string;
}

export interface FailedDelivery {
  readonly key: string;
  readonly obligationId: string;
  readonly step: string;
  /** What it was, as officials call it (absent in records made before it was kept). */
  readonly label?: string;
  readonly at: string;
  /** Who did not get it: refused addresses (none when nobody holds the post). */
  readonly recipients: readonly string[];
  readonly error: string;
}

export interface DeliveryDelay {
  readonly since: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly retryAt: string;
  readonly pending: number;
}

/** An input a workflow dropped (an invalid signal): visible to operators, never thrown. */
export interface DroppedInput {
  readonly at: string;
  readonly what: string;
  readonly problem: string;
}

// --- Obligations as officials see them ---------------------------------------------------------

export interface ObligationView {
  readonly id: string;
  readonly kind: ObligationKind;
  readonly title: string;
  readonly clause: string;
  readonly subject: { readonly type: string; readonly code: string };
  readonly periodLabel: string;
  /** The day the duty became (or becomes) owed. */
  readonly periodStart: LocalDate;
  readonly dueDate: LocalDate;
  /** The instant it falls overdue (the end of its due date, China time). */
  readonly dueAt: string;
  readonly nominalDue: LocalDate;
  readonly provisional: boolean;
  /** Past `dueAt` as of the view's `asOf`. */
  readonly overdue: boolean;
  /** The moment it became owed: its period's start (or the target's designation, if later), or the event that created it. */
  readonly openedAt: string;
  /** The post that owes it, or the people named. */
  readonly responsible: { readonly role: string } | { readonly people: readonly string[] };
  readonly nextStep?: { readonly id: string; readonly severity: Severity; readonly at: string };
  /** Who was told when. */
  readonly told: readonly { readonly step: string; readonly severity: Severity; readonly at: string; readonly to?: readonly string[] }[];
}

export interface ClosedObligationView {
  readonly id: string;
  readonly kind: ObligationKind;
  readonly title: string;
  readonly clause: string;
  readonly periodLabel: string;
  readonly dueDate: LocalDate;
  readonly closed: Closure;
}

/** What every long-running entity (target, township, county, case) shows about its duties and mail. */
export interface EntityStatus {
  /**
   * The moment the view speaks of: the workflow's time when it answered (its last wake-up or
   * message), and after the service the moment of the query, against which it re-judges overdue.
   */
  readonly asOf: string;
  /** Open duties, earliest due first; overdue ones stay until closed. */
  readonly open: readonly ObligationView[];
  /**
   * Duties whose period begins within the next two months, laid out as they will be. A query
   * answers as of the workflow's last wake-up: a surface that shows duties "now" counts those of
   * them whose period has begun by its own today as open too.
   */
  readonly upcoming: readonly ObligationView[];
  readonly overdue: boolean;
  readonly overdueCount: number;
  readonly recentlyClosed: readonly ClosedObligationView[];
  /** Per year (of the duty's period) and kind: duties opened, and closed by how (fulfilled, late, waived, missed, …). */
  readonly dutyYears: Readonly<Record<string, Partial<Record<ObligationKind, DutyTally>>>>;
  readonly failedDeliveries: readonly FailedDelivery[];
  readonly failedDeliveryCount: number;
  /** Mail the mail server has not taken yet; it is retried until it does. */
  readonly deliveryDelayed?: DeliveryDelay;
  readonly history: readonly HistoryEntry[];
  readonly policyVersion: string;
  readonly calendarYears: readonly { readonly year: number; readonly official: boolean; readonly source: string }[];
  readonly dropped: readonly DroppedInput[];
}

/**
 * A view judged at the moment of the query. A workflow answers as of its last wake-up or message,
 * so at 00:05 a duty due at the end of yesterday is past due here although its workflow will say
 * so only at its next wake-up (the morning's notices): the workbench is right at 00:05 as at 09:05.
 */
export function atQueryTime<T extends EntityStatus>(view: T, now: number): T {
  if (Date.parse(view.asOf) >= now) return view;
  const open = view.open.map((o) => (o.overdue || Date.parse(o.dueAt) > now ? o : { ...o, overdue: true }));
  const overdueCount = open.filter((o) => o.overdue).length;
  return { ...view, asOf: new Date(now).toISOString(), open, overdueCount, overdue: overdueCount > 0 };
}
