/**
 * The workbench: server-rendered pages in Chinese for every post, over the same service layer as
 * the API (authorization and validation decided there). Forms post without JavaScript to `/do/…`,
 * which runs the API route of the same path as the session's person and comes back to the page,
 * with the service's field errors shown next to the fields.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CalendarStore } from '../activities/calendar-store';
import { routes, type RouteSpec } from '../service/routes';
import { caseStageLabels, type InquiryView } from '../contracts/inquiry';
import type { ObligationView } from '../contracts/common';
import type { TownshipView } from '../contracts/township';
import { evaluationGradeLabels, evaluationGrades } from '../contracts/programme';
import { attestableDuties, stageLabels, type VillageView } from '../contracts/village';
import { localDateOf, periodById, periodOf, WorkCalendar, yearOf } from '../domain/calendar';
import { accountabilityGrounds, type Consequence } from '../domain/consequences';
import { ratingHistoryText } from '../domain/criteria';
import { roleLabels, type Roster } from '../domain/roster';
import { docNumberText, chinaTime, personName as nameOfPerson, townshipName as nameOfTownship, villageLabel } from '../domain/names';
import { ForbiddenError, may, mayFulfil, type Action, type Actor, type EntityRef } from '../service/authorization';
import { httpStatus, ServiceError } from '../service/errors';
import type { Login, TokenClaims, TokenSealer } from '../service/identity';
import { SESSION_TTL_MS } from '../service/identity';
import { takeMutation, type RateLimiter } from '../service/rate-limit';
import type { ListItem, Service } from '../service/service';
import { countyFigures, townshipLine } from './figures';
import { routineOfHalf } from './routine';
import { FlashStore, safeBack, type PageError } from './flash';
import { FormFieldError, formToBody, parseUrlEncoded } from './forms';
import { html, raw, type Html } from './html';

export interface MailboxMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly at: string;
}

export interface WebDeps {
  readonly service: Service;
  readonly login: Login;
  readonly sealer: TokenSealer;
  readonly roster: () => Roster;
  readonly calendar: CalendarStore;
  readonly sessionCookie: string;
  readonly secureCookies: boolean;
  /** The local SMTP sink's messages, in the embedded default only (`/dev/mail`). */
  readonly mailbox?: () => readonly MailboxMessage[];
  /** The Temporal UI, for operators' links to each workflow. */
  readonly temporalUi?: string;
  /** Why the roster file as it is now is not in use (the last valid one is). */
  readonly rosterProblem?: () => Error | undefined;
  /** Mutating actions per person, shared with the API. */
  readonly mutations: RateLimiter;
}

const STYLE = raw(`
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#f6f6f4}
header{background:#b71c1c;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
header a,header button{color:#fff;text-decoration:none;background:none;border:0;font:inherit;cursor:pointer}
header .who{margin-left:auto;font-size:.9em}
main{padding:1em 1.5em;max-width:1200px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
.light{display:inline-block;width:.9em;height:.9em;border-radius:50%;vertical-align:middle;margin-right:.3em}
.red{background:#d32f2f}.yellow{background:#f9a825}.green{background:#388e3c}
.numbers strong{font-size:1.3em;margin:0 .15em}.legend{white-space:nowrap}.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.2em;vertical-align:middle}svg.figures{display:block;max-width:100%;margin:.4em 0}
.flash{background:#e8f5e9;border:1px solid #a5d6a7;padding:.5em}.error{background:#ffebee;border:1px solid #ef9a9a;padding:.5em}
.err{color:#c62828;font-size:.9em;margin-left:.5em}
form.inline{display:inline}form.box{background:#fff;border:1px solid #ddd;padding:.8em;margin:.6em 0}
label{display:block;margin:.3em 0}textarea{width:100%;min-height:3em}
.muted{color:#777;font-size:.9em}
`);



/** What a page needs from the request: who, the CSRF token, a flash, the error of a form. */
interface Ctx {
  readonly actor: Actor;
  readonly csrf: string;
  readonly path: string;
  readonly done?: string;
  readonly error?: PageError;
}

function withQuery(path: string, q: Record<string, string>): string {
  const [base] = path.split('?') as [string];
  return `${base}?${new URLSearchParams(q).toString()}`;
}

/** Report rows carry `attest.<kind>` = date; the report takes `duties: [{ kind, date }]`. */
function withAttestations(body: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(body.entries)) return body;
  const entries = (body.entries as Record<string, unknown>[]).map((e) => {
    if (typeof e !== 'object' || e === null || !('attest' in e)) return e;
    const { attest, ...rest } = e as { attest: Record<string, unknown> };
    const duties = Object.entries(attest ?? {}).map(([kind, date]) => ({ kind, date }));
    return duties.length ? { ...rest, duties } : rest;
  });
  return { ...body, entries };
}

export function registerWeb(app: FastifyInstance, deps: WebDeps): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
    done(null, parseUrlEncoded(body as string));
  });

  const flashes = new FlashStore();
  /** A message kept for the page a redirect leads to (before login: owned by nobody). */
  const loginError = (message: string): string => flashes.put(undefined, { error: { message, fields: [] } });
  const today = (): string => localDateOf(Date.now());
  const calendarFor = (): WorkCalendar => {
    const y = yearOf(today());
    return new WorkCalendar(deps.calendar.years([y - 1, y, y + 1]));
  };
  const roster = deps.roster;
  const personName = (id: string | undefined): string => (id ? nameOfPerson(roster(), id) : '—');
  const villageName = (code: string): string => villageLabel(roster(), code);
  const townshipName = (code: string): string => nameOfTownship(roster(), code);
  const departmentLabel = (code: string): string => roster().departments.find((d) => d.code === code)?.name ?? code;

  const session = (request: FastifyRequest): TokenClaims | undefined => {
    const raw = request.cookies[deps.sessionCookie];
    const claims = raw ? deps.sealer.open(raw) : undefined;
    return claims?.kind === 'session' && deps.login.holdsPost(claims) ? claims : undefined;
  };

  const ctxOf = (request: FastifyRequest, claims: TokenClaims): Ctx => {
    const q = request.query as Record<string, string | undefined>;
    // Only what this server stored for this person: a link cannot make a page say anything.
    const done = flashes.get(q.done, claims.sub)?.done;
    const error = flashes.get(q.err, claims.sub)?.error;
    return {
      actor: deps.service.actor(claims.sub),
      csrf: claims.csrf ?? '',
      path: request.url.split('?')[0]!,
      ...(done ? { done } : {}),
      ...(error ? { error } : {}),
    };
  };

  // --- Layout and pieces ------------------------------------------------------------------------

  const isDept = (a: Actor): boolean => a.role === 'org-department-staff' || a.role === 'org-department-head';
  /** The local mailbox holds everyone's login codes: operators and the department only. */
  const mayReadMailbox = (a: Actor): boolean => isDept(a) || a.role === 'operator';
  const layout = (title: string, ctx: Ctx | undefined, body: Html): Html => html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · 整顿提升工作平台</title><style>${STYLE}</style></head>
