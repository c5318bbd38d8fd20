import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { localDateOf } from '../../src/domain/calendar';
import { useApiWorld } from '../support/api';
import { shots, useBrowser } from '../support/browser';

/**
 * The workbench in a real browser (Debian's Chromium, headless), as officials use it: log in with
 * the code from the mail, see what is due in red or yellow, do it, see it done. Screenshots of the
 * main pages go to test-artifacts/ (1366×768) to be looked at.
 */
const api = useApiWorld();
const browser = useBrowser();
const month = localDateOf(Date.now()).slice(0, 7);


async function loggedIn(who: string, email: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const context = await browser().newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('dialog', () => {
    throw new Error('a script ran in the page');
  });
  await page.goto(`${api.url}/`);
  expect(page.url()).toContain('/login');
  await page.screenshot({ path: path.join(shots, 'login.png') });
  await page.fill('input[name=who]', who);
  await page.click('button:has-text("获取验证码")');
  const code = /【登录验证码】(\d{6})/.exec(api.world.mail.sink.to(email).at(-1)!.subject)![1]!;
  await page.fill('input[name=code]', code);
  await page.click('button:has-text("登录")');
  await page.waitForURL(`${api.url}/`);
  return page;
}

test('a township organization officer sees the report due, submits it, and it is done; another township is 403; a script stays text', async () => {
  for (const v of ['QS03', 'QS07']) {
    expect((await api.app.inject({ method: 'POST', url: `/api/villages/${v}/designate`, headers: api.bearer('zzb-zhang'), payload: { redesignate: `${month}-01` } })).statusCode).toBe(201);
  }
  const page = await loggedIn('qs-org', 'qs-org@township.example.org');
  await expect.poll(async () => (await page.textContent('h1'))?.trim()).toBe('我的待办');
  const report = page.locator('tr', { hasText: '每半月上报整顿工作进展' }).first();
  // Its light depends on the day of the month the test runs (green until three working days before the 15th or the month's end).
  expect(['red', 'yellow', 'green']).toContain(await report.getAttribute('data-light'));
  const label = (await report.locator('td').nth(1).textContent())!;
  await page.screenshot({ path: path.join(shots, 'my-work-township.png'), fullPage: true });
  // 我的待办 lists what this post does first; the first secretary's monthly visit is folded under
  // 本单位其他事项, its row naming who acts.
  expect(await page.locator('tr:visible', { hasText: '第一书记每月到村开展服务' }).count()).toBe(0);
  expect(await report.locator('td').nth(4).textContent()).toMatch(/^(组织干事|乡镇党委书记)（(刘志强|张振华)）$/);
  const others = page.locator('details.others').first();
  expect(await others.locator('summary').textContent()).toMatch(/^本单位其他事项（\d+项，由其他人员办理）$/);
  await others.locator('summary').click();
  const visit = others.locator('tr', { hasText: '第一书记每月到村开展服务' }).first();
  expect(await visit.isVisible()).toBe(true);
  expect(await visit.locator('td').nth(4).textContent()).toMatch(/^第一书记（[^）]+）$/);

  await page.goto(`${api.url}/townships/QS`);
  const progress = page.locator('#report textarea[name$=".progress"]');
  expect(await progress.count()).toBe(2);
  // An empty report names the missing field next to it, in Chinese.
  await page.click('#report button[type=submit]');
  await expect.poll(async () => (await page.locator('#report .err').first().textContent()) ?? '').toMatch(/工作进展/);
  // Two problems: each beside its own field, in Chinese, and everything typed is still there.
  await progress.nth(0).fill('短');
  await progress.nth(1).fill('无');
  await page.fill('#report textarea[name="entries.1.problems"]', '合同底数不清');
  await page.click('#report button[type=submit]');
  await expect.poll(async () => page.locator('#report .err').count()).toBe(2);
  for (const i of [0, 1]) expect(await page.locator(`#report label:has(textarea[name="entries.${i}.progress"]) .err`).textContent()).toBe('工作进展至少4个字');
  expect(await page.inputValue('#report textarea[name="entries.1.problems"]')).toBe('合同底数不清');
  expect(await page.textContent('#report .error')).not.toMatch(/entries\.\d/);
  // The summary at the top lists both, each a link to its field.
  const links = page.locator('#report .error li a');
  expect(await links.allTextContents()).toEqual(['工作进展至少4个字', '工作进展至少4个字']);
  expect([await links.nth(0).getAttribute('href'), await links.nth(1).getAttribute('href')]).toEqual(['#f-report-entries.0.progress', '#f-report-entries.1.progress']);
  // A date outside the half month reported on is refused beside its field, naming the rule.
  const period = await page.inputValue('#report input[name=period]');
  const start = `${period.slice(0, 7)}-${period.endsWith('H1') ? '01' : '16'}`;
  const before = localDateOf(Date.parse(`${start}T12:00:00+08:00`) - 86_400_000);
  await progress.nth(0).fill('<script>alert(1)</script>调整村两委班子');
  await progress.nth(1).fill('清理集体土地合同');
  const visitDate = '#report input[name="entries.0.attest.first-secretary-visit:optional"]';
  await page.fill(visitDate, before);
  await page.click('#report button[type=submit]');
  const visitError = page.locator('#report label:has(input[name="entries.0.attest.first-secretary-visit:optional"]) .err');
  await expect.poll(async () => (await visitError.count()) > 0 ? visitError.textContent() : '').toContain(`${before}不在`);
  expect(await visitError.textContent()).toContain('六(三)');
  expect(await page.inputValue(visitDate)).toBe(before);
  expect(await page.inputValue('#report textarea[name="entries.1.progress"]')).toBe('清理集体土地合同');
  // The report attests QS03's first secretary's visit this half month: that duty is closed with it.
  await page.fill(visitDate, start);
  await page.click('#report button[type=submit]');
  await expect.poll(async () => (await page.textContent('.flash')) ?? '').toContain('已办理：上报半月整顿工作进展');
  // The half month is reported: the page shows what was sent, read-only, by whom; the form stays folded away for an amendment, filled in with it.
  expect(await page.textContent('#report-sent .flash')).toMatch(/进展已于.+报送（刘志强），各整顿对象的进展也记入其页面的工作记录：青石镇东风村、青石镇团结村。/);
  const sentRows = page.locator('#report-sent table.sent-report tr');
  expect(await sentRows.nth(1).locator('td').allTextContents()).toEqual(['青石镇东风村', '<script>alert(1)</script>调整村两委班子', '—', '—', `第一书记到村开展服务 ${start}`]);
  expect(await sentRows.nth(2).locator('td').allTextContents()).toEqual(['青石镇团结村', '清理集体土地合同', '合同底数不清', '—', '—']);
  expect(await page.locator('#report textarea[name$=".progress"]').first().isVisible()).toBe(false);
  expect(await page.inputValue('#report textarea[name="entries.1.progress"]')).toBe('清理集体土地合同');
  expect(await page.inputValue(visitDate)).toBe(start);
  await page.screenshot({ path: path.join(shots, 'township.png'), fullPage: true });
  // The duty is done: no longer among the township's open duties.
  expect(await page.locator('tr', { hasText: label }).count()).toBe(0);

  // The text is shown as text on the target's page, and the visit is done.
  await page.goto(`${api.url}/villages/QS03`);
  await expect.poll(async () => page.locator('tr', { hasText: '第一书记每月到村开展服务' }).count()).toBe(0);
  await expect.poll(async () => (await page.textContent('main')) ?? '').toContain('<script>alert(1)</script>调整村两委班子');
  await page.screenshot({ path: path.join(shots, 'target.png'), fullPage: true });

  const other = await page.goto(`${api.url}/townships/LH`);
  expect(other?.status()).toBe(403);
  expect(await page.textContent('main')).toContain('刘志强（组织干事）只能对本乡镇查看');
}, 120_000);

