/** The service's room for the county's books: the ledger of targets (台账) and its workbook, the department's figures, the consequences ledger, accountability (六(五)). */
import { z } from 'zod';
import { stateQuery, VILLAGE_WORKFLOW_TYPE, villageWorkflowId } from '../contracts/village';
import { isLocalDate, localDateOf, localDateSchema, type LocalDate } from '../domain/calendar';
import { roleLabels, type Role } from '../domain/roster';
import { goalYearsOf } from '../domain/policy';
import { authorize, type Actor } from './authorization';
import { awardIneligibleQuery, docNumbersQuery, ledgerEntriesQuery, ledgerWorkflowId, promotionBlockedQuery, recordAccountabilitySchema, recordAccountabilityUpdate } from '../contracts/ledger';
import { accountabilityGrounds, type Consequence } from '../domain/consequences';
import { consequencesWorkbook, targetLedgerRow, targetLedgerWorkbook, type TargetLedgerRow } from '../documents/ledger-workbook';
import { VillageKey } from '../search-attributes';
import { codeSchema, type FieldIssue } from '../contracts/common';
import { computeFigures, type Figures } from '../documents/figures';
import { readCountyRecords } from '../infra/county-records';
import { figuresReportFacts, figuresReportLetter, quarterBefore, quarterDays, quarterText, reportAsOf } from '../documents/figures-report';
import { officialLetter, officialLetterDocx } from '../documents/official-letter';
import { docNumberText, townshipName } from '../domain/names';
import { inquiryWorkflowId } from '../contracts/inquiry';
import type { DocumentMeta } from '../infra/document-store';
import { eachBounded } from '../infra/bounded';
import { ServiceCore, badInput, fromTemporal, problemsOf, withActor } from './core';

/** A 文号 of the department's register and the document that bears it. */
export interface RegisteredNumber {
  readonly number: string;
  readonly year: number;
  readonly seq: number;
  readonly caseId: string;
  readonly kind: 'letter' | 'talk-notice';
  /** The document as mailed; absent when none bearing the number went out. */
  readonly title?: string;
  readonly mailedAt?: string;
}

/** How long the figures are kept before they are computed again. */
const FIGURES_TTL_MS = 5 * 60_000;

export const figuresQuerySchema = z.strictObject({
  asOf: localDateSchema.optional(),
  township: codeSchema.optional(),
});

export const figuresReportQuerySchema = z.strictObject({
  quarter: z.string().trim().regex(/^\d{4}-Q[1-4]$/, '应为季度，如2019-Q2').optional(),
});

/** The figures computed lately, per service (a room has no fields of its own: see service.ts). */
const figuresCaches = new WeakMap<object, Map<string, { at: number; value: Promise<Figures> }>>();

export class LedgerActions extends ServiceCore {
  private get figuresCache(): Map<string, { at: number; value: Promise<Figures> }> {
    let cache = figuresCaches.get(this);
    if (!cache) figuresCaches.set(this, (cache = new Map()));
    return cache;
  }

  /**
   * The ledger of targets (台账): one row per target the county has designated, running or ended,
   * from each target's own state. The department and operators only.
   */
  async targetLedger(actor: Actor): Promise<TargetLedgerRow[]> {
    authorize(actor, 'ledger.read', { kind: 'county' });
    const codes = new Set<string>();
    try {
      for await (const wf of this.deps.client.workflow.list({ query: `WorkflowType = '${VILLAGE_WORKFLOW_TYPE}'` })) {
        const code = wf.typedSearchAttributes.get(VillageKey);
        if (code) codes.add(code);
      }
    } catch (err) {
      return fromTemporal(err, '整顿对象列表');
    }
    const roster = this.deps.roster();
    const rows: TargetLedgerRow[] = [];
    await eachBounded([...codes], async (code) => {
      const view = await this.deps.client.workflow
        .getHandle(villageWorkflowId(code))
        .query(stateQuery)
        .catch(() => undefined); // gone past the server's retention
      if (view) rows.push(targetLedgerRow(view, roster));
    });
    return rows.sort((a, b) => a.township.localeCompare(b.township) || a.village.localeCompare(b.village));
  }

