/**
 * The CLI as a client of the HTTP API: `login` by the mailed code (the token is kept in a file
 * only its owner can read), then every action of the API as `act <action>`, reads as `get` and
 * `entities`. Who acts is the logged-in person, proven by the API, never an option.
 *
 * Exit codes scripts can rely on: 0 done, 2 bad input, 3 refused (not logged in, not allowed,
 * conflicting, rejected by the workflow, too many tries), 4 not found, 5 unavailable.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Argument, type Command, Option } from 'commander';
import { routes, type RouteSpec } from './service/routes';
import type { Config } from './config';
import { loadConfigOrExit } from './config';
import { readDataFile } from './infra/data-file';

/** An answer of the API that is not a success, or no answer; carries its exit code. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

function exitCodeOf(status: number): number {
  if (status === 400 || status === 413 || status === 415) return 2;
  if (status === 404) return 4;
  if (status >= 500) return 5;
  return 3;
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tokenFile: string,
  ) {}

  token(): string | undefined {
    return existsSync(this.tokenFile) ? readFileSync(this.tokenFile, 'utf8').trim() || undefined : undefined;
  }

  saveToken(token: string): void {
    mkdirSync(path.dirname(this.tokenFile), { recursive: true });
    writeFileSync(this.tokenFile, `${token}\n`, { mode: 0o600 });
    chmodSync(this.tokenFile, 0o600);
  }

  forget(): void {
    rmSync(this.tokenFile, { force: true });
  }

  /** A file the API renders (a letter, a workbook), with the name it gives it. */
  async download(url: string): Promise<{ filename: string; content: Buffer }> {
    const token = this.token();
    if (!token) throw new ApiCallError('尚未登录：请先执行 login --who <人员编号或邮箱>', 3);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      throw new ApiCallError(`无法连接服务（${this.baseUrl}，API_URL）：${(err as Error).message}`, 5);
    }
    if (!res.ok) {
      const json = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
      throw new ApiCallError(json?.message ?? `服务返回${res.status}`, exitCodeOf(res.status));
    }
    const disposition = res.headers.get('content-disposition') ?? '';
    const star = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    return { filename: star ? decodeURIComponent(star) : (url.split('/').at(-1) ?? 'download'), content: Buffer.from(await res.arrayBuffer()) };
  }

  async call<T = unknown>(method: 'GET' | 'POST', url: string, body?: unknown, opts: { anonymous?: boolean; query?: Record<string, string> } = {}): Promise<T> {
    const token = opts.anonymous ? undefined : this.token();
    if (!opts.anonymous && !token) throw new ApiCallError('尚未登录：请先执行 login --who <人员编号或邮箱>', 3);
    const qs = opts.query && Object.keys(opts.query).length ? `?${new URLSearchParams(opts.query).toString()}` : '';
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${url}${qs}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new ApiCallError(`无法连接服务（${this.baseUrl}，API_URL）：${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`, 5);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const message = (json as { message?: string } | undefined)?.message ?? `服务返回${res.status}`;
      throw new ApiCallError(message, exitCodeOf(res.status));
    }
    return json as T;
  }
}

/** `--set key=value`: the value as JSON when it parses (numbers, booleans, arrays), else as text. */
function parseSets(sets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const i = s.indexOf('=');
    if (i <= 0) throw new ApiCallError(`--set: 应为 字段=值，收到 ${s}`, 2);
    const raw = s.slice(i + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      /* text */
    }
    out[s.slice(0, i)] = value;
  }
  return out;
}

function readBodyFile(file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = readDataFile(file);
  } catch (err) {
    throw new ApiCallError(`--file: 无法读取 ${file}：${(err as Error).message}`, 2);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ApiCallError(`--file: ${file} 应为一个对象（YAML或JSON）`, 2);
  return data as Record<string, unknown>;
}

/** The CLI name of an action: `plan.submit` → `plan-submit`. */
function commandName(action: string): string {
  return action.replace(/\./g, '-');
}

const entityOptions = [
  { flag: 'village', prefix: '/api/villages/:code', param: 'code', label: '村（社区）编码' },
  { flag: 'township', prefix: '/api/townships/:code', param: 'code', label: '乡镇编码' },
  { flag: 'case', prefix: '/api/cases/:id', param: 'id', label: '函询案件编号' },
  { flag: 'county', prefix: '/api/county', param: undefined, label: '全县' },
] as const;