test('the organization department approves a plan and records an acceptance; the dashboard shows every target', async () => {
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/LH09/designate', headers: api.bearer('zzb-zhang'), payload: { redesignate: '2025-10-10' } })).statusCode).toBe(201);
  expect(
    (await api.app.inject({ method: 'POST', url: '/api/villages/QS03/plan', headers: api.bearer('qs-sec'), payload: { summary: '规范“两会两票”，公开村务财务', measures: ['每季度公开村务财务'] } })).statusCode,
  ).toBe(200);
  const page = await loggedIn('zzb-zhang', 'zzb-zhang@county.example.org');
  // The plan waiting for review is on the department's list (once visibility has the new stage).
  await expect
    .poll(async () => {
      await page.goto(`${api.url}/`);
      return (await page.textContent('main')) ?? '';
    }, { timeout: 10_000 })
    .toContain('整顿方案待审核');
  await page.screenshot({ path: path.join(shots, 'my-work-department.png'), fullPage: true });
  // The local mailbox of the embedded default shows the login code's mail.
  await page.goto(`${api.url}/dev/mail`);
  expect(await page.textContent('main')).toContain('【登录验证码】');
  await page.screenshot({ path: path.join(shots, 'mailbox.png') });
  await page.goto(`${api.url}/dashboard`);
  await expect.poll(async () => (await page.textContent('main')) ?? '').toContain('青石镇东风村');
  await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });

  await page.goto(`${api.url}/villages/QS03`);
  await page.click('#review button[type=submit]');
  await expect.poll(async () => (await page.textContent('.flash')) ?? '').toContain('已办理：审核整顿方案');
  expect(await page.textContent('main')).toContain('整顿方案：已审核通过');

  // Filtered by stage: QS07 still owes its plan, QS03's is approved.
  await expect
    .poll(async () => {
      await page.goto(`${api.url}/dashboard?stage=plan-due`);
      const planDue = (await page.textContent('main')) ?? '';
      return planDue.includes('青石镇团结村') && !planDue.includes('青石镇东风村');
    }, { timeout: 10_000 })
    .toBe(true);

  await page.goto(`${api.url}/villages/LH09`);
  // 五(一): the acceptance against the ground LH09 was designated on (三(六)), the 六有 marks and
  // the county's decision with its meeting. Decided transformed with the ground unresolved: refused
  // beside the decision, everything typed kept.
  expect(await page.textContent('#acceptance legend')).toBe('三(六) 村级组织星级考核等次较低');
  await page.fill('#acceptance input[name=evaluatedOn]', '2026-11-25');
  await page.check('#acceptance input[name="grounds.0.resolved:bool"][value=false]');
  await page.fill('#acceptance textarea[name="grounds.0.evidence"]', '2026年星级化考评为四星级，取得“民族团结”星');
  await page.check('#acceptance input[name="sixHas:list"][value=leadership]');
  await page.check('#acceptance input[name="sixHas:list"][value=venue]');
  await page.check('#acceptance input[name="transformed:bool"][value=true]');
  await page.fill('#acceptance input[name=meeting]', '县委常委会2026年第20次会议');
  await page.fill('#acceptance textarea[name=summary]', '班子健全，各项制度落实，已转化提升');
  await page.click('#acceptance button[type=submit]');
  await expect.poll(async () => (await page.textContent('#acceptance .err')) ?? '').toBe('三(六)尚未解决，不能评定为转化提升');
  expect(await page.inputValue('#acceptance textarea[name="grounds.0.evidence"]')).toBe('2026年星级化考评为四星级，取得“民族团结”星');
  expect(await page.inputValue('#acceptance input[name=meeting]')).toBe('县委常委会2026年第20次会议');
  expect(await page.isChecked('#acceptance input[name="grounds.0.resolved:bool"][value=false]')).toBe(true);
  expect(await page.isChecked('#acceptance input[name="sixHas:list"][value=leadership]')).toBe(true);
  expect(await page.isChecked('#acceptance input[name="sixHas:list"][value=venue]')).toBe(true);
  await page.check('#acceptance input[name="grounds.0.resolved:bool"][value=true]');
  await page.click('#acceptance button[type=submit]');
  await expect.poll(async () => (await page.textContent('main')) ?? '').toContain('2026年度验收评价（2026-11-25，县委常委会2026年第20次会议）：转化提升');
  const record = (await page.textContent('.acceptance[data-year="2026"]'))!;
  expect(record).toMatch(/三\(六\)\s*已解决\s*2026年星级化考评为四星级，取得“民族团结”星/);
  expect(record).toContain('“六有”：有坚强有力的领导班子、有功能实用的服务场所');
  // The year's acceptance is recorded: its form is gone (a second would be refused).
  expect(await page.locator('form#acceptance').count()).toBe(0);
  await page.screenshot({ path: path.join(shots, 'acceptance.png'), fullPage: true });

  await page.goto(`${api.url}/acceptance`);
  expect(await page.textContent('main')).toMatch(/柳河镇柳林村.*2026年度验收评价（2026-11-25，县委常委会2026年第20次会议）：转化提升/s);
  await page.screenshot({ path: path.join(shots, 'acceptance-sheet.png'), fullPage: true });

  // A letter to a township: its party secretary and organization officer may not receive awards this year (六(四)).
  await page.goto(`${api.url}/townships/QS`);
  await page.fill('#issue textarea[name=reason]', '半月进展报送质量不高，整顿推进缓慢');
  await page.click('#issue button[type=submit]');
  await expect.poll(async () => (await page.textContent('.flash')) ?? '').toContain('已办理：发出函询函');
  // The case records them in the ledger by a signal of its own: the page shows them once it has.
  await expect
    .poll(async () => {
      await page.goto(`${api.url}/ledger`);
      return (await page.textContent('main')) ?? '';
    }, { timeout: 15_000 })
    .toMatch(/张振华[\s\S]*刘志强|刘志强[\s\S]*张振华/);
  expect(await page.textContent('h1')).toBe('后果台账');
  await page.goto(`${api.url}/ledger?date=2030-01-01`);
  expect(await page.textContent('main')).toContain('2030-01-01不得提拔使用');
  await page.screenshot({ path: path.join(shots, 'ledger.png'), fullPage: true });

  await page.goto(`${api.url}/ops`);
  expect(await page.textContent('main')).toContain('工作规则：builtin-3');
  await page.screenshot({ path: path.join(shots, 'ops.png'), fullPage: true });
}, 120_000);

