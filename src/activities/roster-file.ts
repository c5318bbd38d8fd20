import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseRoster, type Roster } from '../domain/roster';

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
  /** The roster as the file says now; re-read only when the file changed. */
  current(): Roster;
}

/**
 * Recipients are resolved from the roster when a notice is sent, so a successor in a post gets
 * the next reminder (六(一)). A file edited into an invalid state makes the send fail with the list
 * of problems, and the send is retried with backoff until the file is mended.
 */
export function rosterFileSource(file: string): RosterSource {
  const absolute = path.resolve(file);
  let cached: { mtimeMs: number; size: number; roster: Roster } | undefined;
  return {
    current() {
      const st = statSync(absolute);
      if (!cached || cached.mtimeMs !== st.mtimeMs || cached.size !== st.size) {
        cached = { mtimeMs: st.mtimeMs, size: st.size, roster: readRosterFile(absolute) };
      }
      return cached.roster;
    },
  };
}