  /**
   * The department's figures (`GET /api/figures?asOf=&township=`): the county, or one township's
   * line for its own officials. Computed from every target's and township's view and the
   * consequences ledger, and kept five minutes (a province's 2,000 targets are read once). A past
   * `asOf` dates what has a date (designations, transformations, reports, consequences); open and
   * overdue duties are as of the query.
   */
  async figures(actor: Actor, input: unknown): Promise<Figures> {
    const q = figuresQuerySchema.safeParse(input ?? {});
    if (!q.success) throw badInput(problemsOf(q.error));
    const township = q.data.township;
    if (township !== undefined) this.township(township);
    authorize(actor, 'figures.read', township !== undefined ? { kind: 'township', township } : { kind: 'county' });
    const now = await this.now();
    const asOf = q.data.asOf ?? localDateOf(now);
    if (asOf > localDateOf(now)) throw badInput([{ path: 'asOf', message: `${asOf}是将来的日期` }]);
    const key = `${asOf}|${township ?? ''}`;
    const hit = this.figuresCache.get(key);
    if (hit && now - hit.at < FIGURES_TTL_MS) return hit.value;
    const value = this.computeFigures(asOf, now, township);
    this.figuresCache.set(key, { at: now, value });
    value.catch(() => this.figuresCache.delete(key));
    return value;
  }

  protected async computeFigures(asOf: LocalDate, now: number, township?: string): Promise<Figures> {
    const roster = this.deps.roster();
    const records = await readCountyRecords(this.deps.client, roster.county.code, { asOf, now, ...(township ? { township } : {}) }).catch((err: unknown) => fromTemporal(err, '全县整顿工作'));
    return computeFigures({ asOf, now, roster, ...records, goalYears: goalYearsOf(this.deps.policy()), ...(township ? { township } : {}) });
  }

  /**
   * The department's periodic report (情况报告) of a quarter as a Word document: the draft the
   * worker mails on the first working day of the next quarter, drawn up now from the records as
   * they are (`GET /api/figures/report.docx?quarter=2019-Q2`; default: the quarter before today's).
   */
  async figuresReportDocx(actor: Actor, input: unknown): Promise<{ filename: string; content: Buffer }> {
    const q = figuresReportQuerySchema.safeParse(input ?? {});
    if (!q.success) throw badInput(problemsOf(q.error));
    authorize(actor, 'figures.read', { kind: 'county' });
    const now = await this.now();
    const today = localDateOf(now);
    const quarter = q.data.quarter ?? quarterBefore(today);
    if (quarterDays(quarter).first > today) throw badInput([{ path: 'quarter', message: `${quarterText(quarter)}尚未开始` }]);
    const roster = this.deps.roster();
    const records = await readCountyRecords(this.deps.client, roster.county.code, { asOf: reportAsOf(quarter, now), now }).catch((err: unknown) => fromTemporal(err, '全县整顿工作'));
    const letter = figuresReportLetter(figuresReportFacts({ ...records, goalYears: goalYearsOf(this.deps.policy()) }, roster, quarter, now), roster);
    return { filename: `${roster.county.name}整顿工作进展情况报告（${quarterText(quarter)}，送审稿）.docx`, content: Buffer.from(await officialLetterDocx(officialLetter(letter))) };
  }

  /** The ledger of targets as an Excel workbook. */
  async targetLedgerWorkbook(actor: Actor): Promise<{ filename: string; content: Buffer }> {
    const rows = await this.targetLedger(actor);
    const roster = this.deps.roster();
    const county = roster.county.name;
    // The 汇总 sheet, where the county's figures can be read (a county with no programme yet has none).
    const figures = await this.figures(actor, {}).catch(() => undefined);
    return { filename: `${county}整顿对象台账.xlsx`, content: await targetLedgerWorkbook(rows, county, figures ? { figures, township: (code) => townshipName(roster, code) } : undefined) };
  }

  /** The consequences ledger of a year as an Excel workbook. */
  async consequencesWorkbook(actor: Actor, year: unknown): Promise<{ filename: string; content: Buffer }> {
    const list = await this.consequencesOfYear(actor, year);
    const roster = this.deps.roster();
    return { filename: `${roster.county.name}${Number(year)}年度后果台账.xlsx`, content: await consequencesWorkbook(Number(year), list, roster) };
  }

  /** Every consequence in force at some time in a year: the consequences ledger of that year. */
  async consequencesOfYear(actor: Actor, year: unknown): Promise<Consequence[]> {
    authorize(actor, 'ledger.read', { kind: 'county' });
    const y = z.coerce.number().int().min(2000, '年份应在2000至2100之间').max(2100, '年份应在2000至2100之间').safeParse(year);
    if (!y.success) throw badInput(problemsOf(y.error).map((p) => ({ ...p, path: 'year' })));
    const entries = await this.deps.client.workflow
      .getHandle(ledgerWorkflowId(this.deps.roster().county.code))
      .query(ledgerEntriesQuery)
      .catch((err: unknown) => fromTemporal(err, '后果台账'));
    const first = `${y.data}-01-01`;
    const last = `${y.data}-12-31`;
    return entries.filter((c) => c.from <= last && (c.until === undefined || c.until >= first)).sort((a, b) => a.from.localeCompare(b.from));
  }

