/**
 * The service layer every surface calls: it resolves the entity an action is on, decides with the
 * authorization table whether the actor may take it, validates the body with the contract's own
 * schema, sets the actor from the caller's proven identity (a body that names who acts is an
 * error), and sends the update. Errors come back as ServiceError, one closed set of kinds.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, isGrpcServiceError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { publishCalendar, applyPolicyEverywhere, type Outcome } from '../client/admin';
import { caseLetter } from '../documents/letters';
import { officialLetter, officialLetterDocx } from '../documents/official-letter';
import { allocateDocNumber, defaultCaseId, designateTarget, designateTargets, InvalidInquiryError, issueInquiry, type DesignationOutcome } from '../client/supervision';
import type { DocNumber } from '../contracts/ledger';
import { DesignationRefusedError, InvalidDesignationError } from '../client/village';
import type { CalendarStore } from '../activities/calendar-store';
import type { EntityStatus } from '../contracts/common';
import { fulfilObligationSchema, fulfilObligationUpdate, retryDeliveriesSchema, retryDeliveriesUpdate, waiveObligationSchema, waiveObligationUpdate } from '../contracts/entity';
import {
  INQUIRY_WORKFLOW_TYPE,
  inquiryStateQuery,
  inquiryWorkflowId,
  recordTalkSchema,
  recordTalkUpdate,
  reviewExplanationSchema,
  reviewExplanationUpdate,
  scheduleTalkSchema,
  scheduleTalkUpdate,
  submitExplanationSchema,
  submitExplanationUpdate,
  type InquiryView,
} from '../contracts/inquiry';
import { programmeStateQuery, programmeWorkflowId, recordCommitteeStudySchema, recordCommitteeStudyUpdate, recordEvaluationSchema, recordEvaluationUpdate, recordJointMeetingSchema, recordJointMeetingUpdate, type ProgrammeView } from '../contracts/programme';
import {
  decideProposalSchema,
  decideProposalUpdate,
  recordInspectionSchema,
  recordInspectionUpdate,
  recordStudySchema,
  recordStudyUpdate,
  submitReportSchema,
  submitReportUpdate,
  TOWNSHIP_WORKFLOW_TYPE,
  townshipStateQuery,
  townshipWorkflowId,
  type TownshipView,
} from '../contracts/township';
import {
  reassignSchema,
  reassignUpdate,
  recordAcceptanceSchema,
  recordAcceptanceUpdate,
  recordProgressSchema,
  recordProgressUpdate,
  reviewPlanSchema,
  reviewPlanUpdate,
  stateQuery,
  VILLAGE_WORKFLOW_TYPE,
  submitPlanSchema,
  submitPlanUpdate,
  villageWorkflowId,
  withdrawSchema,
  withdrawUpdate,
  type VillageView,
} from '../contracts/village';
import { addDays, calendarYearSchema, instantOf, isLocalDate, localDateOf, localDateSchema, yearOf, unusualArrangement, WorkCalendar, type CalendarYear, type LocalDate } from '../domain/calendar';
import { policySchema, type Policy } from '../domain/policy';
import { holders, roleLabels, type Role, type Roster } from '../domain/roster';
import { orderTalkSchema, orderTalkUpdate } from '../contracts/inquiry';
import { actionLabels, actorOf, authorize, ForbiddenError, mayFulfil, permissions, type Action, type Actor, type EntityRef } from './authorization';
import { awardIneligibleQuery, ledgerEntriesQuery, ledgerWorkflowId, promotionBlockedQuery, recordAccountabilitySchema, recordAccountabilityUpdate } from '../contracts/ledger';
import { accountabilityGrounds, type Consequence } from '../domain/consequences';
import { consequencesWorkbook, targetLedgerRow, targetLedgerWorkbook, type TargetLedgerRow } from '../documents/ledger-workbook';
import { DeliveryDelayedKey, FailedDeliveriesKey, NextDueKey, OverdueKey, StageKey, TownshipKey, VillageKey } from '../search-attributes';
import { ServiceError } from './errors';
import { codeSchema, issuesOf, issuesText, type FieldIssue } from '../contracts/common';
import { computeFigures, type Figures } from '../documents/figures';
import { townshipName } from '../domain/names';
import { eachBounded } from '../infra/bounded';

export const listFilterSchema = z.strictObject({
  kind: z.enum(['village', 'township', 'case']).optional(),
  township: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '乡镇编码为1–40个字母、数字、_或-').optional(),
  overdue: z.boolean().optional(),
  failed: z.boolean().optional(),
  delayed: z.boolean().optional(),
  closed: z.boolean().optional(),
  stage: z.string().regex(/^[a-z-]{1,40}$/, '阶段为小写字母和-').optional(),
  limit: z.number().int().min(1).max(5000).default(1000),
});
export type ListFilter = z.input<typeof listFilterSchema>;

export interface ListItem {
  readonly kind: 'village' | 'township' | 'case';
  readonly workflowId: string;
  readonly township: string;
  readonly village?: string;
  readonly stage: string;
  readonly status: string;
  readonly startedAt: string;
  readonly nextDue?: string;
  readonly overdue: boolean;
  readonly failedDeliveries: number;
  readonly deliveryDelayed: boolean;
}

export interface ServiceDeps {
  readonly client: Client;
  readonly taskQueue: string;
  /** The roster as it is now (the file is the directory of people and posts). */
  readonly roster: () => Roster;
  /** The policy new workflows start with. */
  readonly policy: () => Policy;
  readonly calendar: CalendarStore;
  /** The moment of a query (the machine's clock; a test on the time-skipping server passes the server's). */
  readonly now?: () => number | Promise<number>;
}

