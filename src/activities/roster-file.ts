import { readFileSync, statSync, watch } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { contactLinkChanges, parseRoster, type Roster } from '../domain/roster';
import { localDateOf } from '../domain/calendar';

export interface RosterFileIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

export class RosterFileError extends Error {
  constructor(readonly issues: readonly RosterFileIssue[]) {
    super(`名册有误：\n${issues.map((i) => `  ${i.file}: ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'RosterFileError';
  }
}

/** Reads and validates a roster file (JSON, or YAML by its .yaml/.yml extension). */
export function readRosterFile(file: string): Roster {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RosterFileError([{ file, path: '(file)', message: `无法读取：${(err as Error).message}` }]);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new RosterFileError([{ file, path: '(file)', message: `不是有效的${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}：${(err as Error).message}` }]);
  }
  const result = parseRoster(data);
  if (!result.ok) throw new RosterFileError(result.issues.map((i) => ({ file, ...i })));
  return result.roster;
}

export interface RosterSource {
  /** The roster as the file says now; re-read only when the file changed. A file edited into an invalid state leaves the last valid roster in use. */
  current(): Roster;
  /** Why the file as it is now is not in use (undefined while it reads well). */
  problem(): RosterFileError | undefined;
}

export interface RosterSourceOptions {
  /**
   * Learn of a change from a watch on the file's folder rather than a `stat` at every read (the
   * worker: 10,000 mails falling due at one instant stat'ed the file once per batch, 1–2 % of the
   * burst). The file is still stat'ed at least every `RECHECK_MS` in case the watch misses a change
   * (a network file system), and at every read where a watch cannot be set up. A read in the same
   * turn of the event loop as the write may see the roster before it: the API, whose requests
   * follow an operator's edit at once, reads with a `stat` (the default).
   */
  readonly watch?: boolean;
}

/** How long a watched roster goes without a `stat` when the watch reports nothing. */
export const RECHECK_MS = 1_000;

/**
 * Recipients are resolved from the roster when a notice is sent, so a successor in a post gets
 * the next reminder (六(一)). A file edited into an invalid state does not stop the reminders: the
 * last valid roster stays in use, `problem()` says why the file is not, and `onChange` is told
 * once per change (the worker logs it and shows it on its metrics; the workbench's 运维 page
 * shows it). The first read must succeed: a process does not start on a wrong roster.
 */
export function rosterFileSource(file: string, onChange?: (problem: RosterFileError | undefined) => void, options: RosterSourceOptions = {}): RosterSource {
  const absolute = path.resolve(file);
  let stamp: { mtimeMs: number; size: number } | undefined;
  let roster: Roster | undefined;
  let problem: RosterFileError | undefined;
  // Watched: whether the folder reported a change since the last stat, and when that stat was.
  let watching = false;
  let changed = true;
  let statAt = 0;
  if (options.watch) {
    try {
      // The folder, not the file: an editor or a deployment replaces the file (a rename, a
      // Kubernetes ConfigMap's symlink swap), which a watch on the file itself would not follow.
      const watcher = watch(path.dirname(absolute), { persistent: false }, () => {
        changed = true;
      });
      watcher.on('error', () => {
        watching = false;
        watcher.close();
      });
      watching = true;
    } catch {
      watching = false; // no watch here (too many watches, an unsupported file system): stat each read
    }
  }
  const read = (): void => {
    if (watching && !changed && Date.now() - statAt < RECHECK_MS) return;
    changed = false;
    statAt = Date.now();
    let st: { mtimeMs: number; size: number } | undefined;
    try {
      st = statSync(absolute);
    } catch {
      st = undefined; // gone (being replaced): readRosterFile says so below
    }
    if (st && stamp && stamp.mtimeMs === st.mtimeMs && stamp.size === st.size) return;
    stamp = st;
    try {
      const next = readRosterFile(absolute);
      // 六(一): a contact point held less than three years is not changed by editing the file.
      const changes = roster ? contactLinkChanges(roster, next, localDateOf(Date.now())) : [];
      if (changes.length) throw new RosterFileError(changes.map((c) => ({ file: absolute, ...c })));
      roster = next;
      if (problem) {
        problem = undefined;
        onChange?.(undefined);
      }
    } catch (err) {
      if (!roster || !(err instanceof RosterFileError)) throw err;
      const isNew = problem?.message !== err.message;
      problem = err;
      if (isNew) onChange?.(err);
    }
  };
  read();
  return {
    current() {
      read();
      return roster!;
    },
    problem: () => problem,
  };
}
