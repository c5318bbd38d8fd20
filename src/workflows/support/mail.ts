import { proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

/**
 * Mail goes out as local activities: all steps due at one moment in one call, about 6 history
 * events a wake-up against about 11 for a regular activity. A few quick tries ride out a hiccup;
 * a longer outage is held on the workflow by its outbox (visible to operators) and tried again,
 * with backoff, until the server takes the mail. The holiday arrangement comes the same way, and
 * who holds a post when a consequence names a person (五(四)).
 */
export const { deliverMail, calendarYears, postHolders } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
});

/**
 * The county's urging digest (督办) asks every entity of the county for its overdue duties and
 * mails one digest per recipient. A local activity too: the workflow task is kept alive while a
 * province is asked (the SDK heartbeats it), it costs one marker, and the time-skipping server
 * used in tests locked its clock for good, now and then, around regular activities run beside
 * client calls. A failure is recorded on the programme; the next round tries again. The monthly
 * bulletin (通报) asks the county's townships and targets the same way, once a month, and the
 * department's quarterly report (情况报告) once a quarter.
 */
export const { urgeOverdue, monthlyBulletin, figuresReport } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '20 minutes',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});
