/**
 * The roster as an organization department keeps it: an Excel workbook with one sheet per list
 * (县, 乡镇, 村, 部门, 人员, 认定; optional 星级 and 发展党员, the yearly records), a header row of Chinese column names, one row per entry. Read
 * into the roster format and checked with the same rules as the JSON roster; every problem names
 * the sheet, the row and the column, in Chinese. Written back out from a roster (the template a
 * county fills in).
 */
import ExcelJS from 'exceljs';
import { orgTypeLabels, orgTypes } from '../domain/criteria';
import { roleLabels, roles, rosterSchema, type Roster } from '../domain/roster';

export interface WorkbookIssue {
  readonly sheet: string;
  /** The row as Excel numbers it (1 is the header). */
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export class RosterWorkbookError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly WorkbookIssue[],
  ) {
    super(`名册有误：\n${issues.map((i) => `  ${file}：“${i.sheet}”表第${i.row}行“${i.column}”列：${i.message}`).join('\n')}`);
    this.name = 'RosterWorkbookError';
  }
}

interface Column {
  readonly header: string;
  readonly key: string;
  readonly width: number;
}

const sheets = {
  county: {
    name: '县',
    columns: [
      { header: '编码', key: 'code', width: 10 },
      { header: '名称', key: 'name', width: 14 },
      { header: '整顿工作起始日期', key: 'programmeStart', width: 18 },
      // The county's own work plan as its documents cite it, and its letters' 文号 prefix.
      { header: '工作方案标题', key: 'planTitle', width: 44 },
      { header: '工作方案文号', key: 'planDocNumber', width: 20 },
      { header: '工作方案印发日期', key: 'planIssuedOn', width: 18 },
      { header: '函件发文机关代字', key: 'letterPrefix', width: 18 },
      { header: '上级组织部门', key: 'superior', width: 22 },
    ],
  },
  townships: { name: '乡镇', columns: [{ header: '编码', key: 'code', width: 10 }, { header: '名称', key: 'name', width: 14 }] },
  villages: {
    name: '村',
    columns: [{ header: '编码', key: 'code', width: 10 }, { header: '名称', key: 'name', width: 14 }, { header: '所属乡镇', key: 'township', width: 10 }, { header: '类型', key: 'orgType', width: 8 }],
  },
  departments: { name: '部门', columns: [{ header: '编码', key: 'code', width: 10 }, { header: '名称', key: 'name', width: 20 }] },
  people: {
    name: '人员',
    columns: [
      { header: '编号', key: 'id', width: 14 },
      { header: '姓名', key: 'name', width: 10 },
      { header: '邮箱', key: 'email', width: 32 },
      { header: '职务', key: 'role', width: 18 },
      { header: '乡镇', key: 'township', width: 8 },
      { header: '村', key: 'village', width: 8 },
      { header: '部门', key: 'department', width: 10 },
      { header: '任职日期', key: 'since', width: 12 },
      // 六(一) AB岗: a county leader's contact point post, A or B (empty: A).
      { header: '联系点岗位', key: 'slot', width: 10 },
      // 六(一) 继任领导干部接着抓: the county leader whose contact point this one takes over.
      { header: '接替', key: 'succeeds', width: 12 },
    ],
  },
  designations: {
    name: '认定',
    columns: [
      { header: '村', key: 'village', width: 8 },
      { header: '认定日期', key: 'date', width: 12 },
      { header: '认定标准', key: 'criterion', width: 10 },
      { header: '所列情形', key: 'points', width: 10 },
      { header: '具体情形', key: 'evidence', width: 60 },
      { header: '联建部门', key: 'pairedDepartment', width: 10 },
      { header: '转化日期', key: 'transformedOn', width: 12 },
      { header: '撤销日期', key: 'withdrawnOn', width: 12 },
      { header: '撤销原因', key: 'withdrawalReason', width: 30 },
      { header: '星级', key: 'stars', width: 6 },
      { header: '民族团结星', key: 'ethnicUnityStar', width: 10 },
      { header: '宗教和谐星', key: 'religiousHarmonyStar', width: 10 },
      { header: '一票否决', key: 'oneVoteVeto', width: 10 },
    ],
  },
  ratings: {
    name: '星级',
    columns: [
      { header: '村', key: 'village', width: 8 },
      { header: '年度', key: 'year', width: 8 },
      { header: '星级', key: 'stars', width: 6 },
      { header: '民族团结星', key: 'ethnicUnityStar', width: 10 },
      { header: '宗教和谐星', key: 'religiousHarmonyStar', width: 10 },
      { header: '一票否决', key: 'oneVoteVeto', width: 10 },
    ],
  },
  admissions: {
    name: '发展党员',
    columns: [
      { header: '村', key: 'village', width: 8 },
      { header: '年度', key: 'year', width: 8 },
      { header: '发展党员数', key: 'members', width: 12 },
    ],
  },
} as const satisfies Record<string, { name: string; columns: readonly Column[] }>;

