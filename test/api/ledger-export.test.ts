import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, vi } from 'vitest';
import { useApiWorld } from '../support/api';
import { cli } from '../support/cli';

/**
 * The 台账 as the department downloads it: an Excel workbook read back with exceljs, the way
 * Excel or WPS would read it; Chinese headers, a frozen header row, dates as dates. And what the
 * department and operators see when the roster file breaks.
 */
const api = useApiWorld();

async function workbook(url: string, who = 'zzb-zhang'): Promise<ExcelJS.Workbook> {
  const res = await api.app.inject({ method: 'GET', url, headers: api.bearer(who) });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(decodeURIComponent(String(res.headers['content-disposition']))).toMatch(/filename\*=UTF-8''.*\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return book;
}

test('the ledger of targets: one row per designated target, with its township, criteria, stage, plan and duties', async () => {
  for (const code of ['QS03', 'DP01']) {
    const res = await api.app.inject({ method: 'POST', url: `/api/villages/${code}/designate`, headers: api.bearer('zzb-zhang'), payload: {} });
    expect(res.statusCode).toBe(201);
  }
  // Visibility lists the new targets a moment later.
  await vi.waitFor(async () => {
    const rows = (await api.app.inject({ method: 'GET', url: '/api/ledger/targets', headers: api.bearer('zzb-zhang') })).json<{ village: string }[]>();
    expect(rows.map((r) => r.village)).toEqual(['DP01', 'QS03']);
  }, { timeout: 20_000, interval: 250 });

  const book = await workbook('/api/ledger/targets.xlsx');
  const ws = book.getWorksheet('整顿对象台账')!;
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  const headers = (ws.getRow(1).values as unknown[]).slice(1);
  expect(headers).toEqual(['序号', '乡镇', '村', '认定日期', '认定标准', '所处阶段', '整顿方案', '星级化考评（认定前后）', '未完成事项', '其中逾期', '第一书记', '联建部门']);
  expect(ws.rowCount).toBe(3);
  const qs03 = ws.getRow(3);
  expect(qs03.getCell(2).value).toBe('青石镇');
  expect(qs03.getCell(3).value).toBe('东风村');
  expect(qs03.getCell(4).value).toBeInstanceOf(Date);
  expect(qs03.getCell(4).numFmt).toBe('yyyy-mm-dd');
  expect(String(qs03.getCell(5).value)).toMatch(/^\d\./);
  expect(qs03.getCell(7).value).toBe('待报送');
  // The star rating before the designation (三(六)): the roster's latest, 2019; none since.
  expect(qs03.getCell(8).value).toBe('认定前（2019年）4星');
  expect(Number(qs03.getCell(9).value)).toBeGreaterThan(0);
  expect(ws.getColumn(5).width).toBeGreaterThan(20);
});

test('only the department and operators may download it; a bad year names the field', async () => {
  const res = await api.app.inject({ method: 'GET', url: '/api/ledger/targets.xlsx', headers: api.bearer('qs-sec') });
  expect(res.statusCode).toBe(403);
  const bad = await api.app.inject({ method: 'GET', url: '/api/ledger/consequences.xlsx?year=19', headers: api.bearer('zzb-zhang') });
  expect(bad.statusCode).toBe(400);
  expect(bad.json<{ fields: { path: string }[] }>().fields.map((f) => f.path)).toEqual(['year']);
  const book = await workbook('/api/ledger/consequences.xlsx?year=2027', 'ops-wu');
  const ws = book.getWorksheet('2027年度后果台账')!;
  expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['序号', '对象', '后果', '起始日期', '截止日期', '事由', '依据', '案件']);
});

test('the CLI writes the same ledger to a file, for the logged-in member of the department', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ledger-')), '台账.xlsx');
  const r = await cli(['ledger', 'targets', '--out', file], api.cliEnv('zzb-zhang'));
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^已生成整顿对象台账：共\d+个整顿对象（.*台账\.xlsx）\n$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  expect(book.getWorksheet('整顿对象台账')!.getRow(1).getCell(2).value).toBe('乡镇');
  const denied = await cli(['ledger', 'targets', '--out', file], api.cliEnv('qs-sec'));
  expect(denied.code).toBe(3);
});

test("a roster file edited into an invalid state: the API keeps the last valid roster, and the operators' page says why", async () => {
  const valid = readFileSync(api.rosterFile, 'utf8');
  try {
    writeFileSync(api.rosterFile, valid.replace('"zzb-zhang@county.example.org"', '"not-an-address"'));
    utimesSync(api.rosterFile, new Date(), new Date(Date.now() + 5_000));
    // Still signed in and acting as before: the last valid roster is in use.
    expect((await api.app.inject({ method: 'GET', url: '/api/ledger/targets', headers: api.bearer('zzb-zhang') })).statusCode).toBe(200);
    const session = api.sealer.seal({ sub: 'ops-wu', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'x' });
    const page = await api.app.inject({ method: 'GET', url: '/ops', cookies: { rect_session: session } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('名册文件有误，仍按上次有效的名册发送通知');
    expect(page.body).toContain('应为电子邮件地址');
  } finally {
    writeFileSync(api.rosterFile, valid);
    utimesSync(api.rosterFile, new Date(), new Date(Date.now() + 10_000));
  }
  const session = api.sealer.seal({ sub: 'ops-wu', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'x' });
  expect((await api.app.inject({ method: 'GET', url: '/ops', cookies: { rect_session: session } })).body).not.toContain('名册文件有误');
});
