import { ApplicationFailure, Context } from '@temporalio/activity';
import type { CaseMailRequest } from '../contracts/inquiry';
import type { NoticeRequest, NoticeResult } from '../contracts/village';
import type { Person } from '../domain/roster';
import { renderCaseMail, resolveCaseRecipients } from './case-mails';
import type { Mailer, OutgoingMail, SentMail } from './mailer';
import { renderNotice, resolveRecipients } from './notices';
import type { RosterSource } from './roster-file';
import type { SentJournal } from './sent-journal';

export const PERMANENT_DELIVERY_FAILURE = 'PermanentDeliveryFailure';

interface SmtpError {
  responseCode?: number;
  message: string;
}

/** A 5xx answer (no such mailbox, message refused) will not change on retry. */
function isPermanent(err: unknown): err is SmtpError {
  const code = (err as SmtpError).responseCode;
  return typeof code === 'number' && code >= 500;
}

export interface NotificationDeps {
  readonly mailer: Mailer;
  readonly journal: SentJournal;
  readonly roster: RosterSource;
  /** Where officials act on a notice; links in mails point below it. */
  readonly baseUrl: string;
}

export interface NotificationActivities {
  sendNotification(mail: OutgoingMail): Promise<SentMail>;
  sendNotices(requests: readonly NoticeRequest[]): Promise<NoticeResult[]>;
  sendCaseMails(requests: readonly CaseMailRequest[]): Promise<NoticeResult[]>;
}

export function createNotificationActivities({ mailer, journal, roster, baseUrl }: NotificationDeps): NotificationActivities {
  const retried = (): boolean => {
    try {
      return Context.current().info.attempt > 1;
    } catch {
      return false; // called outside an activity (unit tests)
    }
  };

  /**
   * Sends each request to its recipients over the pooled connections, one mail per recipient so
   * that each recipient's delivery stands on its own (a 4xx for one recipient must not cost the
   * others, nor be mistaken for a refusal). Per recipient: sent, already sent (found in the
   * journal), or refused for good (5xx); a missing recipient is reported too. When any recipient
   * failed transiently, the batch is thrown and retried: what was sent is in the journal and is
   * not sent again.
   */
  async function deliverAll<R extends { readonly key: string }>(
    requests: readonly R[],
    resolve: (req: R) => { people: Person[]; missing: string[] },
    render: (req: R, person: Person) => Omit<OutgoingMail, 'key' | 'to'>,
  ): Promise<NoticeResult[]> {
    const transient: unknown[] = [];
    const results = await Promise.all(
      requests.map(async (req): Promise<NoticeResult> => {
        const { people, missing } = resolve(req);
        if (people.length === 0) return { key: req.key, status: 'no-recipient', recipients: [], error: missing.join('; ') };
        const accepted: string[] = [];
        const refused: string[] = [];
        const refusals: string[] = [];
        let fresh = 0;
        await Promise.all(
          people.map(async (person) => {
            const key = `${req.key}>${person.email}`;
            if (journal.has(key)) {
              accepted.push(person.email);
              return;
            }
            try {
              const sent = await mailer.send({ key, to: [person.email], ...render(req, person) });
              journal.record(key, sent.messageId);
              accepted.push(person.email);
              fresh++;
            } catch (err) {
              if (isPermanent(err)) {
                refused.push(person.email);
                refusals.push(`${person.email}: SMTP ${err.responseCode}: ${err.message}`);
              } else transient.push(err);
            }
          }),
        );
        const problems = [...missing, ...refusals];
        const status = accepted.length === 0 ? 'failed' : fresh === 0 && refused.length === 0 ? 'already-sent' : 'sent';
        return {
          key: req.key,
          status,
          recipients: accepted.sort(),
          ...(refused.length ? { refused: refused.sort() } : {}),
          ...(problems.length ? { error: problems.join('; ') } : {}),
        };
      }),
    );
    if (transient.length > 0) throw transient[0];
    return results;
  }

  return {
    /**
     * Sends one mail, once. A permanent SMTP refusal is non-retryable; anything else (4xx,
     * connection refused, time-out) is thrown as it is and retried with backoff.
     */
    async sendNotification(mail) {
      if (retried()) journal.reload();
      if (journal.has(mail.key)) return { messageId: '', accepted: [], rejected: [] };
      try {
        const sent = await mailer.send(mail);
        journal.record(mail.key, sent.messageId);
        return sent;
      } catch (err) {
        if (isPermanent(err)) {
          throw ApplicationFailure.nonRetryable(`SMTP ${err.responseCode}: ${err.message}`, PERMANENT_DELIVERY_FAILURE, { key: mail.key });
        }
        throw err;
      }
    },

    /** The notices of one wake-up of a workflow (see `deliverAll`). */
    async sendNotices(requests) {
      if (retried()) journal.reload();
      const current = roster.current();
      return deliverAll(requests, (req) => resolveRecipients(req, current), (req, person) => renderNotice(req, current, [person], baseUrl));
    },

    /** Letters and notices of inquiry cases and proposals, delivered as notices are. */
    async sendCaseMails(requests) {
      if (retried()) journal.reload();
      const current = roster.current();
      return deliverAll(requests, (req) => resolveCaseRecipients(req, current), (req, person) => renderCaseMail(req, current, [person]));
    },
  };
}
