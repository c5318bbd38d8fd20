/**
 * Consequences: functions from dated events to dated consequences, each with its clause
 * (docs/obligations.md). The ledger answers who is ineligible for awards in a
 * year and who is blocked from promotion on a date.
 */
import { addDays, addMonths, makeDate, yearOf, type LocalDate } from './calendar';

export type ConsequenceKind =
  | 'award-ineligible'
  | 'promotion-blocked'
  | 'paired-leader-promotion-blocked'
  | 'work-team-continues'
  | 'village-secretary-removable';

/** Each kind as officials name it (the ledger workbook, the figures). */
export const consequenceKindLabels: Record<ConsequenceKind, string> = {
  'award-ineligible': '不得评先选优',
  'promotion-blocked': '不得提拔使用',
  'paired-leader-promotion-blocked': '联建部门主要领导不得晋升重用',
  'work-team-continues': '继续下派工作组帮助工作',
  'village-secretary-removable': '村党组织书记可免职',
};

export interface Consequence {
  readonly kind: ConsequenceKind;
  /** Whom it concerns: a person, a paired department (its principal leader) or a village. */
  readonly subject:
    | { readonly type: 'person'; readonly id: string }
    | { readonly type: 'department'; readonly code: string }
    | { readonly type: 'village'; readonly code: string };
  readonly from: LocalDate;
  /** Last day in force, inclusive; absent while it lasts until lifted. */
  readonly until?: LocalDate;
  readonly clause: string;
  /** For officials, in Chinese. */
  readonly reason: string;
  /** The case or event behind it. */
  readonly cause: string;
}

export interface InquiryOrTalk {
  readonly type: 'inquiry' | 'talk';
  readonly person: string;
  readonly date: LocalDate;
  readonly caseId: string;
}

/** 六(四): whoever received an inquiry letter or a talk is not eligible for awards that calendar year. */
export function awardIneligibility(events: readonly InquiryOrTalk[]): Consequence[] {
  return events.map((e) => {
    const y = yearOf(e.date);
    return {
      kind: 'award-ineligible',
      subject: { type: 'person', id: e.person },
      from: makeDate(y, 1, 1),
      until: makeDate(y, 12, 31),
      clause: '六(四)',
      reason: `${e.date}被${e.type === 'inquiry' ? '函询' : '约谈'}，${y}年度不得评先选优`,
      cause: e.caseId,
    };
  });
}

/**
 * The day a consequence arose: the letter's or talk's day for an award ineligibility (in force
 * from the year's first day, but it arose with the event its reason dates), otherwise its first day.
 */