test('a township answers an inquiry letter with its written explanation on the case page', async () => {
  const issued = await api.app.inject({ method: 'POST', url: '/api/cases', headers: api.bearer('zzb-zhang'), payload: { township: 'LH', reason: '整顿工作推进缓慢', caseId: 'LH-web' } });
  expect(issued.statusCode).toBe(201);
  const page = await loggedIn('lh-sec', 'lh-sec@township.example.org');
  await page.goto(`${api.url}/cases/LH-web`);
  expect(await page.textContent('main')).toContain('待书面说明');
  // The letter itself, downloadable from the case page: the very bytes mailed to the secretary, under the same 文号.
  const [mailed] = await api.world.mail.sink.waitFor((m) => m.envelopeTo.includes('lh-sec@township.example.org') && m.subject.startsWith('【函询】'));
  const attachment = mailed!.attachments.find((a) => a.filename.endsWith('.docx'))!;
  await expect
    .poll(async () => {
      await page.goto(`${api.url}/cases/LH-web`);
      return page.locator('ul.documents a').count();
    })
    .toBeGreaterThan(0);
  expect(await page.textContent('ul.documents li')).toMatch(/^关于柳河镇软弱涣散农村基层党组织整顿工作的函询函（云组函〔\d{4}〕\d+号）/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('ul.documents a:has-text("Word")')]);
  expect(download.suggestedFilename()).toBe(attachment.filename);
  expect(Buffer.compare(readFileSync((await download.path())!), attachment.content)).toBe(0);
  await page.fill('#explanation textarea[name=rootCause]', '组织干事调整，工作断档');
  await page.fill('#explanation textarea[name=measures]', '明确专人负责，每半月按时上报');
  await page.click('#explanation button[type=submit]');
  // A missing time limit is named next to its field.
  await expect.poll(async () => (await page.locator('#explanation .err').first().textContent()) ?? '').toContain('日期');
  await page.fill('#explanation textarea[name=rootCause]', '组织干事调整，工作断档');
  await page.fill('#explanation textarea[name=measures]', '明确专人负责，每半月按时上报');
  await page.fill('#explanation input[name=timeLimit]', localDateOf(Date.now() + 20 * 86_400_000));
  await page.click('#explanation button[type=submit]');
  await expect.poll(async () => (await page.textContent('main')) ?? '').toContain('书面说明待审阅');
  await page.screenshot({ path: path.join(shots, 'case.png'), fullPage: true });
}, 120_000);

