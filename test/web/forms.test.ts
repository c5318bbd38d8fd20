import { expect, test } from 'vitest';
import { SESSION_COOKIE } from '../../src/api/server';
import { localDateOf } from '../../src/domain/calendar';
import { useApiWorld } from '../support/api';

/**
 * A form that comes back with an error keeps what was typed, and says what to correct in words
 * an official reads: the message beside its field, no internal field names (entries.0.progress).
 */
const api = useApiWorld();

test('a refused half-monthly report comes back with what was typed and the problem beside its field', async () => {
  const head = { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` };
  for (const v of ['QS03', 'QS07']) expect((await api.app.inject({ method: 'POST', url: `/api/villages/${v}/designate`, headers: head, payload: {} })).statusCode).toBe(201);
  const cookie = api.sealer.seal({ sub: 'qs-org', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'c' });
  const today = localDateOf(Date.now());
  const period = `${today.slice(0, 7)}-H${today.slice(8) <= '15' ? 1 : 2}`;
  const typed = '召开村两委会议，研究整改';
  const body = new URLSearchParams({
    _csrf: 'c',
    _back: '/townships/QS',
    _form: 'report',
    period,
    'entries.0.village': 'QS03',
    'entries.0.progress': typed,
    'entries.0.problems': '短', // fine
    'entries.0.nextSteps': '',
    'entries.1.village': 'QS07',
    'entries.1.progress': '无', // too short: 工作进展至少4个字
    'entries.1.attest.three-meetings-one-lesson:optional': `${today.slice(0, 8)}01`,
  }).toString();
  const res = await api.app.inject({ method: 'POST', url: '/do/api/townships/QS/reports', cookies: { [SESSION_COOKIE]: cookie }, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.statusCode).toBe(302);
  const location = res.headers.location as string;
  expect(location).toMatch(/^\/townships\/QS\?err=[\w-]+#report$/);
  const page = await api.app.inject({ method: 'GET', url: location.replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: cookie } });
  expect(page.statusCode).toBe(200);
  const html = page.body;
  expect(html).toContain('填写有误，请按提示修改后重新提交（已填写的内容已保留）。');
  expect(html).not.toMatch(/entries\.\d+\.\w+：/);
  // What was typed is back in its field; the problem stands beside the field it concerns.
  expect(html).toContain(`<textarea name="entries.0.progress" placeholder="">${typed}</textarea>`);
  expect(html).toMatch(/<span class="err">工作进展至少4个字<\/span><textarea name="entries\.1\.progress" placeholder="">无<\/textarea>/);
  expect(html).toContain(`name="entries.1.attest.three-meetings-one-lesson:optional" value="${today.slice(0, 8)}01"`);
  // Another person opening the same address sees nothing of it.
  const other = api.sealer.seal({ sub: 'qs-sec', kind: 'session', exp: Date.now() + 3_600_000, csrf: 'd' });
  const theirs = await api.app.inject({ method: 'GET', url: location.replace(/#.*$/, ''), cookies: { [SESSION_COOKIE]: other } });
  expect(theirs.body).not.toContain(typed);
});
