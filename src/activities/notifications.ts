import { ApplicationFailure, Context } from '@temporalio/activity';
import type { NoticeRequest, NoticeResult } from '../contracts/village';
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
}

export function createNotificationActivities({ mailer, journal, roster, baseUrl }: NotificationDeps): NotificationActivities {
  const retried = (): boolean => {
    try {
      return Context.current().info.attempt > 1;
    } catch {
      return false; // called outside an activity (unit tests)
    }
  };

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

    /**
     * Sends the notices of one wake-up of a workflow over the pooled connections. Each notice ends
     * as sent, already sent (found in the journal), failed for good (5xx, no recipient) or, when
     * any failed transiently, the batch is thrown and retried: what was sent is in the journal.
     */
    async sendNotices(requests) {
      if (retried()) journal.reload();
      const current = roster.current();
      const transient: unknown[] = [];
      const results = await Promise.all(
        requests.map(async (req): Promise<NoticeResult | undefined> => {
          if (journal.has(req.key)) return { key: req.key, status: 'already-sent', recipients: [] };
          const { people, missing } = resolveRecipients(req, current);
          if (people.length === 0) return { key: req.key, status: 'no-recipient', recipients: [], error: missing.join('; ') };
          const recipients = people.map((p) => p.email);
          const notice = renderNotice(req, current, people, baseUrl);
          try {
            const sent = await mailer.send({ key: req.key, to: recipients, ...notice });
            journal.record(req.key, sent.messageId);
            const problems = [...missing, ...sent.rejected.map((r) => `rejected by the SMTP server: ${r}`)];
            return { key: req.key, status: 'sent', recipients: sent.accepted, messageId: sent.messageId, ...(problems.length ? { error: problems.join('; ') } : {}) };
          } catch (err) {
            if (isPermanent(err)) return { key: req.key, status: 'failed', recipients, error: `SMTP ${err.responseCode}: ${err.message}` };
            transient.push(err);
            return undefined;
          }
        }),
      );
      if (transient.length > 0) throw transient[0];
      return results as NoticeResult[];
    },
  };
}
