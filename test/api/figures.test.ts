import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { SESSION_COOKIE } from '../../src/api/server';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { designateTarget } from '../../src/client/supervision';
import { targetLedgerWorkbook } from '../../src/documents/ledger-workbook';
import { docxToPdf } from '../../src/documents/pdf';
import type { Figures } from '../../src/documents/figures';
import { sampleRosterFile } from '../support/mail';
import { useApiWorld } from '../support/api';
import { shots, useBrowser } from '../support/browser';
import { advanceTo, acceptanceOf } from '../support/village';

/**
 * The department's figures against what the test did, on the time-skipping server from 23 October
 * 2018: five targets of 2018 in three townships; 青石镇 reports on time through the first quarter
 * of 2019 and then stops, 柳河镇 and 白塔乡 never report; 柳河镇 gets a letter and a talk in April;
 * in November QS03 is transformed and LH02 is not. The expected figures are counted here from those
 * acts and the roster, not read from the product's views.
 */
const api = useApiWorld({ startAt: '2018-10-23T00:00:00Z' });
const browser = useBrowser();
const roster = readRosterFile(sampleRosterFile);
const targets = ['QS03', 'QS07', 'LH02', 'LH09', 'BT05'];
const townshipOf = (v: string): string => roster.villages.find((x) => x.code === v)!.township;
const criteriaOf = (v: string): number[] => roster.designations.find((d) => d.village === v)!.criteria.map((c) => c.criterion);