export function addApiCommands(program: Command, out: (line: string) => void, client?: (config: Config) => ApiClient): void {
  const apiClient = (): ApiClient => {
    const config = loadConfigOrExit();
    return client ? client(config) : new ApiClient(config.cli.apiUrl, config.cli.tokenFile);
  };

  program
    .command('login')
    .description('log in by a code mailed to your roster address; the token is kept for later commands')
    .requiredOption('--who <id>', 'your roster id or email')
    .option('--code <code>', 'the six-digit code (asked for when not given)')
    .action(async (opts: { who: string; code?: string }) => {
      const api = apiClient();
      let code = opts.code;
      if (!code) {
        await api.call('POST', '/api/login/code', { who: opts.who }, { anonymous: true });
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        code = (await rl.question('验证码已发送至名册登记的邮箱，请输入6位验证码：')).trim();
        rl.close();
      }
      const r = await api.call<{ token: string; expiresAt: string; person: { name: string; id: string } }>('POST', '/api/login/verify', { who: opts.who, code, kind: 'bearer' }, { anonymous: true });
      api.saveToken(r.token);
      out(`已登录：${r.person.name}（${r.person.id}），有效期至${r.expiresAt.slice(0, 10)}。`);
    });

  program
    .command('login-code')
    .description('only mail a login code (for scripts that read it elsewhere)')
    .requiredOption('--who <id>', 'roster id or email')
    .action(async (opts: { who: string }) => {
      const r = await apiClient().call<{ message: string }>('POST', '/api/login/code', { who: opts.who }, { anonymous: true });
      out(r.message);
    });

  program
    .command('logout')
    .description('end the kept token at the API and forget it (--everywhere: every session of this person)')
    .option('--everywhere', 'end every session and token of this person, on every device')
    .action(async (opts: { everywhere?: boolean }) => {
      const api = apiClient();
      // Ended at the API first, so the token is of no use to whoever copied it; forgotten here whatever the API says.
      const r = await api.call<{ message: string }>('POST', '/api/logout', { everywhere: opts.everywhere === true }).catch(() => ({ message: '已退出登录（本机令牌已删除；服务器不可达或令牌已失效）。' }));
      api.forget();
      out(r.message.endsWith('。') ? r.message : `${r.message}。`);
    });

  program
    .command('whoami')
    .description('who the kept token is')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = await apiClient().call<{ person: { id: string; name: string; role: string; township?: string; village?: string } }>('GET', '/api/me');
      if (opts.json) out(JSON.stringify(r.person));
      else out(`${r.person.name}（${r.person.id}，${r.person.role}${r.person.township ? `，${r.person.township}` : ''}${r.person.village ? `，${r.person.village}` : ''}）`);
    });

  program
    .command('get')
    .description('one entity as JSON: village <code> | township <code> | case <id> | county')
    .addArgument(new Argument('<kind>', 'village, township, case or county').choices(['village', 'township', 'case', 'county']))
    .argument('[id]', 'code or case id')
    .action(async (kind: string, id?: string) => {
      if (kind !== 'county' && !id) throw new ApiCallError(`get ${kind}: 请给出编码`, 2);
      const url = kind === 'county' ? '/api/county' : `/api/${kind === 'case' ? 'cases' : `${kind}s`}/${encodeURIComponent(id!)}`;
      out(JSON.stringify(await apiClient().call('GET', url), null, 2));
    });

  program
    .command('entities')
    .description('targets, townships and cases you may see, from the search attributes')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(['village', 'township', 'case']))
    .option('--township <code>', 'only this township')
    .option('--overdue', 'only those with an overdue duty')
    .option('--failed', 'only those with failed deliveries')
    .option('--delayed', 'only those whose mail waits for the mail server')
    .option('--closed', 'include ended ones')
    .option('--json', 'print JSON')
    .action(async (opts: { kind?: string; township?: string; overdue?: boolean; failed?: boolean; delayed?: boolean; closed?: boolean; json?: boolean }) => {
      const query: Record<string, string> = {};
      for (const k of ['kind', 'township'] as const) if (opts[k]) query[k] = opts[k]!;
      for (const k of ['overdue', 'failed', 'delayed', 'closed'] as const) if (opts[k]) query[k] = 'true';
      const items = await apiClient().call<{ kind: string; workflowId: string; township: string; stage: string; overdue: boolean; failedDeliveries: number; deliveryDelayed: boolean; nextDue?: string }[]>('GET', '/api/entities', undefined, { query });
      if (opts.json) return out(JSON.stringify(items, null, 2));
      for (const i of items) out([i.workflowId, i.stage || '—', i.overdue ? '已逾期' : '未逾期', `通知失败 ${i.failedDeliveries}`, i.deliveryDelayed ? '通知待发' : ''].filter(Boolean).join('　'));
      out(`共${items.length}项。`);
    });

  const act = program.command('act').description('every action of the API, as the logged-in person (act --help lists them)');
  const byAction = new Map<string, RouteSpec[]>();
  for (const r of routes.filter((x) => x.method === 'POST')) byAction.set(r.action, [...(byAction.get(r.action) ?? []), r]);
  for (const [action, specs] of byAction) {
    const summary = specs.length > 1 ? specs[0]!.summary.replace('整顿对象', '整顿对象、乡镇、函询案件或县委') : specs[0]!.summary;
    const cmd = act.command(commandName(action)).description(summary);
    const targets = entityOptions.filter((e) => specs.some((s) => s.url.startsWith(e.prefix)));
    for (const e of targets) cmd.addOption(e.param ? new Option(`--${e.flag} <id>`, e.label) : new Option(`--${e.flag}`, e.label));
    cmd.option('--file <file>', 'the body, YAML or JSON').option('--set <field=value...>', 'body fields (JSON values where they parse)').option('--json', 'print the result as JSON');
    cmd.action(async (opts: Record<string, unknown>) => {
      const chosen = targets.filter((e) => opts[e.flag] !== undefined);
      if (targets.length > 0 && chosen.length !== 1) throw new ApiCallError(`请给出且只给出一个对象：${targets.map((e) => `--${e.flag}`).join(' / ')}`, 2);
      const target = chosen[0];
      const spec = target ? specs.find((s) => s.url.startsWith(target.prefix))! : specs[0]!;
      const url = target?.param ? spec.url.replace(`:${target.param}`, encodeURIComponent(String(opts[target.flag]))) : spec.url;
      const body = { ...(opts.file ? readBodyFile(String(opts.file)) : {}), ...parseSets((opts.set as string[] | undefined) ?? []) };
      const result = await apiClient().call<Record<string, unknown>>('POST', url, body);
      if (opts.json) return out(JSON.stringify(result, null, 2));
      const stage = typeof result.stageLabel === 'string' ? `　当前：${result.stageLabel}` : '';
      out(`已办理：${spec.summary.replace(/（.*$/, '')}${stage}`);
    });
  }
}