test('a letter the mail server refuses is red on the case and 通知与运维 pages, sent again after the roster is mended, or recorded as handed over', async () => {
  const unknown = new Set(['bt-sec@township.example.org', 'bt-org@township.example.org', 'dp-sec@township.example.org', 'dp-org@township.example.org']);
  api.world.mail.sink.policy = (address) => (unknown.has(address) ? 'reject-permanent' : 'accept');
  for (const [township, caseId] of [['BT', 'BT-web'], ['DP', 'DP-web']] as const) {
    const issued = await api.app.inject({ method: 'POST', url: '/api/cases', headers: api.bearer('zzb-zhang'), payload: { township, reason: '半月进展多次未报送', caseId } });
    expect(issued.statusCode).toBe(201);
  }
  const page = await loggedIn('zzb-zhang', 'zzb-zhang@county.example.org');
  await expect
    .poll(async () => {
      await page.goto(`${api.url}/cases/BT-web`);
      return (await page.locator('#letter-refused').count()) > 0;
    }, { timeout: 20_000 })
    .toBe(true);
  const alert = (await page.textContent('#letter-refused'))!;
  expect(alert).toContain('函询函未能送达');
  expect(alert).toContain('550');
  expect(alert).toContain('书面说明的期限自送达之日起计算');
  // 通知与运维 names whom it was for, what it was, the server's reply and what to do.
  await expect
    .poll(async () => {
      await page.goto(`${api.url}/ops`);
      return page.locator('#deliveries tr', { hasText: 'BT-web' }).count();
    }, { timeout: 20_000 })
    .toBeGreaterThan(0);
  const row = page.locator('#deliveries tr[data-light=red]', { hasText: 'BT-web' }).first();
  const cells = await row.locator('td').allTextContents();
  expect(cells[1]).toContain('函询函');
  expect(cells[2]).toMatch(/（乡镇党委书记）bt-sec@township\.example\.org/);
  expect(cells[4]).toContain('SMTP 550');
  expect(cells[5]).toContain('核对名册中该收件人的邮箱');
  await page.screenshot({ path: path.join(shots, 'ops-refused.png'), fullPage: true });

  // The roster gets the right addresses; 立即重发 sends the letter to them.
  const mended = JSON.parse(readFileSync(api.rosterFile, 'utf8')) as { people: { id: string; email: string }[] };
  for (const p of mended.people) if (p.id === 'bt-sec' || p.id === 'bt-org') p.email = `${p.id}.new@township.example.org`;
  writeFileSync(api.rosterFile, JSON.stringify(mended));
  await row.locator('button:has-text("立即重发")').click();
  expect(await page.textContent('.flash')).toContain('已办理');
  await api.world.mail.sink.waitFor((m) => m.envelopeTo.includes('bt-sec.new@township.example.org') && m.subject.startsWith('【函询】'), 1, 20_000);
  await expect
    .poll(async () => {
      await page.goto(`${api.url}/cases/BT-web`);
      return (await page.textContent('main')) ?? '';
    }, { timeout: 20_000 })
    .toContain(`送达：${localDateOf(Date.now())}（邮件）`);
  expect(await page.locator('#letter-refused').count()).toBe(0);
  expect(await page.textContent('main')).toContain('运维人员要求立即重发通知（1条）');

  // 东坡乡's letter is handed over instead, and recorded on its page.
  await expect
    .poll(async () => {
      await page.goto(`${api.url}/cases/DP-web`);
      return page.locator('#delivery').count();
    }, { timeout: 20_000 })
    .toBe(1);
  await page.fill('#delivery input[name=means]', '当面送达');
  await page.click('#delivery button[type=submit]');
  await expect.poll(async () => (await page.textContent('main')) ?? '').toContain(`送达：${localDateOf(Date.now())}（当面送达，王建国记录）`);
  expect(await page.locator('#letter-refused').count()).toBe(0);
  // The register of 文号 lists each number with the document that bears it, as mailed.
  const number = /云组函〔\d{4}〕\d+号/.exec((await page.textContent('ul.documents'))!)![0];
  await page.goto(`${api.url}/ledger`);
  const registered = page.locator('#doc-numbers + table tr', { hasText: 'DP-web' });
  expect(await registered.locator('td').first().textContent()).toBe(number);
  expect(await registered.locator('td').nth(1).textContent()).toBe('关于东坡乡软弱涣散农村基层党组织整顿工作的函询函');
  api.world.mail.sink.policy = () => 'accept';
}, 120_000);

