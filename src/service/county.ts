/** The service's room for the county: its view and lists, the 述职评议考核, the 联席会, the standing committee's studies, the policy and the holiday calendar. */
import { z } from 'zod';
import { publishCalendar, applyPolicyEverywhere, type Outcome } from '../client/admin';
import { INQUIRY_WORKFLOW_TYPE } from '../contracts/inquiry';
import { programmeStateQuery, recordCommitteeStudySchema, recordCommitteeStudyUpdate, recordEvaluationSchema, recordEvaluationUpdate, recordJointMeetingSchema, recordJointMeetingUpdate, recordDiagnosisSchema, recordDiagnosisUpdate, recordCourseSchema, recordCourseUpdate, type ProgrammeView } from '../contracts/programme';
import { TOWNSHIP_WORKFLOW_TYPE } from '../contracts/township';
import { stateQuery, VILLAGE_WORKFLOW_TYPE, villageWorkflowId } from '../contracts/village';
import { addDays, calendarYearSchema, unusualArrangement, WorkCalendar, type CalendarYear, type LocalDate } from '../domain/calendar';
import { policySchema } from '../domain/policy';
import { cadreVillage, holders, notACadre, roleLabels } from '../domain/roster';
import { authorize, ForbiddenError, permissions, type Actor, type EntityRef } from './authorization';
import { DeliveryDelayedKey, FailedDeliveriesKey, NextDueKey, OverdueKey, StageKey, TownshipKey, VillageKey } from '../search-attributes';
import type { FieldIssue } from '../contracts/common';
import { ServiceCore, atQueryTime, badInput, fromTemporal, problemsOf, withActor } from './core';

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

export class CountyActions extends ServiceCore {
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

  /** The year's 会诊 of every target under rectification (五(二)), recorded by the organization department. */
  recordDiagnosis(actor: Actor, body: unknown): Promise<ProgrammeView> {
    return this.update(actor, 'diagnosis.record', { kind: 'county' }, recordDiagnosisUpdate as never, recordDiagnosisSchema, 'by', body);
  }

  /**
   * The county's course (四(一)5), its attendees checked against the roster (each a village's party
   * secretary or committee member) and grouped by township for the townships' tallies.
   */
  async recordCourse(actor: Actor, body: unknown): Promise<ProgrammeView> {
    authorize(actor, 'course.record', { kind: 'county' });
    const roster = this.deps.roster();
    if (typeof body === 'object' && body !== null && 'byTownship' in body) throw badInput([{ path: 'byTownship', message: '按名册确定，不能在请求中填写' }]);
    const parsed = recordCourseSchema.safeParse(body === null || typeof body !== 'object' ? body : { by: actor.id, ...body });
    const byTownship: Record<string, string[]> = {};
    const problems: FieldIssue[] = [];
    (parsed.success ? parsed.data.attendees : []).forEach((id, i) => {
      const village = cadreVillage(roster, id);
      if (!village) problems.push({ path: `attendees.${i}`, message: notACadre(roster, id) });
      else (byTownship[village.township] ??= []).push(id);
    });
    if (problems.length) throw badInput(problems);
    return this.update(actor, 'course.record', { kind: 'county' }, recordCourseUpdate as never, recordCourseSchema, 'by', parsed.success ? { ...(body as object), byTownship } : body);
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
