import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildApi, SESSION_COOKIE } from '../../src/api/server';
import { loadConfig } from '../../src/config';
import { builtinPolicy } from '../../src/domain/policy';
import { localDateOf } from '../../src/domain/calendar';
import { Login } from '../../src/service/identity';
import { readRosterFile } from '../../src/activities/roster-file';
import { official2027 } from '../support/calendar';
import { useApiWorld } from '../support/api';

/**
 * The security review's findings, each as the attacker tried it, through the API and the
 * workbench of a running system (dev server, real SMTP sink): every one of these passed on the
 * code the review read.
 */
const api = useApiWorld();
const codeIn = (subject: string): string => /(\d{6})/.exec(subject)![1]!;
const cookieOf = (person: string, csrf = 'csrf-t'): string => api.sealer.seal({ sub: person, kind: 'session', exp: Date.now() + 3_600_000, csrf });

let clients = 0;
async function loginWithCode(who: string, email: string, kind: 'session' | 'bearer'): Promise<{ cookie?: string; csrf?: string; token?: string }> {
  // Each login from a client of its own: the per-client limit is not what these tests are about.
  expect((await api.app.inject({ method: 'POST', url: '/api/login/code', payload: { who }, remoteAddress: `10.200.0.${++clients}` })).statusCode).toBe(202);
  const code = codeIn(api.world.mail.sink.to(email).at(-1)!.subject);
  const res = await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who, code, kind } });
  expect(res.statusCode).toBe(200);
  if (kind === 'bearer') return { token: res.json<{ token: string }>().token };
  return { cookie: res.cookies.find((c) => c.name === SESSION_COOKIE)!.value, csrf: res.json<{ csrfToken: string }>().csrfToken };
}

