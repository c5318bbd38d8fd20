/**
 * The county's policy: every rule the product enforces that the source text leaves to the county
 * (the escalation ladders, moving deadlines off rest days, the proposal threshold, the days an
 * explanation may take, an automatic talk, dates the text does not fix), in one validated
 * document. Each rule names its basis: a clause of the text, or county practice. Mails and
 * documents quote the text only for what it says; county practice is worded as the organization
 * department's requirement (按县委组织部工作要求).
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import './messages';
import type { DeadlineRule } from './calendar';
import { obligationKinds, type LadderClass, type ObligationKind } from './kinds';
import { roles } from './roster';

/** A clause as the text numbers it (五(一), 四(一)1, 六(三)), or `county-practice`. */
export const basisSchema = lazySchema(() => z
  .string()
  .trim()
  .regex(/^(county-practice|[一二三四五六七八九十]+(\([一二三四五六七八九十]+\)\d*)?)$/, '须为方案条款（如五(一)、四(一)1）或 county-practice（县委组织部工作要求）'));
export type Basis = z.infer<typeof basisSchema>;

/** How a basis reads for officials. */
export function basisText(basis: Basis): string {
  return basis === 'county-practice' ? '县委组织部工作要求' : `《方案》${basis}`;
}

export const severities = ['reminder', 'due', 'overdue', 'red-warning'] as const;
export type Severity = (typeof severities)[number];

export const severityLabels: Record<Severity, string> = {
  reminder: '提醒',
  due: '到期提醒',
  overdue: '逾期通知',
  'red-warning': '红色预警',
};

/** `responsible` stands for whoever holds the obligation's responsible post (or its named people). */
const recipientSchema = lazySchema(() => z.union([z.literal('responsible'), z.enum(roles)]));
export type Recipient = z.infer<typeof recipientSchema>;

/** What a step's offset counts from: the due date, or the end of the half month the due date falls in (六(三)'s reporting rhythm). */
export const stepAnchors = ['due', 'half-month'] as const;
export type StepAnchor = (typeof stepAnchors)[number];

const stepSchema = lazySchema(() => z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, '只能用小写字母、数字和-'),
  severity: z.enum(severities),
  offsetWorkingDays: z.number().int().min(-30).max(60),
  /** Absent: from the due date. */
  after: z.enum(stepAnchors).optional(),
  notify: z.array(recipientSchema).min(1, '每一步至少通知一个对象').max(6),
}));

const ladderSchema = lazySchema(() => z
  .object({
    basis: basisSchema,
    steps: z.array(stepSchema).min(1, '至少一步').max(8),
  })
  .superRefine((l, ctx) => {
    const ids = new Set<string>();
    l.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `步骤id ${s.id} 重复` });
      ids.add(s.id);
      const prev = l.steps[i - 1];
      const anchor = s.after ?? 'due';
      if (prev && (prev.after ?? 'due') === 'half-month' && anchor === 'due') {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'after'], message: '从截止日起算的步骤须排在从半月末起算的步骤之前' });
      } else if (prev && (prev.after ?? 'due') === anchor && s.offsetWorkingDays <= prev.offsetWorkingDays) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'offsetWorkingDays'], message: `须晚于上一步（${prev.offsetWorkingDays}），步骤按先后排列` });
      }
      if (anchor === 'half-month' && s.severity !== 'overdue' && s.severity !== 'red-warning') {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'after'], message: '只有逾期通知和红色预警可以从半月末起算' });
      }
      if ((s.severity === 'overdue' || s.severity === 'red-warning') && s.offsetWorkingDays <= 0) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'offsetWorkingDays'], message: `${s.severity}须在截止日之后（偏移量>0）` });
      }
      if ((s.severity === 'reminder' || s.severity === 'due') && s.offsetWorkingDays > 0) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'offsetWorkingDays'], message: `${s.severity}须在截止日当天或之前（偏移量≤0）` });
      }
    });
  }));
export type Ladder = z.infer<typeof ladderSchema>;

const valueRule = <T extends z.ZodType>(value: T) => z.object({ value, basis: basisSchema });
const dayOfYear = lazySchema(() => z.object({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  basis: basisSchema,
}));

export const deadlineRules = ['next-working-day', 'last-working-day', 'on-the-day'] as const satisfies readonly DeadlineRule[];

const deadlineSchema = lazySchema(() => z.object({ rule: z.enum(deadlineRules), basis: basisSchema }));

