/**
 * The county's 台账 as Excel workbooks, as organization departments keep them: the ledger of
 * targets (one row per target) and the consequences ledger of a year. Chinese headers, a frozen
 * header row, column widths, dates as dates.
 */
import ExcelJS from 'exceljs';
import { stageLabels, type VillageView } from '../contracts/village';
import type { LocalDate } from '../domain/calendar';
import { consequenceKindLabels, type Consequence } from '../domain/consequences';
import { criteria, groundClause, ratingHistoryText, ratingText } from '../domain/criteria';
import type { Roster } from '../domain/roster';
import { personName } from '../domain/names';
import type { Figures } from './figures';

/** One target in the ledger, as the API returns it (names resolved from the roster). */
export interface TargetLedgerRow {
  readonly township: string;
  readonly townshipName: string;
  readonly village: string;
  readonly villageName: string;
  readonly designatedOn: LocalDate;
  /** The criteria it was designated under (认定标准), by number and title. */
  readonly criteria: readonly string[];
  readonly stage: string;
  readonly planStatus: string;
  /** Each year's acceptance: 已转化 / 未转化 (implied: no result recorded by the year's end). */
  readonly acceptances: readonly { readonly year: number; readonly date: LocalDate; readonly result: string }[];
  /** The star ratings before and after (三(六)): at designation, each year's since, at each acceptance. */
  readonly ratings: string;
  readonly openDuties: number;
  readonly overdueDuties: number;
  readonly firstSecretary: string;
  readonly pairedDepartment: string;
}

const planLabels: Record<VillageView['plan']['status'], string> = { due: '待报送', submitted: '已报送待审核', returned: '退回修改', approved: '已审核通过' };

export function targetLedgerRow(v: VillageView, roster: Roster): TargetLedgerRow {
  const village = roster.villages.find((x) => x.code === v.village);
  const township = roster.townships.find((t) => t.code === v.township);
  const person = (id: string | undefined): string => (id ? personName(roster, id) : '');
  return {
    township: v.township,
    townshipName: township?.name ?? v.township,
    village: v.village,
    villageName: village?.name ?? v.village,
    designatedOn: v.designation.date,
    criteria: v.designation.criteria.map((c) => `${c.criterion}.${criteria.find((x) => x.number === c.criterion)?.title ?? ''}`),
    stage: stageLabels[v.stage] ?? v.stage,
    planStatus: planLabels[v.plan.status],
    acceptances: v.acceptanceResults.map((a) => {
      // Each ground of the designation as the acceptance found it (三(一)–(六)).
      const grounds = v.acceptances.find((r) => r.year === a.year)?.grounds ?? [];
      const found = grounds.length ? `；${grounds.map((g) => `${groundClause(g.criterion)}${g.resolved ? '已解决' : '未解决'}`).join('、')}` : '';
      return { year: a.year, date: a.date, result: `${a.transformed ? '已转化' : a.implied ? '未转化（年底前未录入验收结果）' : '未转化'}${found}` };
    }),
    ratings: [ratingHistoryText(roster.ratings, v.village, v.designation)?.replace(/^星级化考评：/, ''), ...v.acceptances.filter((a) => a.rating).map((a) => `${a.year}年验收时${ratingText(a.rating!)}`)].filter(Boolean).join('；'),
    openDuties: v.open.length,
    overdueDuties: v.overdueCount,
    firstSecretary: person(v.firstSecretary),
    pairedDepartment: v.designation.pairedDepartment ? (roster.departments.find((d) => d.code === v.designation.pairedDepartment)?.name ?? v.designation.pairedDepartment) : '',
  };
}

/** A LocalDate as an Excel date (a UTC midnight, which Excel shows as that day). */
const excelDate = (d: LocalDate): Date => new Date(`${d}T00:00:00Z`);

function sheet(book: ExcelJS.Workbook, name: string, columns: { header: string; key: string; width: number; date?: boolean }[]): ExcelJS.Worksheet {
  const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, ...(c.date ? { style: { numFmt: 'yyyy-mm-dd' } } : {}) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  return ws;
}

function newBook(title: string): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = '软弱涣散农村基层党组织整顿提升工作系统';
  book.title = title;
  // Fixed, so that the same ledger gives the same file.
  book.created = new Date('2018-01-01T00:00:00Z');
  book.modified = book.created;
  return book;
}

/**
 * The 汇总 sheet: the county's figures as tables an office can extend (totals are formulas),
 * frozen headers, printed on A4 landscape.
 */
