/**
 * A sliding-window count per key: how many times something happened in the last window. Used for
 * mutating actions per person, generous enough for scripts (a designation round is one request)
 * and small enough that a stolen token or a runaway script cannot flood the workflows.
 */
import { ServiceError } from './errors';

export const MUTATIONS_PER_MINUTE = 1_200;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one for `key`; false (and not counted) when the window is full. */
  take(key: string): boolean {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return true;
  }
}

/** One mutating action of a person, or a 429 in Chinese. */
export function takeMutation(limiter: RateLimiter, personId: string): void {
  if (!limiter.take(personId)) throw new ServiceError('rate-limited', '操作过于频繁，请一分钟后再试');
}