/**
 * A view judged at the moment of the query. A workflow answers as of its last wake-up or message,
 * so at 00:05 a duty due at the end of yesterday is past due here although its workflow will say
 * so only at its next wake-up (the morning's notices): the workbench is right at 00:05 as at 09:05.
 */
export function atQueryTime<T extends EntityStatus>(view: T, now: number): T {
  if (Date.parse(view.asOf) >= now) return view;
  const open = view.open.map((o) => (o.overdue || Date.parse(o.dueAt) > now ? o : { ...o, overdue: true }));
  const overdueCount = open.filter((o) => o.overdue).length;
  return { ...view, asOf: new Date(now).toISOString(), open, overdueCount, overdue: overdueCount > 0 };
}

function problemsOf(error: z.ZodError): FieldIssue[] {
  return issuesOf(error, '(内容)');
}

/** Bad input, each problem with its field. */
export function badInput(fields: FieldIssue[]): ServiceError {
  return new ServiceError('bad-input', issuesText(fields), fields);
}

/** Villages started at once in a designation round: enough to keep the server busy, few enough for its connection. */
const DESIGNATION_POOL = 32;
/** The most villages one request designates (a province's round goes in several). */
export const DESIGNATE_MANY_MAX = 2000;

/** How long the figures are kept before they are computed again. */
const FIGURES_TTL_MS = 5 * 60_000;

export const figuresQuerySchema = z.strictObject({
  asOf: localDateSchema.optional(),
  township: codeSchema.optional(),
});

export const designateManySchema = z
  .strictObject({
    villages: z.array(z.string().min(1).max(40, '村（社区）代码最多40个字符')).min(1, '至少一个村（社区）').max(DESIGNATE_MANY_MAX, `每次最多${DESIGNATE_MANY_MAX}个村（社区）`).optional(),
    all: z.literal(true, { error: 'all只能为true' }).optional(),
    redesignate: localDateSchema.optional(),
  })
  .refine((b) => (b.villages === undefined) !== (b.all === undefined), { message: '须给出villages（村代码列表）或all: true，二者选一', path: ['villages'] });

/** Parses what a caller sent, or throws bad input naming every wrong field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw badInput(problemsOf(r.error));
  return r.data;
}

/** Maps what Temporal says to the service's kinds; anything unknown is rethrown as it is. */
function fromTemporal(err: unknown, what: string): never {
  if (err instanceof ServiceError) throw err;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause as { message?: string; type?: string; details?: unknown[] } | undefined;
    const issues = Array.isArray(cause?.details?.[0]) ? (cause.details[0] as { path?: string; message?: string }[]) : [];
    throw new ServiceError(
      'rejected',
      cause?.message ?? err.message,
      issues.map((i) => ({ path: String(i.path ?? ''), message: String(i.message ?? '') })),
    );
  }
  if (err instanceof WorkflowNotFoundError) {
    if (/completed/i.test(err.message)) throw new ServiceError('conflict', `${what}已结束，不能再办理`);
    throw new ServiceError('not-found', `没有${what}`);
  }
  if (isGrpcServiceError(err) && (err.code === 14 || err.code === 4)) throw new ServiceError('unavailable', `工作流服务暂时不可用，请稍后再试（${err.details}）`);
  throw err;
}

/** The body an update takes, with the actor set from the caller; a body that names an actor is refused. */
/** What publishing a year changes, and (once confirmed) whom it told. */
export interface CalendarPublication {
  readonly published: boolean;
  readonly year: number;
  readonly official: boolean;
  /** Days whose kind changes against the arrangement the worker holds now for the year. */
  readonly changedDays: readonly { readonly date: LocalDate; readonly before: '工作日' | '休息日'; readonly after: '工作日' | '休息日' }[];
  readonly file?: string;
  readonly done?: readonly string[];
  readonly failed?: readonly { readonly workflowId: string; readonly error: string }[];
}

function calendarChanges(now: WorkCalendar, year: CalendarYear): Pick<CalendarPublication, 'year' | 'official' | 'changedDays'> {
  const next = new WorkCalendar([year]);
  const changedDays: CalendarPublication['changedDays'][number][] = [];
  for (let d = `${year.year}-01-01`; d <= `${year.year}-12-31`; d = addDays(d, 1)) {
    const before = now.isWorkingDay(d);
    const after = next.isWorkingDay(d);
    if (before !== after) changedDays.push({ date: d, before: before ? '工作日' : '休息日', after: after ? '工作日' : '休息日' });
  }
  return { year: year.year, official: year.official, changedDays };
}

