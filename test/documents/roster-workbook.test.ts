import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { readRosterWorkbook, RosterWorkbookError, rosterWorkbook } from '../../src/documents/roster-workbook';
import { cli } from '../support/cli';
import { sampleRosterFile } from '../support/mail';

/**
 * The roster from the spreadsheet an organization department keeps: the sample county written as a
 * workbook and read back is the same roster; a wrong cell is named by sheet, row and column.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'roster-xlsx-'));
const sample = readRosterFile(sampleRosterFile);

async function sampleBook(): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await rosterWorkbook(sample)) as unknown as ArrayBuffer);
  return book;
}

test('the sample county written as a workbook reads back as the same roster', async () => {
  const file = path.join(dir, 'sample.xlsx');
  writeFileSync(file, await rosterWorkbook(sample));
  expect(await readRosterWorkbook(file)).toEqual(sample);
  const book = await sampleBook();
  expect(book.worksheets.map((w) => w.name)).toEqual(['县', '乡镇', '村', '部门', '人员', '认定', '星级', '发展党员']);
  // The yearly records (三(六), 三(二)): one row per village and year.
  expect((book.getWorksheet('星级')!.getRow(1).values as unknown[]).slice(1)).toEqual(['村', '年度', '星级', '民族团结星', '宗教和谐星', '一票否决']);
  expect((book.getWorksheet('发展党员')!.getRow(2).values as unknown[]).slice(1)).toEqual(['BT02', 2016, 0]);
  expect((book.getWorksheet('人员')!.getRow(1).values as unknown[]).slice(1)).toEqual(['编号', '姓名', '邮箱', '职务', '乡镇', '村', '部门', '任职日期', '联系点岗位', '接替']);
  expect(book.getWorksheet('人员')!.getRow(2).getCell(4).value).toBe('县委组织部');
});

test('every problem names the sheet, the row and the column, in Chinese', async () => {
  const book = await sampleBook();
  const people = book.getWorksheet('人员')!;
  people.getRow(3).getCell(3).value = '不是邮箱';
  const designations = book.getWorksheet('认定')!;
  designations.getRow(2).getCell(3).value = 9;
  // A date typed as a date in Excel is read as that day.
  designations.getRow(3).getCell(2).value = new Date('2018-10-15T00:00:00Z');
  const file = path.join(dir, 'broken.xlsx');
  await book.xlsx.writeFile(file);
  const err = await readRosterWorkbook(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RosterWorkbookError);
  const issues = (err as RosterWorkbookError).issues.map((i) => `${i.sheet}!${i.row}:${i.column}：${i.message}`);
  expect(issues.sort()).toEqual(['人员!3:邮箱：应为电子邮件地址', '认定!2:认定标准：应为方案第三部分所列认定标准1–6之一']);
  expect((err as RosterWorkbookError).message).toContain('“人员”表第3行“邮箱”列：应为电子邮件地址');
});

test("the county's own work plan and letter prefix are the 县 sheet's cells; a wrong 文号 is named in its cell", async () => {
  const book = await sampleBook();
  const county = book.getWorksheet('县')!;
  expect((county.getRow(1).values as unknown[]).slice(1)).toEqual(['编码', '名称', '整顿工作起始日期', '工作方案标题', '工作方案文号', '工作方案印发日期', '函件发文机关代字', '上级组织部门']);
  expect((county.getRow(2).values as unknown[]).slice(4)).toEqual(['云岭县软弱涣散农村基层党组织整顿提升两年行动工作方案', '云组通字〔2018〕21号', '2018-10-15', '云组函', '中共云州市委组织部']);
  county.getRow(2).getCell(5).value = '云组通字2018-21';
  county.getRow(2).getCell(7).value = 'YL';
  county.getRow(2).getCell(8).value = 'City Dept';
  const file = path.join(dir, 'county.xlsx');
  await book.xlsx.writeFile(file);
  const err = await readRosterWorkbook(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((err as RosterWorkbookError).issues.map((i) => `${i.sheet}!${i.row}:${i.column}：${i.message}`).sort()).toEqual([
    '县!2:上级组织部门：上级组织部门应为2到30个汉字，如“中共云州市委组织部”',
    '县!2:函件发文机关代字：发文机关代字应为1到8个汉字，如“云组函”',
    '县!2:工作方案文号：文号应如“云委办发〔2018〕21号”',
  ]);
});

test('a post or a type the roster does not know is named with what it may be; a reference to a missing township too', async () => {
  const book = await sampleBook();
  book.getWorksheet('人员')!.getRow(5).getCell(4).value = '村主任';
  const file = path.join(dir, 'role.xlsx');
  await book.xlsx.writeFile(file);
  const err = (await readRosterWorkbook(file).catch((e: unknown) => e)) as RosterWorkbookError;
  expect(err.issues).toEqual([{ sheet: '人员', row: 5, column: '职务', message: expect.stringMatching(/^“村主任”不是名册的职务，应为：乡镇党委书记、组织干事、/) }]);

  const other = await sampleBook();
  other.getWorksheet('村')!.getRow(4).getCell(3).value = 'XX';
  const file2 = path.join(dir, 'township.xlsx');
  await other.xlsx.writeFile(file2);
  const err2 = (await readRosterWorkbook(file2).catch((e: unknown) => e)) as RosterWorkbookError;
  expect(err2.issues).toEqual([{ sheet: '村', row: 4, column: '所属乡镇', message: '没有编码为XX的乡镇' }]);

  // The yearly records: a rating of a village not in the roster, and a yes/no that is neither.
  const yearly = await sampleBook();
  yearly.getWorksheet('星级')!.getRow(2).getCell(1).value = 'ZZ99';
  yearly.getWorksheet('星级')!.getRow(3).getCell(4).value = '有';
  const file3 = path.join(dir, 'ratings.xlsx');
  await yearly.xlsx.writeFile(file3);
  const err3 = (await readRosterWorkbook(file3).catch((e: unknown) => e)) as RosterWorkbookError;
  expect(err3.issues).toEqual([{ sheet: '星级', row: 3, column: '民族团结星', message: '应填“是”或“否”，实为“有”' }]);
  yearly.getWorksheet('星级')!.getRow(3).getCell(4).value = '是';
  await yearly.xlsx.writeFile(file3);
  const err4 = (await readRosterWorkbook(file3).catch((e: unknown) => e)) as RosterWorkbookError;
  expect(err4.issues).toEqual([{ sheet: '星级', row: 2, column: '村', message: '没有编码为ZZ99的村' }]);
});

test('a workbook missing a sheet or a column says which', async () => {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('县').addRow(['编码', '名称']);
  book.addWorksheet('乡镇').addRow(['编码']);
  const file = path.join(dir, 'partial.xlsx');
  await book.xlsx.writeFile(file);
  const err = (await readRosterWorkbook(file).catch((e: unknown) => e)) as RosterWorkbookError;
  expect(err.issues.map((i) => `${i.sheet}:${i.column}：${i.message}`)).toEqual(['乡镇:名称：表头缺少“名称”列', '村:(表)：缺少“村”工作表', '人员:(表)：缺少“人员”工作表']);
});

test('roster-check accepts the workbook; roster import writes the roster file from it', async () => {
  const file = path.join(dir, 'county.xlsx');
  writeFileSync(file, await rosterWorkbook(sample));
  const checked = await cli(['roster-check', file]);
  expect(checked.stdout).toMatch(/^名册有效：云岭县，6个乡镇，60个村（社区），\d+名人员，整顿对象\d+个。/);
  const out = path.join(dir, 'county.json');
  const imported = await cli(['roster', 'import', file, '--out', out]);
  expect(imported.stderr).toBe('');
  expect(readRosterFile(out)).toEqual(sample);
  const book = await sampleBook();
  book.getWorksheet('人员')!.getRow(3).getCell(3).value = '不是邮箱';
  const broken = path.join(dir, 'broken-cli.xlsx');
  await book.xlsx.writeFile(broken);
  const refused = await cli(['roster-check', broken]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toBe(`名册有误：\n  ${broken}：“人员”表第3行“邮箱”列：应为电子邮件地址\n`);
});
