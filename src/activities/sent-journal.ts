import { appendFileSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Keys of notifications already accepted by the SMTP server. A retried send (a lost activity
 * completion, a worker killed after the server said 250, a workflow task replayed after a server
 * restart) finds its key here and does not send again.
 *
 * One append-only file per day; a line is written right after the server accepts the message, so
 * a killed process loses at most the sends still in flight. Files older than the retention are
 * removed: retries happen within hours, not weeks. The journal is local to one worker host; several
 * worker hosts need a shared store behind the same interface.
 */
export interface SentJournal {
  has(key: string): boolean;
  record(key: string, messageId: string): void;
  /** Re-reads the files, for a retry that another process on this host may have completed. */
  reload(): void;
}

export function openSentJournal(dir: string, retentionDays = 14, now: () => number = Date.now): SentJournal {
  mkdirSync(dir, { recursive: true });
  const keys = new Set<string>();
  const fileFor = (ms: number): string => path.join(dir, `sent-${new Date(ms).toISOString().slice(0, 10)}.jsonl`);

  const load = (): void => {
    const oldest = `sent-${new Date(now() - retentionDays * 86_400_000).toISOString().slice(0, 10)}.jsonl`;
    for (const name of readdirSync(dir)) {
      if (!/^sent-\d{4}-\d{2}-\d{2}\.jsonl$/.test(name)) continue;
      if (name < oldest) {
        unlinkSync(path.join(dir, name));
        continue;
      }
      for (const line of readFileSync(path.join(dir, name), 'utf8').split('\n')) {
        if (!line) continue;
        try {
          keys.add((JSON.parse(line) as { key: string }).key);
        } catch {
          // A line cut short by a kill: its send is retried, and the mail's Message-ID is the same.
        }
      }
    }
  };
  load();

  return {
    has: (key) => keys.has(key),
    record(key, messageId) {
      appendFileSync(fileFor(now()), `${JSON.stringify({ key, messageId, at: new Date(now()).toISOString() })}\n`);
      keys.add(key);
    },
    reload: load,
  };
}
