import { ApplicationFailure } from '@temporalio/activity';
import type { Mailer, OutgoingMail, SentMail } from './mailer';

export const PERMANENT_DELIVERY_FAILURE = 'PermanentDeliveryFailure';

interface SmtpError {
  responseCode?: number;
  code?: string;
  message: string;
}

export interface NotificationActivities {
  sendNotification(mail: OutgoingMail): Promise<SentMail>;
}

export function createNotificationActivities({ mailer }: { mailer: Mailer }): NotificationActivities {
  return {
    /**
     * Sends one notification. A 5xx answer (no such mailbox, message refused) will not change on
     * retry, so it is non-retryable and the workflow records the failed delivery; anything else
     * (4xx, connection refused, time-out) is thrown as it is and retried with backoff.
     */
    async sendNotification(mail: OutgoingMail): Promise<SentMail> {
      try {
        return await mailer.send(mail);
      } catch (err) {
        const e = err as SmtpError;
        if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
          throw ApplicationFailure.nonRetryable(
            `SMTP ${e.responseCode}: ${e.message}`,
            PERMANENT_DELIVERY_FAILURE,
            { key: mail.key, to: mail.to, responseCode: e.responseCode },
          );
        }
        throw err;
      }
    },
  };
}
