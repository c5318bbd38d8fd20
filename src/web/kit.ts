/**
 * What every page of the workbench shares: the session and the page's context (who, the CSRF
 * token, a flash, a form's error), the layout, forms and their fields with errors beside them,
 * the 红黄绿 light of a duty and the duty table, names for ids, and a page that renders for a
 * logged-in person or sends them to log in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CalendarStore } from '../activities/calendar-store';
import type { ObligationView } from '../contracts/common';
import { localDateOf, WorkCalendar, yearOf } from '../domain/calendar';
import { byCode } from '../domain/lookup';
import { roleLabels, type Roster } from '../domain/roster';
import { resolvePosts } from '../activities/notices';
import { chinaTime, historyLine, personName as nameOfPerson, townshipName as nameOfTownship, villageLabel } from '../domain/names';
import { ForbiddenError, may, mayFulfil, type Action, type Actor, type EntityRef } from '../service/authorization';
import { httpStatus, ServiceError } from '../service/errors';
import type { Login, TokenClaims, TokenSealer } from '../service/identity';
import type { RateLimiter } from '../service/rate-limit';
import type { Service } from '../service/service';
import { FlashStore, type PageError } from './flash';
import { html, labelCells, raw, type Html } from './html';

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

export const STYLE = raw(`
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
.err{color:#c62828;font-size:.9em;margin-left:.5em}.red-text{color:#c62828}
.row{display:flex;flex-wrap:wrap;gap:0 1.2em;align-items:baseline;border-bottom:1px dashed #e4e4e4;margin-bottom:.3em}
form.inline{display:inline}form.box{background:#fff;border:1px solid #ddd;padding:.8em;margin:.6em 0}
label{display:block;margin:.3em 0}label.inline{display:inline-block;margin-right:1em}fieldset{border:1px solid #ddd;margin:.4em 0}textarea{width:100%;min-height:3em}
.muted{color:#777;font-size:.9em}.nowrap{white-space:nowrap}
nav.actions{background:#fff8e1;border:1px solid #ffe082;padding:.5em .7em;margin:.4em 0 .8em}
main{overflow-wrap:anywhere}
@media (max-width:640px){
header{padding:.5em .8em;gap:.4em .9em}header .who{margin-left:0}
main{padding:.6em .8em}
table,tbody,tr,td{display:block;width:auto}table{background:none;border:0}
tr:has(> th){display:none}
tr{background:#fff;border:1px solid #ddd;margin:.5em 0;padding:.35em .6em}
td{border:0;padding:.15em 0}
td[data-label]::before{content:attr(data-label) "：";color:#777;font-size:.9em}
input,select,textarea,button{max-width:100%}svg.figures{width:100%;height:auto}
}
`);

/** What a page needs from the request: who, the CSRF token, a flash, the error of a form. */
export interface Ctx {
  readonly actor: Actor;
  readonly csrf: string;
  readonly path: string;
  readonly done?: string;
  readonly error?: PageError;
  /** The forms this page offers, in order: listed at its top so that the main action is in view on a phone. */
  readonly actions: { id: string; title: string }[];
  /** Each field's label as the page shows it, by form and field path: a form's error summary names and links them. */
  readonly labels: Map<string, string>;
}

export function withQuery(path: string, q: Record<string, string>): string {
  const [base] = path.split('?') as [string];
  return `${base}?${new URLSearchParams(q).toString()}`;
}

/** The id of a field's label on the page: its form and its path. */
export function fieldAnchor(formId: string, path: string): string {
  return `f-${formId}-${path}`;
}

/** The labelled field a problem's path belongs to (the field itself, or the row or group it is in). */
function labelledField(ctx: Ctx, formId: string, path: string): { path: string; label: string } | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const label = ctx.labels.get(`${formId}\u0000${p}`);
    if (label) return { path: p, label };
  }
  return undefined;
}

/** Report rows carry `attest.<kind>` = date; the report takes `duties: [{ kind, date }]`. */
export function withAttestations(body: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(body.entries)) return body;
  const entries = (body.entries as Record<string, unknown>[]).map((e) => {
    if (typeof e !== 'object' || e === null || !('attest' in e || 'measures' in e)) return e;
    const { attest, measures, ...rest } = e as { attest?: Record<string, unknown>; measures?: { obligationId?: unknown; date?: unknown }[] };
    const duties = [
      ...Object.entries(attest ?? {}).map(([kind, date]) => ({ kind, date })),
      // 五(一): a measure of the approved plan, by its duty's id (a row with a date only).
      ...(Array.isArray(measures) ? measures : []).filter((m) => m.date !== undefined).map((m) => ({ kind: 'plan-measure', obligationId: m.obligationId, date: m.date })),
    ];
    return duties.length ? { ...rest, duties } : rest;
  });
  return { ...body, entries };
}