<body><header><strong>软弱涣散农村基层党组织整顿提升</strong>
${
  ctx
    ? html`<a href="/">我的待办</a>${isDept(ctx.actor) || ctx.actor.role === 'operator' ? html`<a href="/dashboard">全县</a><a href="/acceptance">验收评价</a><a href="/ledger">后果台账</a>` : ''}${
        ctx.actor.role === 'operator' || isDept(ctx.actor) ? html`<a href="/ops">通知与运维</a>` : ''
      }${deps.mailbox && mayReadMailbox(ctx.actor) ? html`<a href="/dev/mail">本地邮箱</a>` : ''}
<span class="who">${ctx.actor.name}（${roleLabels[ctx.actor.role]}）</span><form class="inline" method="post" action="/logout"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button>退出</button></form>`
    : ''
}</header><main><h1>${title}</h1>
${ctx?.done ? html`<p class="flash">已办理：${ctx.done}</p>` : ''}
${ctx?.error && !ctx.error.form ? html`<p class="error">${ctx.error.message}</p>` : ''}
${body}</main></body></html>`;

  const fieldError = (ctx: Ctx, form: string, name: string): Html | string => {
    if (ctx.error?.form !== form) return '';
    const path = name.split(':')[0]!;
    const p = ctx.error.fields.find((f) => f.path === path || f.path.startsWith(`${path}.`));
    return p ? html`<span class="err">${p.message}</span>` : '';
  };

  /** What was typed into this form's field before its error, to put back. */
  const kept = (ctx: Ctx, formId: string, name: string): string | undefined => {
    const values = ctx.error?.form === formId ? ctx.error.values : undefined;
    return values && Object.hasOwn(values, name) ? values[name] : undefined;
  };

  /**
   * A form's error, above it: a refusal as the service said it; problems with fields as a plain
   * request to correct them (each message stands beside its field), with the messages of fields
   * the form does not show listed here, never the internal field names.
   */
  const formError = (ctx: Ctx, id: string, fields: Html): Html | '' => {
    const e = ctx.error;
    if (e?.form !== id) return '';
    if (e.fields.length === 0) return html`<p class="error">${e.message}</p>`;
    const shown = (path: string): boolean => fields.value.includes(`name="${path}"`) || fields.value.includes(`name="${path}:`);
    const elsewhere = e.fields.filter((f) => !shown(f.path)).map((f) => f.message);
    return html`<div class="error" role="alert"><p>填写有误，请按提示修改后重新提交（已填写的内容已保留）。</p>${elsewhere.length ? html`<ul>${elsewhere.map((m) => html`<li>${m}</li>`)}</ul>` : ''}</div>`;
  };

  /** A form that posts to the API route of `apiPath` through `/do`, coming back here. */
  const form = (ctx: Ctx, id: string, apiPath: string, title: string, fields: Html, button = '提交'): Html => html`<form class="box" method="post" action="/do${apiPath}" id="${id}">
<strong>${title}</strong>
${formError(ctx, id, fields)}
<input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="_back" value="${ctx.path}"><input type="hidden" name="_form" value="${id}">
${fields}<button type="submit">${button}</button></form>`;

  const input = (ctx: Ctx, formId: string, label: string, name: string, type = 'text', value = ''): Html =>
    html`<label>${label}：<input type="${type}" name="${name}" value="${kept(ctx, formId, name) ?? value}">${fieldError(ctx, formId, name)}</label>`;
  const textarea = (ctx: Ctx, formId: string, label: string, name: string, placeholder = ''): Html =>
    html`<label>${label}：${fieldError(ctx, formId, name)}<textarea name="${name}" placeholder="${placeholder}">${kept(ctx, formId, name) ?? ''}</textarea></label>`;

  const light = (o: ObligationView, cal: WorkCalendar): { cls: string; label: string } => {
    if (o.overdue || o.dueDate < today()) return { cls: 'red', label: '已逾期' };
    if (cal.workingDaysBetween(today(), o.dueDate) <= 3) return { cls: 'yellow', label: '临近截止' };
    return { cls: 'green', label: '正常' };
  };

  /** Duties as the page shows them now: open ones, and those whose period has begun by today. */
  const dutiesNow = (v: { open: readonly ObligationView[]; upcoming: readonly ObligationView[] }): ObligationView[] =>
    [...v.open, ...v.upcoming.filter((o) => o.periodStart <= today())].sort((a, b) => a.dueDate.localeCompare(b.dueDate));

  const responsibleText = (o: ObligationView): string =>
    'people' in o.responsible ? o.responsible.people.map(personName).join('、') : (roleLabels as Record<string, string>)[o.responsible.role] ?? o.responsible.role;

  /** Duties closed by their own form (a plan, a report, an acceptance…), not by 已完成. */
  const ownForm: Partial<Record<ObligationView['kind'], { form: string; action: Action }>> = {
    'rectification-plan': { form: 'plan', action: 'plan.submit' },
    'acceptance-evaluation': { form: 'acceptance', action: 'acceptance.record' },
    'half-monthly-report': { form: 'report', action: 'report.submit' },
    'township-quarterly-study': { form: 'study', action: 'study.record' },
    'written-explanation': { form: 'explanation', action: 'explanation.submit' },
    'explanation-review': { form: 'review', action: 'explanation.review' },
    talk: { form: 'schedule', action: 'talk.schedule' },
  };
  const pageOf = (e: EntityRef): string =>
    e.kind === 'village' ? `/villages/${e.village}` : e.kind === 'township' ? `/townships/${e.township}` : e.kind === 'case' ? `/cases/${e.caseId}` : '/county';

  const dutyTable = (ctx: Ctx, entity: EntityRef, base: string, duties: readonly ObligationView[], highlight?: string): Html => {
    if (duties.length === 0) return html`<p class="muted">没有待办事项。</p>`;
    const cal = calendarFor();
    return html`<table><tr><th>状态</th><th>事项</th><th>截止日期</th><th>依据</th><th>责任人</th><th>办理</th></tr>
${duties.map((o) => {
  const l = light(o, cal);
  const id = `duty-${o.id.replace(/[^A-Za-z0-9]/g, '-')}`;
  return html`<tr id="${id}"${o.id === highlight ? raw(' style="outline:3px solid #f9a825"') : ''} data-light="${l.cls}"><td><span class="light ${l.cls}"></span>${l.label}</td>
<td>${o.title}（${o.periodLabel}）</td><td>${o.dueDate}${o.provisional ? '（暂定）' : ''}</td><td>${o.clause}</td><td>${responsibleText(o)}</td>
<td>${
    ownForm[o.kind]
      ? may(ctx.actor, ownForm[o.kind]!.action, entity)
        ? html`<a href="${pageOf(entity)}#${ownForm[o.kind]!.form}">去办理</a>`
        : ''
      : mayFulfil(ctx.actor, entity, o)
      ? html`<form class="inline" method="post" action="/do${base}/duties/fulfil"><input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="_back" value="${ctx.path}"><input type="hidden" name="obligationId" value="${o.id}"><input type="date" name="fulfilledOn" value="${today()}"><button>已完成</button></form>`
      : ''
  }${
    may(ctx.actor, 'duty.waive', entity)
      ? html` <form class="inline" method="post" action="/do${base}/duties/waive"><input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="_back" value="${ctx.path}"><input type="hidden" name="obligationId" value="${o.id}"><input name="reason" placeholder="免除理由"><button>免除</button></form>`
      : ''
  }</td></tr>`;
})}</table>`;
  };

  /** A workflow's record names people by roster id (约谈人：zzb-head): officials read their names. */
  const withNames = (text: string): string => {
    const r = roster();
    return text.replace(/(?<![A-Za-z0-9-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![A-Za-z0-9-])/g, (id) => r.people.find((p) => p.id === id)?.name ?? id);
  };
  const historyList = (h: readonly { at: string; text: string; by?: string }[]): Html =>
    html`<ul>${[...h].reverse().slice(0, 30).map((e) => html`<li>${chinaTime(e.at)}　${withNames(e.text)}${e.by ? html`（${personName(e.by)}）` : ''}</li>`)}</ul>`;

  // --- Errors as pages ----------------------------------------------------------------------------

  const errorPage = (reply: FastifyReply, ctx: Ctx | undefined, err: unknown): FastifyReply => {
    if (err instanceof ForbiddenError) return reply.status(403).type('text/html').send(layout('无权查看', ctx, html`<p class="error">${err.message}</p>`).value);
    if (err instanceof ServiceError) return reply.status(httpStatus[err.kind]).type('text/html').send(layout('无法打开', ctx, html`<p class="error">${err.message}</p>`).value);
    throw err;
  };

  /** A page for a logged-in person; the login page (and back here) otherwise. */
  const page = (path: string, render: (ctx: Ctx, request: FastifyRequest) => Promise<{ title: string; body: Html }>): void => {
    app.get(path, async (request, reply) => {
      const claims = session(request);
      if (!claims) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      let ctx: Ctx | undefined;
      try {
        ctx = ctxOf(request, claims);
        const { title, body } = await render(ctx, request);
        return reply.type('text/html').send(layout(title, ctx, body).value);
      } catch (err) {
        return errorPage(reply, ctx, err);
      }
    });
  };

  // --- Login ----------------------------------------------------------------------------------------

  const loginFlash = (key: string | undefined): Html | '' => {
    const e = flashes.get(key, undefined)?.error;
    return e ? html`<p class="error">${e.message}</p>` : '';
  };
  app.get('/login', async (request, reply) => {
    const q = request.query as { next?: string; err?: string };
    return reply.type('text/html').send(
      layout(
        '登录',
        undefined,
        html`${loginFlash(q.err)}<form class="box" method="post" action="/login"><input type="hidden" name="next" value="${safeBack(q.next)}">
<label>人员编号或名册登记的邮箱：<input name="who" autofocus></label><button>获取验证码</button></form>
<p class="muted">验证码将发送至名册登记的邮箱，10分钟内有效。</p>`,
      ).value,
    );
  });
  app.post('/login', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    const next = safeBack(form.next);
    const who = String(form.who ?? '').trim();
    if (!who) return reply.redirect(`/login?${new URLSearchParams({ next, err: loginError('请填写人员编号或邮箱') }).toString()}`);
    try {
      request.audit = { action: 'login.code', entity: '-', tried: who.slice(0, 200) };
      await deps.login.requestCode(who, request.ip);
    } catch (err) {
      if (err instanceof ServiceError) return reply.redirect(`/login?${new URLSearchParams({ next, err: loginError(err.message) }).toString()}`);
      throw err;
    }
    return reply.redirect(`/login/code?${new URLSearchParams({ who, next }).toString()}`);
  });
  app.get('/login/code', async (request, reply) => {
    const q = request.query as { who?: string; next?: string; err?: string };
    return reply.type('text/html').send(
      layout(
        '输入验证码',
        undefined,
        html`${loginFlash(q.err) || html`<p class="flash">如该人员在名册中，验证码已发送至其登记的邮箱。</p>`}
<form class="box" method="post" action="/login/code"><input type="hidden" name="who" value="${q.who ?? ''}"><input type="hidden" name="next" value="${safeBack(q.next)}">
<label>6位验证码：<input name="code" inputmode="numeric" autocomplete="one-time-code" autofocus></label><button>登录</button></form>`,
      ).value,
    );
  });
  app.post('/login/code', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    const next = safeBack(form.next);
    try {
      request.audit = { action: 'login.verify', entity: '-', tried: String(form.who ?? '').slice(0, 200) };
      const { token } = deps.login.verify(String(form.who ?? ''), String(form.code ?? '').trim(), 'session');
      void reply.setCookie(deps.sessionCookie, token, { httpOnly: true, sameSite: 'strict', secure: deps.secureCookies, path: '/', maxAge: SESSION_TTL_MS / 1000 });
      return reply.redirect(next);
    } catch (err) {
      if (err instanceof ServiceError) return reply.redirect(`/login/code?${new URLSearchParams({ who: String(form.who ?? ''), next, err: loginError(err.message) }).toString()}`);
      throw err;
    }
  });
  app.post('/logout', async (request, reply) => {
    // The session ends here, not only in this browser: the same cookie is refused from now on.
    const claims = session(request);
    const form = (request.body ?? {}) as Record<string, string>;
    if (claims && form._csrf === claims.csrf) {
      if (form.everywhere === 'true') deps.sealer.sessions.endAll(claims.sub);
      else deps.sealer.sessions.end(claims.jti ?? '', claims.exp);
    }
    void reply.clearCookie(deps.sessionCookie, { path: '/' });
    return reply.redirect('/login');
  });

  // --- Forms: /do/<API path> runs that route as the session's person --------------------------------

  const compiled = routes
    .filter((r) => r.method === 'POST')
    .map((r) => ({ spec: r, names: [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!), re: new RegExp(`^${r.url.replace(/:(\w+)/g, '([^/]+)')}$`) }));
  app.post('/do/*', async (request, reply) => {
    const claims = session(request);
    if (!claims) return reply.redirect('/login');
    const form = (request.body ?? {}) as Record<string, string | string[]>;
    const back = safeBack(form._back);
    const formId = typeof form._form === 'string' && /^[\w-]{1,80}$/.test(form._form) ? form._form : undefined;
    if (form._csrf !== claims.csrf) return reply.status(403).type('text/html').send(layout('无权办理', undefined, html`<p class="error">缺少或错误的CSRF令牌，请刷新页面后重试</p>`).value);
    const apiPath = request.url.slice('/do'.length).split('?')[0]!;
    const match = compiled.map((c) => ({ c, m: c.re.exec(apiPath) })).find((x) => x.m);
    if (!match) return reply.status(404).type('text/html').send(layout('没有这个地址', undefined, html``).value);
    const params = Object.fromEntries(match.c.names.map((n, i) => [n, decodeURIComponent(match.m![i + 1]!)]));
    const spec: RouteSpec = match.c.spec;
    const actor = deps.service.actor(claims.sub);
    request.actor = actor;
    request.audit = { action: spec.action, entity: apiPath };
    try {
      takeMutation(deps.mutations, actor.id);
      await spec.run(deps.service, { actor, params, body: withAttestations(formToBody(form)) });
      return reply.redirect(withQuery(back, { done: flashes.put(actor.id, { done: spec.summary.replace(/（.*$/, '') }) }));
    } catch (err) {
      if (err instanceof ServiceError || err instanceof ForbiddenError || err instanceof FormFieldError) {
        const fields = err instanceof ServiceError ? err.fields : err instanceof FormFieldError ? [{ path: err.field, message: err.message }] : [];
        // What was typed goes back into the form (kept here, never in the URL), bounded.
        const values = Object.create(null) as Record<string, string>;
        for (const [k, v] of Object.entries(form).slice(0, 200)) {
          if (k.startsWith('_')) continue;
          const text = Array.isArray(v) ? v.at(-1) : v;
          if (typeof text === 'string') values[k] = text.slice(0, 20_000);
        }
        const e: PageError = { ...(formId ? { form: formId } : {}), message: err.message, fields, values };
        return reply.redirect(withQuery(back, { err: flashes.put(actor.id, { error: e }) }) + (formId ? `#${formId}` : ''));
      }
      throw err;
    }
  });

  // --- My work ------------------------------------------------------------------------------------

  page('/', async (ctx) => {
    const a = ctx.actor;
    const sections: Html[] = [];
    if (a.role === 'org-department-staff' || a.role === 'org-department-head' || a.role === 'operator') {
      const county = await deps.service.countyView(a).catch(() => undefined);
      if (county) sections.push(html`<h2>县委的事项</h2>${dutyTable(ctx, { kind: 'county' }, '/api/county', dutiesNow(county))}`);
      const items = await deps.service.list(a, { kind: 'case' });
      for (const i of items) {
        const caseId = i.workflowId.replace(/^inquiry:/, '');
        const v = await deps.service.caseView(a, caseId);
        const duties = dutiesNow(v);
        if (duties.length) sections.push(html`<h2><a href="/cases/${caseId}">函询案件 ${caseId}（${townshipName(v.township)}，${caseStageLabels[v.stage]}）</a></h2>${dutyTable(ctx, { kind: 'case', township: v.township, caseId }, `/api/cases/${caseId}`, duties)}`);
      }
      // Targets waiting on the county: plans to review, late-November acceptances to record.
      const targets = await deps.service.list(a, { kind: 'village' });
      for (const i of targets.filter((x) => x.stage === 'plan-submitted' || x.stage === 'acceptance')) {
        const v = await deps.service.villageView(a, i.village ?? '').catch(() => undefined);
        if (!v) continue;
        const county = dutiesNow(v).filter((o) => 'role' in o.responsible && (o.responsible.role === 'org-department-staff' || o.responsible.role === 'org-department-head'));
        const review = v.plan.status === 'submitted' ? html`<p><a href="/villages/${v.village}#review">整顿方案待审核</a></p>` : '';
        if (county.length || review) sections.push(html`<h2><a href="/villages/${v.village}">${villageName(v.village)}</a>（${v.stageLabel}）</h2>${review}${county.length ? dutyTable(ctx, deps.service.village(v.village), `/api/villages/${v.village}`, county) : ''}`);
      }
      sections.push(html`<p><a href="/dashboard">全县整顿对象和乡镇一览</a>　<a href="/acceptance">验收评价</a></p>`);
    }
    if (a.township && (a.role === 'township-party-secretary' || a.role === 'organization-officer')) {
      const t = await deps.service.townshipView(a, a.township).catch(() => undefined);
      if (t) {
        sections.push(html`<h2><a href="/townships/${t.township}">${townshipName(t.township)}</a></h2>${dutyTable(ctx, { kind: 'township', township: t.township }, `/api/townships/${t.township}`, dutiesNow(t))}`);
        // 我的待办: of a target's duties, those this post does; the first secretary's and the village's own are on the target's page.
        for (const target of t.targets.filter((x) => x.active)) {
          const v = await deps.service.villageView(a, target.village).catch(() => undefined);
          if (!v) continue;
          const entity = deps.service.village(v.village);
          const all = dutiesNow(v);
          const mine = all.filter((o) => mayFulfil(a, entity, o));
          const others = all.length - mine.length;
          const note = others ? html`<p class="muted">其他人员的事项${others}项（第一书记、村党组织书记等），见<a href="/villages/${v.village}">整顿对象页面</a>。</p>` : '';
          if (mine.length || others) sections.push(html`<h2><a href="/villages/${v.village}">${villageName(v.village)}</a>（${v.stageLabel}）</h2>${mine.length ? dutyTable(ctx, entity, `/api/villages/${v.village}`, mine) : ''}${note}`);
        }
      }
      const cases = await deps.service.list(a, { kind: 'case' });
      for (const i of cases) {
        const caseId = i.workflowId.replace(/^inquiry:/, '');
        sections.push(html`<p><a href="/cases/${caseId}">函询案件 ${caseId}</a>（${(caseStageLabels as Record<string, string>)[i.stage] ?? i.stage}）</p>`);
      }
    }
    if (a.village) {
      const v = await deps.service.villageView(a, a.village).catch(() => undefined);
      if (v) sections.push(html`<h2><a href="/villages/${v.village}">${villageName(v.village)}</a>（${v.stageLabel}）</h2>${dutyTable(ctx, deps.service.village(v.village), `/api/villages/${v.village}`, dutiesNow(v))}`);
    }
    if (sections.length === 0) sections.push(html`<p class="muted">目前没有需要您办理的事项。</p>`);
    return { title: '我的待办', body: html`<p class="muted">今天：${today()}　<span class="light red"></span>已逾期　<span class="light yellow"></span>3个工作日内截止　<span class="light green"></span>正常</p>${sections}` };
  });
  app.get('/overdue', async (_r, reply) => reply.redirect('/dashboard?overdue=1'));

  // --- The county dashboard -----------------------------------------------------------------------

  page('/dashboard', async (ctx, request) => {
    const q = request.query as { township?: string; overdue?: string; stage?: string };
    const filter = { ...(q.township ? { township: q.township } : {}), ...(q.overdue ? { overdue: true } : {}), ...(q.stage ? { kind: 'village' as const, stage: q.stage } : {}) };
    // The rows come from Temporal's visibility; when it cannot answer, the figures above still show.
    let unlisted: string | undefined;
    const items = await deps.service.list(ctx.actor, filter).catch((err: unknown) => {
      if (err instanceof ServiceError && (err.kind === 'bad-input' || err.kind === 'forbidden')) throw err;
      unlisted = err instanceof ServiceError ? err.message : 'Temporal的工作流查询（visibility）不可用';
      return [] as ListItem[];
    });
    const row = (i: ListItem): Html => {
      const cls = i.overdue ? 'red' : 'green';
      const link = i.kind === 'village' ? `/villages/${i.village ?? ''}` : i.kind === 'township' ? `/townships/${i.township}` : `/cases/${i.workflowId.replace(/^inquiry:/, '')}`;
      const name = i.kind === 'village' ? villageName(i.village ?? '') : i.kind === 'township' ? townshipName(i.township) : `函询案件 ${i.workflowId.replace(/^inquiry:/, '')}`;
      const stage = i.kind === 'village' ? (stageLabels as Record<string, string>)[i.stage] ?? i.stage : i.kind === 'case' ? (caseStageLabels as Record<string, string>)[i.stage] ?? i.stage : i.stage === 'proposal-pending' ? '函询建议待决定' : '督促中';
      return html`<tr data-light="${cls}"><td><span class="light ${cls}"></span>${i.overdue ? '有逾期事项' : '正常'}</td><td><a href="${link}">${name}</a></td><td>${stage}</td><td>${i.nextDue ? localDateOf(Date.parse(i.nextDue) - 1) : '—'}</td><td>${i.failedDeliveries || ''}${i.deliveryDelayed ? '（通知待发）' : ''}</td></tr>`;
    };
    const by = (k: ListItem['kind']) => items.filter((i) => i.kind === k);
    // The department's figures lead the page for those who may read the county's.
    // A county with no target yet has no programme to count: the page still lists what there is.
    const counted = may(ctx.actor, 'figures.read', { kind: 'county' }) ? await deps.service.figures(ctx.actor, {}).catch(() => undefined) : undefined;
    const figures = counted ? countyFigures(counted, townshipName) : html``;
    return {
      title: '全县整顿工作一览',
      body: html`${figures}<form method="get"><label>乡镇：<select name="township"><option value="">全部</option>${roster().townships.map((t) => html`<option value="${t.code}"${q.township === t.code ? raw(' selected') : ''}>${t.name}</option>`)}</select></label>
<label>阶段：<select name="stage"><option value="">全部</option>${Object.entries(stageLabels).map(([k, label]) => html`<option value="${k}"${q.stage === k ? raw(' selected') : ''}>${label}</option>`)}</select></label>
<label><input type="checkbox" name="overdue" value="1"${q.overdue ? raw(' checked') : ''}> 只看有逾期事项的</label><button>筛选</button></form>
${unlisted ? html`<p class="error">列表暂时无法读取：${unlisted}</p>` : ''}
<h2>整顿对象（${by('village').length}）</h2><table><tr><th>状态</th><th>村（社区）</th><th>阶段</th><th>下一截止</th><th>通知失败</th></tr>${by('village').map(row)}</table>
<h2>乡镇（${by('township').length}）</h2><table><tr><th>状态</th><th>乡镇</th><th>情况</th><th>下一截止</th><th>通知失败</th></tr>${by('township').map(row)}</table>
<h2>函询案件（${by('case').length}）</h2><table><tr><th>状态</th><th>案件</th><th>阶段</th><th>下一截止</th><th>通知失败</th></tr>${by('case').map(row)}</table>`,
    };
  });

  // --- A target ------------------------------------------------------------------------------------

  const villagePage = async (ctx: Ctx, code: string, highlight?: string): Promise<{ title: string; body: Html }> => {
    const v: VillageView = await deps.service.villageView(ctx.actor, code);
    const e = deps.service.village(code);
    const base = `/api/villages/${code}`;
    const forms: Html[] = [];
    if (may(ctx.actor, 'plan.submit', e) && (v.plan.status === 'due' || v.plan.status === 'returned')) {
      forms.push(form(ctx, 'plan', `${base}/plan`, v.plan.status === 'returned' ? '重新报送整顿方案' : '报送整顿方案（五(一)）', html`${textarea(ctx, 'plan', '方案概要', 'summary')}${textarea(ctx, 'plan', '整顿措施（每行一项）', 'measures:lines')}`));
    }
    if (may(ctx.actor, 'plan.review', e) && v.plan.status === 'submitted') {
      forms.push(
        form(
          ctx,
          'review',
          `${base}/plan/review`,
          '审核整顿方案',
          html`<label><input type="radio" name="decision" value="approve" checked> 审核通过</label><label><input type="radio" name="decision" value="return"> 退回修改</label>${textarea(ctx, 'review', '审核意见（退回时必填）', 'comments')}${input(ctx, 'review', '重新报送期限（退回时必填）', 'revisionDue:optional', 'date')}`,
        ),
      );
    }
    if (may(ctx.actor, 'acceptance.record', e)) {
      forms.push(
        form(
          ctx,
          'acceptance',
          `${base}/acceptance`,
          '记录验收评价结果（五(一)，11月下旬）',
          html`${input(ctx, 'acceptance', '年度', 'year:number', 'number', String(yearOf(today())))}${input(ctx, 'acceptance', '评价日期', 'evaluatedOn', 'date', today())}<label><input type="checkbox" name="transformed:bool" value="true"> 已转化提升</label>${textarea(ctx, 'acceptance', '评价意见', 'summary')}`,
        ),
      );
    }
    if (may(ctx.actor, 'target.withdraw', e)) forms.push(form(ctx, 'withdraw', `${base}/withdraw`, '撤销认定', textarea(ctx, 'withdraw', '撤销理由', 'reason'), '撤销'));
    if (v.plan.summary) forms.unshift(html`<h2>整顿方案</h2><p>${v.plan.summary}</p><ul>${(v.plan.measures ?? []).map((m) => html`<li>${m}</li>`)}</ul>`);
    return {
      title: `${villageName(code)}（${code}）`,
      body: html`<p>阶段：<strong>${v.stageLabel}</strong>　认定日期：${v.designation.date}　第一书记：${personName(v.firstSecretary)}　包村领导：${personName(v.liaison)}</p>
<p>整顿方案：${{ due: '待报送', submitted: '待审核', returned: `退回修改（${v.plan.revisionDue ?? ''}前重报）`, approved: '已审核通过' }[v.plan.status]}　${v.acceptances.map((x) => `${x.year}年验收：${x.transformed ? '转化提升' : '未转化'}`).join('　')}</p>
${ratingHistoryText(roster().ratings, code, v.designation) ? html`<p>${ratingHistoryText(roster().ratings, code, v.designation)}</p>` : ''}
<h2>待办事项</h2><p class="muted" data-as-of="${v.asOf}">截至${chinaTime(v.asOf)}（北京时间）</p>${dutyTable(ctx, e, base, dutiesNow(v), highlight)}
${forms}
${v.failedDeliveryCount ? html`<h2>未能送达的通知（${v.failedDeliveryCount}）</h2><ul>${v.failedDeliveries.map((f) => html`<li>${chinaTime(f.at)}　${f.recipients.join('、')}：${f.error}</li>`)}</ul>` : ''}
<h2>工作记录</h2>${historyList(v.history)}`,
    };
  };
  page('/villages/:code', async (ctx, r) => villagePage(ctx, (r.params as { code: string }).code));
  page('/villages/:code/obligations/:id', async (ctx, r) => villagePage(ctx, (r.params as { code: string }).code, (r.params as { id: string }).id));

  // --- A township ----------------------------------------------------------------------------------

  const attestLabels: Record<(typeof attestableDuties)[number], string> = {
    'first-secretary-visit': '第一书记到村开展服务',
    'first-secretary-symposium': '第一书记与村民座谈交流',
    'village-quarterly-debriefing': '村党支部书记季度述职',
    'three-meetings-one-lesson': '“三会一课”',
    'flag-raising': '升国旗（每月1日）',
    'service-day': '“惠民服务日”（每月1日）',
    'concentrated-service': '惠民政策集中落实活动（每季度）',
  };

  const townshipPage = async (ctx: Ctx, code: string, highlight?: string): Promise<{ title: string; body: Html }> => {
    const t: TownshipView = await deps.service.townshipView(ctx.actor, code);
    const e = deps.service.township(code);
    const base = `/api/townships/${code}`;
    const forms: Html[] = [];
    if (may(ctx.actor, 'report.submit', e)) {
      // The half month that ended last, or this one if none is owed.
      const owed = dutiesNow(t).find((o) => o.kind === 'half-monthly-report');
      const current = periodOf('half-month', today());
      const periodId = owed ? owed.id.split('/').at(-1)! : current.id;
      const periodLabel = owed?.periodLabel ?? current.label;
      const active = t.targets.filter((x) => x.active);
      // 四(四)12, 四(五)17: what each target's routine activities of the half month came to, so that the report can attest them or say they were not held.
      const half = periodById(periodId);
      const routine = new Map(
        await Promise.all(active.map(async (x) => [x.village, routineOfHalf(await deps.service.villageView(ctx.actor, x.village).catch(() => undefined), half)] as const)),
      );
      // Already reported: say so, and offer the form only as an amendment (what was sent is on each target's page).
      const sent = t.reports.find((r) => r.period === periodId);
      const reportForm = form(
          ctx,
          'report',
          `${base}/reports`,
          `${sent ? '更正' : '上报'}半月整顿工作进展（六(三)）：${periodLabel}`,
          html`<input type="hidden" name="period" value="${periodId}">${active.map(
            (x, i) => html`<fieldset><legend>${villageName(x.village)}</legend><input type="hidden" name="entries.${i}.village" value="${x.village}">
${routine.get(x.village)?.length ? html`<p class="routine">本半月例行活动：${routine.get(x.village)!.join('；')}</p>` : ''}
${textarea(ctx, 'report', '工作进展', `entries.${i}.progress`)}${textarea(ctx, 'report', '存在问题', `entries.${i}.problems`)}${textarea(ctx, 'report', '下步打算', `entries.${i}.nextSteps`)}
<p class="muted">本期完成的事项（填写完成日期，可办结相应待办）：</p>${attestableDuties.map((k) => input(ctx, 'report', attestLabels[k], `entries.${i}.attest.${k}:optional`, 'date'))}</fieldset>`,
          )}${sent ? html`<input type="hidden" name="amendment:bool" value="true">` : html`<label><input type="checkbox" name="amendment:bool" value="true"> 更正已报送的进展</label>`}`,
          sent ? '报送更正' : '报送',
        );
      forms.push(
        sent
          ? html`<p class="flash" id="report-sent">${periodLabel}进展已于${chinaTime(sent.receivedAt)}报送（${personName(sent.reportedBy)}${sent.amendments ? `，更正${sent.amendments}次` : ''}），各整顿对象的进展见其页面的工作记录：${sent.villages.map((v, i) => html`${i ? '、' : ''}<a href="/villages/${v}">${villageName(v)}</a>`)}。</p>
<details${ctx.error?.form === 'report' ? raw(' open') : ''}><summary>更正已报送的进展</summary>${reportForm}</details>`
          : reportForm,
      );
      forms.push(form(ctx, 'study', `${base}/studies`, '记录党委季度专题研究（五(三)）', html`${input(ctx, 'study', '季度', 'quarter', 'text', periodOf('quarter', today()).id)}${input(ctx, 'study', '研究日期', 'heldOn', 'date', today())}${textarea(ctx, 'study', '研究内容', 'summary')}`));
    }
    if (may(ctx.actor, 'inquiry.issue', e)) {
      forms.push(
        form(
          ctx,
          'issue',
          '/api/cases',
          '发出函询函（六(四)）',
          html`<input type="hidden" name="township" value="${code}">${textarea(ctx, 'issue', '函询事由', 'reason')}<label><input type="radio" name="kind" value="inquiry" checked> 函询</label><label><input type="radio" name="kind" value="talk"> 直接约谈</label>`,
          '发出',
        ),
      );
    }
    const proposals = t.proposals.map((p) => {
      const d = p.decision;
      const status = !d ? '待县委组织部决定' : d.decision === 'inquiry' ? `已决定函询（案件${d.caseId ?? ''}）` : `不予函询：${d.note}`;
      return html`<li>${p.quarterLabel}：${p.lapses.length}次未按时报送，${status}${
        !d && may(ctx.actor, 'inquiry.issue', e)
          ? html`${form(ctx, `issue-${p.quarter}`, '/api/cases', '发出函询函', html`<input type="hidden" name="township" value="${code}"><input type="hidden" name="proposalQuarter" value="${p.quarter}">${textarea(ctx, `issue-${p.quarter}`, '函询事由', 'reason')}`, '发出')}
${form(ctx, `decline-${p.quarter}`, `${base}/proposals/decide`, '不予函询', html`<input type="hidden" name="quarter" value="${p.quarter}"><input type="hidden" name="decision" value="decline">${textarea(ctx, `decline-${p.quarter}`, '理由', 'note')}`, '不予函询')}`
          : ''
      }</li>`;
    });
    const own = may(ctx.actor, 'figures.read', e) ? await deps.service.figures(ctx.actor, { township: code }).catch(() => undefined) : undefined;
    const ownLine = own?.byTownship.find((x) => x.township === code);
    const line = own && ownLine ? townshipLine(ownLine, own.quarter) : undefined;
    return {
      title: `${townshipName(code)}（${code}）`,
      body: html`${line ?? ''}<p>整顿对象：${t.targets.map((x) => html`<a href="/villages/${x.village}">${villageName(x.village)}</a>${x.active ? '' : '（已结束）'} `)}</p>
<h2>待办事项</h2><p class="muted" data-as-of="${t.asOf}">截至${chinaTime(t.asOf)}（北京时间）</p>${dutyTable(ctx, e, base, dutiesNow(t), highlight)}
${forms}
<h2>半月进展</h2><ul>${[...t.reports].reverse().slice(0, 8).map((r) => html`<li>${r.periodLabel}　${chinaTime(r.receivedAt)}${r.late ? '　逾期报送' : ''}（${personName(r.reportedBy)}）</li>`)}</ul>
${t.lapses.length ? html`<h2>未按时报送</h2><ul>${t.lapses.map((l) => html`<li>${l.periodId}（${l.kind === 'missing' ? '未报送' : '逾期报送'}）</li>`)}</ul>` : ''}
${proposals.length ? html`<h2>函询建议</h2><ul>${proposals}</ul>` : ''}
<h2>工作记录</h2>${historyList(t.history)}`,
    };
  };
  page('/townships/:code', async (ctx, r) => townshipPage(ctx, (r.params as { code: string }).code));
  page('/townships/:code/obligations/:id', async (ctx, r) => townshipPage(ctx, (r.params as { code: string }).code, (r.params as { id: string }).id));

  // --- An inquiry case -----------------------------------------------------------------------------

  const casePage = async (ctx: Ctx, caseId: string, highlight?: string): Promise<{ title: string; body: Html }> => {
    const v: InquiryView = await deps.service.caseView(ctx.actor, caseId);
    const e: EntityRef = { kind: 'case', township: v.township, caseId };
    const base = `/api/cases/${caseId}`;
    const forms: Html[] = [];
    if (v.stage === 'awaiting-explanation' && may(ctx.actor, 'explanation.submit', e)) {
      forms.push(form(ctx, 'explanation', `${base}/explanation`, '报送书面说明（六(四)）', html`${textarea(ctx, 'explanation', '问题根源', 'rootCause')}${textarea(ctx, 'explanation', '整顿措施', 'measures')}${input(ctx, 'explanation', '完成时限', 'timeLimit', 'date')}`));
    }
    if (v.stage === 'explained' && may(ctx.actor, 'explanation.review', e)) {
      forms.push(form(ctx, 'review', `${base}/explanation/review`, '审阅书面说明', html`<label><input type="radio" name="decision" value="accept" checked> 认可，办结</label><label><input type="radio" name="decision" value="talk"> 问题突出，约谈</label>${textarea(ctx, 'review', '审阅意见', 'note')}`));
    }
    if ((v.stage === 'awaiting-explanation' || v.stage === 'explained') && may(ctx.actor, 'talk.order', e)) forms.push(form(ctx, 'order', `${base}/talk/order`, '决定约谈', textarea(ctx, 'order', '约谈事由', 'why')));
    if (v.stage === 'talk-required' && may(ctx.actor, 'talk.schedule', e)) {
      const dept = roster().people.filter((p) => p.role === 'org-department-staff' || p.role === 'org-department-head');
      forms.push(
        form(
          ctx,
          'schedule',
          `${base}/talk/schedule`,
          '安排约谈',
          html`${input(ctx, 'schedule', '时间（北京时间）', 'at', 'datetime-local')}${input(ctx, 'schedule', '地点', 'place')}<label>约谈人：<select name="conductor">${dept.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select></label>`,
        ),
      );
    }
    if (v.stage === 'talk-scheduled' && may(ctx.actor, 'talk.record', e)) {
      forms.push(form(ctx, 'record', `${base}/talk/record`, '记录约谈情况', html`${input(ctx, 'record', '约谈日期', 'heldOn', 'date', today())}${textarea(ctx, 'record', '约谈情况', 'outcome')}`));
    }
    return {
      title: `${v.kind === 'talk' ? '约谈' : '函询'}案件 ${caseId}`,
      body: html`<p>${townshipName(v.township)}　状态：<strong>${caseStageLabels[v.stage]}</strong>　发出：${v.issuedOn}（${personName(v.issuedBy)}）</p>
${v.docNumber ? html`<p>文号：${docNumberText(roster().county, v.docNumber)}</p>` : ''}<p><a href="/api/cases/${encodeURIComponent(caseId)}/letter.docx" download>下载${v.kind === 'talk' ? '约谈通知' : '函询函'}（Word，与发出的文件相同）</a></p><p>对象：${v.recipients.map(personName).join('、')}</p><p>事由：${v.reason}</p>
${v.explanationDue ? html`<p>书面说明截止：${v.explanationDue}</p>` : ''}
${v.explanation ? html`<h2>书面说明</h2><p>问题根源：${v.explanation.rootCause}</p><p>整顿措施：${v.explanation.measures}</p><p>完成时限：${v.explanation.timeLimit}</p>` : ''}
<h2>待办事项</h2><p class="muted" data-as-of="${v.asOf}">截至${chinaTime(v.asOf)}（北京时间）</p>${dutyTable(ctx, e, base, dutiesNow(v), highlight)}
${forms}
<h2>工作记录</h2>${historyList(v.history)}`,
    };
  };
  page('/cases/:id', async (ctx, r) => casePage(ctx, (r.params as { id: string }).id));
  page('/cases/:id/obligations/:oid', async (ctx, r) => casePage(ctx, (r.params as { id: string }).id, (r.params as { oid: string }).oid));

  /** 四(一)4: the departments' 联席会, recorded by the department; the member departments of the roster are ticked. */
  const jointMeetingForm = (ctx: Ctx): Html => {
    const members = new Set(roster().people.filter((p) => p.role === 'joint-meeting-member').map((p) => p.department));
    const departments = roster().departments.filter((d) => members.has(d.code));
    return form(
      ctx,
      'joint-meeting',
      '/api/county/joint-meetings',
      '记录县工青妇、武装、民政等部门联席会（四(一)4）',
      html`${input(ctx, 'joint-meeting', '召开日期', 'heldOn', 'date', today())}${textarea(ctx, 'joint-meeting', '研究内容', 'topics', '研究整治配套组织软弱涣散的问题')}
<fieldset><legend>参加部门</legend>${departments.map((d) => html`<label><input type="checkbox" name="departments:list" value="${d.code}" checked> ${d.name}</label>`)}${fieldError(ctx, 'joint-meeting', 'departments')}</fieldset>`,
    );
  };

  /** 六(四): the year's 述职评议考核, one grade per township party secretary of the roster. */
  const evaluationForm = (ctx: Ctx, year: string): Html => {
    const secretaries = roster().townships.flatMap((t) => roster().people.filter((p) => p.role === 'township-party-secretary' && p.township === t.code).slice(0, 1));
    return form(
      ctx,
      'evaluation',
      '/api/county/evaluations',
      `记录${year}年度乡镇党委书记抓基层党建工作述职评议考核结果（六(四)）`,
      html`<input type="hidden" name="year:number" value="${year}">${input(ctx, 'evaluation', '评议日期', 'evaluatedOn', 'date', today())}
<table><tr><th>乡镇</th><th>乡镇党委书记</th><th>结果</th><th>评议意见</th></tr>${secretaries.map(
        (p, i) => html`<tr><td>${townshipName(p.township ?? '')}</td><td>${p.name}<input type="hidden" name="results.${i}.person" value="${p.id}"></td><td><select name="results.${i}.grade">${evaluationGrades.map((g) => html`<option value="${g}"${(kept(ctx, 'evaluation', `results.${i}.grade`) ?? 'fairly-good') === g ? raw(' selected') : ''}>${evaluationGradeLabels[g]}</option>`)}</select>${fieldError(ctx, 'evaluation', `results.${i}`)}</td><td><input name="results.${i}.note:optional" value="${kept(ctx, 'evaluation', `results.${i}.note:optional`) ?? ''}"></td></tr>`,
      )}</table>`,
    );
  };

  page('/county/obligations/:id', async (ctx, r) => {
    const v = await deps.service.countyView(ctx.actor);
    const id = (r.params as { id: string }).id;
    const evaluationYear = /^township-secretary-evaluation\/[^/]+\/(\d{4})$/.exec(id)?.[1];
    const record =
      id.startsWith('joint-meeting/') && may(ctx.actor, 'joint-meeting.record', { kind: 'county' })
        ? jointMeetingForm(ctx)
        : evaluationYear && may(ctx.actor, 'evaluation.record', { kind: 'county' }) && !v.evaluations.some((e) => String(e.year) === evaluationYear)
          ? evaluationForm(ctx, evaluationYear)
          : html``;
    const evaluations = v.evaluations.length
      ? html`<h2>述职评议考核结果</h2>${v.evaluations.map((e) => {
          const poor = e.results.filter((x) => x.grade === 'poor');
          return html`<p>${e.year}年度（${e.evaluatedOn}评议）：${e.results.map((x) => `${personName(x.person)}${evaluationGradeLabels[x.grade]}`).join('，')}${poor.length ? html`<br><strong class="red-text">评为“差”：${poor.map((x) => `${personName(x.person)}${x.note ? `（${x.note}）` : ''}`).join('、')}，请县委组织部研究处理</strong>` : ''}</p>`;
        })}`
      : html``;
    const held = v.jointMeetings.length ? html`<h2>已记录的联席会</h2><ul>${v.jointMeetings.map((m) => html`<li>${m.heldOn}：${m.topics}（${m.departments.map(departmentLabel).join('、')}）</li>`)}</ul>` : html``;
    return { title: '县委的事项', body: html`${dutyTable(ctx, { kind: 'county' }, '/api/county', dutiesNow(v), id)}${record}${held}${evaluations}` };
  });

  // --- The ledger, operations, the local mailbox -----------------------------------------------------

  // The late-November acceptance of a year: every target to evaluate, one row each (五(一)).
  page('/acceptance', async (ctx, r) => {
    const year = Number((r.query as { year?: string }).year ?? yearOf(today()));
    const items = await deps.service.list(ctx.actor, { kind: 'village' });
    const rows: Html[] = [];
    for (const i of items) {
      const v = await deps.service.villageView(ctx.actor, i.village ?? '').catch(() => undefined);
      if (!v || yearOf(v.designation.date) >= year) continue;
      const done = v.acceptances.find((a) => a.year === year);
      const id = `acceptance-${v.village}`;
      rows.push(
        html`<tr><td><a href="/villages/${v.village}">${villageName(v.village)}</a></td><td>${v.stageLabel}</td><td>${
          done
            ? `${done.transformed ? '转化提升' : '未转化'}（${done.date}）`
            : may(ctx.actor, 'acceptance.record', deps.service.village(v.village))
              ? form(
                  ctx,
                  id,
                  `/api/villages/${v.village}/acceptance`,
                  '',
                  html`<input type="hidden" name="year:number" value="${year}">${input(ctx, id, '评价日期', 'evaluatedOn', 'date', today())}<label><input type="checkbox" name="transformed:bool" value="true"> 已转化提升</label>${textarea(ctx, id, '评价意见', 'summary')}`,
                  '记录',
                )
              : '待评价'
        }</td></tr>`,
      );
    }
    return {
      title: `${year}年11月下旬验收评价`,
      body: html`<p class="muted">县委对上一年及以前认定的整顿对象进行验收评价（五(一)）。</p>${rows.length ? html`<table><tr><th>整顿对象</th><th>阶段</th><th>验收评价</th></tr>${rows}</table>` : html`<p class="muted">今年没有需要验收评价的整顿对象。</p>`}`,
    };
  });

  page('/ledger', async (ctx, r) => {
    const q = r.query as { year?: string; date?: string };
    const year = q.year ?? String(yearOf(today()));
    const date = q.date ?? today();
    const list: Consequence[] = await deps.service.awardIneligible(ctx.actor, year);
    const blocked: Consequence[] = await deps.service.promotionBlocked(ctx.actor, date);
    const line = (c: Consequence): Html =>
      html`<tr><td>${c.subject.type === 'person' ? personName(c.subject.id) : c.subject.code}</td><td>${c.from}${c.until ? `至${c.until}` : '起'}</td><td>${c.reason}</td><td>${c.clause}</td><td>${c.cause}</td></tr>`;
    // 六(五): the head records an accountability decision; the form asks for the confirmation the two years follow from.
    const groundOptions = Object.entries(accountabilityGrounds).map(([k, g]) => [k, g.ground ? `${g.ground}（${g.sanction}）` : '其他问责（写明事由和问责方式）'] as const);
    const keptGround = kept(ctx, 'accountability', 'ground');
    const keptPerson = kept(ctx, 'accountability', 'person');
    const accountability = may(ctx.actor, 'accountability.record', { kind: 'county' })
      ? form(
          ctx,
          'accountability',
          '/api/ledger/accountability',
          '记录问责决定（六(五)“凡被问责的，两年内不得提拔使用”）',
          html`<label>问责情形：<select name="ground">${groundOptions.map(([k, label]) => html`<option value="${k}"${keptGround === k ? raw(' selected') : ''}>${label}</option>`)}</select>${fieldError(ctx, 'accountability', 'ground')}</label>
<label>被问责人：<select name="person"><option value="">（请选择）</option>${roster().people.map((p) => html`<option value="${p.id}"${keptPerson === p.id ? raw(' selected') : ''}>${p.name}（${roleLabels[p.role]}${p.township ? `，${townshipName(p.township)}` : ''}）</option>`)}</select>${fieldError(ctx, 'accountability', 'person')}</label>
${input(ctx, 'accountability', '决定日期', 'decidedOn', 'date', today())}${input(ctx, 'accountability', '决定文号', 'docNumber')}
${input(ctx, 'accountability', '问责事由（其他问责必填）', 'reason:optional')}${input(ctx, 'accountability', '问责方式（其他问责必填）', 'sanction:optional')}${input(ctx, 'accountability', '弄虚作假涉及的整顿对象（村编码，可不填）', 'village:optional')}
<label><input type="checkbox" name="confirmed:bool" value="true"> 已核实：记录后，被问责人自决定之日起两年内不得提拔使用，并列入后果台账</label>${fieldError(ctx, 'accountability', 'confirmed')}`,
          '记录问责决定',
        )
      : html``;
    return {
      title: '后果台账',
      body: html`<form method="get"><label>年度：<input name="year" value="${year}"></label><label>日期：<input type="date" name="date" value="${date}"></label><button>查看</button></form>
<p>导出（Excel）：<a href="/api/ledger/targets.xlsx">整顿对象台账</a>　<a href="/api/ledger/consequences.xlsx?year=${year}">${year}年度后果台账</a></p>
<h2>${year}年度不得评先选优（六(四)）</h2><table><tr><th>人员</th><th>期间</th><th>事由</th><th>依据</th><th>案件</th></tr>${list.map(line)}</table>
<h2>${date}不得提拔使用（六（五））、不得晋升重用（五（四））</h2><table><tr><th>对象</th><th>期间</th><th>事由</th><th>依据</th><th>案件或文号</th></tr>${blocked.map(line)}</table>
${accountability}`,
    };
  });

  page('/ops', async (ctx) => {
    const failed = await deps.service.list(ctx.actor, { failed: true });
    const delayed = await deps.service.list(ctx.actor, { delayed: true });
    const apiBase = (i: ListItem): string => (i.kind === 'village' ? `/api/villages/${i.village ?? ''}` : i.kind === 'township' ? `/api/townships/${i.township}` : `/api/cases/${i.workflowId.replace(/^inquiry:/, '')}`);
    // Each row by the name officials know (the target, the township, the case), its workflow id beside it for the Temporal UI.
    const entityName = (i: ListItem): Html =>
      i.kind === 'village'
        ? html`<a href="/villages/${i.village ?? ''}">${villageName(i.village ?? '')}</a>`
        : i.kind === 'township'
          ? html`<a href="/townships/${i.township}">${townshipName(i.township)}</a>`
          : html`<a href="/cases/${i.workflowId.replace(/^inquiry:/, '')}">${townshipName(i.township)}函询案件 ${i.workflowId.replace(/^inquiry:/, '')}</a>`;
    const row = (i: ListItem): Html =>
      html`<tr><td>${entityName(i)}<br><span class="muted">${i.workflowId}</span></td><td>${i.failedDeliveries}</td><td>${i.deliveryDelayed ? '是' : ''}</td><td><form class="inline" method="post" action="/do${apiBase(i)}/deliveries/retry"><input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="_back" value="/ops"><button>立即重发</button></form>${
        deps.temporalUi ? html` <a href="${deps.temporalUi}/namespaces/default/workflows/${encodeURIComponent(i.workflowId)}">Temporal</a>` : ''
      }</td></tr>`;
    const all = [...new Map([...failed, ...delayed].map((i) => [i.workflowId, i])).values()];
    const running = await deps.service.list(ctx.actor, {});
    const county = await deps.service.countyView(ctx.actor).catch(() => undefined);
    const kinds = { village: '整顿对象', township: '乡镇', case: '函询案件' } as const;
    const rosterProblem = deps.rosterProblem?.();
    return {
      title: '通知与运维',
      body: html`${rosterProblem ? html`<div class="error" role="alert"><h2>名册文件有误，仍按上次有效的名册发送通知</h2><pre>${rosterProblem.message}</pre></div>` : ''}<h2>发送失败或暂未发出的通知</h2>${all.length ? html`<table><tr><th>对象</th><th>发送失败</th><th>待发</th><th></th></tr>${all.map(row)}</table>` : html`<p class="muted">没有。</p>`}
<h2>运行中的工作流</h2><table><tr><th>类别</th><th>数量</th><th>有逾期事项</th></tr>${(Object.keys(kinds) as (keyof typeof kinds)[]).map(
        (k) => html`<tr><td>${kinds[k]}</td><td>${running.filter((i) => i.kind === k).length}</td><td>${running.filter((i) => i.kind === k && i.overdue).length}</td></tr>`,
      )}</table>
${county ? html`<h2>在用的工作规则和节假日安排</h2><p>工作规则：${county.policyVersion}</p><ul>${county.calendarYears.map((y) => html`<li>${y.year}年：${y.official ? '正式' : '暂定'}，${y.source}</li>`)}</ul>` : ''}`,
    };
  });

  if (deps.mailbox) {
    const mailbox = deps.mailbox;
    app.get('/dev/mail', async (request, reply) => {
      const claims = session(request);
      if (!claims) return reply.status(401).type('text/html').send(layout('请先登录', undefined, html`<p class="error">本地邮箱仅供已登录的运维人员和县委组织部人员查看。登录验证码见运行 npm start 的终端或 .data/mail 中的邮件文件。</p>`).value);
      const ctx = ctxOf(request, claims);
      if (!mayReadMailbox(ctx.actor)) return reply.status(403).type('text/html').send(layout('无权查看', ctx, html`<p class="error">本地邮箱仅供运维人员和县委组织部人员查看。</p>`).value);
      const messages = [...mailbox()].reverse().slice(0, 200);
      return reply.type('text/html').send(
        layout(
          '本地邮箱（开发用）',
          ctx,
          html`<p class="muted">本地SMTP服务器收到的邮件（仅在内置默认配置下提供）。</p>${messages.map(
            (m) => html`<details class="box"><summary>${chinaTime(m.at)}　${m.to.join('、')}　<strong>${m.subject}</strong></summary><pre style="white-space:pre-wrap">${m.text}</pre></details>`,
          )}`,
        ).value,
      );
    });
  }

}
