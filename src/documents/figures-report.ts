/**
 * The department's periodic report (情况报告) on where the county stands against its work plan:
 * "关于全县软弱涣散村党组织整顿提升工作进展情况的报告（送审稿）", drawn up on the first working day of a
 * quarter for the quarter before (and on demand), addressed to the organization department above
 * the county (the plan was made on its notice), as a draft the county's department decides on.
 *
 * What it says, each from the figures (./figures.ts) and the entities' own views:
 * - 二's goal per designation year: targets, transformed, not yet;
 * - the quarter's half-monthly reports by township (六(三)), overdue duties, letters and talks (六(四));
 * - the townships behind, with what is overdue;
 * - the targets behind schedule (a plan past its deadline, an acceptance not transformed);
 * - the consequences that began in the quarter (六(四), 六(五), 五(四)), and those in force;
 * - the duties of the year by kind: opened, closed on time or late, waived, missed, overdue.
 */
import { stageLabels } from '../contracts/village';
import type { BulletinFacts } from '../contracts/mail';
import { addDays, localDateOf, periodById, periodOf, type LocalDate } from '../domain/calendar';
import { arisenOn, consequenceKindLabels, type Consequence } from '../domain/consequences';
import { chineseDate, clauseText, consequenceSubjectName, departmentName, sourceDocument, townshipName, villageLabel } from '../domain/names';
import type { Roster } from '../domain/roster';
import { bulletinFacts } from './bulletin';
import { computeFigures, type Figures, type FiguresInput } from './figures';
import type { LetterBlock, LetterDocument } from './official-letter';

/** A quarter's id (2019-Q2): its first and last day. */
export function quarterDays(quarter: string): { first: LocalDate; last: LocalDate } {
  const p = periodById(quarter);
  return { first: p.start, last: p.end };
}

/** 2019-Q2 → 2019年第二季度 (the period's own label). */
export function quarterText(quarter: string): string {
  return periodById(quarter).label;
}

/** The quarter before the one a day falls in: the quarter a report drawn up that day covers. */
export function quarterBefore(day: LocalDate): string {
  return periodOf('quarter', addDays(periodOf('quarter', day).start, -1)).id;
}

export interface FiguresReportFacts {
  /** The quarter reported on (2019-Q2), and the day the draft is drawn up. */
  readonly quarter: string;
  readonly date: LocalDate;
  /** As of the quarter's last day (or `date`, when earlier). */
  readonly figures: Figures;
  /** Overdue duties by township, and targets behind schedule, as of `date` (the bulletin's lists). */
  readonly overdue: BulletinFacts['overdue'];
  readonly behind: BulletinFacts['behind'];
  /** Consequences that began within the quarter. */
  readonly began: readonly Consequence[];
  /** Targets and townships whose records could not be read. */
  readonly unread?: readonly string[];
}

/** Whom a consequence concerns, a township official with the township: 柳河镇陈卫东. */
function subjectText(roster: Roster, c: Consequence): string {
  const person = c.subject.type === 'person' ? roster.people.find((x) => x.id === (c.subject as { id: string }).id) : undefined;
  return `${person?.township ? townshipName(roster, person.township) : ''}${consequenceSubjectName(roster, c.subject)}`;
}

