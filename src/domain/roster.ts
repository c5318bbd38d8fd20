/**
 * The county roster: townships, villages, people and their posts, designations. Pure validation;
 * reading the file is the activities' business. Every problem is reported with its path.
 */
import { ONE_LINE } from './text';
import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import './messages';
import { addMonths, localDateSchema, type LocalDate } from './calendar';
import { byCode, grouped } from './lookup';
import { admissionsSchema, checkDesignation, designationSchema, orgTypes, yearlyRatingSchema, type OrgType } from './criteria';

export const roles = [
  'township-party-secretary',
  'organization-officer',
  'township-liaison',
  'village-contact-cadre',
  'party-building-instructor',
  'first-secretary',
  'village-party-secretary',
  'village-committee-member',
  'county-leader',
  'paired-department-leader',
  'joint-meeting-member',
  'org-department-staff',
  'org-department-head',
  'operator',
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  'township-party-secretary': '乡镇党委书记',
  'organization-officer': '组织干事',
  'township-liaison': '包村领导',
  'village-contact-cadre': '包村干部',
  'party-building-instructor': '党建指导员',
  'first-secretary': '第一书记',
  'village-party-secretary': '村党组织书记',
  'village-committee-member': '村党组织班子成员',
  'county-leader': '联系点县委领导',
  'paired-department-leader': '联建部门主要领导',
  'joint-meeting-member': '联席会成员单位负责人',
  'org-department-staff': '县委组织部',
  'org-department-head': '县委组织部部长',
  'operator': '系统运维人员',
};

/** Which place each post belongs to. */
const roleScope: Record<Role, 'county' | 'township' | 'village' | 'department'> = {
  'township-party-secretary': 'township',
  'organization-officer': 'township',
  'township-liaison': 'village',
  // 五(三) "包村领导和包村干部"; 六(二) "村工作组组长作为整顿工作党建指导员".
  'village-contact-cadre': 'village',
  'party-building-instructor': 'village',
  'first-secretary': 'village',
  'village-party-secretary': 'village',
  // 四(一)5 "对村…党组织书记、班子成员进行培训不少于7天": the members of the village's Party committee.
  'village-committee-member': 'village',
  'county-leader': 'village',
  'paired-department-leader': 'department',
  // 四(一)4: a department of the quarterly 联席会 (工青妇、武装、民政等部门), one post per department.
  'joint-meeting-member': 'department',
  'org-department-staff': 'county',
  'org-department-head': 'county',
  operator: 'county',
};

const code = lazySchema(() => z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, '编码为1–40个字母、数字、_或-'));
/**
 * A name as letters and documents print it: one line, no control characters, nothing that turns
 * the direction of the text (U+202A–U+202E, U+2066–U+2069).
 */
const name = lazySchema(() => z
  .string()
  .trim()
  .min(1, '须填写名称')
  .max(100, '名称最多100个字')
  .regex(ONE_LINE, '名称不能含换行、控制字符或文字方向控制符'));

const personSchema = lazySchema(() => z.object({
  id: code,
  name,
  email: z.email('应为电子邮件地址').regex(ONE_LINE, '邮箱不能含换行、控制字符或文字方向控制符'),
  role: z.enum(roles),
  township: code.optional(),
  village: code.optional(),
  department: code.optional(),
  /** Date the person took up the post; of several holders the latest takes the reminders (六(一): 继任领导干部接着抓). */
  since: localDateSchema.optional(),
  /** A county leader's contact point has an A and a B post (六(一) "按照AB岗要求确定联系点"): both get its lines. Absent: A. */
  slot: z.enum(['A', 'B'], { error: '应为A或B（联系点AB岗）' }).optional(),
  /** 六(一) "班子调整后，继任领导干部接着抓": the county leader whose contact point this one takes over (roster id). */
  succeeds: code.optional(),
}));
export type Person = z.infer<typeof personSchema>;

