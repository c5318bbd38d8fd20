/**
 * Who may do what, where: one table of role × action × scope, decided here for every surface
 * (HTTP API, CLI, web pages, simulated people). The actor is a person of the roster; what a
 * request body says about who acts is never taken.
 *
 * Scopes: `county` is any entity; `township` an entity of the actor's own township (the
 * township, its targets, its inquiry cases); `village` the actor's own target.
 */
import type { ObligationView } from '../contracts/common';
import type { Person, Role, Roster } from '../domain/roster';
import { roleLabels } from '../domain/roster';
import { kindSpecs } from '../domain/kinds';

export const actions = [
  // Reading
  'read',
  'ledger.read',
  'figures.read',
  // Targets
  'target.designate',
  'target.withdraw',
  'target.reassign',
  'plan.submit',
  'plan.review',
  'progress.record',
  'acceptance.record',
  // Duties of any entity
  'duty.fulfil',
  'duty.waive',
  // Townships
  'report.submit',
  'study.record',
  'inspection.record',
  'committee-study.record',
  'joint-meeting.record',
  'diagnosis.record',
  'training.record',
  'course.record',
  'evaluation.record',
  'accountability.record',
  'proposal.decide',
  // Inquiry cases
  'inquiry.issue',
  'explanation.submit',
  'explanation.review',
  'talk.order',
  'talk.schedule',
  'talk.record',
  'letter.deliver',
  // Operations
  'deliveries.retry',
  'policy.apply',
  'calendar.publish',
  'sessions.manage',
] as const;
export type Action = (typeof actions)[number];

export const actionLabels: Record<Action, string> = {
  read: '查看',
  'ledger.read': '查看后果台账',
  'figures.read': '查看整顿工作统计',
  'target.designate': '认定整顿对象',
  'target.withdraw': '撤销认定',
  'target.reassign': '调整第一书记或包村领导',
  'plan.submit': '报送整顿方案',
  'plan.review': '审核整顿方案',
  'progress.record': '填报整顿进展',
  'acceptance.record': '记录验收评价结果',
  'duty.fulfil': '办结待办事项',
  'duty.waive': '免除待办事项',
  'report.submit': '上报半月进展',
  'study.record': '记录乡镇党委专题研究',
  'inspection.record': '记录督导检查及发现的问题',
  'committee-study.record': '记录县委常委会专题研究并下达交办任务书',
  'joint-meeting.record': '记录县工青妇、武装、民政等部门联席会',
  'diagnosis.record': '记录整顿对象逐一会诊',
  'training.record': '记录村干部和无职党员培训',
  'course.record': '记录县委软弱涣散村村干部专题研修班',
  'evaluation.record': '记录乡镇党委书记述职评议考核结果',
  'accountability.record': '记录问责决定（六(五)）',
  'proposal.decide': '决定是否函询',
  'inquiry.issue': '发出函询或约谈',
  'explanation.submit': '报送书面说明',
  'explanation.review': '审阅书面说明',
  'talk.order': '决定约谈',
  'talk.schedule': '安排约谈',
  'talk.record': '记录约谈情况',
  'letter.deliver': '记录函询函送达',
  'deliveries.retry': '重发通知',
  'policy.apply': '适用工作规则',
  'calendar.publish': '发布节假日安排',
  'sessions.manage': '管理人员的登录（结束登录、解除锁定）',
};

export type Scope = 'county' | 'township' | 'village';

const DEPARTMENT = { 'org-department-staff': 'county', 'org-department-head': 'county' } as const;
const TOWNSHIP = { 'township-party-secretary': 'township', 'organization-officer': 'township' } as const;

/**
 * The table. A role not listed for an action may not do it. The organization department alone
 * takes the decisions the text gives the county (五(一) review and acceptance, 六(四) letters and
 * talks), so a township never approves its own plan, records its own acceptance or reviews its
 * own explanation. Operators read everything and run the machinery (retries, calendar, policy)
 * but take no domain decision.
 */