/** The report as a document in the department's name: a draft, no 文号 until it is issued. */
export function figuresReportLetter(r: FiguresReportFacts, roster: Roster): LetterDocument {
  const f = r.figures;
  const q = quarterText(r.quarter);
  const town = (code: string): string => townshipName(roster, code);
  const t = f.totals;
  const p: LetterBlock[] = [
    `根据${sourceDocument(roster)}的部署，现将截至${chineseDate(f.asOf)}全县软弱涣散村党组织整顿提升工作进展情况报告如下。`,
    '一、总体进展',
    `全县现有整顿对象${t.targets}个，其中整顿中${t.underRectification}个、已转化${t.transformed}个${t.withdrawn ? `，撤销认定${t.withdrawn}个` : ''}。按认定年度，对照工作方案二“到2019年底，纳入整顿范围的软弱涣散农村基层党组织要100%实现转化提升”的目标：`,
    {
      table: {
        head: ['认定年度', '整顿对象', '已转化', '未转化', '目标', '完成情况'],
        rows: f.byYear.map((y) => [
          `${y.designatedIn}年`,
          y.targets,
          y.transformed,
          y.notYet,
          `${y.goalDate.slice(0, 4)}年底全部转化${y.basis === '二' ? '（工作方案二）' : '（县委组织部要求）'}`,
          y.met === null ? `进行中（${y.targets ? Math.round((y.transformed / y.targets) * 100) : 0}%）` : y.met ? '已实现' : '未实现',
        ]),
      },
    },
  ];
  const stages = Object.entries(f.byStage).filter(([, n]) => n > 0);
  if (stages.length) p.push(`截至${chineseDate(r.date)}，整顿对象所处阶段：${stages.map(([s, n]) => `${(stageLabels as Record<string, string>)[s] ?? s}${n}个`).join('，')}。`);
  const grounds = f.byGround.filter((g) => g.targets > 0);
  if (grounds.length) p.push(`按认定情形（三）：${grounds.map((g) => `${clauseText(g.clause)}${g.targets}个，已转化${g.resolved}个`).join('；')}。`);

  p.push('二、各乡镇工作情况');
  p.push(`${q}各乡镇半月进展报送（六（三））、函询约谈（六（四））情况，以及截至${chineseDate(r.date)}的逾期事项如下：`);
  p.push({
    table: {
      head: ['乡镇', '整顿对象', '已转化', '按时报送', '逾期报送', '未报送', '逾期事项', '函询', '约谈'],
      rows: [
        ...f.byTownship.map((x) => [town(x.township), x.targets, x.transformed, x.reports.quarter.onTime, x.reports.quarter.late, x.reports.quarter.missed, x.overdueOwn + x.overdueTargets, x.letters, x.talks]),
        [
          '合计',
          ...(['targets', 'transformed'] as const).map((k) => f.byTownship.reduce((n, x) => n + x[k], 0)),
          ...(['onTime', 'late', 'missed'] as const).map((k) => f.byTownship.reduce((n, x) => n + x.reports.quarter[k], 0)),
          f.byTownship.reduce((n, x) => n + x.overdueOwn + x.overdueTargets, 0),
          f.byTownship.reduce((n, x) => n + x.letters, 0),
          f.byTownship.reduce((n, x) => n + x.talks, 0),
        ],
      ],
    },
  });
  const behindTownships = f.byTownship.filter((x) => x.light === 'red');
  if (behindTownships.length === 0) p.push('各乡镇均按时报送半月进展，无逾期事项。');
  else {
    p.push(`工作滞后的乡镇${behindTownships.length}个（本季度有半月进展未报送或有逾期事项）：`);
    for (const x of behindTownships) {
      // The overdue duties grouped by what they are (a month's visit missed five times is one line with its count).
      const groups = new Map<string, { text: string; n: number; first: LocalDate }>();
      for (const it of r.overdue.find((o) => o.township === x.township)?.items ?? []) {
        const text = `${it.village ? (roster.villages.find((v) => v.code === it.village)?.name ?? it.village) : it.title.startsWith('乡镇党委') ? '' : '乡镇党委'}${it.title}`;
        const g = groups.get(text) ?? { text, n: 0, first: it.dueDate };
        g.n++;
        if (it.dueDate < g.first) g.first = it.dueDate;
        groups.set(text, g);
      }
      const listed = [...groups.values()].sort((a, b) => a.first.localeCompare(b.first)).map((g) => `${g.text}${g.n > 1 ? `${g.n}项（最早截止${chineseDate(g.first)}）` : `（截止${chineseDate(g.first)}）`}`);
      const reports = x.reports.quarter.missed ? `本季度${x.reports.quarter.missed}次半月进展未报送` : '';
      const overdue = listed.length ? `逾期未完成的有${listed.slice(0, 10).join('；')}${listed.length > 10 ? '等' : ''}` : '';
      p.push(`${town(x.township)}：${[reports, overdue].filter(Boolean).join('；')}。`);
    }
  }

  p.push('三、进度滞后的整顿对象');
  if (r.behind.length === 0) p.push('无整顿方案逾期或验收评价未转化的整顿对象。');
  else r.behind.forEach((b, i) => p.push(`${i + 1}. ${villageLabel(roster, b.village)}：${b.reasons.join('；')}。`));

  p.push('四、责任追究和后果');
  if (r.began.length === 0) p.push(`${q}无新增的责任追究后果。`);
  else {
    p.push(`${q}新增${r.began.length}项：`);
    r.began.forEach((c, i) => p.push(`${i + 1}. ${subjectText(roster, c)}：${consequenceKindLabels[c.kind]}（${clauseText(c.clause)}），${chineseDate(c.from)}${c.until ? `至${chineseDate(c.until)}` : '起'}；${c.reason.replace(/^(\d{4}-\d{2}-\d{2})/, (d) => chineseDate(d))}。`));
  }
  if (f.consequences.length) p.push(`截至${chineseDate(f.asOf)}仍然有效的：${f.consequences.map((c) => `${consequenceKindLabels[c.kind]}${c.subjects}人（单位）`).join('，')}。`);

  p.push('五、整顿事项办理情况');
  const duties = f.duties.filter((d) => d.opened + d.open > 0);
  if (duties.length === 0) p.push('本年度尚无整顿工作事项。');
  else {
    p.push(`${f.asOf.slice(0, 4)}年度各类整顿工作事项截至${chineseDate(r.date)}的办理情况（按事项所属期间计）：`);
    p.push({
      table: {
        head: ['事项', '依据', '应办', '按时完成', '逾期完成', '免除', '未落实', '待办', '其中逾期'],
        rows: duties.map((d) => [d.title, clauseText(d.clause), d.opened, d.onTime, d.late, d.waived, d.missed, d.open, d.overdue]),
      },
    });
  }
  if (r.unread?.length) p.push(`（${r.unread.map((c) => (roster.townships.some((x) => x.code === c) ? town(c) : villageLabel(roster, c))).join('、')}的记录生成本报告时未能读取，以上未计入，请核实后补充。）`);
  p.push('六、下一步工作', '县委组织部将继续按照工作方案六（三）的要求，对工作滞后的乡镇和进度滞后的整顿对象跟踪督办，对问题突出的依据六（四）进行函询、约谈，确保整顿对象按期转化提升。');
  return {
    title: '关于全县软弱涣散村党组织整顿提升工作进展情况的报告（送审稿）',
    salutation: `${roster.county.superior ?? '市委组织部'}：`,
    paragraphs: p,
    signature: [departmentName(roster), chineseDate(r.date)],
    footer: `送审稿：${q}，数据截至${chineseDate(f.asOf)}；是否报送由县委组织部决定。`,
    draft: true,
  };
}