export const rosterSchema = lazySchema(() => z
  .object({
    county: z.object({
      code,
      name,
      /**
       * The county's own work plan as its documents cite it: the title as issued (default: the
       * county's name and the plan's usual title), its 文号 and the date it was issued, when known.
       */
      plan: z
        .object({
          title: z.string().trim().min(4, '方案标题不能为空').max(100, '方案标题不超过100字'),
          docNumber: z.string().trim().regex(/^\S+〔\d{4}〕\d+号$/, '文号应如“云委办发〔2018〕21号”').optional(),
          issuedOn: localDateSchema.optional(),
        })
        .optional(),
      /** The department's letters' 文号 prefix (发文字号的机关代字), e.g. 云组函; default: the county's first character and 组函. */
      letterPrefix: z.string().trim().regex(/^[\u4e00-\u9fff]{1,8}$/, '发文机关代字应为1到8个汉字，如“云组函”').optional(),
      /** The organization department the county reports up to (the department's 情况报告 is addressed to it), e.g. 中共云州市委组织部; default 市委组织部. */
      superior: z.string().trim().regex(/^[\u4e00-\u9fff（）()]{2,30}$/, '上级组织部门应为2到30个汉字，如“中共云州市委组织部”').optional(),
    }),
    /** The programme's start; a designation before it lies outside any cycle. */
    programmeStart: localDateSchema.default('2018-01-01'),
    townships: z.array(z.object({ code, name })).min(1),
    villages: z.array(
      z.object({ code, name, township: code, orgType: z.enum(orgTypes).default('village') }),
    ),
    departments: z.array(z.object({ code, name })).default([]),
    people: z.array(personSchema),
    designations: z.array(designationSchema).default([]),
    /** Yearly star ratings of villages (星级化, 三(六)). */
    ratings: z.array(yearlyRatingSchema).default([]),
    /** Party members admitted per village and year (三(二)). */
    admissions: z.array(admissionsSchema).default([]),
  })
  .superRefine((r, ctx) => {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    const unique = (list: { code: string }[], name: string): Set<string> => {
      const seen = new Set<string>();
      list.forEach((x, i) => {
        if (seen.has(x.code)) issue([name, i, 'code'], `编码${x.code}重复`);
        seen.add(x.code);
      });
      return seen;
    };
    const townships = unique(r.townships, 'townships');
    const villages = unique(r.villages, 'villages');
    const departments = unique(r.departments, 'departments');
    const orgTypeOf = new Map<string, OrgType>(r.villages.map((v) => [v.code, v.orgType]));

    r.villages.forEach((v, i) => {
      if (!townships.has(v.township)) issue(['villages', i, 'township'], `没有编码为${v.township}的乡镇`);
    });

    const ids = new Set<string>();
    r.people.forEach((p, i) => {
      if (ids.has(p.id)) issue(['people', i, 'id'], `人员编号${p.id}重复`);
      ids.add(p.id);
      const scope = roleScope[p.role];
      if (scope === 'township' && !p.township) issue(['people', i, 'township'], `${roleLabels[p.role]}是乡镇职务：须填写所在乡镇`);
      if (scope === 'village' && !p.village) issue(['people', i, 'village'], `${roleLabels[p.role]}是村级职务：须填写所在村`);
      if (scope === 'department' && !p.department) issue(['people', i, 'department'], `${roleLabels[p.role]}是部门职务：须填写所在部门`);
      if (p.township && !townships.has(p.township)) issue(['people', i, 'township'], `没有编码为${p.township}的乡镇`);
      if (p.village && !villages.has(p.village)) issue(['people', i, 'village'], `没有编码为${p.village}的村`);
      if (p.department && !departments.has(p.department)) issue(['people', i, 'department'], `没有编码为${p.department}的部门`);
      if (p.slot && p.role !== 'county-leader') issue(['people', i, 'slot'], `AB岗只适用于联系点县委领导，${roleLabels[p.role]}不填`);
      if (p.succeeds && p.role !== 'county-leader') issue(['people', i, 'succeeds'], `“接替”只适用于联系点县委领导，${roleLabels[p.role]}不填`);
    });

    r.designations.forEach((d, i) => {
      const orgType = orgTypeOf.get(d.village);
      if (!orgType) {
        issue(['designations', i, 'village'], `没有编码为${d.village}的村`);
        return;
      }
      if (d.date < r.programmeStart) {
        issue(['designations', i, 'date'], `${d.date}早于整顿工作开始日期（${r.programmeStart}），不在任何整顿周期内`);
      }
      if (d.pairedDepartment && !departments.has(d.pairedDepartment)) {
        issue(['designations', i, 'pairedDepartment'], `没有编码为${d.pairedDepartment}的联建部门`);
      }
      for (const problem of checkDesignation(d, orgType)) issue(['designations', i, ...problem.path], problem.message);
    });
    const yearly = (list: readonly { village: string; year: number }[], name: string, what: string): void => {
      const seen = new Set<string>();
      list.forEach((x, i) => {
        if (!villages.has(x.village)) issue([name, i, 'village'], `没有编码为${x.village}的村`);
        const key = `${x.village}/${x.year}`;
        if (seen.has(key)) issue([name, i, 'year'], `${x.village}的${x.year}年${what}重复`);
        seen.add(key);
      });
    };
    yearly(r.ratings, 'ratings', '星级评定');
    yearly(r.admissions, 'admissions', '发展党员记录');
    // One open designation per village at a time.
    const open = new Map<string, number>();
    r.designations.forEach((d, i) => {
      if (d.withdrawnOn || d.transformedOn) return;
      const other = open.get(d.village);
      if (other !== undefined) issue(['designations', i, 'village'], `${d.village}已有一个未结束的认定（designations[${other}]）`);
      open.set(d.village, i);
    });
  }));