async function figures(asOf: string, as = 'zzb-zhang', township?: string): Promise<Figures> {
  const res = await api.app.inject({ method: 'GET', url: `/api/figures?asOf=${asOf}${township ? `&township=${township}` : ''}`, headers: api.bearer(as) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Figures;
}

async function post(url: string, as: string, payload: object): Promise<void> {
  const res = await api.app.inject({ method: 'POST', url, headers: api.bearer(as), payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

/** A Word document's text, without its markup. */
function docxText(docx: Uint8Array): string {
  return strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']!).replace(/<[^>]+>/g, '');
}

/** A Word document's tables: rows of cells' text. */
function docxTables(docx: Uint8Array): string[][][] {
  const xml = strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']!);
  return [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) => [...t[1]!.matchAll(/<w:tr\b[\s\S]*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, ''))));
}

/** The half months of 2019's first quarter, each reported by 青石镇 on its due day (all working days). */
const q1 = [
  ['2019-01-H1', '2019-01-15'],
  ['2019-01-H2', '2019-01-31'],
  ['2019-02-H1', '2019-02-15'],
  ['2019-02-H2', '2019-02-28'],
  ['2019-03-H1', '2019-03-15'],
] as const;

test("the figures at three dates are what the county did: reports, a letter and a talk, acceptances, against 二's goal", async () => {
  for (const v of targets) await designateTarget(api.world.env.client, api.world.taskQueue, roster, v);
  for (const [period, due] of q1) {
    await advanceTo(api.world.env, `${due}T02:00:00Z`);
    await post('/api/townships/QS/reports', 'qs-sec', { period, entries: targets.filter((v) => townshipOf(v) === 'QS').map((village) => ({ village, progress: '按整顿方案推进各项措施' })) });
  }

  // 25 March 2019: five half months of the quarter are due; 青石镇 sent each on time.
  await advanceTo(api.world.env, '2019-03-25T03:00:00Z');
  let f = await figures('2019-03-25');
  expect(f.quarter).toBe('2019-Q1');
  expect(f.totals).toMatchObject({ targets: 5, underRectification: 5, transformed: 0, withdrawn: 0 });
  const line = (code: string) => f.byTownship.find((t) => t.township === code)!;
  expect(f.byTownship.map((t) => t.township)).toEqual(['BT', 'LH', 'QS']);
  expect(line('QS')).toMatchObject({ targets: 2, reports: { quarter: { onTime: 5, late: 0, missed: 0 }, year: { onTime: 5, late: 0, missed: 0 } }, letters: 0, talks: 0 });
  for (const t of ['LH', 'BT']) expect(line(t)).toMatchObject({ reports: { quarter: { onTime: 0, late: 0, missed: 5 } }, light: 'red' });
  expect(line('LH').targets).toBe(2);
  expect(line('BT').targets).toBe(1);
  expect(f.byGround).toEqual(
    [1, 2, 3, 4, 5, 6].map((criterion) => ({ criterion, clause: `三(${'一二三四五六'[criterion - 1]})`, targets: targets.filter((v) => criteriaOf(v).includes(criterion)).length, resolved: 0 })),
  );
  expect(f.byYear).toEqual([{ designatedIn: 2018, goalDate: '2019-12-31', basis: '二', targets: 5, transformed: 0, notYet: 5, withdrawn: 0, met: null }]);
  expect(Object.values(f.byStage).reduce((a, b) => a + b, 0)).toBe(5);

  // April: a letter to 柳河镇, then a talk (六(四)).
  await advanceTo(api.world.env, '2019-04-10T02:00:00Z');
  const issued = await api.app.inject({ method: 'POST', url: '/api/cases', headers: api.bearer('zzb-zhang'), payload: { township: 'LH', reason: '半月进展多次未按时报送', caseId: 'LH-figures' } });
  expect(issued.statusCode, issued.body).toBe(201);
  await post('/api/cases/LH-figures/talk/order', 'zzb-head', { why: '问题突出需要约谈' });
  await post('/api/cases/LH-figures/talk/schedule', 'zzb-zhang', { at: '2019-04-19T09:30', place: '县委组织部', conductor: 'zzb-head' });
  await advanceTo(api.world.env, '2019-04-19T04:00:00Z');
  await post('/api/cases/LH-figures/talk/record', 'zzb-zhang', { heldOn: '2019-04-19', outcome: '已约谈并提出整改要求' });

  // 20 June 2019: 青石镇 has stopped too; the second quarter's five half months are all missed.
  await advanceTo(api.world.env, '2019-06-20T03:00:00Z');
  f = await figures('2019-06-20');
  expect(f.quarter).toBe('2019-Q2');
  for (const t of ['QS', 'LH', 'BT']) expect(line(t).reports.quarter).toEqual({ onTime: 0, late: 0, missed: 5 });
  // The year: the first quarter's five, and its last half month (due Monday 1 April) missed by all.
  expect(line('QS').reports.year).toEqual({ onTime: 5, late: 0, missed: 1 + 5 });
  expect(line('LH').reports.year).toEqual({ onTime: 0, late: 0, missed: 6 + 5 });
  expect(line('LH')).toMatchObject({ letters: 1, talks: 1 });
  expect(line('QS')).toMatchObject({ letters: 0, talks: 0 });
  // The year's half-monthly reports as duties: 2019-01-H1 to 2019-06-H1 begun in each of the three
  // townships (06-H2 too once a township has woken since the 16th); 青石镇's five on time, none
  // late or waived.
  const reportDuties = f.duties.find((d) => d.kind === 'half-monthly-report')!;
  expect(reportDuties).toMatchObject({ clause: '六(三)', onTime: 5, late: 0, waived: 0 });
  expect(reportDuties.opened).toBeGreaterThanOrEqual(3 * 11);
  expect(reportDuties.opened).toBeLessThanOrEqual(3 * 12);
  // The letter's and the talk's addressees, 柳河镇's secretary and organization officer, may not be put forward for 2019 (六(四)).
  expect(f.consequences.find((c) => c.kind === 'award-ineligible')).toMatchObject({ clause: '六(四)', subjects: 2 });
  // The department's report of the first quarter, mailed on Monday 1 April 2019 (and of 2018's
  // fourth on 2 January, after the New Year holiday), to the department's staff and head: the
  // figures of 31 March as tables, 柳河镇 and 白塔乡 behind.
  const programme = await api.app.inject({ method: 'GET', url: '/api/county', headers: api.bearer('zzb-zhang') });
  expect(programme.json<{ figuresReports: { quarter: string; on: string; targets: number }[] }>().figuresReports.map((r) => [r.quarter, r.on, r.targets])).toEqual([
    ['2018-Q4', '2019-01-02', 5],
    ['2019-Q1', '2019-04-01', 5],
  ]);
  const reportMails = api.world.mail.sink.received.filter((m) => m.subject === '【情况报告送审】云岭县2019年第一季度软弱涣散村党组织整顿提升工作进展情况');
  expect(reportMails.flatMap((m) => m.envelopeTo).sort()).toEqual(roster.people.filter((p) => p.role === 'org-department-staff' || p.role === 'org-department-head').map((p) => p.email).sort());
  expect(reportMails[0]!.text).toContain('二、工作滞后的乡镇：白塔乡、柳河镇、青石镇（3个）');
  const q1Report = reportMails[0]!.attachments.find((a) => a.filename === '整顿工作进展情况报告-2019-Q1-送审稿.docx')!;
  const [goal, byTownship] = docxTables(q1Report.content);
  expect(goal).toEqual([
    ['认定年度', '整顿对象', '已转化', '未转化', '目标', '完成情况'],
    ['2018年', '5', '0', '5', '2019年底全部转化（工作方案二）', '进行中（0%）'],
  ]);
  // Per township: targets, transformed, the quarter's reports on time / late / missed (the overdue duties, letters and talks after).
  expect(byTownship!.map((r) => r.slice(0, 6))).toEqual([
    ['乡镇', '整顿对象', '已转化', '按时报送', '逾期报送', '未报送'],
    ['白塔乡', '1', '0', '0', '0', '5'],
    ['柳河镇', '2', '0', '0', '0', '5'],
    ['青石镇', '2', '0', '5', '0', '0'],
    ['合计', '5', '0', '5', '0', '10'],
  ]);
  const q1Text = docxText(q1Report.content);
  expect(q1Text).toContain('关于全县软弱涣散村党组织整顿提升工作进展情况的报告（送审稿）');
  expect(q1Text).toContain('中共云州市委组织部：');
  expect(q1Text).toContain('截至2019年3月31日全县软弱涣散村党组织整顿提升工作进展情况报告如下');
  expect(q1Text).toContain('2019年第一季度无新增的责任追究后果。');

  // A township's officials read their own line, not the county's nor another township's.
  const own = await figures('2019-06-20', 'qs-sec', 'QS');
  expect(own.byTownship.map((t) => t.township)).toEqual(['QS']);
  expect(own.totals.targets).toBe(2);
  expect((await api.app.inject({ method: 'GET', url: '/api/figures', headers: api.bearer('qs-sec') })).statusCode).toBe(403);
  expect((await api.app.inject({ method: 'GET', url: '/api/figures?township=QS', headers: api.bearer('lh-sec') })).statusCode).toBe(403);
  const future = await api.app.inject({ method: 'GET', url: '/api/figures?asOf=2030-01-01', headers: api.bearer('zzb-zhang') });
  expect(future.statusCode).toBe(400);
  expect(future.json()).toMatchObject({ fields: [{ path: 'asOf' }] });

  // November's acceptance: QS03 transformed, LH02 not.
  await advanceTo(api.world.env, '2019-11-25T02:00:00Z');
  await post('/api/villages/QS03/acceptance', 'zzb-zhang', acceptanceOf('QS03', { year: 2019, evaluatedOn: '2019-11-25', transformed: true, summary: '班子健全，制度落实，群众满意' }));
  await post('/api/villages/LH02/acceptance', 'zzb-zhang', acceptanceOf('LH02', { year: 2019, evaluatedOn: '2019-11-25', transformed: false, summary: '村务公开仍不规范' }));
  await advanceTo(api.world.env, '2019-12-05T03:00:00Z');
  f = await figures('2019-12-05');
  expect(f.totals).toMatchObject({ targets: 5, underRectification: 4, transformed: 1 });
  expect(f.byYear).toEqual([{ designatedIn: 2018, goalDate: '2019-12-31', basis: '二', targets: 5, transformed: 1, notYet: 4, withdrawn: 0, met: null }]);
  expect(line('QS')).toMatchObject({ transformed: 1, underRectification: 1 });
  expect(f.byGround).toEqual(
    [1, 2, 3, 4, 5, 6].map((criterion) => {
      const on = targets.filter((v) => criteriaOf(v).includes(criterion));
      return { criterion, clause: `三(${'一二三四五六'[criterion - 1]})`, targets: on.length, resolved: on.filter((v) => v === 'QS03').length };
    }),
  );
  // The third quarter's report drawn up now, as the workbench and `cli report figures` fetch it;
  // as PDF, its first page kept to look at. A quarter not yet begun is refused, naming the field.
  const q3 = await api.app.inject({ method: 'GET', url: '/api/figures/report.docx?quarter=2019-Q3', headers: api.bearer('zzb-zhang') });
  expect(q3.statusCode, q3.body).toBe(200);
  expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(String(q3.headers['content-disposition']))![1]!)).toBe('云岭县整顿工作进展情况报告（2019年第三季度，送审稿）.docx');
  const q3Text = docxText(q3.rawPayload);
  expect(q3Text).toContain('截至2019年9月30日');
  // 柳河镇's letter and talk of April: two people who may not be put forward in 2019 — begun in the second quarter, so none new in the third, both in force.
  expect(q3Text).toContain('2019年第三季度无新增的责任追究后果。');
  expect(q3Text).toContain('不得评先选优2人（单位）');
  const q2 = docxText((await api.app.inject({ method: 'GET', url: '/api/figures/report.docx?quarter=2019-Q2', headers: api.bearer('zzb-zhang') })).rawPayload);
  expect(q2).toContain('2019年第二季度新增2项');
  expect(q2).toMatch(/柳河镇[^：]+：不得评先选优（六（四））/);
  const pdf = await docxToPdf(q3.rawPayload);
  const dir = path.resolve(__dirname, '../../test-artifacts/documents');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'figures-report.pdf'), pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path.join(dir, 'figures-report.pdf'), path.join(dir, 'figures-report')]);
  expect(execFileSync('pdftotext', [path.join(dir, 'figures-report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain('关于全县软弱涣散村党组织整顿提升工作进展情况的报告');
  const later = await api.app.inject({ method: 'GET', url: '/api/figures/report.docx?quarter=2020-Q1', headers: api.bearer('zzb-zhang') });
  expect(later.statusCode).toBe(400);
  expect(later.json()).toMatchObject({ fields: [{ path: 'quarter', message: '2020年第一季度尚未开始' }] });

  // Asked again within five minutes: the same answer, from the cache.
  expect((await figures('2019-12-05')).computedAt).toBe(f.computedAt);

  // The 台账 workbook's 汇总 sheet, read back: a row per township and totals an office can extend.
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await targetLedgerWorkbook([], roster.county.name, { figures: f, township: (code) => roster.townships.find((t) => t.code === code)!.name })) as unknown as ArrayBuffer);
  const summary = book.getWorksheet('汇总')!;
  expect(summary.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9 });
  expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  const rows = summary.getSheetValues().filter(Boolean) as unknown[][];
  const row = (first: string) => rows.find((r) => r[1] === first)!;
  expect(row('柳河镇').slice(1, 5)).toEqual(['柳河镇', 2, 2, 0]);
  expect(row('青石镇').slice(1, 5)).toEqual(['青石镇', 2, 1, 1]);
  expect(row('柳河镇').slice(11, 13)).toEqual([1, 1]);
  const total = row('合计');
  expect(total[2]).toMatchObject({ formula: expect.stringMatching(/^SUM\(B\d+:B\d+\)$/) });
  expect(row('2018年').slice(1, 7)).toEqual(['2018年', 5, 1, 4, 0, '2019年底全部转化提升']);
}, 600_000);

