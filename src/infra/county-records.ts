/**
 * The county's records read once for its figures: the programme's view, every target's and
 * township's view, the consequences ledger and the cases behind its 六(四) entries. Shared by the
 * service (`GET /api/figures`, the workbench) and the worker's quarterly report, so that both
 * count from the same reads. Each entity's view is judged at `now` (atQueryTime); one gone past
 * the server's retention or not answering is left out and named in `unread`.
 */
import type { Client } from '@temporalio/client';
import { atQueryTime } from '../contracts/common';
import { inquiryStateQuery, inquiryWorkflowId } from '../contracts/inquiry';
import { ledgerEntriesQuery, ledgerWorkflowId } from '../contracts/ledger';
import { programmeStateQuery, programmeWorkflowId, type ProgrammeView } from '../contracts/programme';
import { townshipStateQuery, townshipWorkflowId } from '../contracts/township';
import { stateQuery, villageWorkflowId } from '../contracts/village';
import { yearOf, type LocalDate } from '../domain/calendar';
import type { Consequence } from '../domain/consequences';
import type { FiguresInput } from '../documents/figures';
import { eachBounded } from './bounded';

export interface CountyRecords extends Omit<FiguresInput, 'asOf' | 'now' | 'roster' | 'township'> {
  /** Targets and townships whose view could not be read (codes). */
  readonly unread: readonly string[];
}

/**
 * Reads what the figures of `asOf` are computed from, for the county or one township. The
 * programme's view is read first and its failure thrown: there is nothing to count without it.
 */
export async function readCountyRecords(
  client: Client,
  county: string,
  opts: {
    readonly asOf: LocalDate;
    readonly now: number;
    readonly township?: string;
    readonly perQueryMs?: number;
    /** The programme's view when the caller has it: the programme's own activity cannot query it (the query waits for the task the activity runs in). */
    readonly programme?: ProgrammeView;
  },
): Promise<CountyRecords> {
  const { now, township } = opts;
  const wf = client.workflow;
  const programme = atQueryTime(opts.programme ?? (await wf.getHandle(programmeWorkflowId(county)).query(programmeStateQuery)), now);
  const targets = programme.targets.filter((t) => !township || t.township === township);
  const townships = [...new Set(targets.flatMap((t) => (t.township ? [t.township] : [])))];
  const unread: string[] = [];
  const read = async <T>(ids: readonly string[], one: (id: string) => Promise<T>, missing?: string[]): Promise<T[]> => {
    const out: T[] = [];
    await eachBounded(ids, async (id) => {
      const v = await (opts.perQueryMs ? client.withDeadline(Date.now() + opts.perQueryMs, () => one(id)) : one(id)).catch(() => undefined);
      if (v) out.push(v);
      else missing?.push(id);
    });
    return out;
  };
  const [villages, townshipViews, ledger] = await Promise.all([
    read(targets.map((t) => t.village), async (code) => atQueryTime(await wf.getHandle(villageWorkflowId(code)).query(stateQuery), now), unread),
    read(townships, async (code) => atQueryTime(await wf.getHandle(townshipWorkflowId(code)).query(townshipStateQuery), now), unread),
    wf
      .getHandle(ledgerWorkflowId(county))
      .query(ledgerEntriesQuery)
      .catch(() => [] as Consequence[]),
  ]);
  // The cases behind the year's letters and talks (六(四)), from their own views (a case no longer
  // readable is counted from its ledger entries).
  const caseIds = [...new Set(ledger.filter((c) => c.clause === '六(四)' && c.kind === 'award-ineligible' && yearOf(c.from) === yearOf(opts.asOf)).map((c) => c.cause))];
  const caseViews = await read(caseIds, (id) => wf.getHandle(inquiryWorkflowId(id)).query(inquiryStateQuery));
  const cases = caseViews
    .filter((c) => !township || c.township === township)
    .map((c) => ({ caseId: c.caseId, township: c.township, kind: c.kind, issuedOn: c.issuedOn, ...(c.talk?.held ? { talkHeldOn: c.talk.held.on } : {}) }));
  return { programme, villages, townships: townshipViews, ledger, cases, unread: unread.sort() };
}
