/** Forms: `/do/<API path>` runs that API route as the session's person and comes back to the page, with the service's field errors and what was typed kept for the form. */
import type { FastifyInstance } from 'fastify';
import { routes, type RouteSpec } from '../../service/routes';
import { ForbiddenError } from '../../service/authorization';
import { httpStatus, ServiceError } from '../../service/errors';
import { takeMutation } from '../../service/rate-limit';
import { safeBack, type PageError } from '../flash';
import { FormFieldError, parseForm } from '../forms';
import { html } from '../html';
import { attestationFieldOf, confirmationOf, type Kit, withQuery, withAttestations } from '../kit';

export function registerForms(app: FastifyInstance, kit: Kit): void {
  const { deps, flashes, session, layout } = kit;
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
    let fieldOf = (path: string): string => path;
    try {
      // What cannot be taken back is done only when the form's 已核实 box says its consequences were read.
      const consequence = confirmationOf(spec.action, form);
      if (consequence && form._confirmed !== 'yes') throw new FormFieldError('_confirmed', `请勾选“已核实”后再办理：${consequence}`);
      takeMutation(deps.mutations, actor.id);
      const parsed = parseForm(form);
      // A report's duties come from its attest fields and measure rows: a problem goes back beside them.
      const attested = attestationFieldOf(parsed.body);
      fieldOf = (path) => parsed.fieldOf(attested(path));
      await spec.run(deps.service, { actor, params, body: withAttestations(parsed.body) });
      // The audit line says what the action came to, not the redirect back to the page.
      request.audit.status = 200;
      return reply.redirect(withQuery(back, { done: flashes.put(actor.id, { done: spec.summary.replace(/（.*$/, '') }) }));
    } catch (err) {
      if (err instanceof ServiceError || err instanceof ForbiddenError || err instanceof FormFieldError) {
        // Each problem beside the field it came from (a row the form showed third may be the body's first).
        const fields = (err instanceof ServiceError ? (err.fields ?? []) : err instanceof FormFieldError ? [{ path: err.field, message: err.message }] : []).map((f) => ({ ...f, path: fieldOf(f.path) }));
        request.audit.status = err instanceof ServiceError ? httpStatus[err.kind] : err instanceof ForbiddenError ? 403 : 400;
        request.audit.refused = err.message.slice(0, 300);
        // What was typed goes back into the form (kept here, never in the URL), bounded.
        const values = Object.create(null) as Record<string, string>;
        for (const [k, v] of Object.entries(form).slice(0, 200)) {
          if (k.startsWith('_')) continue;
          // A repeated field (ticked checkboxes) keeps every value, one a line.
          const text = Array.isArray(v) ? v.join('\n') : v;
          if (typeof text === 'string') values[k] = text.slice(0, 20_000);
        }
        const e: PageError = { ...(formId ? { form: formId } : {}), message: err.message, fields, values };
        return reply.redirect(withQuery(back, { err: flashes.put(actor.id, { error: e }) }) + (formId ? `#${formId}` : ''));
      }
      throw err;
    }
  });
}