/** The rest-day rule of kinds added after the first policy files: what a file (or a running workflow's policy) without them uses. */
const laterKinds = {
  'inspection-finding': { rule: 'next-working-day', basis: 'county-practice' },
  'assigned-task': { rule: 'next-working-day', basis: 'county-practice' },
  'plan-measure': { rule: 'last-working-day', basis: 'county-practice' },
  // 四(四)12, 四(五)17 "每月1日": the day itself, a rest day or not.
  'flag-raising': { rule: 'on-the-day', basis: '四(四)12' },
  'service-day': { rule: 'on-the-day', basis: '四(五)17' },
  'concentrated-service': { rule: 'last-working-day', basis: '四(五)17' },
  'joint-meeting': { rule: 'last-working-day', basis: '四(一)4' },
  'religious-contact': { rule: 'last-working-day', basis: '四(四)13' },
  'annual-diagnosis': { rule: 'last-working-day', basis: 'county-practice' },
  'county-course': { rule: 'last-working-day', basis: 'county-practice' },
  'member-training': { rule: 'last-working-day', basis: 'county-practice' },
} as const satisfies Partial<Record<ObligationKind, { rule: DeadlineRule; basis: string }>>;

/** Whether the county's villages keep 四(四)13's monthly religious contacts; a policy recorded before the choice existed: no. */
export function keepsReligiousContacts(policy: Pick<Policy, 'villageDuties'>): boolean {
  return (policy as Partial<Pick<Policy, 'villageDuties'>>).villageDuties?.religiousContacts.value ?? false;
}

/** A kind's rest-day rule in a policy, also for a policy recorded before the kind existed. */
export function deadlineOf(policy: Pick<Policy, 'deadlines'>, kind: ObligationKind): Policy['deadlines'][ObligationKind] {
  return (policy.deadlines as Partial<Policy['deadlines']>)[kind] ?? (laterKinds as Partial<Record<ObligationKind, Policy['deadlines'][ObligationKind]>>)[kind]!;
}

export const policySchema = lazySchema(() => z.strictObject({
  /** Which version is in force; recorded in every workflow that applies it. */
  version: z.string().trim().regex(/^[A-Za-z0-9._-]{1,40}$/, '1–40个字母、数字、. _ -'),
  /** Hour of the morning, China time, at which reminders go out. */
  morningHour: valueRule(z.number().int().min(6).max(11)),
  ladders: z.strictObject({ local: ladderSchema, county: ladderSchema, case: ladderSchema, routine: ladderSchema }),
  /**
   * 督办: an open duty past its red warning is urged again to the red warning's recipients, in one
   * digest per recipient, every so many working days, at most so many times.
   */
  urging: z.strictObject({ everyWorkingDays: z.number().int().min(1).max(30), maxTimes: z.number().int().min(0).max(20), basis: basisSchema }),
  /** Where a deadline goes when it falls on a rest day, per kind. */
  deadlines: z.strictObject({
    ...(Object.fromEntries(obligationKinds.filter((k) => !(k in laterKinds)).map((k) => [k, deadlineSchema])) as Record<Exclude<ObligationKind, keyof typeof laterKinds>, typeof deadlineSchema>),
    // Kinds added after policy files were written: a file without them takes the built-in rule.
    ...(Object.fromEntries(Object.entries(laterKinds).map(([k, v]) => [k, deadlineSchema.default(v)])) as { [K in keyof typeof laterKinds]: z.ZodDefault<typeof deadlineSchema> }),
  }),
  dates: z.strictObject({
    /** 四(一)1 asks for a yearly report without a date. */
    firstSecretaryAnnualReport: dayOfYear,
    /** 六(四) asks for a yearly evaluation without a date; due in the following year. */
    townshipSecretaryEvaluation: dayOfYear,
    /** 五(一) "次年11月下旬": the campaign is reminded to open by this day of November. */
    acceptanceCampaignOpens: dayOfYear,
    /** 五(二) "每年专题研究2次": how the two studies are placed in the year. */
    standingCommitteeStudies: z.strictObject({ placement: z.literal('one-per-half-year'), basis: basisSchema }),
    /** 五(二) "逐一进行会诊": the day of the year by which the department's 会诊 of every target is done (before the standing committee's first study). */
    annualDiagnosis: dayOfYear.default({ month: 6, day: 15, basis: 'county-practice' }),
    /** 四(一)5 asks for training days "每年" without a date: the day of the year by which the county's course and a township's training of members without post have their days (a cadre short of days is listed the next day). */
    trainingDays: dayOfYear.default({ month: 11, day: 30, basis: 'county-practice' }),
  }),
  supervision: z.strictObject({
    /** Missed or late half-monthly reports in one quarter that make a proposal of an inquiry letter. */
    lapsesPerQuarter: valueRule(z.number().int().min(1).max(6)),
    /** Working days a township has for its written explanation to an inquiry letter. */
    explanationWorkingDays: valueRule(z.number().int().min(1).max(30)),
    /** Whether a missing explanation makes a talk required without the department deciding. */
    talkAfterMissedExplanation: valueRule(z.boolean()),
    /** Working days the department has to review an explanation. */
    reviewWorkingDays: valueRule(z.number().int().min(1).max(30)),
    /** Working days within which a required talk is to be held. */
    talkWorkingDays: valueRule(z.number().int().min(1).max(60)),
  }),
  /** Duties of the plan a county decides whether its villages keep; absent in policies written before the choice existed: off. */
  villageDuties: z
    .strictObject({
      /** 四(四)13 "每月与宗教活动场所和宗教人士联系、谈话": a monthly duty of each target's party secretary. */
      religiousContacts: valueRule(z.boolean()),
    })
    .default({ religiousContacts: { value: false, basis: '四(四)13' } }),
  /**
   * The department's periodic report on the county's figures (情况报告, a draft to the
   * department on the first working day of a quarter): every quarter, every half year (the
   * reports of the second and fourth quarters), or none. County practice; absent in policies
   * written before it existed: every quarter.
   */
  reports: z
    .strictObject({ figures: valueRule(z.enum(['quarterly', 'half-yearly', 'off'])) })
    .default({ figures: { value: 'quarterly', basis: 'county-practice' } }),
  /**
   * 五(四) blocks the paired department's leader without an end; whether a later transformation
   * lifts the block is the county's practice. Absent in policies written before it existed: no.
   */
  consequences: z
    .strictObject({ pairedLeaderLiftedOnTransformation: valueRule(z.boolean()) })
    .default({ pairedLeaderLiftedOnTransformation: { value: false, basis: 'county-practice' } }),
  /**
   * 二 sets the goal of the 2018 targets ("到2019年底…100%实现转化提升"); a target designated later
   * is to be transformed by the end of this many years after its designation year (county
   * practice; absent in policies written before it existed: one).
   */
  goals: z
    .strictObject({ laterDesignationYears: valueRule(z.number().int().min(1).max(3)) })
    .default({ laterDesignationYears: { value: 1, basis: 'county-practice' } }),
}));
export type Policy = z.infer<typeof policySchema>;