export type RosterInput = z.input<typeof rosterSchema>;
export type Roster = z.infer<typeof rosterSchema>;

export interface RosterIssue {
  /** e.g. designations[2].criteria[0].evidence */
  readonly path: string;
  readonly message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');
}

export type RosterResult = { ok: true; roster: Roster } | { ok: false; issues: RosterIssue[] };

export function parseRoster(input: unknown): RosterResult {
  const r = rosterSchema.safeParse(input);
  if (r.success) return { ok: true, roster: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: formatPath(i.path) || '(root)', message: i.message })) };
}

// ---------------------------------------------------------------------------------------------
// Look-ups

/**
 * The people holding a post in a place, newest first by `since`: when a post changes hands the
 * successor takes over the duty (六(一), AB岗), and reminders resolve the holder when they are sent.
 */
/**
 * Posts the ladders and documents need and the roster leaves empty: the organization department's
 * head and staff (the county's red warnings, urging digests, letters and their review), and the
 * party secretary and organization officer of every township with a target under rectification
 * (its reports, notices and letters). Without them those mails would go to nobody, unnoticed.
 */
export function missingPosts(roster: Roster): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const role of ['org-department-head', 'org-department-staff'] as const) {
    if (holders(roster, role).length === 0) out.push({ path: 'people', message: `名册中没有${roleLabels[role]}（${role}）：县的逾期通知、红色预警、督办和函询将无人接收` });
  }
  const townshipsWithTargets = new Set(
    roster.designations.filter((d) => !d.withdrawnOn && !d.transformedOn).map((d) => roster.villages.find((v) => v.code === d.village)?.township).filter((t): t is string => t !== undefined),
  );
  for (const t of roster.townships) {
    if (!townshipsWithTargets.has(t.code)) continue;
    for (const role of ['township-party-secretary', 'organization-officer'] as const) {
      if (holders(roster, role, { township: t.code }).length === 0) out.push({ path: 'people', message: `${t.name}（${t.code}）有整顿对象，名册中没有其${roleLabels[role]}（${role}）：该乡镇的事项和函询将无人接收` });
    }
  }
  return out;
}

export function holders(roster: Roster, role: Role, place: { township?: string; village?: string; department?: string } = {}): Person[] {
  // Only the people of the role (and of the village or township asked for) are looked at.
  const pool =
    place.village !== undefined
      ? grouped(roster.people, 'role+village', (p) => (p.village === undefined ? undefined : `${p.role}>${p.village}`)).get(`${role}>${place.village}`)
      : place.township !== undefined
        ? grouped(roster.people, 'role+township', (p) => (p.township === undefined ? undefined : `${p.role}>${p.township}`)).get(`${role}>${place.township}`)
        : grouped(roster.people, 'role', (p) => p.role).get(role);
  return (pool ?? [])
    .filter(
      (p) =>
        p.role === role &&
        (place.township === undefined || p.township === place.township) &&
        (place.village === undefined || p.village === place.village) &&
        (place.department === undefined || p.department === place.department),
    )
    .sort((a, b) => (b.since ?? '').localeCompare(a.since ?? ''));
}