/**
 * Where a problem with a report's `entries.i.duties.j` belongs on the form: beside the attest field
 * or the measure's date it was built from (in withAttestations' order).
 */
export function attestationFieldOf(body: Record<string, unknown>): (path: string) => string {
  const names = new Map<string, string>();
  if (Array.isArray(body.entries)) {
    (body.entries as unknown[]).forEach((e, i) => {
      if (typeof e !== 'object' || e === null) return;
      const { attest, measures } = e as { attest?: Record<string, unknown>; measures?: { date?: unknown }[] };
      const fields = [
        ...Object.keys(attest ?? {}).map((kind) => `entries.${i}.attest.${kind}`),
        ...(Array.isArray(measures) ? measures : []).flatMap((m, k) => (m.date !== undefined ? [`entries.${i}.measures.${k}.date`] : [])),
      ];
      fields.forEach((f, j) => names.set(`entries.${i}.duties.${j}`, f));
    });
  }
  return (path) => {
    const m = /^(entries\.\d+\.duties\.\d+)(\..*)?$/.exec(path);
    return (m && names.get(m[1]!)) ?? path;
  };
}

/** Actions a form takes only with its 已核实 box ticked, and what follows them (the form shows it beside the box). */
export const CONFIRM: Partial<Record<Action, string>> = {
  'target.withdraw': '撤销认定后，该村不再是整顿对象：其工作流结束，待办事项不再提醒，已有记录保留；此操作不能撤回，如需再列为整顿对象须重新认定。',
  'duty.waive': '免除后该事项即告办结、不再提醒，理由记入记录，不能撤回。',
  'proposal.decide': '不予函询后，本季度的函询建议即告办结，不能再改为函询；理由记入乡镇的记录。',
};

/** What a form's 已核实 box must confirm, if anything: of the decisions on a proposal only 不予函询 (函询 issues its letter on its own form). */
export function confirmationOf(action: Action, form: Readonly<Record<string, unknown>>): string | undefined {
  if (action === 'proposal.decide' && form.decision !== 'decline') return undefined;
  return CONFIRM[action];
}