/** The years after its designation year by whose end a target designated after 2018 is to be transformed; a policy recorded before the choice existed: one. */
export function goalYearsOf(policy: Pick<Policy, 'goals'>): number {
  return (policy as Partial<Pick<Policy, 'goals'>>).goals?.laterDesignationYears.value ?? 1;
}

/** Whether a transformation lifts 五(四)'s block on the paired department's leader; a policy recorded before the choice existed: no. */
export function pairedLeaderLifted(policy: Pick<Policy, 'consequences'>): boolean {
  return (policy as Partial<Pick<Policy, 'consequences'>>).consequences?.pairedLeaderLiftedOnTransformation.value ?? false;
}

/** How often the department's 情况报告 is drawn up; a policy recorded before the choice existed: every quarter. */
export function figuresReportRhythm(policy: Pick<Policy, 'reports'>): Policy['reports']['figures']['value'] {
  return (policy as Partial<Pick<Policy, 'reports'>>).reports?.figures.value ?? 'quarterly';
}

const localLadder: Ladder = {
  basis: 'county-practice',
  steps: [
    { id: 'reminder', severity: 'reminder', offsetWorkingDays: -3, notify: ['responsible'] },
    { id: 'due-day', severity: 'due', offsetWorkingDays: 0, notify: ['responsible'] },
    // 五(三), 六(二), 五(四): the target's township liaison and contact cadre, its 党建指导员 and its paired department are told of what it leaves overdue.
    { id: 'overdue', severity: 'overdue', offsetWorkingDays: 1, notify: ['responsible', 'township-party-secretary', 'township-liaison', 'village-contact-cadre', 'party-building-instructor', 'paired-department-leader'] },
    // 六(一): the county leader whose contact township or key village it is gets its red warnings.
    { id: 'red-warning', severity: 'red-warning', offsetWorkingDays: 3, notify: ['org-department-staff', 'county-leader'] },
  ],
};

/**
 * The built-in policy: the county's practice as the product shipped it. `policy/county-policy.yaml`
 * holds the same, for operators to copy and change; runs that predate policy files use this.
 * Written out as the schema reads it (every default filled in; test/domain/policy.test.ts checks
 * that parsing it gives it back), so that a workflow started without a policy does not build the
 * policy's schema and parse it (2.5 ms of every new target's first task).
 */
export function builtinPolicy(): Policy {
  return BUILTIN;
}