type SheetKey = keyof typeof sheets;

const roleByLabel = new Map<string, string>(roles.map((r) => [roleLabels[r], r]));
const orgTypeByLabel = new Map<string, string>(orgTypes.map((t) => [orgTypeLabels[t], t]));

/** A cell as text: dates as YYYY-MM-DD, numbers as written, rich text and formulas by their value. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    return '';
  }
  return String(value).trim();
}

interface ReadRow {
  readonly row: number;
  readonly values: Record<string, string>;
}

export async function readRosterWorkbook(file: string): Promise<Roster> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(file);
  } catch (err) {
    throw new RosterWorkbookError(file, [{ sheet: '(文件)', row: 0, column: '(文件)', message: `无法读取Excel文件：${(err as Error).message}` }]);
  }
  const issues: WorkbookIssue[] = [];
  const rowsOf = (key: SheetKey): ReadRow[] => {
    const spec = sheets[key];
    const ws = book.getWorksheet(spec.name);
    if (!ws) {
      if (key !== 'departments' && key !== 'designations' && key !== 'ratings' && key !== 'admissions') issues.push({ sheet: spec.name, row: 0, column: '(表)', message: `缺少“${spec.name}”工作表` });
      return [];
    }
    const header = new Map<string, number>();
    ws.getRow(1).eachCell((cell, col) => header.set(cellText(cell.value), col));
    for (const c of spec.columns) {
      if (!header.has(c.header) && (c.key === 'code' || c.key === 'name' || c.key === 'id' || c.key === 'email' || c.key === 'role' || c.key === 'village' || c.key === 'date' || c.key === 'criterion' || c.key === 'evidence' || c.key === 'township')) {
        issues.push({ sheet: spec.name, row: 1, column: c.header, message: `表头缺少“${c.header}”列` });
      }
    }
    const out: ReadRow[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const values: Record<string, string> = {};
      for (const c of spec.columns) {
        const col = header.get(c.header);
        values[c.key] = col ? cellText(row.getCell(col).value) : '';
      }
      if (Object.values(values).some((v) => v !== '')) out.push({ row: n, values });
    });
    return out;
  };

  const county = rowsOf('county');
  const townships = rowsOf('townships');
  const villages = rowsOf('villages');
  const departments = rowsOf('departments');
  const people = rowsOf('people');
  const criteriaRows = rowsOf('designations');
  const ratingRows = rowsOf('ratings');
  const admissionRows = rowsOf('admissions');
  if (issues.length) throw new RosterWorkbookError(file, issues);
  if (county.length !== 1) throw new RosterWorkbookError(file, [{ sheet: '县', row: 2, column: '编码', message: `“县”表应有且只有一行，实有${county.length}行` }]);

  const opt = (v: string): string | undefined => (v === '' ? undefined : v);
  for (const r of people) {
    const role = r.values.role!;
    if (!roleByLabel.has(role) && !(roles as readonly string[]).includes(role)) {
      issues.push({ sheet: '人员', row: r.row, column: '职务', message: `“${role}”不是名册的职务，应为：${roles.map((x) => roleLabels[x]).join('、')}` });
    }
  }
  for (const r of villages) {
    const t = r.values.orgType!;
    if (t && !orgTypeByLabel.has(t) && !(orgTypes as readonly string[]).includes(t)) {
      issues.push({ sheet: '村', row: r.row, column: '类型', message: `“${t}”不是党组织类型，应为：${orgTypes.map((x) => orgTypeLabels[x]).join('、')}` });
    }
  }
  const yesNo = (r: ReadRow, key: string, header: string, sheet = '认定'): boolean | undefined => {
    const v = r.values[key]!;
    if (v === '是' || v === 'true' || v === 'TRUE') return true;
    if (v === '否' || v === 'false' || v === 'FALSE') return false;
    if (v !== '') issues.push({ sheet, row: r.row, column: header, message: `应填“是”或“否”，实为“${v}”` });
    return undefined;
  };
  const num = (v: string | undefined): number | string | undefined => (v === undefined || v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : v);
  const starRatingOf = (r: ReadRow): Record<string, unknown> | undefined => {
    if (!r.values.stars) return undefined;
    return {
      stars: /^\d+$/.test(r.values.stars) ? Number(r.values.stars) : r.values.stars,
      ethnicUnityStar: yesNo(r, 'ethnicUnityStar', '民族团结星'),
      religiousHarmonyStar: yesNo(r, 'religiousHarmonyStar', '宗教和谐星'),
      oneVoteVeto: yesNo(r, 'oneVoteVeto', '一票否决'),
    };
  };
  // A designation spans the rows of its criteria: one row per (village, date, criterion).
  const designationRows: ReadRow[][] = [];
  for (const r of criteriaRows) {
    const last = designationRows.at(-1);
    if (last && last[0]!.values.village === r.values.village && last[0]!.values.date === r.values.date) last.push(r);
    else designationRows.push([r]);
  }
  const data = {
    county: {
      code: county[0]!.values.code,
      name: county[0]!.values.name,
      ...(county[0]!.values.planTitle || county[0]!.values.planDocNumber || county[0]!.values.planIssuedOn
        ? { plan: { title: county[0]!.values.planTitle, ...(opt(county[0]!.values.planDocNumber!) ? { docNumber: county[0]!.values.planDocNumber } : {}), ...(opt(county[0]!.values.planIssuedOn!) ? { issuedOn: county[0]!.values.planIssuedOn } : {}) } }
        : {}),
      ...(opt(county[0]!.values.letterPrefix!) ? { letterPrefix: county[0]!.values.letterPrefix } : {}),
      ...(opt(county[0]!.values.superior!) ? { superior: county[0]!.values.superior } : {}),
    },
    ...(county[0]!.values.programmeStart ? { programmeStart: county[0]!.values.programmeStart } : {}),
    townships: townships.map((r) => ({ code: r.values.code, name: r.values.name })),
    villages: villages.map((r) => ({
      code: r.values.code,
      name: r.values.name,
      township: r.values.township,
      ...(r.values.orgType ? { orgType: orgTypeByLabel.get(r.values.orgType!) ?? r.values.orgType } : {}),
    })),
    departments: departments.map((r) => ({ code: r.values.code, name: r.values.name })),
    people: people.map((r) => ({
      id: r.values.id,
      name: r.values.name,
      email: r.values.email,
      role: roleByLabel.get(r.values.role!) ?? r.values.role,
      ...(opt(r.values.township!) ? { township: r.values.township } : {}),
      ...(opt(r.values.village!) ? { village: r.values.village } : {}),
      ...(opt(r.values.department!) ? { department: r.values.department } : {}),
      ...(opt(r.values.since!) ? { since: r.values.since } : {}),
      ...(opt(r.values.slot!) ? { slot: r.values.slot } : {}),
      ...(opt(r.values.succeeds!) ? { succeeds: r.values.succeeds } : {}),
    })),
    designations: designationRows.map((rows) => {
      const first = rows[0]!.values;
      return {
        village: first.village,
        date: first.date,
        criteria: rows.map((r) => ({
          criterion: /^\d+$/.test(r.values.criterion!) ? Number(r.values.criterion) : r.values.criterion,
          ...(r.values.points ? { points: r.values.points.split(/[,，、\s]+/).filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : x)) } : {}),
          evidence: r.values.evidence,
        })),
        ...(starRatingOf(rows[0]!) ? { starRating: starRatingOf(rows[0]!) } : {}),
        ...(opt(first.pairedDepartment!) ? { pairedDepartment: first.pairedDepartment } : {}),
        ...(opt(first.transformedOn!) ? { transformedOn: first.transformedOn } : {}),
        ...(opt(first.withdrawnOn!) ? { withdrawnOn: first.withdrawnOn } : {}),
        ...(opt(first.withdrawalReason!) ? { withdrawalReason: first.withdrawalReason } : {}),
      };
    }),
    ratings: ratingRows.map((r) => ({
      village: r.values.village,
      year: num(r.values.year),
      stars: num(r.values.stars),
      ethnicUnityStar: yesNo(r, 'ethnicUnityStar', '民族团结星', '星级'),
      religiousHarmonyStar: yesNo(r, 'religiousHarmonyStar', '宗教和谐星', '星级'),
      oneVoteVeto: yesNo(r, 'oneVoteVeto', '一票否决', '星级') ?? false,
    })),
    admissions: admissionRows.map((r) => ({ village: r.values.village, year: num(r.values.year), members: num(r.values.members) })),
  };

  if (issues.length) throw new RosterWorkbookError(file, issues);
  const parsed = rosterSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const rowsBySheet: Record<string, ReadRow[]> = { townships, villages, departments, people, ratings: ratingRows, admissions: admissionRows };
  const keyOf: Record<string, string> = { orgType: 'orgType' };
  throw new RosterWorkbookError(
    file,
    parsed.error.issues.map((i): WorkbookIssue => {
      const [list, index, field, sub, subField] = i.path as (string | number)[];
      if (list === 'county' || list === 'programmeStart') {
        const key = list === 'programmeStart' ? 'programmeStart' : index === 'plan' ? `plan${String(field ?? 'title').replace(/^./, (c) => c.toUpperCase())}` : String(index ?? 'code');
        return { sheet: '县', row: county[0]!.row, column: sheets.county.columns.find((c) => c.key === key)?.header ?? '编码', message: i.message };
      }
      if (list === 'designations' && typeof index === 'number') {
        const rows = designationRows[index] ?? [];
        const row = field === 'criteria' && typeof sub === 'number' ? rows[sub] : rows[0];
        const key =
          field === 'criteria' ? (subField === 'evidence' ? 'evidence' : subField === 'points' ? 'points' : 'criterion') : field === 'starRating' ? (typeof sub === 'string' ? sub : 'stars') : String(field ?? 'village');
        return { sheet: '认定', row: row?.row ?? 0, column: sheets.designations.columns.find((c) => c.key === key)?.header ?? String(key), message: i.message };
      }
      const sheetKey = String(list) as Exclude<SheetKey, 'county' | 'designations'>;
      const spec = sheets[sheetKey];
      if (!spec) return { sheet: '(名册)', row: 0, column: String(list), message: i.message };
      const row = typeof index === 'number' ? rowsBySheet[sheetKey]?.[index]?.row : undefined;
      const key = keyOf[String(field)] ?? String(field ?? '');
      return { sheet: spec.name, row: row ?? 1, column: spec.columns.find((c) => c.key === key)?.header ?? (key || '(表)'), message: i.message };
    }),
  );
}

/** The roster as a workbook in the same layout: the template a county fills in, or its roster exported. */
export async function rosterWorkbook(roster: Roster): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '软弱涣散农村基层党组织整顿提升工作系统';
  book.created = new Date('2018-01-01T00:00:00Z');
  book.modified = book.created;
  const add = (key: SheetKey, rows: Record<string, string | number | undefined>[]): void => {
    const spec = sheets[key];
    const ws = book.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow(r);
  };
  const { plan, letterPrefix, superior } = roster.county;
  add('county', [{ code: roster.county.code, name: roster.county.name, programmeStart: roster.programmeStart, planTitle: plan?.title, planDocNumber: plan?.docNumber, planIssuedOn: plan?.issuedOn, letterPrefix, superior }]);
  add('townships', roster.townships);
  add('villages', roster.villages.map((v) => ({ ...v, orgType: orgTypeLabels[v.orgType] })));
  add('departments', roster.departments);
  add('people', roster.people.map((p) => ({ ...p, role: roleLabels[p.role] })));
  add(
    'designations',
    roster.designations.flatMap((d) =>
      d.criteria.map((c, i) => ({
        village: d.village,
        date: d.date,
        criterion: c.criterion,
        points: c.points?.join('、'),
        evidence: c.evidence,
        ...(i === 0
          ? {
              pairedDepartment: d.pairedDepartment,
              transformedOn: d.transformedOn,
              withdrawnOn: d.withdrawnOn,
              withdrawalReason: d.withdrawalReason,
              ...(d.starRating
                ? { stars: d.starRating.stars, ethnicUnityStar: d.starRating.ethnicUnityStar ? '是' : '否', religiousHarmonyStar: d.starRating.religiousHarmonyStar ? '是' : '否', oneVoteVeto: d.starRating.oneVoteVeto ? '是' : '否' }
                : {}),
            }
          : {}),
      })),
    ),
  );
  const yes = (b: boolean): string => (b ? '是' : '否');
  add('ratings', roster.ratings.map((r) => ({ village: r.village, year: r.year, stars: r.stars, ethnicUnityStar: yes(r.ethnicUnityStar), religiousHarmonyStar: yes(r.religiousHarmonyStar), oneVoteVeto: yes(r.oneVoteVeto) })));
  add('admissions', roster.admissions.map((a) => ({ village: a.village, year: a.year, members: a.members })));
  return Buffer.from(await book.xlsx.writeBuffer());
}