describe('the workbench', () => {
  test('a form field named after a prototype is refused, pollutes nothing, and grants nothing', async () => {
    const cookie = cookieOf('qs03-vs');
    const res = await api.app.inject({
      method: 'POST',
      url: '/do/api/villages/QS03/duties/fulfil',
      cookies: { [SESSION_COOKIE]: cookie },
      payload: 'constructor.prototype.village-party-secretary=county&_csrf=csrf-t&_back=%2Fvillages%2FQS03',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(302);
    const page = await api.app.inject({ method: 'GET', url: res.headers.location as string, cookies: { [SESSION_COOKIE]: cookie } });
    expect(page.body).toContain('不接受字段名“constructor.prototype.village-party-secretary”');
    expect(Object.keys(Object.prototype)).toEqual([]);
    // The village secretary still may not read the department's ledgers or publish a calendar.
    const bearer = { authorization: `Bearer ${api.sealer.seal({ sub: 'qs03-vs', kind: 'bearer', exp: Date.now() + 60_000 })}` };
    expect((await api.app.inject({ method: 'GET', url: '/api/ledger/targets', headers: bearer })).statusCode).toBe(403);
    expect((await api.app.inject({ method: 'POST', url: '/api/calendar/publish', headers: bearer, payload: official2027 })).statusCode).toBe(403);
    // Everyone else's requests are as before.
    const list = await api.app.inject({ method: 'GET', url: '/api/entities', headers: { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-zhang', kind: 'bearer', exp: Date.now() + 60_000 })}` } });
    expect(list.statusCode).toBe(200);
  });

  test('a page shows only messages the server kept: not what a link says', async () => {
    const login = await api.app.inject({ method: 'GET', url: `/login?err=${encodeURIComponent('请将验证码发送至 it-support@evil.example')}` });
    expect(login.statusCode).toBe(200);
    expect(login.body).not.toContain('evil.example');
    const forged = Buffer.from(JSON.stringify({ message: '系统升级，请将验证码回复至 it@evil.example', fields: [] })).toString('base64url');
    for (const q of [`err=${forged}`, `done=${encodeURIComponent('已办理：全部完成')}`, 'err=%ZZ', `err=${'A'.repeat(5000)}`]) {
      const res = await api.app.inject({ method: 'GET', url: `/?${q}`, cookies: { [SESSION_COOKIE]: cookieOf('qs-org') } });
      expect(res.statusCode, q).toBe(200);
      expect(res.body).not.toContain('evil.example');
      expect(res.body).not.toContain('全部完成');
    }
  });

  test('next leads only to a page of this site', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/login', payload: 'who=bt-org&next=%2F%5Cevil.example%2Fphish', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(302);
    const location = new URL(res.headers.location as string, 'http://x');
    expect(location.pathname).toBe('/login/code');
    expect(location.searchParams.get('next')).toBe('/');
  });

  test('the local mailbox: not without a session, not for a village post, for the department', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/dev/mail' })).statusCode).toBe(401);
    expect((await api.app.inject({ method: 'GET', url: '/dev/mail', cookies: { [SESSION_COOKIE]: cookieOf('qs03-vs') } })).statusCode).toBe(403);
    expect((await api.app.inject({ method: 'GET', url: '/dev/mail', cookies: { [SESSION_COOKIE]: cookieOf('qs-sec') } })).statusCode).toBe(403);
    await api.app.inject({ method: 'POST', url: '/api/login/code', payload: { who: 'qs03-fs' }, remoteAddress: '10.201.0.1' });
    const dept = await api.app.inject({ method: 'GET', url: '/dev/mail', cookies: { [SESSION_COOKIE]: cookieOf('zzb-zhang') } });
    expect(dept.statusCode).toBe(200);
    expect(dept.body).toContain('【登录验证码】');
  });
});

describe('sessions end', () => {
  test('logout ends the cookie; logout everywhere ends every bearer token; reuse is 401', async () => {
    const web = await loginWithCode('qs-org', 'qs-org@township.example.org', 'session');
    const cli = await loginWithCode('qs-org', 'qs-org@township.example.org', 'bearer');
    const me = (h: Record<string, string>, cookies: Record<string, string> = {}) => api.app.inject({ method: 'GET', url: '/api/me', headers: h, cookies });
    expect((await me({}, { [SESSION_COOKIE]: web.cookie! })).statusCode).toBe(200);
    const out = await api.app.inject({ method: 'POST', url: '/api/logout', cookies: { [SESSION_COOKIE]: web.cookie! }, headers: { 'x-csrf-token': web.csrf! }, payload: {} });
    expect(out.json()).toEqual({ message: '已退出登录' });
    expect((await me({}, { [SESSION_COOKIE]: web.cookie! })).statusCode).toBe(401);
    // The CLI's token is another session: still valid, until "everywhere".
    const bearer = { authorization: `Bearer ${cli.token!}` };
    expect((await me(bearer)).statusCode).toBe(200);
    const other = { token: api.sealer.seal({ sub: 'qs-org', kind: 'bearer', exp: Date.now() + 60_000 }) };
    expect((await api.app.inject({ method: 'POST', url: '/api/logout', headers: bearer, payload: { everywhere: true } })).json()).toEqual({ message: '已在所有设备上退出登录' });
    expect((await me(bearer)).statusCode).toBe(401);
    expect((await me({ authorization: `Bearer ${other.token!}` })).statusCode).toBe(401);
    // Logging in again works.
    await new Promise((r) => setTimeout(r, 5));
    const again = await loginWithCode('qs-org', 'qs-org@township.example.org', 'bearer');
    expect((await me({ authorization: `Bearer ${again.token!}` })).statusCode).toBe(200);
  });

  test('the workbench logout ends the cookie there and then', async () => {
    const web = await loginWithCode('lh-org', 'lh-org@township.example.org', 'session');
    const res = await api.app.inject({ method: 'POST', url: '/logout', cookies: { [SESSION_COOKIE]: web.cookie! }, payload: `_csrf=${web.csrf!}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(302);
    const page = await api.app.inject({ method: 'GET', url: '/', cookies: { [SESSION_COOKIE]: web.cookie! } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toMatch(/^\/login/);
  });

  test('the department ends a person\'s sessions; nobody else may', async () => {
    const cli = await loginWithCode('lh-sec', 'lh-sec@township.example.org', 'bearer');
    const bearer = { authorization: `Bearer ${cli.token!}` };
    const byOperator = await api.app.inject({ method: 'POST', url: '/api/people/lh-sec/sessions/end', headers: { authorization: `Bearer ${api.sealer.seal({ sub: 'ops-wu', kind: 'bearer', exp: Date.now() + 60_000 })}` } });
    expect(byOperator.statusCode).toBe(403);
    expect((await api.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(200);
    const byDept = await api.app.inject({ method: 'POST', url: '/api/people/lh-sec/sessions/end', headers: { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-head', kind: 'bearer', exp: Date.now() + 60_000 })}` } });
    expect(byDept.json()).toEqual({ message: '已结束lh-sec的全部登录', person: 'lh-sec' });
    expect((await api.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(401);
  });
});

describe('login codes', () => {
  test('a failed login is audited with the id tried and the client; ten wrong codes a day lock the login until the department unlocks it', async () => {
    const wrong = async (): Promise<string> => (await api.app.inject({ method: 'POST', url: '/api/login/verify', payload: { who: 'dp-org', code: '000000' }, remoteAddress: '10.7.7.7' })).json<{ message: string }>().message;
    const codes: string[] = [];
    // Two codes, five wrong tries each: the tenth wrong try locks.
    const answers: string[] = [];
    for (let round = 0; round < 2; round++) {
      expect((await api.app.inject({ method: 'POST', url: '/api/login/code', payload: { who: 'dp-org' }, remoteAddress: `10.7.7.${round + 10}` })).statusCode).toBe(202);
      codes.push(codeIn(api.world.mail.sink.to('dp-org@township.example.org').at(-1)!.subject));
      for (let i = 0; i < 5; i++) answers.push(await wrong());
    }
    expect(codes.every((c) => c !== '000000')).toBe(true);
    expect(answers.at(-1)).toBe('验证码多次输入错误，登录已锁定，请联系县委组织部解锁');
    const audit = api.audit.filter((a) => a.action === 'login.verify' && a.tried === 'dp-org');
    expect(audit).toHaveLength(10);
    expect(audit[0]).toMatchObject({ who: '-', outcome: 401, client: '10.7.7.7', tried: 'dp-org' });
    const [locked] = await api.world.mail.sink.waitFor((m) => m.envelopeTo.includes('dp-org@township.example.org') && m.subject === '【登录已锁定】验证码多次输入错误');
    expect(locked!.text).toContain('登录已被锁定');
    // Locked: a new code is not even mailed (the answer is the same), and the right code does not help.
    const before = api.world.mail.sink.to('dp-org@township.example.org').length;
    expect((await api.app.inject({ method: 'POST', url: '/api/login/code', payload: { who: 'dp-org' }, remoteAddress: '10.7.7.20' })).statusCode).toBe(202);
    expect(api.world.mail.sink.to('dp-org@township.example.org')).toHaveLength(before);
    const unlock = await api.app.inject({ method: 'POST', url: '/api/people/dp-org/login/unlock', headers: { authorization: `Bearer ${api.sealer.seal({ sub: 'zzb-zhang', kind: 'bearer', exp: Date.now() + 60_000 })}` } });
    expect(unlock.json()).toEqual({ message: '已解除dp-org的登录锁定', person: 'dp-org' });
    expect(await wrong()).toBe('验证码无效，请重新获取');
  });

  test('behind a proxy, X-Forwarded-For counts only through the proxies configured: the 21st code from one client is refused', async () => {
    expect(() => loadConfig({ API_TRUST_PROXY: 'true' })).toThrow(/never true/);
    expect(loadConfig({ API_TRUST_PROXY: '10.9.9.9, 192.168.0.0/16' }).api.trustProxy).toEqual(['10.9.9.9', '192.168.0.0/16']);
    expect(loadConfig({ API_TRUST_PROXY: '1' }).api.trustProxy).toBe(1);
    const login = new Login({ roster: () => readRosterFile(api.rosterFile), mailer: api.world.mail.mailer, sealer: api.sealer, hashKey: Buffer.alloc(32, 7) });
    const app = await buildApi({ service: api.service, login, sealer: api.sealer, trustProxy: ['10.9.9.9'] });
    try {
      const ask = (from: string, forwarded: string, who: string) =>
        app.inject({ method: 'POST', url: '/api/login/code', payload: { who }, remoteAddress: from, headers: { 'x-forwarded-for': forwarded } });
      // A client writing a new address each time is still one client.
      const spoofed: number[] = [];
      for (let i = 0; i < 21; i++) spoofed.push((await ask('10.0.0.50', `172.16.0.${i}`, `nobody-${i}`)).statusCode);
      expect(spoofed.slice(0, 20).every((s) => s === 202)).toBe(true);
      expect(spoofed[20]).toBe(429);
      // Through the configured proxy, the address it forwards is the client.
      const proxied: number[] = [];
      for (let i = 0; i < 21; i++) proxied.push((await ask('10.9.9.9', `172.16.1.${i}`, `someone-${i}`)).statusCode);
      expect(proxied.every((s) => s === 202)).toBe(true);
    } finally {
      await app.close();
    }
  });

  test('an unknown id gets the same answer and the same ten-minute limit as a roster person', async () => {
    const ask = (who: string) => api.app.inject({ method: 'POST', url: '/api/login/code', payload: { who }, remoteAddress: '10.5.5.5' });
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 4; i++) {
      known.push((await ask('sl-org')).body);
      unknown.push((await ask('no-such-person')).body);
    }
    expect(unknown).toEqual(known);
    expect(JSON.parse(unknown[3]!)).toEqual({ error: 'rate-limited', message: '获取验证码过于频繁，请十分钟后再试' });
  });
});

describe('decisions to their owners, and text as it was meant', () => {
  const as = (person: string) => ({ authorization: `Bearer ${api.sealer.seal({ sub: person, kind: 'bearer', exp: Date.now() + 60_000 })}` });

  test('an operator may not apply a policy; a calendar no State Council notice would make is refused with the reason', async () => {
    const policy = await api.app.inject({ method: 'POST', url: '/api/policy/apply', headers: as('ops-wu'), payload: { ...builtinPolicy(), version: 'ops-own' } });
    expect(policy.statusCode).toBe(403);
    const holidays: Record<string, string> = { ...official2027.holidays };
    for (let d = 7; d <= 31; d++) holidays[`2027-12-${String(d).padStart(2, '0')}`] = '元旦';
    const calendar = await api.app.inject({ method: 'POST', url: '/api/calendar/publish', headers: as('ops-wu'), payload: { ...official2027, holidays } });
    expect(calendar.statusCode).toBe(400);
    expect(calendar.json().message).toContain('2027-12-07起连续休息25天，超过国务院通常安排的最长假期（12天）');
  });

  test('mutating actions are limited per person, with a 429 in Chinese; another person is not affected', async () => {
    const login = new Login({ roster: () => readRosterFile(api.rosterFile), mailer: api.world.mail.mailer, sealer: api.sealer, hashKey: Buffer.alloc(32, 8) });
    const app = await buildApi({ service: api.service, login, sealer: api.sealer, mutationsPerMinute: 3 });
    try {
      const post = (person: string) => app.inject({ method: 'POST', url: '/api/villages/QS03/plan', headers: as(person), payload: { summary: '' } });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await post('qs-sec')).statusCode);
      expect(statuses).toEqual([400, 400, 400, 429]);
      expect((await post('qs-sec')).json()).toEqual({ error: 'rate-limited', message: '操作过于频繁，请一分钟后再试' });
      expect((await post('qs-org')).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  test('a right-to-left override in a report is refused with its field named', async () => {
    const today = localDateOf(Date.now());
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/villages/QS03/progress',
      headers: as('qs-org'),
      payload: { period: `${today.slice(0, 7)}-H1`, progress: '已完成\u202eCBA村务公开' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toContainEqual({ path: 'progress', message: expect.stringContaining('文字方向控制符') });
  });

  test('a first secretary acts on a target only while its workflow has them assigned', async () => {
    // BT05 gets a second first secretary in the roster, newer: the designation assigns the newer one.
    const roster = JSON.parse(readFileSync(api.rosterFile, 'utf8')) as { people: Record<string, string>[] };
    roster.people.push({ id: 'bt05-fs2', name: '周新民', email: 'bt05-fs2@county.example.org', role: 'first-secretary', village: 'BT05', since: localDateOf(Date.now() - 86_400_000) });
    writeFileSync(api.rosterFile, JSON.stringify(roster));
    expect((await api.app.inject({ method: 'POST', url: '/api/villages/BT05/designate', headers: as('zzb-head'), payload: {} })).statusCode).toBe(201);
    const today = localDateOf(Date.now());
    const progress = (person: string) =>
      api.app.inject({ method: 'POST', url: '/api/villages/BT05/progress', headers: as(person), payload: { period: `${today.slice(0, 7)}-H${today.slice(8) <= '15' ? 1 : 2}`, progress: '走访农户，召开座谈会' } });
    // In the roster for BT05, but not the one assigned.
    const older = await progress('bt05-fs');
    expect(older.statusCode).toBe(403);
    expect(older.json().message).toMatch(/^\S+不是整顿对象BT05现任第一书记，不能填报整顿进展$/);
    expect((await api.app.inject({ method: 'GET', url: '/api/villages/BT05', headers: as('bt05-fs') })).statusCode).toBe(403);
    expect((await progress('bt05-fs2')).statusCode).toBe(200);
    // The department hands the village back to the first one: the one just replaced is refused.
    const reassigned = await api.app.inject({ method: 'POST', url: '/api/villages/BT05/reassign', headers: as('zzb-head'), payload: { role: 'first-secretary', person: 'bt05-fs', effectiveOn: today } });
    expect(reassigned.statusCode).toBe(200);
    expect((await progress('bt05-fs2')).statusCode).toBe(403);
    expect((await progress('bt05-fs')).statusCode).toBe(200);
  });

  test('a change of post in the roster ends the sessions of its former holder', async () => {
    const cli = await loginWithCode('sl-sec', 'sl-sec@township.example.org', 'bearer');
    const bearer = { authorization: `Bearer ${cli.token!}` };
    expect((await api.app.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(200);
    const roster = JSON.parse(readFileSync(api.rosterFile, 'utf8')) as { people: { id: string; role: string; township?: string }[] };
    const person = roster.people.find((p) => p.id === 'sl-sec')!;
    person.role = 'organization-officer';
    writeFileSync(api.rosterFile, JSON.stringify(roster));
    const res = await api.app.inject({ method: 'GET', url: '/api/me', headers: bearer });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('您在名册中的职务已变更，请重新登录');
  });
});
