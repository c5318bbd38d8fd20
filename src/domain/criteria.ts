/**
 * Designation criteria (三) and the checks against falsified designation (以好充次, 以中充次).
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import './messages';
import { localDateSchema, type LocalDate } from './calendar';

/** Organization types; villages and communities are judged on six criteria, the others on five (三). */
export const orgTypes = [
  'village',
  'community',
  'agency',
  'public-institution',
  'school',
  'state-enterprise',
  'non-public-enterprise',
  'social-organization',
] as const;
export type OrgType = (typeof orgTypes)[number];

export const orgTypeLabels: Record<OrgType, string> = {
  village: '村',
  community: '社区',
  agency: '党政机关',
  'public-institution': '事业单位',
  school: '学校',
  'state-enterprise': '国有企业',
  'non-public-enterprise': '非公有制经济组织',
  'social-organization': '社会组织',
};

export type CriterionNumber = 1 | 2 | 3 | 4 | 5 | 6;

export interface Criterion {
  readonly number: CriterionNumber;
  readonly clause: string;
  readonly title: string;
  /** The situations the source lists under the criterion, in its order. */
  readonly points: readonly string[];
}

export const criteria: readonly Criterion[] = [
  {
    number: 1,
    clause: '三(一)',
    title: '党组织凝聚力战斗力不强',
    points: [
      '党组织不能发挥领导核心作用，群众公认度低，说话没人听、办事没人跟',
      '党组织书记长期缺职或不胜任现职、工作不在状态、严重影响班子整体战斗力',
      '班子维稳措施不力、发展思路不清，责任心不强，靠上级推着干',
      '班子不团结、配套组织不健全，各类组织不发挥作用，工作不能正常开展',
      '干部缺乏政治定力和政治敏锐性，在反分裂、反恐怖、反渗透斗争中不敢发声亮剑，知情不报',
      '班子成员出现严重违法违纪行为',
    ],
  },
  {
    number: 2,
    clause: '三(二)',
    title: '党员队伍先锋模范作用不明显',
    points: [
      '党员政治意识不强，存在“两面性”',
      '宗旨意识淡薄，侵害群众利益，不参加组织生活或组织生活流于形式，不发挥作用或起负作用',
      '党员、干部不服从党组织安排，安排的工作不作为或敷衍拖拉',
      '不发展年轻党员或两年以上不发展党员，不按标准、程序发展党员',
      '带头致富和带领群众致富能力弱',
    ],
  },
  {
    number: 3,
    clause: '三(三)',
    title: '运行管理不规范',
    points: [
      '各项管理运行制度不健全、不落实，村务财务管理混乱，村干部在民主管理、勤政廉政方面存在问题，被纪检、组织人事部门查实',
      '“两会两票”等民主议事决策制度流于形式，村务财务不公开、假公开',
      '群团组织不发挥作用',
      '阵地作用发挥不够',
    ],
  },
  {
    number: 4,
    clause: '三(四)',
    title: '落实维稳措施不得力',
    points: [
      '对非法宗教活动不敢管、不愿管，辖区存在“三非”和宗教极端表现，特殊群体帮教转化不力或出现反弹',
      '社会治安问题和信访矛盾纠纷集中',
      '社会管控薄弱，群防群治群控不力',
      '近年来发生过暴力恐怖案事件或有人参与暴力恐怖案事件',
      '对民族团结工作不重视，存在稳定隐忧',
    ],
  },
  {
    number: 5,
    clause: '三(五)',
    title: '干部作风不实',
    points: [
      '不履行联系服务、宣传教育群众职责，工作作风飘浮，方法简单，搞“一言堂”，沉下身子抓落实不够',
      '对复杂问题和热点问题不能“一杆子插到底”，不愿意耐心做工作',
      '想服务、会服务、能服务、提供优质服务的意识和能力欠缺',
      '自我要求不严，处事待人不能“一碗水端平”，甚至以权谋私，损害群众利益',
      '对流动人口、重点人员、问题青年等教育管理措施落实不力、效果不好',
    ],
  },
  {
    number: 6,
    clause: '三(六)',
    title: '村级组织星级考核等次较低',
    points: [
      '未按要求开展村级组织“星级化”创建工作',
      '创建效果不明显，没有取得“民族团结”、“宗教和谐”两个星',
      '维稳综治工作“一票否决”',
      '考评低于3星级（不含3星级）',
    ],
  },
];

export function criterion(n: CriterionNumber): Criterion {
  return criteria[n - 1]!;
}

