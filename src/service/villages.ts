/** The service's room for targets: designation (one or a round), the plan, progress, acceptance, reassignment, withdrawal. */
import { z } from 'zod';
import { designateTarget, designateTargets, type DesignationOutcome } from '../client/supervision';
import { DesignationRefusedError, InvalidDesignationError } from '../client/village';
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
  submitPlanSchema,
  submitPlanUpdate,
  villageWorkflowId,
  withdrawSchema,
  withdrawUpdate,
  type VillageView,
} from '../contracts/village';
import { planDocument } from '../documents/plan';
import { officialLetter, officialLetterDocx } from '../documents/official-letter';
import { isLocalDate, localDateSchema } from '../domain/calendar';
import { authorize, type Actor } from './authorization';
import { ServiceError } from './errors';
import type { FieldIssue } from '../contracts/common';
import { roleLabels } from '../domain/roster';
import { ServiceCore, atQueryTime, badInput, fromTemporal, parseInput, assertAssigned, assignedPosts } from './core';

/** Villages started at once in a designation round: enough to keep the server busy, few enough for its connection. */
const DESIGNATION_POOL = 32;

/** The most villages one request designates (a province's round goes in several). */
export const DESIGNATE_MANY_MAX = 2000;

export const designateManySchema = z
  .strictObject({
    villages: z.array(z.string().min(1).max(40, '村（社区）代码最多40个字符')).min(1, '至少一个村（社区）').max(DESIGNATE_MANY_MAX, `每次最多${DESIGNATE_MANY_MAX}个村（社区）`).optional(),
    all: z.literal(true, { error: 'all只能为true' }).optional(),
    redesignate: localDateSchema.optional(),
  })
  .refine((b) => (b.villages === undefined) !== (b.all === undefined), { message: '须给出villages（村代码列表）或all: true，二者选一', path: ['villages'] });

export class VillageActions extends ServiceCore {
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

  /** The target's plan as a Word document (五(一)): the plan the workflow holds, its three stages and 时间表. */
  async planDocx(actor: Actor, village: string): Promise<{ filename: string; content: Buffer }> {
    const v = await this.villageView(actor, village);
    const doc = planDocument(v, this.deps.roster());
    if (!doc) throw new ServiceError('not-found', `${v.village}尚未报送整顿方案`);
    return { filename: `${doc.title}.docx`, content: Buffer.from(await officialLetterDocx(officialLetter(doc))) };
  }

  /** A plan's measures and milestones name their owners: people of the roster (五(一)). */
  submitPlan(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    const known = (id: string | undefined): boolean => id === undefined || this.personExists(id);
    return this.update(actor, 'plan.submit', this.village(village), submitPlanUpdate as never, submitPlanSchema, 'submittedBy', body, (p: z.output<typeof submitPlanSchema>) => [
      ...p.measures.flatMap((m, i) => (known(m.owner) ? [] : [{ path: `measures.${i}.owner`, message: `名册中没有人员${m.owner}` }])),
      ...(p.roadmap?.milestones ?? []).flatMap((m, i) => (known(m.owner) ? [] : [{ path: `roadmap.milestones.${i}.owner`, message: `名册中没有人员${m.owner}` }])),
    ]);
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

  /** The successor must hold the post in the roster (a liaison: of the target's township). */
  reassign(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    const entity = this.village(village);
    return this.update(actor, 'target.reassign', entity, reassignUpdate as never, reassignSchema, 'by', body, (r: z.output<typeof reassignSchema>) => {
      const p = this.deps.roster().people.find((x) => x.id === r.person);
      if (!p) return [{ path: 'person', message: `名册中没有${r.person}` }];
      if (p.role !== r.role) return [{ path: 'person', message: `${p.name}在名册中不是${roleLabels[r.role]}（是${roleLabels[p.role]}）` }];
      if (p.role === 'township-liaison' && p.township !== entity.township) return [{ path: 'person', message: `${p.name}不是本乡镇的包村领导` }];
      return [];
    });
  }

  withdraw(actor: Actor, village: string, body: unknown): Promise<VillageView> {
    return this.update(actor, 'target.withdraw', this.village(village), withdrawUpdate as never, withdrawSchema, 'by', body);
  }
}
