import type { Mailer } from './mailer';
import { createNotificationActivities } from './notifications';

export interface ActivityDeps {
  readonly mailer: Mailer;
}

/** All activities of the worker; workflows import this module as a type only. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
