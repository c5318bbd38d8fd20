import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { SESSION_COOKIE } from '../../src/api/server';
import { Login, TokenSealer } from '../../src/service/identity';
import { ServiceError } from '../../src/service/errors';
import { sampleRosterFile } from '../support/mail';
import { useApiWorld } from '../support/api';

/**
 * Login by a one-time code mailed to the roster address, as a person does it: the code is read
 * from the mail the SMTP server received.
 */
const api = useApiWorld();

function codeIn(subject: string): string {
  return /【登录验证码】(\d{6})/.exec(subject)![1]!;
}

async function requestCode(who: string, ip = '10.0.0.1') {
  return api.app.inject({ method: 'POST', url: '/api/login/code', payload: { who }, remoteAddress: ip });
}

/** The code in the latest mail to this address (the request returns once the SMTP server has taken it). */
function mailedCode(email: string): string {
  const latest = api.world.mail.sink.to(email).at(-1);
  if (!latest) throw new Error(`no mail to ${email}`);
  return codeIn(latest.subject);
}

describe('login by a mailed code', () => {
  test('a session: the code arrives by mail, a wrong one is refused with the tries left, the right one opens a session', async () => {
    const res = await requestCode('qs-sec');
    expect(res.statusCode).toBe(202);
    const mail = api.world.mail.sink.to('qs-sec@township.example.org').at(-1)!;
    expect(mail.text).toContain('张振华同志：');
    const code = codeIn(mail.subject);

    const wrong = await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who: 'qs-sec', code: code === '000000' ? '000001' : '000000' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'unauthenticated', message: '验证码错误，还可尝试4次' });

    const ok = await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who: 'qs-sec', code } });
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const { csrfToken } = ok.json<{ csrfToken: string }>();
    const me = await api.app.inject({ method: 'GET', url: '/api/me', cookies: { [SESSION_COOKIE]: cookie.value } });
    expect(me.json()).toMatchObject({ person: { id: 'qs-sec', role: 'township-party-secretary', township: 'QS' } });
    // Security headers on every response.
    expect(me.headers['x-content-type-options']).toBe('nosniff');
    expect(me.headers['x-frame-options']).toBeDefined();
    expect(me.headers['content-security-policy']).toContain("frame-ancestors 'none'");

    // The code is spent.
    expect((await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who: 'qs-sec', code } })).statusCode).toBe(401);

    // A mutating request on the cookie needs the CSRF token.
    const body = { obligationId: 'nope', fulfilledOn: '2026-11-01' };
    const noCsrf = await api.app.inject({ method: 'POST', url: '/api/townships/QS/duties/fulfil', cookies: { [SESSION_COOKIE]: cookie.value }, payload: body });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().message).toBe('缺少或错误的CSRF令牌，请刷新页面后重试');
    const withCsrf = await api.app.inject({
      method: 'POST',
      url: '/api/townships/QS/duties/fulfil',
      cookies: { [SESSION_COOKIE]: cookie.value },
      headers: { 'x-csrf-token': csrfToken },
      payload: body,
    });
    expect(withCsrf.statusCode).not.toBe(403);

    // A cookie altered by one character is no session.
    const tampered = cookie.value.slice(0, -2) + (cookie.value.at(-2) === 'A' ? 'B' : 'A') + cookie.value.at(-1);
    const bad = await api.app.inject({ method: 'GET', url: '/api/me', cookies: { [SESSION_COOKIE]: tampered } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().message).toBe('登录已过期，请重新登录');
    expect((await api.app.inject({ method: 'GET', url: '/api/me' })).json()).toEqual({ error: 'unauthenticated', message: '请先登录' });
  });

  test('a bearer token for the CLI, by the same flow; a session cookie is no bearer token', async () => {
    await requestCode('zzb-zhang@county.example.org');
    const code = mailedCode('zzb-zhang@county.example.org');
    const res = await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who: 'zzb-zhang', code, kind: 'bearer' } });
    expect(res.statusCode).toBe(200);
    const { token } = res.json<{ token: string }>();
    expect(res.cookies).toEqual([]);
    const me = await api.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ person: { id: 'zzb-zhang', role: 'org-department-staff' } });
    const session = api.sealer.seal({ sub: 'zzb-zhang', kind: 'session', exp: Date.now() + 60_000, csrf: 'x' });
    expect((await api.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${session}` } })).statusCode).toBe(401);
  });

  test('five wrong tries spend the code; a person not in the roster gets the same answer and no mail', async () => {
    await requestCode('lh-sec', '10.0.0.2');
    const code = mailedCode('lh-sec@township.example.org');
    const wrong = code === '111111' ? '222222' : '111111';
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push((await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who: 'lh-sec', code: wrong } })).json().message);
    expect(answers).toEqual(['验证码错误，还可尝试4次', '验证码错误，还可尝试3次', '验证码错误，还可尝试2次', '验证码错误，还可尝试1次', '验证码错误次数过多，已失效，请重新获取']);
    expect((await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who: 'lh-sec', code } })).statusCode).toBe(401);

    const received = api.world.mail.sink.received.length;
    const unknown = await requestCode('nobody@example.org', '10.0.0.2');
    expect(unknown.statusCode).toBe(202);
    expect(unknown.json()).toEqual((await requestCode('lh-org', '10.0.0.2')).json());
    mailedCode('lh-org@township.example.org');
    expect(api.world.mail.sink.received.length).toBe(received + 1);
  });

  test('bad input names the field; codes are rate-limited per person and per client', async () => {
    const bad = await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who: 'qs-org', code: '12ab', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('code：验证码为6位数字');
    expect(bad.json().message).toContain('extra');

    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await requestCode('qs-org', '10.0.0.3')).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect((await requestCode('qs-org', '10.0.0.3')).json().message).toBe('获取验证码过于频繁，请十分钟后再试');

    const fromOneClient: number[] = [];
    for (let i = 0; i < 21; i++) fromOneClient.push((await requestCode(`unknown-${i}`, '10.0.0.4')).statusCode);
    expect(fromOneClient.filter((s) => s === 429)).toHaveLength(1);
    expect(fromOneClient.at(-1)).toBe(429);
  });
});

test('a code expires after ten minutes', async () => {
  const roster = readRosterFile(sampleRosterFile);
  let now = Date.parse('2026-11-29T01:00:00Z');
  const key = randomBytes(32);
  const login = new Login({ roster: () => roster, mailer: api.world.mail.mailer, sealer: new TokenSealer(key), hashKey: key, now: () => now });
  await login.requestCode('qs03-fs', 'test');
  const code = mailedCode('qs03-fs@county.example.org');
  now += 10 * 60_000 + 1;
  expect(() => login.verify('qs03-fs', code, 'session')).toThrow(new ServiceError('unauthenticated', '验证码已过期，请重新获取'));
});
