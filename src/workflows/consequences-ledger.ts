/**
 * The county's consequences ledger: award ineligibility (六(四)) and promotion blocks (六(五),
 * 五(四)) recorded by the cases behind them, answered for a year or a date when award lists are
 * drawn up. It outlives the cases (their histories go when the server's retention ends).
 */
import { handoverQuery } from '../contracts/entity';
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  allocateDocNumberSchema,
  allocateDocNumberUpdate,
  awardIneligibleQuery,
  ledgerDroppedQuery,
  docNumbersQuery,
  ledgerEntriesQuery,
  promotionBlockedQuery,
  recordAccountabilitySchema,
  recordAccountabilityUpdate,
  recordConsequencesSchema,
  recordConsequencesSignal,
  type DocNumber,
  type LedgerInput,
  type Numbering,
} from '../contracts/ledger';
import { issuesOf, issuesText, type DroppedInput } from '../contracts/common';
import { fieldError, parseOrReject, recordDropped, refused } from './support/history';
import { accountabilityBlock, addDays, blockedFromPromotion, ineligibleForAwards, localDateOf, type Consequence } from '../domain';

/** Entries whose time ended more than this long ago are dropped when the ledger continues as new. */
const KEEP_DAYS = 6 * 366;
/** A ledger continues as new long before any server limit, whatever the history size suggests. */
const MAX_HISTORY = 5_000;

function identity(c: Consequence): string {
  const who = c.subject.type === 'person' ? c.subject.id : c.subject.code;
  return `${c.kind}|${c.subject.type}:${who}|${c.from}|${c.cause}`;
}

export async function consequencesLedger(input: LedgerInput, carried?: Consequence[], carriedDropped?: DroppedInput[], carriedNumbering?: Numbering): Promise<void> {
  const entries: Consequence[] = carried ?? [];
  const dropped: DroppedInput[] = carriedDropped ?? [];
  const last: Record<string, number> = { ...carriedNumbering?.last };
  const byKey: Record<string, DocNumber> = { ...carriedNumbering?.byKey };

  // The department's document numbers: one sequence a year; a key asked again gets its own back.
  setHandler(
    allocateDocNumberUpdate,
    ({ key }) => {
      const known = byKey[key];
      if (known) return known;
      const year = Number(localDateOf(Date.now()).slice(0, 4));
      const seq = (last[String(year)] ?? 0) + 1;
      last[String(year)] = seq;
      return (byKey[key] = { year, seq });
    },
    { validator: (args) => void parseOrReject(allocateDocNumberSchema, args) },
  );

  // An entry recorded again replaces the earlier version (a 五(四) block that has since ended).
  // A payload that does not validate is dropped and recorded, never thrown into the task.
  setHandler(recordConsequencesSignal, (raw: unknown) => {
    const parsed = recordConsequencesSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = issuesText(issuesOf(parsed.error, '内容'));
      recordDropped(dropped, Date.now(), '后果记录（recordConsequences）', problem);
      return;
    }
    for (const c of parsed.data.consequences) {
      const i = entries.findIndex((x) => identity(x) === identity(c));
      if (i < 0) entries.push(c);
      else entries[i] = c;
    }
  });
  // 六(五): an accountability decision, recorded by the department head; its two-year promotion block.
  setHandler(
    recordAccountabilityUpdate,
    (raw) => {
      const a = recordAccountabilitySchema.parse(raw);
      const block = accountabilityBlock({ person: a.person, ground: a.ground, decidedOn: a.decidedOn, docNumber: a.docNumber, ...(a.reason ? { reason: a.reason } : {}), ...(a.sanction ? { sanction: a.sanction } : {}), ...(a.village ? { village: a.village } : {}) });
      entries.push(block);
      return block;
    },
    {
      validator: (raw) => {
        const a = parseOrReject(recordAccountabilitySchema, raw);
        if (a.decidedOn > localDateOf(Date.now())) throw fieldError('decidedOn', `决定日期${a.decidedOn}晚于今天`);
        if (entries.some((c) => c.clause === '六(五)' && c.cause === a.docNumber && c.subject.type === 'person' && c.subject.id === a.person)) throw refused(`${a.docNumber}对${a.person}的问责已经记录`);
      },
    },
  );
  setHandler(awardIneligibleQuery, (year) => ineligibleForAwards(entries, year));
  setHandler(promotionBlockedQuery, (date) => blockedFromPromotion(entries, date));
  setHandler(ledgerEntriesQuery, () => entries);
  setHandler(ledgerDroppedQuery, () => dropped);
  setHandler(handoverQuery, () => ({ workflowType: 'consequencesLedger', args: [input, entries, dropped, { last, byKey }] }));
  setHandler(docNumbersQuery, () =>
    Object.entries(byKey)
      .map(([key, number]) => ({ key, number }))
      .sort((a, b) => a.number.year - b.number.year || a.number.seq - b.number.seq),
  );

  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY);
  await condition(allHandlersFinished);
  const horizon = addDays(localDateOf(Date.now()), -KEEP_DAYS);
  // Keys from before last year are not asked for again; each year's last number is kept.
  const lastYear = Number(localDateOf(Date.now()).slice(0, 4)) - 1;
  return continueAsNew<typeof consequencesLedger>(
    input,
    entries.filter((c) => c.until === undefined || c.until >= horizon),
    dropped,
    { last, byKey: Object.fromEntries(Object.entries(byKey).filter(([, n]) => n.year >= lastYear)) },
  );
}
