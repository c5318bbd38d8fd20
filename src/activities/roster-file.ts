import { readFileSync, statSync } from 'node:fs';
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

/**
 * Recipients are resolved from the roster when a notice is sent, so a successor in a post gets
 * the next reminder (六(一)). A file edited into an invalid state does not stop the reminders: the
 * last valid roster stays in use, `problem()` says why the file is not, and `onChange` is told
 * once per change (the worker logs it and shows it on its metrics; the workbench's 运维 page
 * shows it). The first read must succeed: a process does not start on a wrong roster.
 */
export function rosterFileSource(file: string, onChange?: (problem: RosterFileError | undefined) => void): RosterSource {
  const absolute = path.resolve(file);
  let stamp: { mtimeMs: number; size: number } | undefined;
  let roster: Roster | undefined;
  let problem: RosterFileError | undefined;
  const read = (): void => {
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
      const changed = problem?.message !== err.message;
      problem = err;
      if (changed) onChange?.(err);
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
