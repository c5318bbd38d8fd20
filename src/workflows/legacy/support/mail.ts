import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../../activities';

/**
 * Mail goes out as local activities: all steps due at one moment in one call, about 6 history
 * events a wake-up against about 11 for a regular activity. A few quick tries ride out a hiccup;
 * a longer outage is held on the workflow by its outbox (visible to operators) and tried again,
 * with backoff, until the server takes the mail.
 */
export const { sendNotices, sendCaseMails } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
});
