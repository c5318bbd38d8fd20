/**
 * What every room of the service shares: its dependencies, the entity an action is on, the one
 * path an update takes (authorize, parse with the contract's schema, set the actor from the
 * caller's proven identity, check what only the roster knows, send), Temporal's errors said as
 * the service's kinds, and the duties any entity has (done, waived, deliveries retried).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, isGrpcServiceError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import type { CalendarStore } from '../activities/calendar-store';
import { atQueryTime, type EntityStatus } from '../contracts/common';
import { fulfilObligationSchema, fulfilObligationUpdate, retryDeliveriesSchema, retryDeliveriesUpdate, waiveObligationSchema, waiveObligationUpdate } from '../contracts/entity';
import { inquiryStateQuery, inquiryWorkflowId, type InquiryView } from '../contracts/inquiry';
import { programmeStateQuery, programmeWorkflowId } from '../contracts/programme';
import { townshipStateQuery, townshipWorkflowId } from '../contracts/township';
import { stateQuery, villageWorkflowId, type VillageView } from '../contracts/village';
import type { Policy } from '../domain/policy';
import type { Roster } from '../domain/roster';
import type { DocumentMeta, DocumentStore, StoredFile } from '../infra/document-store';
import { actionLabels, actorOf, authorize, ForbiddenError, mayFulfil, type Action, type Actor, type EntityRef } from './authorization';
import { StageKey } from '../search-attributes';
import { ServiceError } from './errors';
import { issuesOf, issuesText, type FieldIssue } from '../contracts/common';

export interface ServiceDeps {
  readonly client: Client;
  readonly taskQueue: string;
  /** The roster as it is now (the file is the directory of people and posts). */
  readonly roster: () => Roster;
  /** The policy new workflows start with. */
  readonly policy: () => Policy;
  readonly calendar: CalendarStore;
  /** The documents as mailed (DOCUMENT_DIR), for their downloads; none kept without it. */
  readonly documents?: DocumentStore;
  /** The moment of a query (the machine's clock; a test on the time-skipping server passes the server's). */
  readonly now?: () => number | Promise<number>;
}


export { atQueryTime };

export function problemsOf(error: z.ZodError): FieldIssue[] {
  return issuesOf(error, '(内容)');
}

/** Bad input, each problem with its field. */
export function badInput(fields: FieldIssue[]): ServiceError {
  return new ServiceError('bad-input', issuesText(fields), fields);
}

/** Parses what a caller sent, or throws bad input naming every wrong field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw badInput(problemsOf(r.error));
  return r.data;
}

/** Maps what Temporal says to the service's kinds; anything unknown is rethrown as it is. */
export function fromTemporal(err: unknown, what: string): never {
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

/** Posts that act on a target by the workflow's assignment (五(三), 四(一)1), not by the roster alone. */
export const assignedPosts = new Set<string>(['first-secretary', 'township-liaison']);

/**
 * A first secretary or a township liaison acts on a target only while the target's workflow has
 * them assigned: one replaced by a reassignment, or named in the roster for the village but never
 * assigned, is refused even though the roster post names the village.
 */
export function assertAssigned(actor: Actor, action: Action, view: VillageView): void {
  if (!assignedPosts.has(actor.role)) return;
  const current = actor.role === 'first-secretary' ? view.firstSecretary : view.liaison;
  if (current === actor.id) return;
  const post = actor.role === 'first-secretary' ? '第一书记' : '包村领导';
  throw new ForbiddenError(actor, action, `${actor.name}不是整顿对象${view.village}现任${post}，不能${actionLabels[action]}`);
}

/** The body with the session's person as its actor, parsed: defaults applied and text trimmed, as the workflow will read it. */
export function withActor(schema: z.ZodType, actorField: string, actor: Actor, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badInput([{ path: '(内容)', message: '应为JSON对象' }]);
  if (actorField in body) throw badInput([{ path: actorField, message: '由登录身份确定，不能在请求中填写' }]);
  const r = schema.safeParse({ ...body, [actorField]: actor.id });
  if (!r.success) throw badInput(problemsOf(r.error));
  return r.data;
}

export class ServiceCore {
  constructor(protected readonly deps: ServiceDeps) {}

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
  protected async caseWithView(caseId: string): Promise<{ entity: EntityRef & { kind: 'case' }; view: InquiryView }> {
    const view = await this.deps.client.workflow
      .getHandle(inquiryWorkflowId(caseId))
      .query(inquiryStateQuery)
      .catch((err: unknown) => fromTemporal(err, `函询案件${caseId}`));
    return { entity: { kind: 'case', township: view.township, caseId }, view };
  }

  protected workflowId(e: EntityRef): string {
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

  /** The documents mailed for an entity (letters, notices, 交办任务书…), oldest first, as they were mailed. */
  async documents(actor: Actor, entity: EntityRef): Promise<DocumentMeta[]> {
    authorize(actor, 'read', entity);
    return (await this.deps.documents?.list(this.workflowId(entity))) ?? [];
  }

  /** One file of an entity's documents, the bytes that were mailed. */
  async document(actor: Actor, entity: EntityRef, filename: string): Promise<StoredFile> {
    authorize(actor, 'read', entity);
    const f = await this.deps.documents?.file(this.workflowId(entity), filename);
    if (!f) throw new ServiceError('not-found', `没有已发出的文件“${filename}”`);
    return f;
  }

  protected what(e: EntityRef): string {
    return e.kind === 'village' ? `整顿对象${e.village}的工作流` : e.kind === 'township' ? `乡镇${e.township}的督促工作流` : e.kind === 'case' ? `函询案件${e.caseId}` : '全县工作流';
  }

  protected async update<R>(
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
  protected async ended(workflowId: string, entity: EntityRef): Promise<void> {
    const d = await this.deps.client.workflow
      .getHandle(workflowId)
      .describe()
      .catch(() => undefined);
    if (!d || d.status.name === 'RUNNING') return;
    const stage = d.typedSearchAttributes.get(StageKey);
    const how = stage === 'withdrawn' ? '已撤销认定' : stage === 'closed' ? '已办结' : '已结束';
    throw new ServiceError('conflict', `${entity.kind === 'village' ? `整顿对象${entity.village}` : this.what(entity)}${how}，不能再办理`);
  }

  protected async now(): Promise<number> {
    return this.deps.now ? await this.deps.now() : Date.now();
  }

  protected async status(entity: EntityRef): Promise<EntityStatus> {
    const handle = this.deps.client.workflow.getHandle(this.workflowId(entity));
    const q = entity.kind === 'village' ? stateQuery : entity.kind === 'township' ? townshipStateQuery : entity.kind === 'case' ? inquiryStateQuery : programmeStateQuery;
    return (handle.query(q as typeof stateQuery) as Promise<EntityStatus>).catch((err: unknown) => fromTemporal(err, this.what(entity)));
  }

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
}