export function arisenOn(c: Consequence): LocalDate {
  if (c.kind === 'award-ineligible') {
    const day = c.reason.slice(0, 10);
    if (/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  }
  return c.from;
}

export interface AccountabilityDecision {
  readonly person: string;
  readonly date: LocalDate;
  readonly caseId: string;
  /** What the person was held accountable for, e.g. 确定整顿对象时弄虚作假 (六(五)). */
  readonly ground: string;
}

/** 六(五): whoever is held accountable may not be promoted for two years. */
export function promotionBlocks(decisions: readonly AccountabilityDecision[]): Consequence[] {
  return decisions.map((d) => ({
    kind: 'promotion-blocked',
    subject: { type: 'person', id: d.person },
    from: d.date,
    until: addDays(addMonths(d.date, 24), -1),
    clause: '六(五)',
    reason: `${d.date}因${d.ground}被问责，两年内不得提拔使用`,
    cause: d.caseId,
  }));
}

/**
 * 六(五) "严格问责": each ground of the text with the sanction it names and the posts it names.
 * "对确定整顿对象时弄虚作假、隐瞒实情的，免去组织干事职务。对不带头履行整顿软弱涣散工作职责、不敢动真碰硬的
 * 乡镇党政主要领导予以撤职。对整顿工作不力的，给予乡镇有关领导党纪处分。对违反政治纪律，在维稳和民族宗教政策
 * 方面态度暧昧，甚至发表不当言论的党员干部，严肃追究党纪责任或法律责任。凡被问责的，两年内不得提拔使用。"
 * `other` is any other accountability the county decides, with its reason in words.
 */
export const accountabilityGrounds = {
  'false-designation': { ground: '确定整顿对象时弄虚作假、隐瞒实情', sanction: '免去组织干事职务', posts: ['organization-officer'] },
  'not-leading': { ground: '不带头履行整顿软弱涣散工作职责、不敢动真碰硬', sanction: '撤职', posts: ['township-party-secretary'] },
  ineffective: { ground: '整顿工作不力', sanction: '党纪处分', posts: ['township-party-secretary', 'organization-officer', 'township-liaison'] },
  'political-discipline': { ground: '违反政治纪律，在维稳和民族宗教政策方面态度暧昧，甚至发表不当言论', sanction: '追究党纪责任或法律责任', posts: undefined },
  other: { ground: undefined, sanction: undefined, posts: undefined },
} as const satisfies Record<string, { ground: string | undefined; sanction: string | undefined; posts: readonly string[] | undefined }>;
export type AccountabilityGround = keyof typeof accountabilityGrounds;

/** An accountability decision the county took (六(五)), as the department records it. */
export interface Accountability {
  readonly person: string;
  readonly ground: AccountabilityGround;
  /** The day of the decision: the two years run from it. */
  readonly decidedOn: LocalDate;
  /** The decision's document number as issued (云组发〔2019〕3号). */
  readonly docNumber: string;
  /** For `other` (and to add to a ground of the text): what the person was held accountable for, and the sanction. */
  readonly reason?: string;
  readonly sanction?: string;
  /** For a designation made falsely: the target whose designation it was. */
  readonly village?: string;
}

/** 六(五): a recorded accountability decision blocks the person's promotion for two years from its date. */
export function accountabilityBlock(a: Accountability): Consequence {
  const g = accountabilityGrounds[a.ground];
  const ground = [g.ground, a.reason].filter(Boolean).join('；');
  const sanction = a.sanction ?? g.sanction ?? '问责';
  return {
    kind: 'promotion-blocked',
    subject: { type: 'person', id: a.person },
    from: a.decidedOn,
    until: addDays(addMonths(a.decidedOn, 24), -1),
    clause: '六(五)',
    reason: `${a.decidedOn}因${ground}${a.village ? `（${a.village}）` : ''}被问责（${sanction}，${a.docNumber}），两年内不得提拔使用`,
    cause: a.docNumber,
  };
}

export interface AcceptanceResult {
  readonly year: number;
  readonly date: LocalDate;
  readonly transformed: boolean;
  /** No result was recorded by the end of the year: counted as not transformed (五(四)). */
  readonly implied?: boolean;
}

/**
 * The acceptance results of a target as of a day: those recorded, and for every year whose late
 * November evaluation was owed and has ended without a recorded result, an implied "not
 * transformed" dated the year's last day, so that a county which records nothing still meets
 * 五(四). `owed` says which years' evaluations were owed.
 */
export function acceptanceResults(recorded: readonly AcceptanceResult[], owed: readonly number[], today: LocalDate): AcceptanceResult[] {
  const out = [...recorded];
  for (const year of owed) {
    if (makeDate(year, 12, 31) >= today || recorded.some((r) => r.year === year)) continue;
    out.push({ year, date: makeDate(year, 12, 31), transformed: false, implied: true });
  }
  return out.sort((a, b) => a.year - b.year);
}

/**
 * 五(四) "连续三年未整顿转化": the days blocks begin, each the third consecutive failed (or
 * unrecorded) acceptance of a run of failures.
 */
export function consecutiveFailureStarts(results: readonly AcceptanceResult[]): LocalDate[] {
  const starts: LocalDate[] = [];
  let streak = 0;
  let previousYear: number | undefined;
  for (const r of [...results].sort((a, b) => a.year - b.year)) {
    if (r.transformed) streak = 0;
    else {
      streak = previousYear !== undefined && r.year === previousYear + 1 ? streak + 1 : 1;
      if (streak === 3) starts.push(r.date);
    }
    previousYear = r.year;
  }
  return starts;
}

/**
 * 五(四): a target not transformed in three consecutive acceptances keeps its work team until it
 * is transformed ("继续下派…工作组帮助工作，直至转化"), and its paired department's principal
 * leader may not be promoted ("联建部门主要领导不得晋升重用"): the person in that post when the third
 * failure was recorded (`leaders`, by the block's first day; null when nobody held it: the
 * department is named instead). The text lifts nothing: the block stands after a transformation
 * unless the county's policy lifts it then (`liftOnTransformation`). A block whose leader is not
 * yet known is left out until it is.
 */
export function pairedDepartmentConsequences(
  target: {
    readonly village: string;
    readonly pairedDepartment?: string;
    readonly caseId: string;
    readonly leaders?: Readonly<Record<string, string | null>>;
    readonly liftOnTransformation?: boolean;
  },
  results: readonly AcceptanceResult[],
): Consequence[] {
  const sorted = [...results].sort((a, b) => a.year - b.year);
  const out: Consequence[] = [];
  let streak = 0;
  let previousYear: number | undefined;
  let openFrom: LocalDate | undefined;
  const close = (until: LocalDate | undefined): void => {
    if (openFrom === undefined) return;
    const span = until === undefined ? {} : { until };
    out.push({
      kind: 'work-team-continues',
      subject: { type: 'village', code: target.village },
      from: openFrom,
      ...span,
      clause: '五(四)',
      reason: '连续三年未整顿转化，继续下派工作组帮助工作，直至转化',
      cause: target.caseId,
    });
    const leader = target.leaders?.[openFrom];
    if (target.pairedDepartment && leader !== undefined) {
      out.push({
        kind: 'paired-leader-promotion-blocked',
        subject: leader === null ? { type: 'department', code: target.pairedDepartment } : { type: 'person', id: leader },
        from: openFrom,
        ...(target.liftOnTransformation ? span : {}),
        clause: '五(四)',
        reason: '联建的软弱涣散基层党组织连续三年未整顿转化，联建部门主要领导不得晋升重用',
        cause: target.caseId,
      });
    }
    openFrom = undefined;
  };
  for (const r of sorted) {
    if (r.transformed) {
      close(addDays(r.date, -1));
      streak = 0;
    } else {
      streak = previousYear !== undefined && r.year === previousYear + 1 ? streak + 1 : 1;
      if (streak >= 3 && openFrom === undefined) openFrom = r.date;
    }
    previousYear = r.year;
  }
  close(undefined);
  return out;
}

/**
 * 四(五)15: where 三会一课 has not been held for six months or more, the higher party committee may
 * remove the village party secretary. Gaps are measured from the start of rectification (or the
 * previous session) to the next session, or to `asOf` when none followed.
 */
export function removability(
  village: string,
  start: LocalDate,
  sessions: readonly LocalDate[],
  asOf: LocalDate,
): Consequence[] {
  const points = [...sessions].filter((s) => s >= start && s <= asOf).sort();
  const out: Consequence[] = [];
  let previous = start;
  for (const next of [...points, undefined]) {
    const reached = addMonths(previous, 6);
    const end = next ?? asOf;
    if (reached <= end) {
      out.push({
        kind: 'village-secretary-removable',
        subject: { type: 'village', code: village },
        from: reached,
        ...(next ? { until: addDays(next, -1) } : {}),
        clause: '四(五)15',
        reason: `自${previous}起半年以上未落实“三会一课”制度，上级党委可对村党组织书记做免职处理`,
        cause: `${village}/three-meetings-one-lesson/${previous}`,
      });
    }
    if (next) previous = next;
  }
  return out;
}

function inForce(c: Consequence, date: LocalDate): boolean {
  return c.from <= date && (c.until === undefined || date <= c.until);
}

/** Who may not be put forward for awards in year Y, with the clause and case behind each entry. */
export function ineligibleForAwards(ledger: readonly Consequence[], year: number): Consequence[] {
  return ledger.filter((c) => c.kind === 'award-ineligible' && yearOf(c.from) === year);
}

/** Who is blocked from promotion on a date: persons (六(五)) and paired departments' leaders (五(四)). */
export function blockedFromPromotion(ledger: readonly Consequence[], date: LocalDate): Consequence[] {
  return ledger.filter((c) => (c.kind === 'promotion-blocked' || c.kind === 'paired-leader-promotion-blocked') && inForce(c, date));
}