/** Posts that act on a target by the workflow's assignment (五(三), 四(一)1), not by the roster alone. */
const assignedPosts = new Set<string>(['first-secretary', 'township-liaison']);

/**
 * A first secretary or a township liaison acts on a target only while the target's workflow has
 * them assigned: one replaced by a reassignment, or named in the roster for the village but never
 * assigned, is refused even though the roster post names the village.
 */
function assertAssigned(actor: Actor, action: Action, view: VillageView): void {
  if (!assignedPosts.has(actor.role)) return;
  const current = actor.role === 'first-secretary' ? view.firstSecretary : view.liaison;
  if (current === actor.id) return;
  const post = actor.role === 'first-secretary' ? '第一书记' : '包村领导';
  throw new ForbiddenError(actor, action, `${actor.name}不是整顿对象${view.village}现任${post}，不能${actionLabels[action]}`);
}

/** The body with the session's person as its actor, parsed: defaults applied and text trimmed, as the workflow will read it. */
function withActor(schema: z.ZodType, actorField: string, actor: Actor, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badInput([{ path: '(内容)', message: '应为JSON对象' }]);
  if (actorField in body) throw badInput([{ path: actorField, message: '由登录身份确定，不能在请求中填写' }]);
  const r = schema.safeParse({ ...body, [actorField]: actor.id });
  if (!r.success) throw badInput(problemsOf(r.error));
  return r.data;
}

export class Service {
  constructor(private readonly deps: ServiceDeps) {}

  /** The actor a roster person is, or `unauthenticated`. */
  actor(personId: string): Actor {
    const a = actorOf(this.deps.roster(), personId);
    if (!a) throw new ServiceError('unauthenticated', `名册中没有${personId}，请重新登录`);
    return a;
  }

  /** Whether the roster has this person. */
  personExists(personId: string): boolean {
    return this.deps.roster().people.some((p) => p.id === personId);
  }

  // --- Entities -------------------------------------------------------------------------------

  village(code: string): EntityRef & { kind: 'village' } {
    const v = this.deps.roster().villages.find((x) => x.code === code);
    if (!v) throw new ServiceError('not-found', `名册中没有村（社区）${code}`);
    return { kind: 'village', township: v.township, village: v.code };
  }

  township(code: string): EntityRef & { kind: 'township' } {
    if (!this.deps.roster().townships.some((t) => t.code === code)) throw new ServiceError('not-found', `名册中没有乡镇${code}`);
    return { kind: 'township', township: code };
  }

  async case(caseId: string): Promise<EntityRef & { kind: 'case' }> {
    return (await this.caseWithView(caseId)).entity;
  }

  /** The case as an entity for authorization, and its view as the workflow answers it now. */
  private async caseWithView(caseId: string): Promise<{ entity: EntityRef & { kind: 'case' }; view: InquiryView }> {
    const view = await this.deps.client.workflow
      .getHandle(inquiryWorkflowId(caseId))
      .query(inquiryStateQuery)
      .catch((err: unknown) => fromTemporal(err, `函询案件${caseId}`));
    return { entity: { kind: 'case', township: view.township, caseId }, view };
  }

  private workflowId(e: EntityRef): string {
    switch (e.kind) {
      case 'village':
        return villageWorkflowId(e.village);
      case 'township':
        return townshipWorkflowId(e.township);
      case 'case':
        return inquiryWorkflowId(e.caseId);
      case 'county':
        return programmeWorkflowId(this.deps.roster().county.code);
    }
  }

  private what(e: EntityRef): string {
    return e.kind === 'village' ? `整顿对象${e.village}的工作流` : e.kind === 'township' ? `乡镇${e.township}的督促工作流` : e.kind === 'case' ? `函询案件${e.caseId}` : '全县工作流';
  }