  /**
   * Every 文号 the department's sequence gave (letters, talk notices), with the document that bears
   * it as it was mailed and its case; a number whose document was never mailed says so.
   */
  async docNumberRegister(actor: Actor): Promise<RegisteredNumber[]> {
    authorize(actor, 'ledger.read', { kind: 'county' });
    const county = this.deps.roster().county;
    const given = await this.deps.client.workflow
      .getHandle(ledgerWorkflowId(county.code))
      .query(docNumbersQuery)
      .catch((err: unknown) => fromTemporal(err, '后果台账（文号）'));
    const docs = new Map<string, DocumentMeta[]>();
    const cases = [...new Set(given.map((g) => g.key.split('/')[0]!))];
    await eachBounded(cases, async (caseId) => {
      docs.set(caseId, (await this.deps.documents?.list(inquiryWorkflowId(caseId)).catch(() => [])) ?? []);
    });
    return given.map((g) => {
      const [caseId, what] = g.key.split('/') as [string, string];
      const number = docNumberText(county, g.number);
      const doc = docs.get(caseId)?.find((d) => d.docNumber === number);
      return { number, year: g.number.year, seq: g.number.seq, caseId, kind: what === 'talk' ? 'talk-notice' : 'letter', ...(doc ? { title: doc.title, mailedAt: doc.at } : {}) };
    });
  }

  /** Award ineligibility for a year (六(四)): the department and operators only. */
  async awardIneligible(actor: Actor, year: unknown): Promise<Consequence[]> {
    authorize(actor, 'ledger.read', { kind: 'county' });
    const y = z.coerce.number().int().min(2000, '年份应在2000至2100之间').max(2100, '年份应在2000至2100之间').safeParse(year);
    if (!y.success) throw badInput(problemsOf(y.error).map((p) => ({ ...p, path: 'year' })));
    return this.deps.client.workflow
      .getHandle(ledgerWorkflowId(this.deps.roster().county.code))
      .query(awardIneligibleQuery, y.data)
      .catch((err: unknown) => fromTemporal(err, '后果台账'));
  }

  /**
   * An accountability decision (六(五)), the department head's: the person must be in the roster,
   * in a post the ground names (免职 of a 组织干事 for a false designation, 撤职 of a township's party
   * secretary, 党纪处分 of a township's leaders); a false designation may name its target, which
   * must have been designated. Answers with the promotion block recorded.
   */
  async recordAccountability(actor: Actor, body: unknown): Promise<Consequence> {
    authorize(actor, 'accountability.record', { kind: 'county' });
    const args = withActor(recordAccountabilitySchema, 'by', actor, body) as z.output<typeof recordAccountabilitySchema>;
    const roster = this.deps.roster();
    const problems: FieldIssue[] = [];
    const person = roster.people.find((p) => p.id === args.person);
    const posts: readonly string[] | undefined = accountabilityGrounds[args.ground].posts;
    if (!person) problems.push({ path: 'person', message: `名册中没有人员${args.person}` });
    else if (posts && !posts.includes(person.role)) {
      problems.push({ path: 'person', message: `${person.name}是${roleLabels[person.role]}；六(五)对“${accountabilityGrounds[args.ground].ground}”问责的是${posts.map((r) => roleLabels[r as Role]).join('、')}` });
    }
    if (args.village && !roster.designations.some((d) => d.village === args.village)) problems.push({ path: 'village', message: `${args.village}没有被确定为整顿对象` });
    if (problems.length) throw badInput(problems);
    try {
      return await this.deps.client.workflow.getHandle(ledgerWorkflowId(roster.county.code)).executeUpdate(recordAccountabilityUpdate, { args: [args] });
    } catch (err) {
      return fromTemporal(err, '后果台账');
    }
  }

  /** Promotion blocks in force on a date (六(五), 五(四)). */
  async promotionBlocked(actor: Actor, date: unknown): Promise<Consequence[]> {
    authorize(actor, 'ledger.read', { kind: 'county' });
    if (typeof date !== 'string' || !isLocalDate(date)) throw badInput([{ path: 'date', message: '日期格式应为YYYY-MM-DD（如2019-03-15）' }]);
    return this.deps.client.workflow
      .getHandle(ledgerWorkflowId(this.deps.roster().county.code))
      .query(promotionBlockedQuery, date)
      .catch((err: unknown) => fromTemporal(err, '后果台账'));
  }
}