/** Villages and communities: all six criteria; every other organization: the first five (三). */
export function allowedCriteria(orgType: OrgType): readonly CriterionNumber[] {
  return orgType === 'village' || orgType === 'community' ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5];
}

export const starRatingSchema = lazySchema(() => z.object({
  /** The star level from the village-organization star rating (星级化). */
  stars: z.number().int().min(0).max(5),
  ethnicUnityStar: z.boolean(),
  religiousHarmonyStar: z.boolean(),
  oneVoteVeto: z.boolean(),
}));
export type StarRating = z.infer<typeof starRatingSchema>;

/**
 * Criterion 6 (三(六)) applies when the rating is below three stars (three itself does not count),
 * either of the 民族团结 / 宗教和谐 stars is missing, or a one-vote veto was imposed.
 */
export function meetsStarCriterion(r: StarRating): boolean {
  return r.stars < 3 || !r.ethnicUnityStar || !r.religiousHarmonyStar || r.oneVoteVeto;
}

/** A ground of designation as the plan numbers it: 1 → 三(一). */
export function groundClause(criterion: number): string {
  return `三(${'一二三四五六'[criterion - 1] ?? criterion})`;
}

const criterionEntrySchema = lazySchema(() => z.object({
  criterion: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)], {
    error: '应为方案第三部分所列认定标准1–6之一',
  }),
  /** 1-based indexes into the criterion's points; optional. */
  points: z.array(z.number().int().min(1)).max(10).optional(),
  evidence: z.string().trim().min(1, '认定依据不能为空').max(2000, '认定依据最多2000个字'),
}));

/** A designation as recorded: at least one criterion, each with evidence (三). */
export const designationSchema = lazySchema(() => z.object({
  village: z.string().trim().min(1).max(40),
  date: localDateSchema,
  criteria: z.array(criterionEntrySchema).min(1, '认定至少依据一项标准').max(6),
  starRating: starRatingSchema.optional(),
  pairedDepartment: z.string().trim().min(1).max(40).optional(),
  /** Set when the acceptance found the target transformed (转化提升). */
  transformedOn: localDateSchema.optional(),
  withdrawnOn: localDateSchema.optional(),
  withdrawalReason: z.string().trim().min(1).max(1000).optional(),
}));
export type Designation = z.infer<typeof designationSchema>;

export interface DesignationIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** 三(六) point 1: the village has not carried out the star-rating work at all, so it has no rating. */
const NO_STAR_RATING_WORK = 1;

