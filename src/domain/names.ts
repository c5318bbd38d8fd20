/**
 * Names as officials read them, in one place for the mails and documents, the workbench and the
 * CLI: a township, a village with its township, a person, the issuing department, the work plan's
 * title, and China time. A code not in the roster stands for itself.
 */
import { dayOfWeek, type LocalDate } from './calendar';
import type { Consequence } from './consequences';
import { byCode, byId } from './lookup';
import type { Roster } from './roster';

type Places = Pick<Roster, 'townships' | 'villages'>;

export function townshipName(roster: Pick<Roster, 'townships'>, code: string): string {
  return byCode(roster.townships, code)?.name ?? code;
}

/** A village with its township: 柳河镇青山村. */
export function villageLabel(roster: Places, code: string): string {
  const v = byCode(roster.villages, code);
  return v ? `${townshipName(roster, v.township)}${v.name}` : code;
}

/** A person's name, or the id when the roster has nobody by it. */
export function personName(roster: Pick<Roster, 'people'>, id: string): string {
  return byId(roster.people, id)?.name ?? id;
}

/** Whom a consequence concerns: a person by name, a paired department as its principal leader, a village with its township. */
export function consequenceSubjectName(roster: Pick<Roster, 'people' | 'departments' | 'townships' | 'villages'>, subject: Consequence['subject']): string {
  if (subject.type === 'person') return personName(roster, subject.id);
  if (subject.type === 'department') return `${roster.departments.find((d) => d.code === subject.code)?.name ?? subject.code}主要领导`;
  return villageLabel(roster, subject.code);
}

/** A clause as letters print it, in full-width brackets: 六(四) → 六（四）. */
export function clauseText(clause: string): string {
  return clause.replace('(', '（').replace(')', '）');
}

/** 中共<county>委组织部 (e.g. 中共云岭县委组织部): the issuing body of letters and notices. */
export function departmentName(roster: Pick<Roster, 'county'>): string {
  return `中共${roster.county.name}委组织部`;
}

/**
 * The work plan as officials cite it: the title the county issued it under (the roster's county),
 * with its 文号 when the roster has it; never the 某县 of an anonymized copy.
 */
export function sourceDocument(roster: Pick<Roster, 'county'>): string {
  const plan = roster.county.plan;
  const title = plan?.title ?? `${roster.county.name}软弱涣散农村基层党组织整顿提升两年行动工作方案`;
  return `《${title.replace(/^《|》$/g, '')}》${plan?.docNumber ? `（${plan.docNumber}）` : ''}`;
}

/** The department's letters' 文号: 云组函〔2026〕12号 (the roster's prefix, or the county's first character and 组函). */
export function docNumberText(county: Roster['county'], n: { readonly year: number; readonly seq: number }): string {
  return `${county.letterPrefix ?? `${county.name.slice(0, 1)}组函`}〔${n.year}〕${n.seq}号`;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** An instant as China time to the minute: 2019-05-10 09:30. */
export function chinaTime(at: number | string): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** A local date or date-time as officials write it: 2019-05-10T09:30 → 2019年5月10日 09:30. */
export function chineseDate(at: string): string {
  const [date, time] = at.split('T');
  const [y, m, d] = date!.split('-').map(Number);
  return `${y}年${m}月${d}日${time ? ` ${time}` : ''}`;
}

/**
 * A case number as a letter prints it: the system's default (township, day or quarter, kind) in
 * words — LH-2026-12-06-inquiry → 柳河镇2026年12月6日函询, LH-2019-Q1-talk → 柳河镇2019年第一季度约谈 —
 * and any other number as it was given.
 */
export function caseNumberText(roster: Pick<Roster, 'townships'>, caseId: string): string {
  const m = /^([A-Za-z0-9_]+)-(\d{4}-\d{2}-\d{2}|\d{4}-Q[1-4])-(inquiry|talk)$/.exec(caseId);
  if (!m || !roster.townships.some((t) => t.code === m[1])) return caseId;
  const [, township, when, kind] = m as unknown as [string, string, string, 'inquiry' | 'talk'];
  const q = /^(\d{4})-Q([1-4])$/.exec(when);
  const period = q ? `${q[1]}年第${'一二三四'[Number(q[2]) - 1]}季度` : chineseDate(when);
  return `${townshipName(roster, township)}${period}${kind === 'talk' ? '约谈' : '函询'}`;
}

/** A workflow's record names people by roster id (约谈人：zzb-head): officials read their names. */
export function namesInText(roster: Pick<Roster, 'people'>, text: string): string {
  return text.replace(/(?<![A-Za-z0-9-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![A-Za-z0-9-])/g, (id) => personName(roster, id));
}

/** A line of an entity's record as officials read it: China time, the text with names, who. */
export function historyLine(roster: Pick<Roster, 'people'>, h: { readonly at: string; readonly text: string; readonly by?: string }): string {
  return `${chinaTime(h.at)}　${namesInText(roster, h.text)}${h.by ? `（${personName(roster, h.by)}）` : ''}`;
}

/** The day of the week of a date: 星期日 … 星期六. */
export function weekdayName(date: LocalDate): string {
  return `星期${'日一二三四五六'[dayOfWeek(date)]}`;
}

/** A count of times as officials write it: 两次, 三次, …, 11次 (the county's threshold; two when unset). */
export function timesText(n: number | undefined): string {
  const k = n ?? 2;
  return `${['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'][k] ?? String(k)}次`;
}