  private async update<R>(
    actor: Actor,
    action: Action,
    entity: EntityRef,
    def: UpdateDefinition<R, [never]>,
    schema: z.ZodType,
    actorField: string,
    body: unknown,
    check?: (args: never) => FieldIssue[],
  ): Promise<R> {
    authorize(actor, action, entity);
    const args = withActor(schema, actorField, actor, body);
    // What only the service can check (the roster), before the workflow is asked.
    const problems = check?.(args as never) ?? [];
    if (problems.length) throw badInput(problems);
    const handle = this.deps.client.workflow.getHandle(this.workflowId(entity));
    try {
      return await handle.executeUpdate(def as unknown as UpdateDefinition<R, [unknown]>, { args: [args] });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) await this.ended(handle.workflowId, entity);
      return fromTemporal(err, this.what(entity));
    }
  }

  /** An update to a workflow that has ended: a conflict that says how it ended, not "not found". */
  private async ended(workflowId: string, entity: EntityRef): Promise<void> {
    const d = await this.deps.client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    if (!d || d.status.name === 'RUNNING') return;
    const stage = d.typedSearchAttributes.get(StageKey);
    const how = stage === 'withdrawn' ? '已撤销认定' : stage === 'closed' ? '已办结' : '已结束';
    throw new ServiceError('conflict', `${entity.kind === 'village' ? `整顿对象${entity.village}` : this.what(entity)}${how}，不能再办理`);
  }

  // --- Reading --------------------------------------------------------------------------------

  async villageView(actor: Actor, code: string): Promise<VillageView> {
    const e = this.village(code);
    authorize(actor, 'read', e);
    const view = await this.deps.client.workflow
      .getHandle(villageWorkflowId(code))
      .query(stateQuery)
      .catch((err: unknown) => fromTemporal(err, this.what(e)));
    assertAssigned(actor, 'read', view);
    return atQueryTime(view, await this.now());
  }

  private async now(): Promise<number> {
    return this.deps.now ? await this.deps.now() : Date.now();
  }

  async townshipView(actor: Actor, code: string): Promise<TownshipView> {
    const e = this.township(code);
    authorize(actor, 'read', e);
    const view = await this.deps.client.workflow
      .getHandle(townshipWorkflowId(code))
      .query(townshipStateQuery)
      .catch((err: unknown) => fromTemporal(err, this.what(e)));
    return atQueryTime(view, await this.now());
  }

  async caseView(actor: Actor, caseId: string): Promise<InquiryView> {
    const view = await this.deps.client.workflow
      .getHandle(inquiryWorkflowId(caseId))
      .query(inquiryStateQuery)
      .catch((err: unknown) => fromTemporal(err, `函询案件${caseId}`));
    authorize(actor, 'read', { kind: 'case', township: view.township, caseId });
    return atQueryTime(view, await this.now());
  }

  async countyView(actor: Actor): Promise<ProgrammeView> {
    const e: EntityRef = { kind: 'county' };
    authorize(actor, 'read', e);
    const view = await this.deps.client.workflow
      .getHandle(this.workflowId(e))
      .query(programmeStateQuery)
      .catch((err: unknown) => fromTemporal(err, this.what(e)));
    return atQueryTime(view, await this.now());
  }

  /**
   * Entities from the search attributes, within what the actor may read: the department and
   * operators see the county, a township's officials their township, a village's people their
   * village. The query is built from validated values only.
   */
  async list(actor: Actor, input: unknown): Promise<ListItem[]> {
    const r = listFilterSchema.safeParse(input ?? {});
    if (!r.success) throw badInput(problemsOf(r.error));
    const f = r.data;
    const scope = permissions.read[actor.role];
    if (!scope) throw new ForbiddenError(actor, 'read', `${actor.name}无权查看`);
    let township = f.township;
    if (scope !== 'county') {
      if (township !== undefined && township !== actor.township) authorize(actor, 'read', { kind: 'township', township });
      township = actor.township;
    }
    const types = { village: VILLAGE_WORKFLOW_TYPE, township: TOWNSHIP_WORKFLOW_TYPE, case: INQUIRY_WORKFLOW_TYPE } as const;
    const kinds = f.kind ? [f.kind] : (['village', 'township', 'case'] as const);
    const where = [`WorkflowType IN (${kinds.map((k) => `'${types[k]}'`).join(', ')})`];
    if (!f.closed) where.push(`ExecutionStatus = 'Running'`);
    if (township) where.push(`${TownshipKey.name} = '${township}'`);
    if (scope === 'village') where.push(`${VillageKey.name} = '${actor.village ?? '-'}'`);
    if (f.stage) where.push(`${StageKey.name} = '${f.stage}'`);
    if (f.overdue) where.push(`${OverdueKey.name} = true`);
    if (f.failed) where.push(`${FailedDeliveriesKey.name} > 0`);
    if (f.delayed) where.push(`${DeliveryDelayedKey.name} = true`);
    const kindOf = new Map<string, ListItem['kind']>(Object.entries(types).map(([k, t]) => [t, k as ListItem['kind']]));
    const items: ListItem[] = [];
    try {
      for await (const wf of this.deps.client.workflow.list({ query: where.join(' AND ') })) {
        const sa = wf.typedSearchAttributes;
        const next = sa.get(NextDueKey);
        items.push({
          kind: kindOf.get(wf.type) ?? 'village',
          workflowId: wf.workflowId,
          township: sa.get(TownshipKey) ?? '',
          ...(sa.get(VillageKey) ? { village: sa.get(VillageKey) } : {}),
          stage: sa.get(StageKey) ?? '',
          status: wf.status.name,
          startedAt: wf.startTime.toISOString(),
          ...(next ? { nextDue: next.toISOString() } : {}),
          overdue: sa.get(OverdueKey) ?? false,
          failedDeliveries: sa.get(FailedDeliveriesKey) ?? 0,
          deliveryDelayed: sa.get(DeliveryDelayedKey) ?? false,
        });
        if (items.length >= f.limit) break;
      }
    } catch (err) {
      return fromTemporal(err, '工作流列表');
    }
    return items;
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

  private readonly figuresCache = new Map<string, { at: number; value: Promise<Figures> }>();

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

  private async computeFigures(asOf: LocalDate, now: number, township?: string): Promise<Figures> {
    const county = this.deps.roster().county.code;
    const client = this.deps.client.workflow;
    const programme = atQueryTime(await client.getHandle(programmeWorkflowId(county)).query(programmeStateQuery).catch((err: unknown) => fromTemporal(err, '全县整顿工作')), now);
    const targets = programme.targets.filter((t) => !township || t.township === township);
    const townships = [...new Set(targets.flatMap((t) => (t.township ? [t.township] : [])))];
    const read = async <T>(ids: readonly string[], one: (id: string) => Promise<T>): Promise<T[]> => {
      const out: T[] = [];
      await eachBounded(ids, async (id) => {
        const v = await one(id).catch(() => undefined); // gone past the server's retention
        if (v) out.push(v);
      });
      return out;
    };
    const [villages, townshipViews, ledger] = await Promise.all([
      read(targets.map((t) => t.village), async (code) => atQueryTime(await client.getHandle(villageWorkflowId(code)).query(stateQuery), now)),
      read(townships, async (code) => atQueryTime(await client.getHandle(townshipWorkflowId(code)).query(townshipStateQuery), now)),
      client
        .getHandle(ledgerWorkflowId(county))
        .query(ledgerEntriesQuery)
        .catch(() => [] as Consequence[]),
    ]);
    // The cases behind the year's letters and talks (六(四)), from their own views.
    const caseIds = [...new Set(ledger.filter((c) => c.clause === '六(四)' && c.kind === 'award-ineligible' && yearOf(c.from) === yearOf(asOf)).map((c) => c.cause))];
    const cases = (await read(caseIds, (id) => client.getHandle(inquiryWorkflowId(id)).query(inquiryStateQuery)))
      .filter((c) => !township || c.township === township)
      .map((c) => ({ caseId: c.caseId, township: c.township, kind: c.kind, issuedOn: c.issuedOn, ...(c.talk?.held ? { talkHeldOn: c.talk.held.on } : {}) }));
    return computeFigures({ asOf, now, roster: this.deps.roster(), programme, villages, townships: townshipViews, ledger, cases, ...(township ? { township } : {}) });
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

  // --- Targets --------------------------------------------------------------------------------

  async designate(actor: Actor, code: string, opts: { redesignate?: string | undefined } = {}): Promise<{ workflowId: string }> {
    const e = this.village(code);
    authorize(actor, 'target.designate', e);
    if (opts.redesignate !== undefined && !isLocalDate(opts.redesignate)) throw badInput([{ path: 'redesignate', message: '日期格式应为YYYY-MM-DD（如2019-03-15）' }]);
    try {
      const handle = await designateTarget(this.deps.client, this.deps.taskQueue, this.deps.roster(), code, {
        policy: this.deps.policy(),
        ...(opts.redesignate ? { redesignate: opts.redesignate } : {}),
      });
      return { workflowId: handle.workflowId };
    } catch (err) {
      if (err instanceof InvalidDesignationError) throw new ServiceError('bad-input', err.message);
      if (err instanceof DesignationRefusedError) throw new ServiceError('conflict', err.message);
      return fromTemporal(err, this.what(e));
    }
  }

  /**
   * A designation round: the villages named (or every open designation of the roster with `all`),
   * started at a bounded concurrency, their townships and the county told once per batch. Every
   * village is checked first (in the roster, an open designation, the actor may designate it): one
   * that is not stops the round before anything starts, naming it. An ended target is refused on
   * its own line and the others are designated.
   */
  async designateMany(actor: Actor, body: unknown): Promise<{ designated: number; refused: number; outcomes: DesignationOutcome[] }> {
    const b = parseInput(designateManySchema, body);
    const roster = this.deps.roster();
    const open = new Set(roster.designations.filter((d) => !d.withdrawnOn && !d.transformedOn).map((d) => d.village));
    const codes = b.all ? [...open] : b.villages!;
    if (codes.length === 0) throw badInput([{ path: 'all', message: '名册中没有尚未结束的认定' }]);
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    codes.forEach((code, i) => {
      const path = b.all ? 'all' : `villages.${i}`;
      if (seen.has(code)) issues.push({ path, message: `${code}重复` });
      seen.add(code);
      if (!roster.villages.some((v) => v.code === code)) issues.push({ path, message: `名册中没有村（社区）${code}` });
      else if (!roster.designations.some((d) => d.village === code)) issues.push({ path, message: `名册中${code}没有认定记录` });
    });
    if (issues.length > 0) throw badInput(issues.slice(0, 20));
    // The actor may designate every one of them, or none is designated.
    for (const code of codes) authorize(actor, 'target.designate', this.village(code));
    try {
      const outcomes = await designateTargets(this.deps.client, this.deps.taskQueue, roster, codes, {
        policy: this.deps.policy(),
        pool: DESIGNATION_POOL,
        ...(b.redesignate ? { redesignate: b.redesignate } : {}),
      });
      const refused = outcomes.filter((o) => 'refused' in o).length;
      return { designated: outcomes.length - refused, refused, outcomes };
    } catch (err) {
      if (err instanceof InvalidDesignationError) throw new ServiceError('bad-input', err.message);
      return fromTemporal(err, '认定');
    }
  }

  submitPlan(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    return this.update(actor, 'plan.submit', this.village(village), submitPlanUpdate as never, submitPlanSchema, 'submittedBy', body);
  }

  reviewPlan(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    return this.update(actor, 'plan.review', this.village(village), reviewPlanUpdate as never, reviewPlanSchema, 'reviewer', body);
  }

  async recordProgress(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    const e = this.village(village);
    authorize(actor, 'progress.record', e);
    if (assignedPosts.has(actor.role)) assertAssigned(actor, 'progress.record', (await this.status(e)) as VillageView);
    return this.update(actor, 'progress.record', e, recordProgressUpdate as never, recordProgressSchema, 'reportedBy', body);
  }

  recordAcceptance(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    return this.update(actor, 'acceptance.record', this.village(village), recordAcceptanceUpdate as never, recordAcceptanceSchema, 'evaluator', body);
  }

  reassign(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    return this.update(actor, 'target.reassign', this.village(village), reassignUpdate as never, reassignSchema, 'by', body);
  }

  withdraw(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    return this.update(actor, 'target.withdraw', this.village(village), withdrawUpdate as never, withdrawSchema, 'by', body);
  }

  // --- Duties of any entity -------------------------------------------------------------------

  /** Closes a duty as done; who may is narrowed by the duty's responsible post. */
  async fulfil(actor: Actor, entity: EntityRef, body: unknown): Promise<EntityStatus> {
    authorize(actor, 'duty.fulfil', entity);
    const id = typeof body === 'object' && body !== null ? (body as { obligationId?: unknown }).obligationId : undefined;
    if (typeof id === 'string' || (entity.kind === 'village' && assignedPosts.has(actor.role))) {
      const status = await this.status(entity);
      if (entity.kind === 'village') assertAssigned(actor, 'duty.fulfil', status as VillageView);
      const duty = status.open.find((o) => o.id === id) ?? status.upcoming.find((o) => o.id === id);
      if (duty && !mayFulfil(actor, entity, duty)) {
        throw new ForbiddenError(actor, 'duty.fulfil', `${actor.name}不是“${duty.title}”的责任人，不能办结该事项`);
      }
    }
    return this.update(actor, 'duty.fulfil', entity, fulfilObligationUpdate as never, fulfilObligationSchema, 'by', body);
  }

  waive(actor: Actor, entity: EntityRef, body: unknown): Promise<EntityStatus> {
    return this.update(actor, 'duty.waive', entity, waiveObligationUpdate as never, waiveObligationSchema, 'by', body);
  }

  retryDeliveries(actor: Actor, entity: EntityRef, _body: Record<string, never> = {}): Promise<EntityStatus> {
    return this.update(actor, 'deliveries.retry', entity, retryDeliveriesUpdate as never, retryDeliveriesSchema, 'by', {});
  }

  private async status(entity: EntityRef): Promise<EntityStatus> {
    const handle = this.deps.client.workflow.getHandle(this.workflowId(entity));
    const q = entity.kind === 'village' ? stateQuery : entity.kind === 'township' ? townshipStateQuery : entity.kind === 'case' ? inquiryStateQuery : programmeStateQuery;
    return (handle.query(q as typeof stateQuery) as Promise<EntityStatus>).catch((err: unknown) => fromTemporal(err, this.what(entity)));
  }

  // --- Townships ------------------------------------------------------------------------------

  submitReport(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'report.submit', this.township(township), submitReportUpdate as never, submitReportSchema, 'reportedBy', body);
  }

  recordStudy(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'study.record', this.township(township), recordStudyUpdate as never, recordStudySchema, 'by', body);
  }

  recordInspection(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'inspection.record', this.township(township), recordInspectionUpdate as never, recordInspectionSchema, 'by', body);
  }

  decideProposal(actor: Actor, township: string, body: unknown): Promise<TownshipView> {
    return this.update(actor, 'proposal.decide', this.township(township), decideProposalUpdate as never, decideProposalSchema, 'by', body);
  }

  // --- The county --------------------------------------------------------------------------------

  /** The yearly 述职评议考核 (六(四)): each person graded must be a township party secretary of the roster. */
  recordEvaluation(actor: Actor, body: unknown): Promise<ProgrammeView> {
    const roster = this.deps.roster();
    return this.update(actor, 'evaluation.record', { kind: 'county' }, recordEvaluationUpdate as never, recordEvaluationSchema, 'by', body, (args: z.output<typeof recordEvaluationSchema>) =>
      args.results.flatMap((r, i) => {
        const p = roster.people.find((x) => x.id === r.person);
        if (!p) return [{ path: `results.${i}.person`, message: `名册中没有人员${r.person}` }];
        return p.role === 'township-party-secretary' ? [] : [{ path: `results.${i}.person`, message: `${p.name}是${roleLabels[p.role]}，述职评议考核的是乡镇党委书记` }];
      }),
    );
  }

  /** A 联席会 of the departments named in 四(一)4, recorded by the organization department: each department must be in the roster. */
  recordJointMeeting(actor: Actor, body: unknown): Promise<ProgrammeView> {
    const roster = this.deps.roster();
    return this.update(actor, 'joint-meeting.record', { kind: 'county' }, recordJointMeetingUpdate as never, recordJointMeetingSchema, 'by', body, (args: z.output<typeof recordJointMeetingSchema>) =>
      args.departments.flatMap((d, i) => (roster.departments.some((x) => x.code === d) ? [] : [{ path: `departments.${i}`, message: `名册中没有编码为${d}的部门` }])),
    );
  }

  /**
   * A study of the standing committee (五(二)) with the plans it reviewed and the items each is
   * assigned in its 交办任务书, or returned to the township with its opinion and a new deadline.
   * Only plans the department has approved can be reviewed; who
   * answers for an item is the owner's party secretary in the roster now (a body that names a
   * person is refused).
   */
  async recordCommitteeStudy(actor: Actor, body: unknown): Promise<ProgrammeView> {
    const entity: EntityRef = { kind: 'county' };
    authorize(actor, 'committee-study.record', entity);
    const args = withActor(recordCommitteeStudySchema, 'by', actor, body) as z.output<typeof recordCommitteeStudySchema>;
    const roster = this.deps.roster();
    const problems: FieldIssue[] = [];
    const plans = [];
    for (const [i, plan] of args.plans.entries()) {
      const v = roster.villages.find((x) => x.code === plan.village);
      if (!v) {
        problems.push({ path: `plans.${i}.village`, message: `名册中没有村（社区）${plan.village}` });
        continue;
      }
      const view = await this.deps.client.workflow
        .getHandle(villageWorkflowId(plan.village))
        .query(stateQuery)
        .catch(() => undefined);
      if (!view) problems.push({ path: `plans.${i}.village`, message: `${plan.village}不是整顿对象` });
      else if (view.plan.status !== 'approved') problems.push({ path: `plans.${i}.village`, message: `${plan.village}的整顿方案尚未经县委组织部审核通过，不能提交常委会审核` });
      const tasks = plan.tasks.map((t, j) => {
        if (t.person !== undefined) problems.push({ path: `plans.${i}.tasks.${j}.person`, message: '责任人按名册确定，不能在请求中填写' });
        const holder = t.owner === 'township' ? holders(roster, 'township-party-secretary', { township: v.township })[0] : holders(roster, 'village-party-secretary', { village: v.code })[0];
        if (!holder) problems.push({ path: `plans.${i}.tasks.${j}.owner`, message: `名册中没有${t.owner === 'township' ? '乡镇党委书记' : '村党组织书记'}，无法明确责任人` });
        return { ...t, person: holder?.id ?? '' };
      });
      plans.push({ ...plan, tasks });
    }
    if (problems.length) throw badInput(problems);
    try {
      return await this.deps.client.workflow.getHandle(this.workflowId(entity)).executeUpdate(recordCommitteeStudyUpdate, { args: [{ ...args, plans }] });
    } catch (err) {
      return fromTemporal(err, this.what(entity));
    }
  }

  // --- Inquiry cases --------------------------------------------------------------------------

  /**
   * The case's letter (or notice of a directly ordered talk) as the Word document that was mailed:
   * drawn from the case's own facts, so the copy downloaded is the copy sent, under the same 文号.
   */
  async caseLetterDocx(actor: Actor, caseId: string): Promise<{ filename: string; content: Buffer }> {
    const v = await this.caseView(actor, caseId);
    const letter = caseLetter({ ...v, ...(v.talk ? { talk: { why: v.talk.why } } : {}) }, v.township, this.deps.roster());
    const content = Buffer.from(await officialLetterDocx(officialLetter(letter)));
    return { filename: `${letter.title}（${caseId}）.docx`, content };
  }

  /** The case as opened (numbered, addressed, with its deadline), and its workflow id. */
  async issueInquiry(actor: Actor, body: unknown): Promise<InquiryView & { workflowId: string }> {
    const schema = z.strictObject({
      township: z.string().min(1).max(40),
      reason: z.string().trim().min(4, '函询事由至少4个字').max(2000),
      kind: z.enum(['inquiry', 'talk']).default('inquiry'),
      proposalQuarter: z.string().regex(/^\d{4}-Q[1-4]$/, '应为季度，如2019-Q1').optional(),
      caseId: z.string().optional(),
    });
    if (typeof body === 'object' && body !== null && 'issuedBy' in body) throw badInput([{ path: 'issuedBy', message: '由登录身份确定，不能在请求中填写' }]);
    const r = schema.safeParse(body);
    if (!r.success) throw badInput(problemsOf(r.error));
    const e = this.township(r.data.township);
    authorize(actor, 'inquiry.issue', e);
    // A second case with the same id (by default: township, quarter or day, kind) is a conflict, said as such.
    const caseId = r.data.caseId ?? defaultCaseId({ township: r.data.township, kind: r.data.kind, ...(r.data.proposalQuarter ? { proposalQuarter: r.data.proposalQuarter } : {}), reason: '', issuedBy: actor.id });
    const existing = await this.deps.client.workflow
      .getHandle(inquiryWorkflowId(caseId))
      .describe()
      .catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        return fromTemporal(err, `函询案件${caseId}`);
      });
    if (existing) throw new ServiceError('conflict', `已有函询案件${caseId}（${existing.status.name === 'RUNNING' ? '办理中' : '已结束'}），不再重复发出；如确需另行函询，请指定其他案件编号（caseId）`);
    try {
      const handle = await issueInquiry(this.deps.client, this.deps.taskQueue, this.deps.roster(), {
        township: r.data.township,
        reason: r.data.reason,
        kind: r.data.kind,
        issuedBy: actor.id,
        ...(r.data.proposalQuarter ? { proposalQuarter: r.data.proposalQuarter } : {}),
        caseId,
        policy: this.deps.policy(),
      });
      if (!handle.opened) throw new Error('issueInquiry returned without the opened case');
      return { ...handle.opened, workflowId: handle.workflowId };
    } catch (err) {
      if (err instanceof InvalidInquiryError) throw new ServiceError('bad-input', err.message);
      return fromTemporal(err, `乡镇${r.data.township}`);
    }
  }

  async submitExplanation(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'explanation.submit', await this.case(caseId), submitExplanationUpdate as never, submitExplanationSchema, 'by', body);
  }

  async reviewExplanation(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'explanation.review', await this.case(caseId), reviewExplanationUpdate as never, reviewExplanationSchema, 'by', body);
  }

  async orderTalk(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'talk.order', await this.case(caseId), orderTalkUpdate as never, orderTalkSchema, 'by', body);
  }

  /**
   * The talk's time and place. Its notice is a document with a 文号 of its own, asked of the
   * county ledger once the request is valid and the case awaits a talk (the same time again gets
   * the same number).
   */
  async scheduleTalk(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    const { entity, view } = await this.caseWithView(caseId);
    authorize(actor, 'talk.schedule', entity);
    if (typeof body === 'object' && body !== null && 'docNumber' in body) throw badInput([{ path: 'docNumber', message: '文号由系统编排，不能在请求中填写' }]);
    const args = withActor(scheduleTalkSchema, 'by', actor, body) as { at: string };
    // What the case would refuse is refused here first: a 文号 is never used up by a notice that is not issued.
    const [date, time] = args.at.split('T') as [string, string];
    const [h, m] = time.split(':').map(Number) as [number, number];
    if (instantOf(date, h, m) <= (await this.now())) throw badInput([{ path: 'at', message: `${args.at}不是将来的时间` }]);
    if (view.talk?.held) throw new ServiceError('conflict', '约谈已经进行');
    let docNumber: DocNumber | undefined;
    if (view.stage === 'talk-required' || view.stage === 'talk-scheduled') {
      docNumber = await allocateDocNumber(this.deps.client, this.deps.roster().county.code, `${caseId}/talk/${args.at}`).catch((err: unknown) => fromTemporal(err, '后果台账（文号）'));
    }
    return this.update(actor, 'talk.schedule', entity, scheduleTalkUpdate as never, scheduleTalkSchema, 'by', { ...(body as object), ...(docNumber ? { docNumber } : {}) });
  }

  async recordTalk(actor: Actor, caseId: string, body: unknown): Promise<InquiryView> {
    return this.update(actor, 'talk.record', await this.case(caseId), recordTalkUpdate as never, recordTalkSchema, 'by', body);
  }

  // --- Operations -----------------------------------------------------------------------------

  async applyPolicy(actor: Actor, policy: unknown): Promise<Outcome> {
    authorize(actor, 'policy.apply', { kind: 'county' });
    const r = policySchema.safeParse(policy);
    if (!r.success) throw badInput(problemsOf(r.error));
    return applyPolicyEverywhere(this.deps.client, r.data, actor.id).catch((err: unknown) => fromTemporal(err, '运行中的工作流'));
  }

  /**
   * A year's holiday arrangement. Without `confirm` nothing is installed: the answer is what would
   * change (the days that become rest days or working days against what the worker holds now),
   * for the person to check. With `confirm` it is installed and every running workflow re-dates
   * its provisional deadlines; an official arrangement moves every deadline of the year, so its
   * confirmation is the organization department's (an operator may preview it, or publish a draft).
   */
  async publishCalendar(actor: Actor, body: unknown): Promise<CalendarPublication> {
    authorize(actor, 'calendar.publish', { kind: 'county' });
    const confirm = typeof body === 'object' && body !== null && (body as { confirm?: unknown }).confirm === true;
    const r = calendarYearSchema.safeParse(body);
    if (!r.success) throw badInput(problemsOf(r.error));
    const year = r.data as CalendarYear;
    // Deadlines move with the calendar: one no State Council notice would make is refused.
    const unusual = unusualArrangement(year);
    if (unusual.length > 0) throw badInput(unusual);
    const preview = calendarChanges(new WorkCalendar(this.deps.calendar.years([year.year])), year);
    if (!confirm) return { published: false, ...preview };
    if (year.official && actor.role !== 'org-department-staff' && actor.role !== 'org-department-head') {
      throw new ForbiddenError(actor, 'calendar.publish', `正式节假日安排改变全年的截止日期，须由县委组织部人员确认发布；${actor.name}（运维人员）可预览或发布暂定安排`);
    }
    const o = await publishCalendar(this.deps.client, this.deps.calendar, year).catch((err: unknown) => fromTemporal(err, '运行中的工作流'));
    return { published: true, ...preview, ...o };
  }
}