/** Rules that depend on the organization type; empty when the designation is consistent. */
export function checkDesignation(d: Designation, orgType: OrgType): DesignationIssue[] {
  const issues: DesignationIssue[] = [];
  const allowed = allowedCriteria(orgType);
  const seen = new Set<number>();
  d.criteria.forEach((entry, i) => {
    if (!allowed.includes(entry.criterion)) {
      issues.push({
        path: ['criteria', i, 'criterion'],
        message: `标准${entry.criterion}不适用于${orgTypeLabels[orgType]}党组织：只适用标准${allowed.join('、')}（三）`,
      });
    }
    if (seen.has(entry.criterion)) issues.push({ path: ['criteria', i, 'criterion'], message: `标准${entry.criterion}重复列出` });
    seen.add(entry.criterion);
    const count = criterion(entry.criterion).points.length;
    entry.points?.forEach((p, j) => {
      if (p > count) issues.push({ path: ['criteria', i, 'points', j], message: `标准${entry.criterion}只有第1–${count}项情形，没有第${p}项` });
    });
    // 三(六): a village that never did the star-rating work has no rating to cite; otherwise the
    // designation rests on the rating and must give it.
    if (entry.criterion === 6 && !entry.points?.includes(NO_STAR_RATING_WORK)) {
      if (!d.starRating) issues.push({ path: ['starRating'], message: '依据标准6认定须附星级评定结果（三(六)），未开展星级化创建的请注明第1项情形' });
      else if (!meetsStarCriterion(d.starRating)) {
        issues.push({
          path: ['starRating'],
          message: '标准6只适用于低于3星级、未取得“民族团结”“宗教和谐”星或维稳综治“一票否决”的村（三(六)）',
        });
      }
    }
  });
  if (d.transformedOn && d.transformedOn < d.date) issues.push({ path: ['transformedOn'], message: '早于认定日期' });
  if (d.withdrawnOn && d.withdrawnOn < d.date) issues.push({ path: ['withdrawnOn'], message: '早于认定日期' });
  if (d.withdrawnOn && !d.withdrawalReason) issues.push({ path: ['withdrawalReason'], message: '撤销认定须写明理由' });
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Checks against falsified designation: advice for the organization department, not rejections.

export type FlagKind = 'insubstantial-evidence' | 'even-quota' | 'redesignated-after-transformation';

/** A village's star rating of a year (星级化, 三(六), 四(一)6). */
export const yearlyRatingSchema = lazySchema(() => starRatingSchema.extend({ village: z.string().min(1), year: z.number().int().min(2000).max(2100) }));
export type YearlyRating = z.infer<typeof yearlyRatingSchema>;
/** Party members a village admitted in a year (三(二) "两年以上不发展党员"). */
export const admissionsSchema = lazySchema(() => z.object({ village: z.string().min(1), year: z.number().int().min(2000).max(2100), members: z.number().int().min(0).max(1000) }));
export type Admissions = z.infer<typeof admissionsSchema>;

export interface Candidate {
  readonly village: string;
  readonly reasons: readonly { readonly clause: string; readonly text: string }[];
}

/**
 * Villages the records suggest for designation in `year` (advice to the department, never a
 * designation): the latest rating before the year below three stars, without the 民族团结 or
 * 宗教和谐 star, or under a one-vote veto (三(六)); no party member admitted in either of the two
 * years before (三(二), both years recorded). Villages under an open designation are left out.
 */
export function designationCandidates(input: { villages: readonly { code: string }[]; designations: readonly { village: string; transformedOn?: string | undefined; withdrawnOn?: string | undefined }[]; ratings: readonly YearlyRating[]; admissions: readonly Admissions[] }, year: number): Candidate[] {
  const open = new Set(input.designations.filter((d) => !d.transformedOn && !d.withdrawnOn).map((d) => d.village));
  const out: Candidate[] = [];
  for (const v of input.villages) {
    if (open.has(v.code)) continue;
    const reasons: { clause: string; text: string }[] = [];
    const rating = input.ratings.filter((r) => r.village === v.code && r.year < year).sort((a, b) => b.year - a.year)[0];
    if (rating) {
      const parts = [
        rating.stars < 3 ? `星级化考评${rating.stars}星（低于3星）` : '',
        !rating.ethnicUnityStar ? '没有取得“民族团结”星' : '',
        !rating.religiousHarmonyStar ? '没有取得“宗教和谐”星' : '',
        rating.oneVoteVeto ? '维稳综治工作“一票否决”' : '',
      ].filter(Boolean);
      if (parts.length) reasons.push({ clause: '三(六)', text: `${rating.year}年${parts.join('，')}` });
    }
    const admitted = (y: number): number | undefined => input.admissions.find((a) => a.village === v.code && a.year === y)?.members;
    if (admitted(year - 1) === 0 && admitted(year - 2) === 0) reasons.push({ clause: '三(二)', text: `${year - 2}、${year - 1}年均未发展党员（两年以上不发展党员）` });
    if (reasons.length) out.push({ village: v.code, reasons });
  }
  return out;
}

/**
 * A target's star ratings before and after (三(六)): the rating it was designated on (or the
 * latest before its designation year), then each year's rating since, for its acceptances.
 */
export function ratingHistoryText(ratings: readonly YearlyRating[], village: string, designation: { date: string; starRating?: StarRating | undefined }): string | undefined {
  const year = Number(designation.date.slice(0, 4));
  const before = ratings.filter((r) => r.village === village && r.year < year).sort((a, b) => b.year - a.year)[0];
  const after = ratings.filter((r) => r.village === village && r.year >= year).sort((a, b) => a.year - b.year);
  const first = designation.starRating ? `认定时${ratingText(designation.starRating)}` : before ? `认定前（${before.year}年）${ratingText(before)}` : undefined;
  const parts = [...(first ? [first] : []), ...after.map((r) => `${r.year}年${ratingText(r)}`)];
  return parts.length ? `星级化考评：${parts.join(' → ')}` : undefined;
}

export function ratingText(r: StarRating): string {
  const missing = [!r.ethnicUnityStar ? '无民族团结星' : '', !r.religiousHarmonyStar ? '无宗教和谐星' : '', r.oneVoteVeto ? '一票否决' : ''].filter(Boolean);
  return `${r.stars}星${missing.length ? `（${missing.join('、')}）` : ''}`;
}

export interface DesignationFlag {
  readonly kind: FlagKind;
  readonly subject: { readonly type: 'designation'; readonly village: string; readonly date: LocalDate } | { readonly type: 'township'; readonly township: string };
  /** For officials, in Chinese. */
  readonly reason: string;
  readonly clause: string;
}

/** Placeholders that say nothing about the village. */
const PLACEHOLDERS = /^(无|暂无|没有|同上|略|见附件|详见附件|待补充|待定|n\/?a|tbd|none|-+|—+|\.+|…+)$/i;
const MIN_EVIDENCE_CHARS = 15;

function normalise(text: string): string {
  return text.replace(/[\s，。、；：,.;:!！?？“”"'‘’（）()]/g, '');
}

export interface FlagInput {
  readonly designations: readonly Designation[];
  /** Village code → township code, for all villages of the county. */
  readonly townshipOf: ReadonlyMap<string, string>;
}

/**
 * Flags designations that may hide 以好充次 / 以中充次 (二, 三, 六(五)):
 * evidence that is a placeholder, too short to say anything, the criterion's own words, or the
 * same text used for another village; townships whose designations look like an even quota;
 * a village designated again after it was found transformed.
 */
export function flagDesignations({ designations, townshipOf }: FlagInput): DesignationFlag[] {
  const flags: DesignationFlag[] = [];

  const evidenceUse = new Map<string, Set<string>>();
  for (const d of designations) {
    for (const c of d.criteria) {
      const key = normalise(c.evidence);
      if (key.length >= MIN_EVIDENCE_CHARS) evidenceUse.set(key, (evidenceUse.get(key) ?? new Set()).add(d.village));
    }
  }
  for (const d of designations) {
    const reasons: string[] = [];
    for (const c of d.criteria) {
      const text = c.evidence.trim();
      const key = normalise(text);
      const crit = criterion(c.criterion);
      if (PLACEHOLDERS.test(text) || PLACEHOLDERS.test(key)) reasons.push(`标准${c.criterion}的依据“${text}”没有实际内容`);
      else if (key === normalise(crit.title) || crit.points.some((p) => normalise(p) === key)) {
        reasons.push(`标准${c.criterion}的依据照抄认定标准原文，未写明本村具体情况`);
      } else if (key.length < MIN_EVIDENCE_CHARS) reasons.push(`标准${c.criterion}的依据过于简略（${key.length}字）`);
      else if ((evidenceUse.get(key)?.size ?? 0) > 1) {
        const others = [...(evidenceUse.get(key) ?? [])].filter((v) => v !== d.village);
        reasons.push(`标准${c.criterion}的依据与${others.join('、')}的依据完全相同`);
      }
    }
    if (reasons.length > 0) {
      flags.push({
        kind: 'insubstantial-evidence',
        subject: { type: 'designation', village: d.village, date: d.date },
        reason: `${reasons.join('；')}，请核实是否存在“以好充次”“以中充次”。`,
        clause: '三',
      });
    }
  }

  // Even quota: three or more townships, each with designations, all with the same count.
  const perTownship = new Map<string, number>();
  for (const d of designations) {
    if (d.withdrawnOn) continue;
    const t = townshipOf.get(d.village);
    if (t !== undefined) perTownship.set(t, (perTownship.get(t) ?? 0) + 1);
  }
  const counts = [...perTownship.values()];
  if (counts.length >= 3 && counts.every((n) => n === counts[0])) {
    for (const township of [...perTownship.keys()].sort()) {
      flags.push({
        kind: 'even-quota',
        subject: { type: 'township', township },
        reason: `${perTownship.size}个乡镇认定的整顿对象均为${counts[0]}个，疑似按指标平均分配，请核实是否“应定尽定”、有无“以好充次”“以中充次”。`,
        clause: '二',
      });
    }
  }

  // Designated again after a transformation.
  const byVillage = new Map<string, Designation[]>();
  for (const d of designations) byVillage.set(d.village, [...(byVillage.get(d.village) ?? []), d]);
  for (const [village, list] of byVillage) {
    const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
    for (const later of sorted) {
      const earlier = sorted.find((e) => e !== later && e.transformedOn !== undefined && e.transformedOn <= later.date);
      if (earlier) {
        flags.push({
          kind: 'redesignated-after-transformation',
          subject: { type: 'designation', village, date: later.date },
          reason: `该村已于${earlier.transformedOn}验收为转化提升，${later.date}又被认定为整顿对象，请核实此前的转化是否属实。`,
          clause: '六(五)',
        });
      }
    }
  }
  return flags;
}