/** The shared pieces, made once per server (they hold its flash store). */
// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the kit is what it returns: Kit below
export function createKit(app: FastifyInstance, deps: WebDeps) {
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
      actions: [],
      labels: new Map(),
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
${ctx?.actions.length ? html`<nav class="actions" aria-label="本页可办理">可办理：${ctx.actions.map((a, i) => html`${i ? '　' : ''}<a href="#${a.id}">${a.title}</a>`)}</nav>` : ''}
${raw(labelCells(body.value))}</main></body></html>`;

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
   * request to correct them, each listed once with its field's label and a link to the field
   * (where its message also stands), never the internal field names. The fields are drawn first,
   * so their labels are known here.
   */
  const formError = (ctx: Ctx, id: string): Html | '' => {
    const e = ctx.error;
    if (e?.form !== id) return '';
    if (e.fields.length === 0) return html`<p class="error">${e.message}</p>`;
    // Each problem once: with its field's label and a link to it when the form shows the field, as said otherwise.
    const items = e.fields.map((f) => {
      const field = labelledField(ctx, id, f.path);
      if (!field) return html`<li>${f.message}</li>`;
      const text = f.message.startsWith(field.label) ? f.message : `${field.label}：${f.message}`;
      return html`<li><a href="#${fieldAnchor(id, field.path)}">${text}</a></li>`;
    });
    return html`<div class="error" role="alert"><p>填写有误，请按提示修改后重新提交（已填写的内容已保留）。</p><ul>${items}</ul></div>`;
  };

  /** A form that posts to the API route of `apiPath` through `/do`, coming back here. */
  const form = (ctx: Ctx, id: string, apiPath: string, title: string, fields: Html, button = '提交'): Html => {
    ctx.actions.push({ id, title });
    return formHtml(ctx, id, apiPath, title, fields, button);
  };
  const formHtml = (ctx: Ctx, id: string, apiPath: string, title: string, fields: Html, button: string): Html => html`<form class="box" method="post" action="/do${apiPath}" id="${id}">
<strong>${title}</strong>
${formError(ctx, id)}
<input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="_back" value="${ctx.path}"><input type="hidden" name="_form" value="${id}">
${fields}<button type="submit">${button}</button></form>`;

  /** A field's label, kept for the form's error summary; the anchor the summary links to. */
  const labelled = (ctx: Ctx, formId: string, label: string, name: string): string => {
    const path = name.split(':')[0]!;
    ctx.labels.set(`${formId}\u0000${path}`, label);
    return fieldAnchor(formId, path);
  };
  const input = (ctx: Ctx, formId: string, label: string, name: string, type = 'text', value = ''): Html =>
    html`<label id="${labelled(ctx, formId, label, name)}">${label}：<input type="${type}" name="${name}" value="${kept(ctx, formId, name) ?? value}">${fieldError(ctx, formId, name)}</label>`;
  const textarea = (ctx: Ctx, formId: string, label: string, name: string, placeholder = '', value = ''): Html =>
    html`<label id="${labelled(ctx, formId, label, name)}">${label}：${fieldError(ctx, formId, name)}<textarea name="${name}" placeholder="${placeholder}">${kept(ctx, formId, name) ?? value}</textarea></label>`;

  const light = (o: ObligationView, cal: WorkCalendar): { cls: string; label: string } => {
    if (o.overdue || o.dueDate < today()) return { cls: 'red', label: '已逾期' };
    if (cal.workingDaysBetween(today(), o.dueDate) <= 3) return { cls: 'yellow', label: '临近截止' };
    return { cls: 'green', label: '正常' };
  };

  /** Duties as the page shows them now: open ones, and those whose period has begun by today. */
  const dutiesNow = (v: { open: readonly ObligationView[]; upcoming: readonly ObligationView[] }): ObligationView[] =>
    [...v.open, ...v.upcoming.filter((o) => o.periodStart <= today())].sort((a, b) => a.dueDate.localeCompare(b.dueDate));

  /**
   * Who acts, by name: the people named, or the post with its holder for the duty's place (the
   * village's, else the township's, else the county's; nobody's name when the roster has no holder).
   */
  const responsibleText = (o: ObligationView): string => {
    if ('people' in o.responsible) return o.responsible.people.map(personName).join('、');
    const role = o.responsible.role;
    const label = (roleLabels as Record<string, string>)[role] ?? role;
    // Whom its reminders go to: the same resolution the mail activity makes.
    const r = roster();
    const village = o.subject.type === 'village' ? o.subject.code : '';
    const township = o.subject.type === 'township' ? o.subject.code : village ? (byCode(r.villages, village)?.township ?? '') : '';
    const names = resolvePosts([role], { village, township }, r).people.map((p) => p.name);
    return names.length ? `${label}（${names.join('、')}）` : label;
  };

  /** Duties closed by their own form (a plan, a report, an acceptance…), not by 已完成. */
  const ownForm: Partial<Record<ObligationView['kind'], { form: string; action: Action }>> = {
    'rectification-plan': { form: 'plan', action: 'plan.submit' },
    'acceptance-evaluation': { form: 'acceptance', action: 'acceptance.record' },
    'half-monthly-report': { form: 'report', action: 'report.submit' },
    'township-quarterly-study': { form: 'study', action: 'study.record' },
    'member-training': { form: 'training', action: 'training.record' },
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
      ? html` <form class="inline" method="post" action="/do${base}/duties/waive"><input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="_back" value="${ctx.path}"><input type="hidden" name="obligationId" value="${o.id}"><input name="reason" placeholder="免除理由"><label class="muted"><input type="checkbox" name="_confirmed" value="yes"> 已核实：${CONFIRM['duty.waive']!}</label><button>免除</button></form>`
      : ''
  }</td></tr>`;
})}</table>`;
  };

  const historyList = (h: readonly { at: string; text: string; by?: string }[]): Html => html`<ul>${[...h].reverse().slice(0, 30).map((e) => html`<li>${historyLine(roster(), e)}</li>`)}</ul>`;

  /** The documents mailed for an entity, each file downloadable as it was mailed (the same bytes, the same 文号). */
  const documentList = async (ctx: Ctx, entity: EntityRef, base: string): Promise<Html> => {
    const docs = await deps.service.documents(ctx.actor, entity).catch(() => []);
    if (docs.length === 0) return html``;
    return html`<h2 id="documents">已发出的文书</h2><ul class="documents">${[...docs].reverse().map(
      (d) => html`<li>${d.title}${d.docNumber ? `（${d.docNumber}）` : ''}　${chinaTime(d.at)}　${d.files.map((f, i) => html`${i ? '　' : ''}<a href="${base}/documents/${encodeURIComponent(f.filename)}" download>${f.filename.endsWith('.pdf') ? 'PDF' : 'Word'}</a>`)}</li>`,
    )}</ul><p class="muted">下载的文件与邮件附件逐字节相同。</p>`;
  };

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

  return { deps, roster, flashes, loginError, today, calendarFor, personName, villageName, townshipName, departmentLabel, session, ctxOf, isDept, mayReadMailbox, layout, fieldError, kept, formError, form, input, textarea, light, dutiesNow, responsibleText, ownForm, pageOf, dutyTable, historyList, documentList, errorPage, page };
}

export type Kit = ReturnType<typeof createKit>;