/** The newest holder of a department post in each department that has one (the 联席会's member departments, 四(一)4). */
export function departmentHolders(roster: Roster, role: Role): Person[] {
  const seen = new Set<string>();
  return holders(roster, role).filter((p) => {
    const key = p.department ?? p.id;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function townshipOfVillage(roster: Roster, village: string): string {
  const v = byCode(roster.villages, village);
  if (!v) throw new RangeError(`unknown village ${village}`);
  return v.township;
}

/** A problem of a roster against the one before it: where, and what, in Chinese. */
export interface RosterChangeIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * 六(一) "县委班子成员要联系1个乡镇和1个整顿重点村(社区)，一定三年不变" and 六(一) "班子调整后，继任领导干部接着抓":
 * a county leader's contact point (township and key village) does not change within three years
 * of their taking it up (`since`, else the programme's start), nor goes without a holder; a
 * leader who leaves or moves is replaced by a successor who names them (`succeeds`) and holds
 * the same contact point. Compares the roster about to be used with the one in use.
 */
export function contactLinkChanges(previous: Roster, next: Roster, today: LocalDate): RosterChangeIssue[] {
  const issues: RosterChangeIssue[] = [];
  const place = (p: Pick<Person, 'township' | 'village'>): string =>
    [previous.townships.find((t) => t.code === p.township)?.name ?? p.township, p.village ? (previous.villages.find((v) => v.code === p.village)?.name ?? p.village) : ''].filter(Boolean).join('');
  previous.people.forEach((p) => {
    if (p.role !== 'county-leader' || !p.township) return;
    const since = p.since ?? previous.programmeStart;
    if (addMonths(since, 36) <= today) return; // three years held: the link may change
    const now = next.people.findIndex((q) => q.id === p.id);
    const same = now >= 0 && next.people[now]!.role === 'county-leader' && next.people[now]!.township === p.township && next.people[now]!.village === p.village;
    if (same) return;
    const successor = next.people.some((q) => q.succeeds === p.id && q.role === 'county-leader' && q.township === p.township && q.village === p.village);
    if (successor) return;
    issues.push({
      path: now >= 0 ? `people.${now}` : 'people',
      message: `${p.name}（${p.id}）的联系点${place(p)}自${since}起未满三年，不能${now >= 0 ? '改变' : '空缺'}（六(一)“一定三年不变”）；班子调整的，请为继任者填写“接替：${p.id}”并联系同一乡镇和村`,
    });
  });
  return issues;
}
/**
 * The cadres of a village who owe the yearly training days (四(一)5 "对村…党组织书记、班子成员进行培训不少于7天"):
 * its party secretary (the newest holder) and the members of its Party committee.
 */
export function villageCadres(roster: Pick<Roster, 'people'>, village: string): Person[] {
  const secretary = holders(roster as Roster, 'village-party-secretary', { village })[0];
  return [...(secretary ? [secretary] : []), ...roster.people.filter((p) => p.role === 'village-committee-member' && p.village === village)];
}

/** The village (with its township) of which a person is one of the cadres that owe training days; undefined for anyone else. */
export function cadreVillage(roster: Pick<Roster, 'people' | 'villages'>, personId: string): Roster['villages'][number] | undefined {
  const p = roster.people.find((x) => x.id === personId);
  const village = p?.village ? roster.villages.find((v) => v.code === p.village) : undefined;
  return village && villageCadres(roster, village.code).some((c) => c.id === personId) ? village : undefined;
}

/** Why a person is not one of the cadres that owe training days, for a field's message. */
export function notACadre(roster: Pick<Roster, 'people'>, personId: string, where = ''): string {
  const p = roster.people.find((x) => x.id === personId);
  return p ? `${p.name}（${roleLabels[p.role]}）不是${where}村党组织书记或班子成员` : `名册中没有人员${personId}`;
}