/** The report's day when drawn up at `now` for a quarter: figures as of its last day, or today if earlier. */
export function reportAsOf(quarter: string, now: number): LocalDate {
  const { last } = quarterDays(quarter);
  const today = localDateOf(now);
  return last < today ? last : today;
}

/**
 * The report's facts from the county's records read at `now` (src/infra/county-records.ts): the
 * figures as of the quarter's last day (or today, for the quarter still running), the overdue
 * duties and the targets behind as of today, the consequences begun within the quarter.
 */
export function figuresReportFacts(
  records: Omit<FiguresInput, 'asOf' | 'now' | 'roster' | 'township'> & { readonly unread?: readonly string[] },
  roster: Roster,
  quarter: string,
  now: number,
): FiguresReportFacts {
  const asOf = reportAsOf(quarter, now);
  const date = localDateOf(now);
  const { first } = quarterDays(quarter);
  const figures = computeFigures({ asOf, now, roster, ...records });
  const lists = bulletinFacts(date.slice(0, 7), date, records.townships, records.villages);
  const began = records.ledger.filter((c) => arisenOn(c) >= first && arisenOn(c) <= asOf).sort((a, b) => arisenOn(a).localeCompare(arisenOn(b)) || a.clause.localeCompare(b.clause));
  return { quarter, date, figures, overdue: lists.overdue, behind: lists.behind, began, ...(records.unread?.length ? { unread: records.unread } : {}) };
}
