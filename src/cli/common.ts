/** What the CLI's commands share: usage errors, the API as the logged-in person, the roster for names, printing. */
import { Option } from 'commander';
import { RosterFileError, readRosterFile } from '../activities/roster-file';
import { ApiClient } from '../cli-api';
import type { Outcome } from '../client/admin';
import type { Config } from '../config';
import { localDateOf } from '../domain/calendar';
import { missingPosts, type Roster } from '../domain/roster';

/** Bad input from the command line: exit code 2, nothing done. */
export class UsageError extends Error {}

/** The API, as the logged-in person (`login`). */
export function apiOf(config: Config): ApiClient {
  return new ApiClient(config.cli.apiUrl, config.cli.tokenFile);
}

/**
 * The roster for names in what is printed. A broken roster file does not stop a read: it is said
 * once, and codes stand in for names.
 */
export function namesOf(config: Config, file?: string): Roster {
  try {
    return readRosterFile(file ?? config.programme.rosterFile);
  } catch (err) {
    if (!(err instanceof RosterFileError)) throw err;
    process.stderr.write(`注意：名册文件有误，姓名和名称暂以编码显示。${err.message.replace(/\n/g, ' ')}\n`);
    return { county: { code: '', name: '' }, townships: [], villages: [], people: [], designations: [] } as unknown as Roster;
  }
}

export function nextDueText(iso: string | undefined): string {
  return iso ? `下一截止 ${localDateOf(Date.parse(iso) - 1)}` : '下一截止 —';
}

export function personName(roster: Roster, id: string | undefined): string {
  if (!id) return '无';
  const p = roster.people.find((x) => x.id === id);
  return p ? `${p.name}（${id}）` : `${id}（名册中无此人）`;
}

export function parseYear(v: string): number {
  if (!/^\d{4}$/.test(v)) throw new UsageError(`--year：应为四位年份，如2018（收到“${v}”）`);
  return Number(v);
}

export class SimulateFailed extends Error {
  constructor(readonly code: number) {
    super(`simulate exited with ${code}`);
  }
}

export function printOutcome(out: (line: string) => void, o: Outcome, did: string): void {
  out(`${did}：${o.done.length}个工作流。`);
  if (o.failed.length > 0) {
    out(`未能送达${o.failed.length}个工作流（可再次执行本命令）：`);
    for (const f of o.failed) out(`  ${f.workflowId}：${f.error}`);
  }
}

/** A roster that leaves a post the ladders need empty is refused, each post and place named (exit 2). */
export function refuseMissingPosts(roster: Roster, file: string): void {
  const missing = missingPosts(roster);
  if (missing.length) throw new RosterFileError(missing.map((m) => ({ file, ...m })));
}

/** The --roster option of the commands that read the roster. */
export const rosterOption = (): Option => new Option('--roster <file>', 'roster file (default: ROSTER_FILE)');

/** The roster named by --roster, or the configured one. */
export const rosterOf = (config: Config, file?: string): Roster => readRosterFile(file ?? config.programme.rosterFile);
