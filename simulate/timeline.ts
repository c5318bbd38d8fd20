/**
 * The timeline of a simulation: what the mail server received, duties opened and closed, stages
 * reached, consequences recorded; one JSON object per line, ordered by `at` (simulated time,
 * ISO 8601 to the minute with +08:00).
 */
import type { ReceivedMail } from '../src/infra/smtp-sink';
import type { Roster } from '../src/domain/roster';

export interface ObligationRef {
  readonly id: string;
  readonly kind: string;
  /** `village:<code>`, `township:<code>`, `county:<code>` or `case:<id>`. */
  readonly subject: string;
  readonly due: string;
  readonly clause: string;
}

export type TimelineEvent =
  | {
      readonly at: string;
      readonly type: 'email';
      readonly messageId: string;
      readonly to: string;
      readonly role: string;
      readonly kind: string;
      readonly subject: string;
      readonly obligation?: ObligationRef;
      readonly case?: string;
      readonly subjectLine: string;
    }
  | { readonly at: string; readonly type: 'opened'; readonly entity: string; readonly obligation: ObligationRef; readonly title: string }
  | { readonly at: string; readonly type: 'closed'; readonly entity: string; readonly obligation: ObligationRef; readonly how: string; readonly on: string }
  | { readonly at: string; readonly type: 'stage'; readonly entity: string; readonly from: string | null; readonly to: string }
  | {
      readonly at: string;
      readonly type: 'consequence';
      readonly person: string;
      readonly kind: string;
      readonly from: string;
      readonly year?: number;
      readonly until?: string;
      readonly clause: string;
      readonly case: string;
    };

/**
 * An instant as China time to the minute, `2019-01-15T09:00+08:00`. Seconds are not repeatable:
 * the time-skipping server's clock runs at wall speed while a workflow task waits for a busy
 * worker or the simulated people act, so a notice of 09:00 may carry 09:00:01 in one run and
 * 09:00:03 in the next.
 */
export function chinaIso(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16)}+08:00`;
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), as nodemailer writes non-ASCII header values. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** One received mail as a timeline entry, from its X-Rectification-* headers; undefined when it has none. */
export function mailEvent(mail: ReceivedMail, roster: Roster): TimelineEvent | undefined {
  const h = (name: string): string | undefined => {
    const v = mail.headers.get(`x-rectification-${name}`);
    return typeof v === 'string' ? decodeWords(v) : undefined;
  };
  const at = h('at');
  const kind = h('kind');
  if (!at || !kind) return undefined;
  const to = mail.envelopeTo[0] ?? '';
  const person = roster.people.find((p) => p.email.toLowerCase() === to.toLowerCase());
  const id = h('obligation');
  const caseId = h('case');
  return {
    at: chinaIso(Date.parse(at)),
    type: 'email',
    messageId: mail.messageId,
    to,
    role: person?.role ?? 'unknown',
    kind,
    subject: h('subject') ?? '',
    ...(id ? { obligation: { id, kind: h('obligation-kind') ?? '', subject: h('subject') ?? '', due: h('due') ?? '', clause: h('clause') ?? '' } } : {}),
    ...(caseId ? { case: caseId } : {}),
    subjectLine: mail.subject,
  };
}

const typeOrder: Record<TimelineEvent['type'], number> = { stage: 0, opened: 1, email: 2, closed: 3, consequence: 4 };

/** Ordered by time, then by type (a duty opens before its mail), then by what the entry is about. */
export function sortTimeline(events: TimelineEvent[]): TimelineEvent[] {
  const key = (e: TimelineEvent): string =>
    e.type === 'email' ? `${e.obligation?.id ?? e.subject}|${e.to}|${e.messageId}` : e.type === 'consequence' ? `${e.person}|${e.kind}|${e.case}` : e.type === 'stage' ? e.entity : `${e.entity}|${e.obligation.id}`;
  return events
    .map((e) => ({ e, t: Date.parse(e.at), k: key(e) }))
    .sort((a, b) => a.t - b.t || typeOrder[a.e.type] - typeOrder[b.e.type] || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.e);
}
