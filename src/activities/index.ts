import { createNotificationActivities, type NotificationActivities, type NotificationDeps } from './notifications';

export type ActivityDeps = NotificationDeps;

/** All activities of the worker; workflows import this module as a type only. */
export function createActivities(deps: ActivityDeps): NotificationActivities {
  return {
    ...createNotificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
