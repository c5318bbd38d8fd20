/**
 * Messages a page shows after a redirect (已办理…, a form's errors, a refused login), kept here
 * and named in the URL by a random key: a page shows only what the server chose, never text a
 * link carries. A key belongs to the person it was made for (or to nobody before login), lives ten
 * minutes, and the store keeps at most a bounded number of them.
 */
import { randomBytes } from 'node:crypto';
import type { FieldIssue } from '../contracts/common';

export interface PageError {
  /** The form the error belongs to (shown there), or none (shown at the top). */
  readonly form?: string;
  readonly message: string;
  readonly fields: readonly FieldIssue[];
  /** What was typed into the form, by field name: put back so that an error loses nothing. */
  readonly values?: Readonly<Record<string, string>>;
}

export interface Flash {
  readonly done?: string;
  readonly error?: PageError;
}

interface Entry extends Flash {
  readonly owner: string | undefined;
  readonly expires: number;
}

export const FLASH_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

export class FlashStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps a message for `owner` (a roster id, or undefined before login); its key for the URL. */
  put(owner: string | undefined, flash: Flash): string {
    const now = this.now();
    for (const [k, e] of this.entries) {
      // Oldest first: drop the expired, and the oldest beyond the bound.
      if (e.expires > now && this.entries.size < MAX_ENTRIES) break;
      this.entries.delete(k);
    }
    const key = randomBytes(12).toString('base64url');
    this.entries.set(key, { ...flash, owner, expires: now + FLASH_TTL_MS });
    return key;
  }

  /** The message under `key` when it was made for `owner` and has not expired. */
  get(key: unknown, owner: string | undefined): Flash | undefined {
    if (typeof key !== 'string' || key.length > 32) return undefined;
    const e = this.entries.get(key);
    if (!e || e.owner !== owner || e.expires <= this.now()) return undefined;
    return { ...(e.done ? { done: e.done } : {}), ...(e.error ? { error: e.error } : {}) };
  }
}

/**
 * A path of this site to come back to: one leading `/`, then no `/` or `\` right after it, no
 * backslash, no control character or space anywhere; anything else is the home page.
 */
export function safeBack(back: unknown): string {
  if (typeof back !== 'string' || back.length >= 500) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  return /^\/(?![/\\])[^\\\s\u0000-\u001f\u007f]*$/.test(back) ? back : '/';
}
