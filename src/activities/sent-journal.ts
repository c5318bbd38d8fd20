import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Keys of notifications already accepted by the SMTP server. A retried send (a lost activity
 * completion, a worker killed after the server said 250, a workflow task replayed after a server
 * restart) finds its key here and does not send again.
 *
 * A key is `<notice key>><recipient address>`: one mail per recipient. Two stores behind this
 * interface: files on the worker's disk (the embedded default, for one worker host) and a table in
 * PostgreSQL (`DATABASE_URL`, src/infra/pg-sent-journal.ts) that several worker hosts share, so that
 * a retry landing on another host still finds what the first one sent.
 */
export interface SentJournal {
  /** The keys among these that are recorded as sent. */
  sent(keys: readonly string[]): Promise<ReadonlySet<string>>;
  /** Written right after the SMTP server accepted the mail. */
  record(key: string, messageId: string): Promise<void>;
  /** Picks up what other processes recorded since (a retry): the file journal re-reads its files. */
  refresh(): Promise<void>;
  close(): Promise<void>;
  /** Where it is, for the worker's start-up line. */
  readonly description: string;
}

/** The notice key and the recipient a journal key stands for. */
export function splitJournalKey(key: string): { notice: string; recipient: string } {
  const at = key.lastIndexOf('>');
  return at < 0 ? { notice: key, recipient: '' } : { notice: key.slice(0, at), recipient: key.slice(at + 1) };
}

/**
 * One append-only file per day; a line is written right after the server accepts the message, so
 * a killed process loses at most the sends still in flight. Files older than the retention are
 * removed: retries happen within hours, not weeks.
 */
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

  // The day's file stays open (a burst of 10,000 mails opened and closed it 10,000 times), and
  // the lines recorded in one turn of the event loop (the mails of concurrent activities that the
  // server accepted together) are written with one call; each record() resolves once its line is
  // with the system, as appendFileSync's was. A new day opens its own file.
  let today: { file: string; fd: number } | undefined;
  let batch: { sends: [key: string, messageId: string][]; written: Promise<void> } | undefined;
  const write = (text: string): void => {
    const file = fileFor(now());
    if (today?.file !== file) {
      if (today) closeSync(today.fd);
      today = { file, fd: openSync(file, 'a') };
    }
    writeSync(today.fd, text);
  };
  const append = (key: string, messageId: string): Promise<void> => {
    if (!batch) {
      const sends: [string, string][] = [];
      const written = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          batch = undefined;
          try {
            // One instant for the turn's lines: they were accepted together.
            const at = JSON.stringify(new Date(now()).toISOString());
            write(sends.map(([k, m]) => `{"key":${JSON.stringify(k)},"messageId":${JSON.stringify(m)},"at":${at}}\n`).join(''));
            resolve();
          } catch (err) {
            reject(err);
          }
        }),
      );
      batch = { sends, written };
    }
    batch.sends.push([key, messageId]);
    return batch.written;
  };

  return {
    description: `files in ${dir}`,
    async sent(wanted) {
      return new Set(wanted.filter((k) => keys.has(k)));
    },
    async record(key, messageId) {
      // Known to this process at once: a failed write still leaves the mail sent here.
      keys.add(key);
      await append(key, messageId);
    },
    async refresh() {
      load();
    },
    async close() {
      await batch?.written;
      if (today) closeSync(today.fd);
      today = undefined;
    },
  };
}