test('the 全县 page leads with the figures, each leading to its rows; the township page shows its own line', async () => {
  // The world of the test above, on 5 December 2019.
  const context = await browser().newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const login = async (who: string): Promise<void> => {
    await context.clearCookies();
    await context.addCookies([{ name: SESSION_COOKIE, value: api.sealer.seal({ sub: who, kind: 'session', exp: Date.now() + 3_600_000, csrf: 'csrf-test' }), url: api.url }]);
  };
  await login('zzb-zhang');
  const page = await context.newPage();
  await page.goto(`${api.url}/dashboard`);
  const figures = (await page.textContent('#figures'))!;
  expect(figures).toContain('5个整顿对象：整顿中4个，已转化1个');
  expect(figures).toMatch(/2018年\s*5\s*1\s*4\s*2019年底全部转化提升\s*工作方案二/);
  // One bar per township, each red: every one has half-monthly reports missing this quarter.
  expect(await page.locator('#figures rect[data-township]').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-township'), r.getAttribute('data-light')]))).toEqual([
    ['BT', 'red'],
    ['LH', 'red'],
    ['QS', 'red'],
  ]);
  // The year's duties by kind, and the 情况报告 of the last quarter and of this one so far.
  expect(await page.locator('#duty-figures tr[data-kind="half-monthly-report"] td').first().textContent()).toBe('每半月上报整顿工作进展');
  expect(await page.locator('#figures a[href^="/api/figures/report.docx"]').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual([
    ['/api/figures/report.docx?quarter=2019-Q3', '2019年第三季度'],
    ['/api/figures/report.docx?quarter=2019-Q4', '2019年第四季度（截至今日）'],
  ]);
  // (The time-skipping server keeps no visibility: the rows below the figures cannot be listed here.)
  await page.locator('#figures').screenshot({ path: path.join(shots, 'county-figures.png') });
  // A bar leads to its township's rows.
  await page.locator('#figures a:has(rect[data-township="LH"])').click();
  await page.waitForURL(/township=LH/);
  expect(new URL(page.url()).searchParams.get('overdue')).toBe('1');

  // The case's record names the talk's conductor by name, not by roster id.
  await page.goto(`${api.url}/cases/LH-figures`);
  const record = (await page.textContent('main'))!;
  expect(record).toContain(`约谈人：${roster.people.find((p) => p.id === 'zzb-head')!.name}`);
  expect(record).not.toContain('zzb-head');

  await login('qs-sec');
  await page.goto(`${api.url}/townships/QS`);
  expect(await page.textContent('#township-figures')).toContain('本年：按时5次、逾期0次、未报');
  // Not the county's figures.
  await page.goto(`${api.url}/dashboard`);
  expect(await page.locator('#figures').count()).toBe(0);
  await context.close();
}, 120_000);