test('on a phone (390 px) every page fits the screen: no sideways scrolling, each table row a card whose values say what they are', async () => {
  expect((await api.app.inject({ method: 'POST', url: '/api/villages/SL08/designate', headers: api.bearer('zzb-zhang'), payload: { redesignate: `${month}-01` } })).statusCode).toBe(201);
  const page = await loggedIn('zzb-zhang', 'zzb-zhang@county.example.org', { width: 390, height: 844 });
  for (const path_ of ['/', '/dashboard', '/villages/SL08', '/townships/SL', '/ledger', '/ops']) {
    await page.goto(`${api.url}${path_}`);
    // Evaluated in the page (a string: the test's own types know no DOM).
    const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');
    expect(scroll, `${path_} is ${scroll} px wide on a ${client} px screen`).toBeLessThanOrEqual(client);
  }
  // A duty on the target's page: a card, its header row hidden, each value labelled.
  await page.goto(`${api.url}/villages/SL08`);
  const row = page.locator('tr[data-light]').first();
  expect(await page.evaluate<string>("getComputedStyle(document.querySelector('tr[data-light]')).display")).toBe('block');
  expect(await page.locator('tr:has(> th)').first().isVisible()).toBe(false);
  expect(await row.locator('td').nth(2).getAttribute('data-label')).toBe('截止日期');
  await page.screenshot({ path: path.join(shots, 'phone-target.png'), fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1500 } });
  // The page's actions are listed at its top, in the first screen; a link leads to its form.
  await page.goto(`${api.url}/townships/SL`);
  const actions = page.locator('nav.actions a');
  expect(await actions.allTextContents()).toContain('记录督导检查（六(三)）');
  const top = await page.locator('nav.actions').boundingBox();
  expect(top!.y + top!.height).toBeLessThan(844);
  await actions.filter({ hasText: '记录督导检查' }).click();
  await expect.poll(async () => page.evaluate<number>("document.querySelector('#inspection').getBoundingClientRect().top")).toBeLessThan(100);
  await page.screenshot({ path: path.join(shots, 'phone-township.png') });
  await page.goto(`${api.url}/dashboard`);
  await page.screenshot({ path: path.join(shots, 'phone-dashboard.png'), fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1500 } });
}, 120_000);
