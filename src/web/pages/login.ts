/** Logging in with a code mailed to the roster address, and out. */
import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../service/errors';
import { SESSION_TTL_MS } from '../../service/identity';
import { safeBack } from '../flash';
import { html, type Html } from '../html';
import type { Kit } from '../kit';

export function registerLogin(app: FastifyInstance, kit: Kit): void {
  const { deps, flashes, loginError, session, layout } = kit;
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
}