export const permissions: Record<Action, Partial<Record<Role, Scope>>> = {
  read: {
    ...DEPARTMENT,
    operator: 'county',
    ...TOWNSHIP,
    'township-liaison': 'village',
    'village-contact-cadre': 'village',
    'party-building-instructor': 'village',
    'first-secretary': 'village',
    'village-party-secretary': 'village',
    'county-leader': 'village',
    'paired-department-leader': 'village',
  },
  'ledger.read': { ...DEPARTMENT, operator: 'county' },
  'figures.read': { ...DEPARTMENT, operator: 'county', ...TOWNSHIP },
  'target.designate': DEPARTMENT,
  'target.withdraw': DEPARTMENT,
  'target.reassign': DEPARTMENT,
  // 五(一): the township party committee draws up and submits each target's plan.
  'plan.submit': TOWNSHIP,
  'plan.review': DEPARTMENT,
  // 六(三): progress goes up through the township; the first secretary records the village's own.
  'progress.record': { ...TOWNSHIP, 'first-secretary': 'village' },
  'acceptance.record': DEPARTMENT,
  // Who may close a duty is narrowed further by the duty's responsible post (see mayFulfil).
  'duty.fulfil': { ...DEPARTMENT, ...TOWNSHIP, 'first-secretary': 'village', 'village-party-secretary': 'village' },
  'duty.waive': DEPARTMENT,
  'report.submit': TOWNSHIP,
  'study.record': TOWNSHIP,
  // 六(三): the department's inspection group; a township does not inspect itself.
  'inspection.record': DEPARTMENT,
  // 五(二): the standing committee's study, recorded by the department that prepares it.
  'committee-study.record': DEPARTMENT,
  // 四(一)4: the department, which leads the work (六(二)), records the departments' 联席会.
  'joint-meeting.record': DEPARTMENT,
  'diagnosis.record': DEPARTMENT,
  // 四(一)5: the township trains its village cadres and members without post; the department may record it too.
  'training.record': { ...DEPARTMENT, ...TOWNSHIP },
  // 四(一)5: the county committee's course, recorded by the department that runs it.
  'course.record': DEPARTMENT,
  // 六(四): the county's yearly evaluation of township secretaries, recorded by the department.
  'evaluation.record': DEPARTMENT,
  // 六(五): a decision on a person, entered by the department's head (two years without promotion follow).
  'accountability.record': { 'org-department-head': 'county' },
  'proposal.decide': DEPARTMENT,
  'inquiry.issue': DEPARTMENT,
  // 六(四): the letter goes to the township party secretary and organization officer; they answer.
  'explanation.submit': TOWNSHIP,
  'explanation.review': DEPARTMENT,
  'talk.order': DEPARTMENT,
  'talk.schedule': DEPARTMENT,
  'talk.record': DEPARTMENT,
  'letter.deliver': DEPARTMENT,
  'deliveries.retry': { ...DEPARTMENT, operator: 'county' },
  // The county's working rules (ladders, thresholds, automatic talks) are a decision of the
  // department's head; operators install what the head decided, they do not apply it.
  'policy.apply': { 'org-department-head': 'county' },
  'calendar.publish': { ...DEPARTMENT, operator: 'county' },
  'sessions.manage': DEPARTMENT,
};

/** What an action is done on. */
export type EntityRef =
  | { readonly kind: 'county' }
  | { readonly kind: 'township'; readonly township: string }
  | { readonly kind: 'village'; readonly township: string; readonly village: string }
  | { readonly kind: 'case'; readonly township: string; readonly caseId: string };

/** A person of the roster acting, with the place of their post. */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly township?: string;
  readonly village?: string;
}

export class ForbiddenError extends Error {
  constructor(
    readonly actor: Actor,
    readonly action: Action,
    message: string,
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The actor a roster person is (their post decides what they may do), or undefined. */
export function actorOf(roster: Roster, personId: string): Actor | undefined {
  const p: Person | undefined = roster.people.find((x) => x.id === personId);
  if (!p) return undefined;
  const village = p.village ? roster.villages.find((v) => v.code === p.village) : undefined;
  const township = p.township ?? village?.township;
  return { id: p.id, name: p.name, role: p.role, ...(township ? { township } : {}), ...(p.village ? { village: p.village } : {}) };
}

function inScope(actor: Actor, scope: Scope, entity: EntityRef): boolean {
  switch (scope) {
    case 'county':
      return true;
    case 'township':
      return entity.kind !== 'county' && actor.township !== undefined && entity.township === actor.township;
    case 'village':
      return entity.kind === 'village' && actor.village !== undefined && entity.village === actor.village;
  }
}

function describeEntity(entity: EntityRef): string {
  switch (entity.kind) {
    case 'county':
      return '全县';
    case 'township':
      return `乡镇${entity.township}`;
    case 'village':
      return `整顿对象${entity.village}`;
    case 'case':
      return `函询案件${entity.caseId}`;
  }
}

/** The actor's scope for the action; own keys only, so nothing inherited can grant a scope. */
function scopeOf(actor: Actor, action: Action): Scope | undefined {
  if (!Object.hasOwn(permissions, action)) return undefined;
  const row = permissions[action];
  return Object.hasOwn(row, actor.role) ? row[actor.role] : undefined;
}

/** Whether the actor may take the action on the entity. */
export function may(actor: Actor, action: Action, entity: EntityRef): boolean {
  const scope = scopeOf(actor, action);
  return scope !== undefined && inScope(actor, scope, entity);
}

/** Throws ForbiddenError, in Chinese, naming who, what and where, unless the actor may. */
export function authorize(actor: Actor, action: Action, entity: EntityRef): void {
  if (may(actor, action, entity)) return;
  const scope = scopeOf(actor, action);
  const who = `${actor.name}（${roleLabels[actor.role]}）`;
  throw new ForbiddenError(
    actor,
    action,
    scope === undefined ? `${who}无权${actionLabels[action]}` : `${who}只能对本${scope === 'township' ? '乡镇' : '村'}${actionLabels[action]}，不能对${describeEntity(entity)}${actionLabels[action]}`,
  );
}

/**
 * A duty is closed by its responsible post (or the person named on it), by a post its kind also
 * allows (the first secretary records the village's flag-raising), or by the organization
 * department; a township official closes a duty of their township's own posts; a village's
 * officials only their own post's duties.
 */
export function mayFulfil(actor: Actor, entity: EntityRef, duty: Pick<ObligationView, 'kind' | 'responsible'>): boolean {
  if (!may(actor, 'duty.fulfil', entity)) return false;
  if (actor.role === 'org-department-staff' || actor.role === 'org-department-head') return true;
  const responsible = duty.responsible;
  if ('people' in responsible) return responsible.people.includes(actor.id);
  if (actor.role === 'township-party-secretary' || actor.role === 'organization-officer') {
    return responsible.role === 'township-party-secretary' || responsible.role === 'organization-officer';
  }
  return responsible.role === actor.role || (kindSpecs[duty.kind].alsoBy?.includes(actor.role) ?? false);
}