function summarySheet(book: ExcelJS.Workbook, f: Figures, names: { township: (code: string) => string }): void {
  const ws = book.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = [{ width: 14 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 10 }];
  const title = ws.addRow([`整顿工作统计（截至${f.asOf}）`]);
  title.font = { bold: true, size: 14 };
  const head = (cells: string[]): void => {
    const r = ws.addRow(cells);
    r.font = { bold: true };
    r.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };
  // By township, with a total row of formulas.
  head(['乡镇', '整顿对象', '整顿中', '已转化', '乡镇逾期事项', '整顿对象逾期事项', '本季度按时报送', '本季度逾期报送', '本季度未报送', '本年函询建议', '本年函询', '本年约谈']);
  const first = ws.rowCount + 1;
  for (const t of f.byTownship) {
    const q = t.reports.quarter;
    ws.addRow([names.township(t.township), t.targets, t.underRectification, t.transformed, t.overdueOwn, t.overdueTargets, q.onTime, q.late, q.missed, t.proposals, t.letters, t.talks]);
  }
  const last = ws.rowCount;
  const total = ws.addRow(['合计', ...'BCDEFGHIJKL'.split('').map((c) => ({ formula: `SUM(${c}${first}:${c}${last})` }))]);
  total.font = { bold: true };
  ws.addRow([]);
  head(['认定年度', '整顿对象', '已转化', '未转化', '撤销认定', '目标', '依据']);
  for (const y of f.byYear) ws.addRow([`${y.designatedIn}年`, y.targets, y.transformed, y.notYet, y.withdrawn, `${y.goalDate.slice(0, 4)}年底全部转化提升`, y.basis === '二' ? '工作方案二' : y.basis]);
  ws.addRow([]);
  head(['认定情形', '整顿对象', '已转化']);
  for (const g of f.byGround) ws.addRow([g.clause, g.targets, g.resolved]);
  ws.addRow([]);
  head(['后果', '依据', '条数', '涉及人员（单位）']);
  for (const c of f.consequences) ws.addRow([consequenceKindLabels[c.kind], c.clause, c.entries, c.subjects]);
}

export async function targetLedgerWorkbook(rows: readonly TargetLedgerRow[], countyName: string, summary?: { figures: Figures; township: (code: string) => string }): Promise<Buffer> {
  const book = newBook(`${countyName}软弱涣散村党组织整顿台账`);
  if (summary) summarySheet(book, summary.figures, summary);
  const years = [...new Set(rows.flatMap((r) => r.acceptances.map((a) => a.year)))].sort();
  const ws = sheet(book, '整顿对象台账', [
    { header: '序号', key: 'n', width: 6 },
    { header: '乡镇', key: 'townshipName', width: 12 },
    { header: '村', key: 'villageName', width: 12 },
    { header: '认定日期', key: 'designatedOn', width: 12, date: true },
    { header: '认定标准', key: 'criteria', width: 36 },
    { header: '所处阶段', key: 'stage', width: 14 },
    { header: '整顿方案', key: 'planStatus', width: 14 },
    ...years.map((y) => ({ header: `${y}年度验收`, key: `acceptance${y}`, width: 24 })),
    { header: '星级化考评（认定前后）', key: 'ratings', width: 30 },
    { header: '未完成事项', key: 'openDuties', width: 10 },
    { header: '其中逾期', key: 'overdueDuties', width: 10 },
    { header: '第一书记', key: 'firstSecretary', width: 10 },
    { header: '联建部门', key: 'pairedDepartment', width: 16 },
  ]);
  rows.forEach((r, i) => {
    ws.addRow({
      ...r,
      n: i + 1,
      designatedOn: excelDate(r.designatedOn),
      criteria: r.criteria.join('；'),
      ...Object.fromEntries(r.acceptances.map((a) => [`acceptance${a.year}`, `${a.result}（${a.date}）`])),
    });
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function consequencesWorkbook(year: number, list: readonly Consequence[], roster: Roster): Promise<Buffer> {
  const book = newBook(`${roster.county.name}${year}年度整顿工作后果台账`);
  const ws = sheet(book, `${year}年度后果台账`, [
    { header: '序号', key: 'n', width: 6 },
    { header: '对象', key: 'who', width: 20 },
    { header: '后果', key: 'kind', width: 22 },
    { header: '起始日期', key: 'from', width: 12, date: true },
    { header: '截止日期', key: 'until', width: 12, date: true },
    { header: '事由', key: 'reason', width: 40 },
    { header: '依据', key: 'clause', width: 10 },
    { header: '案件', key: 'cause', width: 24 },
  ]);
  list.forEach((c, i) => {
    const who =
      c.subject.type === 'person'
        ? personName(roster, (c.subject as { id: string }).id)
        : c.subject.type === 'department'
          ? `${roster.departments.find((d) => d.code === (c.subject as { code: string }).code)?.name ?? c.subject.code}主要领导`
          : (roster.villages.find((v) => v.code === (c.subject as { code: string }).code)?.name ?? c.subject.code);
    ws.addRow({ n: i + 1, who, kind: consequenceKindLabels[c.kind], from: excelDate(c.from), until: c.until ? excelDate(c.until) : '', reason: c.reason, clause: c.clause, cause: c.cause });
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