const BUILTIN: Policy = {
  version: 'builtin-3',
  morningHour: { value: 9, basis: 'county-practice' },
  ladders: {
    local: localLadder,
    county: {
      basis: 'county-practice',
      steps: [
        { id: 'reminder', severity: 'reminder', offsetWorkingDays: -3, notify: ['responsible'] },
        { id: 'due-day', severity: 'due', offsetWorkingDays: 0, notify: ['responsible'] },
        { id: 'overdue', severity: 'overdue', offsetWorkingDays: 1, notify: ['responsible', 'org-department-head'] },
        { id: 'red-warning', severity: 'red-warning', offsetWorkingDays: 3, notify: ['org-department-head'] },
      ],
    },
    case: {
      basis: 'county-practice',
      steps: [
        { id: 'reminder', severity: 'reminder', offsetWorkingDays: -3, notify: ['responsible'] },
        { id: 'due-day', severity: 'due', offsetWorkingDays: 0, notify: ['responsible'] },
        { id: 'overdue', severity: 'overdue', offsetWorkingDays: 1, notify: ['responsible', 'org-department-staff'] },
      ],
    },
    routine: {
      basis: 'county-practice',
      steps: [
        { id: 'due-day', severity: 'due', offsetWorkingDays: 0, notify: ['responsible'] },
        { id: 'overdue', severity: 'overdue', offsetWorkingDays: 1, after: 'half-month', notify: ['responsible', 'township-party-secretary', 'organization-officer'] },
      ],
    },
  },
  urging: { everyWorkingDays: 5, maxTimes: 6, basis: 'county-practice' },
  deadlines: {
    // The kinds added after the first policy files, with the rules a file without them gets.
    ...laterKinds,
    'rectification-plan': { rule: 'last-working-day', basis: '五(一)' },
    'acceptance-evaluation': { rule: 'last-working-day', basis: '五(一)' },
    'half-monthly-report': { rule: 'next-working-day', basis: 'county-practice' },
    'township-quarterly-study': { rule: 'last-working-day', basis: '五(三)' },
    'standing-committee-study': { rule: 'last-working-day', basis: '五(二)' },
    'first-secretary-visit': { rule: 'last-working-day', basis: '四(一)1' },
    'first-secretary-symposium': { rule: 'last-working-day', basis: '四(一)1' },
    'first-secretary-annual-report': { rule: 'last-working-day', basis: '四(一)1' },
    'village-quarterly-debriefing': { rule: 'last-working-day', basis: '四(一)3' },
    'township-secretary-evaluation': { rule: 'next-working-day', basis: 'county-practice' },
    'three-meetings-one-lesson': { rule: 'last-working-day', basis: '四(五)15' },
    'acceptance-campaign': { rule: 'next-working-day', basis: 'county-practice' },
    'written-explanation': { rule: 'next-working-day', basis: 'county-practice' },
    'explanation-review': { rule: 'next-working-day', basis: 'county-practice' },
    talk: { rule: 'next-working-day', basis: 'county-practice' },
    'inspection-finding': { rule: 'next-working-day', basis: 'county-practice' },
    'assigned-task': { rule: 'next-working-day', basis: 'county-practice' },
    'plan-measure': { rule: 'last-working-day', basis: 'county-practice' },
  },
  dates: {
    firstSecretaryAnnualReport: { month: 12, day: 31, basis: 'county-practice' },
    townshipSecretaryEvaluation: { month: 1, day: 31, basis: 'county-practice' },
    acceptanceCampaignOpens: { month: 11, day: 21, basis: '五(一)' },
    standingCommitteeStudies: { placement: 'one-per-half-year', basis: 'county-practice' },
    annualDiagnosis: { month: 6, day: 15, basis: 'county-practice' },
    trainingDays: { month: 11, day: 30, basis: 'county-practice' },
  },
  supervision: {
    lapsesPerQuarter: { value: 2, basis: 'county-practice' },
    explanationWorkingDays: { value: 10, basis: 'county-practice' },
    talkAfterMissedExplanation: { value: true, basis: 'county-practice' },
    reviewWorkingDays: { value: 5, basis: 'county-practice' },
    talkWorkingDays: { value: 10, basis: 'county-practice' },
  },
  villageDuties: {
    religiousContacts: { value: false, basis: '四(四)13' },
  },
  reports: {
    figures: { value: 'quarterly', basis: 'county-practice' },
  },
  consequences: {
    pairedLeaderLiftedOnTransformation: { value: false, basis: 'county-practice' },
  },
  goals: {
    laterDesignationYears: { value: 1, basis: 'county-practice' },
  },
};

export function ladderOf(policy: Policy, c: LadderClass): Ladder {
  return policy.ladders[c];
}

export interface PolicyIssue {
  readonly path: string;
  readonly message: string;
}

/** Validates a policy document, naming the path of every problem. */
export function parsePolicy(input: unknown): { ok: true; policy: Policy } | { ok: false; issues: PolicyIssue[] } {
  const r = policySchema.safeParse(input);
  if (r.success) return { ok: true, policy: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })) };
}
