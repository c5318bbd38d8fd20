import path from 'node:path';
import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { SESSION_COOKIE } from '../../src/api/server';
import { designateTarget } from '../../src/client/supervision';
import { sampleRosterFile } from '../support/mail';
import { useApiWorld } from '../support/api';
import { shots, useBrowser } from '../support/browser';
import { advanceTo } from '../support/village';

/**
 * 柳河镇 reports nothing from its targets' designation in October 2018: by February 2019 its
 * missed half-monthly reports have made proposals of an inquiry letter (六(三), county practice:
 * two lapses in a quarter). The organization department issues the letter on the proposal from
 * the township's page, and the ledger page lists its addressees (六(四)). On the time-skipping
 * server, where those months pass in seconds.
 */
const api = useApiWorld({ startAt: '2018-10-16T00:00:00Z' });
const roster = readRosterFile(sampleRosterFile);
const browser = useBrowser();


test('the department issues a letter on a township proposal; the ledger lists its addressees', async () => {
  for (const v of ['LH02', 'LH09']) await designateTarget(api.world.env.client, api.world.taskQueue, roster, v);
  await advanceTo(api.world.env, '2019-02-10T03:00:00Z');

  const context = await browser().newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  // The department's member, logged in (the login by mailed code is tested on its own).
  const session = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'csrf-test' });
  await context.addCookies([{ name: SESSION_COOKIE, value: session, url: api.url }]);
  const page = await context.newPage();
  await page.goto(`${api.url}/townships/LH`);
  const main = (await page.textContent('main'))!;
  expect(main).toContain('函询建议');
  expect(main).toContain('待县委组织部决定');
  const form = page.locator('form[id^="issue-"]').first();
  const quarter = (await form.locator('input[name=proposalQuarter]').inputValue())!;
  await form.locator('textarea[name=reason]').fill('半月进展多次未按时报送');
  await page.screenshot({ path: path.join(shots, 'township-proposal.png'), fullPage: true });
  await form.locator('button[type=submit]').click();
  await expect.poll(async () => (await page.textContent('.flash')) ?? '').toContain('已办理：发出函询函');
  expect(await page.textContent('main')).toMatch(new RegExp(`已决定函询（案件LH-${quarter}-inquiry）`));

  await expect
    .poll(async () => {
      await page.goto(`${api.url}/ledger?year=2019`);
      return (await page.textContent('main')) ?? '';
    }, { timeout: 20_000 })
    .toMatch(/陈卫东[\s\S]*杨桂兰|杨桂兰[\s\S]*陈卫东/);
}, 180_000);
