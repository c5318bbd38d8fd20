import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { useApiWorld } from '../support/api';
import { cli } from '../support/cli';

/**
 * The CLI as officials and scripts use it against the API: log in by the mailed code, act as
 * that person, and rely on the exit codes (0 done, 2 bad input, 3 refused, 4 not found, 5
 * unavailable).
 */
const dir = mkdtempSync(path.join(tmpdir(), 'cli-api-'));
const api = useApiWorld();

test('login by the mailed code, then act as that person, with exit codes scripts can rely on', async () => {
  const env = { API_URL: api.url, CLI_TOKEN_FILE: path.join(dir, 'token') };
  await api.app.inject({ method: 'POST', url: '/api/villages/QS03/designate', headers: api.bearer('zzb-zhang'), payload: {} });

  expect(await cli(['whoami'], env)).toMatchObject({ code: 3, stderr: '错误：尚未登录：请先执行 login --who <人员编号或邮箱>\n' });
  expect((await cli(['login-code', '--who', 'qs-sec'], env)).code).toBe(0);
  const code = /【登录验证码】(\d{6})/.exec(api.world.mail.sink.to('qs-sec@township.example.org').at(-1)!.subject)![1]!;
  expect((await cli(['login', '--who', 'qs-sec', '--code', code === '000000' ? '000001' : '000000'], env)).code).toBe(3);
  const login = await cli(['login', '--who', 'qs-sec', '--code', code], env);
  expect(login).toMatchObject({ code: 0, stderr: '' });
  expect(login.stdout).toMatch(/^已登录：张振华（qs-sec），有效期至\d{4}-\d{2}-\d{2}。\n$/);
  expect(statSync(env.CLI_TOKEN_FILE).mode & 0o777).toBe(0o600);
  expect((await cli(['whoami'], env)).stdout).toBe('张振华（qs-sec，township-party-secretary，QS）\n');

  const plan = path.join(dir, 'plan.yaml');
  writeFileSync(plan, 'summary: 规范“两会两票”，公开村务财务\nmeasures:\n  - 每季度公开村务财务\n');
  const submitted = await cli(['act', 'plan-submit', '--village', 'QS03', '--file', plan], env);
  expect(submitted).toMatchObject({ code: 0, stderr: '', stdout: '已办理：报送整顿方案　当前：整顿方案待审核\n' });

  // Bad input 2, refused 3, not found 4.
  expect(await cli(['act', 'plan-submit', '--village', 'QS03', '--file', plan, '--set', 'submittedBy=zzb-head'], env)).toMatchObject({
    code: 2,
    stderr: '错误：submittedBy：由登录身份确定，不能在请求中填写\n',
  });
  expect(await cli(['act', 'plan-review', '--village', 'QS03', '--set', 'decision=approve'], env)).toMatchObject({ code: 3, stderr: '错误：张振华（乡镇党委书记）无权审核整顿方案\n' });
  expect(await cli(['act', 'plan-submit', '--village', 'QS99', '--file', plan], env)).toMatchObject({ code: 4, stderr: '错误：名册中没有村（社区）QS99\n' });
  expect(await cli(['act', 'duty-fulfil', '--set', 'obligationId=x'], env)).toMatchObject({ code: 2, stderr: '错误：请给出且只给出一个对象：--village / --township / --case / --county\n' });

  // Reads, as JSON for scripts.
  const got = await cli(['get', 'village', 'QS03'], env);
  expect(JSON.parse(got.stdout)).toMatchObject({ village: 'QS03', stage: 'plan-submitted' });
  const listed = await cli(['entities', '--json'], env);
  expect((JSON.parse(listed.stdout) as { workflowId: string }[]).map((i) => i.workflowId)).toEqual(expect.arrayContaining(['village:QS03', 'township:QS']));

  // Nobody answering: 5.
  const down = await cli(['whoami'], { ...env, API_URL: 'http://127.0.0.1:1' });
  expect(down.code).toBe(5);
  expect(down.stderr).toMatch(/^错误：无法连接服务（http:\/\/127\.0\.0\.1:1，API_URL）/);
  expect((await cli(['logout'], env)).stdout).toBe('已退出登录。\n');
  expect((await cli(['whoami'], env)).code).toBe(3);
}, 120_000);
