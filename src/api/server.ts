/**
 * The HTTP API in front of the workflows: every action of every user, each one call into the
 * service layer, which decides who may and validates with the contracts' own schemas. This file
 * only proves who is calling (session cookie or bearer token), guards cookie requests against
 * cross-site forgery, maps errors to status codes, and logs every mutating request as one line.
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authorize, ForbiddenError, type Actor, type EntityRef } from '../service/authorization';
import { httpStatus, ServiceError } from '../service/errors';
import type { Login, TokenClaims, TokenSealer } from '../service/identity';
import { SESSION_TTL_MS } from '../service/identity';
import { MUTATIONS_PER_MINUTE, RateLimiter, takeMutation } from '../service/rate-limit';
import { parseInput, type Service } from '../service/service';
import { personId } from '../contracts/common';
import { registerWeb, type WebDeps } from '../web/pages';
import { Download, openApiDocument, routes, type RouteSpec } from '../service/routes';

export const SESSION_COOKIE = 'rect_session';
/** Mutating requests on a session cookie send the session's CSRF token in this header (forms: `_csrf`). */
export const CSRF_HEADER = 'x-csrf-token';
const BODY_LIMIT = 256 * 1024;

export interface ApiDeps {
  readonly service: Service;
  readonly login: Login;
  readonly sealer: TokenSealer;
  /**
   * Behind a reverse proxy: the client address comes from X-Forwarded-For as written by these
   * proxies (addresses, CIDR ranges) or this many hops; never every sender.
   */
  readonly trustProxy?: string[] | number | false;
  /** Cookies marked Secure (the API is served over HTTPS). */
  readonly secureCookies?: boolean;
  /** pino options, or false for no log (tests pass a stream to read the audit lines). */
  readonly logger?: boolean | Record<string, unknown>;
  /** The workbench pages, served beside the API. */
  readonly web?: Omit<WebDeps, 'service' | 'login' | 'sealer' | 'sessionCookie' | 'secureCookies' | 'mutations'>;
  /** Mutating actions one person may take a minute (API and workbench together). */
  readonly mutationsPerMinute?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    claims?: TokenClaims;
    /** What the audit line says of a mutating request; `status` and `refused` where the response is a redirect (a workbench form): the outcome of the action itself. */
    audit?: { action: string; entity: string; tried?: string; status?: number; refused?: string };
  }
}

function errorBody(kind: string, message: string, fields: readonly { path: string; message: string }[] = []): Record<string, unknown> {
  return { error: kind, message, ...(fields.length ? { fields } : {}) };
}

function entityLabel(e: EntityRef | undefined): string {
  if (!e) return '-';
  return e.kind === 'village' ? `village:${e.village}` : e.kind === 'township' ? `township:${e.township}` : e.kind === 'case' ? `case:${e.caseId}` : 'county';
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // A hop count trusts the nearest proxies only: the address `hops` steps back from this server.
    trustProxy: typeof deps.trustProxy === 'number' ? ((_addr: string, i: number) => i < (deps.trustProxy as number)) : (deps.trustProxy ?? false),
    // One audit line per mutating request is the log; Fastify's own per-request lines are not.
    disableRequestLogging: true,
    // Unknown query keys and such are the service's to refuse; Fastify validates nothing itself.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // The pages carry their small stylesheet inline; no script runs anywhere.
  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  await app.register(cookie);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof ServiceError) return reply.status(httpStatus[err.kind]).send(errorBody(err.kind, err.message, err.fields));
    if (err instanceof ForbiddenError) return reply.status(403).send(errorBody('forbidden', err.message));
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send(errorBody('bad-input', `请求内容过大（最多${BODY_LIMIT / 1024}KB）`));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.status(415).send(errorBody('bad-input', '请求内容应为JSON（Content-Type: application/json）'));
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError || err.statusCode === 400) {
      return reply.status(400).send(errorBody('bad-input', '请求内容不是有效的JSON'));
    }
    request.log.error({ err }, 'unexpected error');
    return reply.status(500).send(errorBody('internal', '服务器内部错误，请稍后再试或联系系统运维人员'));
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorBody('not-found', '没有这个地址')));

  /** Who is calling: a bearer token, or the session cookie (then mutating requests need the CSRF token). */
  const authenticate = async (request: FastifyRequest): Promise<Actor> => {
    const header = request.headers.authorization;
    let claims: TokenClaims | undefined;
    if (header?.startsWith('Bearer ')) {
      claims = deps.sealer.open(header.slice(7).trim());
      if (!claims || claims.kind !== 'bearer') throw new ServiceError('unauthenticated', '令牌无效或已过期，请重新登录（cli login）');
    } else {
      const raw = request.cookies[SESSION_COOKIE];
      claims = raw ? deps.sealer.open(raw) : undefined;
      if (!claims || claims.kind !== 'session') throw new ServiceError('unauthenticated', raw ? '登录已过期，请重新登录' : '请先登录');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const sent = request.headers[CSRF_HEADER] ?? (request.body as { _csrf?: unknown } | undefined)?._csrf;
        if (typeof sent !== 'string' || sent !== claims.csrf) throw new ServiceError('forbidden', '缺少或错误的CSRF令牌，请刷新页面后重试');
      }
    }
    if (!deps.login.holdsPost(claims)) throw new ServiceError('unauthenticated', '您在名册中的职务已变更，请重新登录');
    request.claims = claims;
    request.actor = deps.service.actor(claims.sub);
    return request.actor;
  };

  // Every mutating request, one line: who, role, action, entity, outcome.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !request.audit) return;
    request.log.info(
      {
        audit: true,
        who: request.actor?.id ?? '-',
        role: request.actor?.role ?? '-',
        action: request.audit.action,
        entity: request.audit.entity,
        outcome: request.audit.status ?? reply.statusCode,
        ...(request.audit.refused !== undefined ? { refused: request.audit.refused } : {}),
        // The address as the configured proxies pass it on, and for a login the id it was tried with.
        client: request.ip,
        ...(request.audit.tried !== undefined ? { tried: request.audit.tried } : {}),
      },
      'audit',
    );
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/api/openapi.json', async () => openApiDocument());

  // --- Login ----------------------------------------------------------------------------------

  const codeBody = z.strictObject({ who: z.string().trim().min(1, '请填写人员编号或邮箱').max(200) });
  app.post('/api/login/code', async (request, reply) => {
    request.audit = { action: 'login.code', entity: '-' };
    const { who } = parseInput(codeBody, request.body);
    request.audit.tried = who;
    await deps.login.requestCode(who, request.ip);
    return reply.status(202).send({ message: '如该人员在名册中，验证码已发送至其登记的邮箱，10分钟内有效。' });
  });

  const verifyBody = z.strictObject({
    who: z.string().trim().min(1).max(200),
    code: z.string().trim().regex(/^\d{6}$/, '验证码为6位数字'),
    kind: z.enum(['session', 'bearer']).default('session'),
  });
  app.post('/api/login/verify', async (request, reply) => {
    request.audit = { action: 'login.verify', entity: '-' };
    const body = parseInput(verifyBody, request.body);
    request.audit.tried = body.who;
    const { token, claims, personId } = deps.login.verify(body.who, body.code, body.kind);
    request.actor = deps.service.actor(personId);
    if (claims.kind === 'bearer') return { token, expiresAt: new Date(claims.exp).toISOString(), person: request.actor };
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies ?? false,
      path: '/',
      maxAge: SESSION_TTL_MS / 1000,
    });
    return { csrfToken: claims.csrf, expiresAt: new Date(claims.exp).toISOString(), person: request.actor };
  });

  /**
   * Ends the token the request came with (cookie or bearer); with `{ "everywhere": true }` every
   * token of the person, on every device and script. A request with no valid token only clears
   * the cookie.
   */
  const logoutBody = z.strictObject({ everywhere: z.boolean({ error: 'everywhere应为true或false' }).default(false), _csrf: z.string().optional() });
  app.post('/api/logout', async (request, reply) => {
    request.audit = { action: 'logout', entity: '-' };
    const body = parseInput(logoutBody, request.body ?? {});
    const actor = await authenticate(request).catch(() => undefined);
    const claims = request.claims;
    if (actor && claims) {
      if (body.everywhere) deps.sealer.sessions.endAll(claims.sub);
      else deps.sealer.sessions.end(claims.jti ?? '', claims.exp);
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { message: body.everywhere && actor ? '已在所有设备上退出登录' : '已退出登录' };
  });

  /** The department acting on a person's login: audited, authorized, the person a roster id that exists. */
  const personParams = z.strictObject({ id: personId });
  const loginOf = async (request: FastifyRequest, action: string): Promise<string> => {
    const actor = await authenticate(request);
    request.audit = { action, entity: `person:${String((request.params as { id?: unknown }).id ?? '-').slice(0, 40)}` };
    authorize(actor, 'sessions.manage', { kind: 'county' });
    const { id } = parseInput(personParams, request.params);
    if (!deps.service.personExists(id)) throw new ServiceError('not-found', `名册中没有人员${id}`);
    return id;
  };
  // The department ends a person's sessions (a lost phone, a post left): every token issued until now.
  app.post('/api/people/:id/sessions/end', async (request) => {
    const id = await loginOf(request, 'sessions.manage');
    deps.sealer.sessions.endAll(id);
    return { message: `已结束${id}的全部登录`, person: id };
  });
  // ... and unlocks a login locked after too many wrong codes.
  app.post('/api/people/:id/login/unlock', async (request) => {
    const id = await loginOf(request, 'login.unlock');
    return { message: deps.login.unlock(id) ? `已解除${id}的登录锁定` : `${id}的登录未被锁定`, person: id };
  });

  app.get('/api/me', async (request) => {
    const actor = await authenticate(request);
    return { person: actor, ...(request.claims?.csrf ? { csrfToken: request.claims.csrf } : {}) };
  });

  // --- Every action, from the route table -----------------------------------------------------

  const mutations = new RateLimiter(deps.mutationsPerMinute ?? MUTATIONS_PER_MINUTE, 60_000);
  for (const spec of routes) register(app, spec, deps.service, authenticate, mutations);
  if (deps.web) {
    registerWeb(app, { ...deps.web, service: deps.service, login: deps.login, sealer: deps.sealer, sessionCookie: SESSION_COOKIE, secureCookies: deps.secureCookies ?? false, mutations });
  }
  return app;
}

function register(app: FastifyInstance, spec: RouteSpec, service: Service, authenticate: (r: FastifyRequest) => Promise<Actor>, mutations: RateLimiter): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const actor = await authenticate(request);
    const params = request.params as Record<string, string>;
    if (spec.method !== 'GET') {
      request.audit = { action: spec.action, entity: entityLabel(spec.entity?.(params)) };
      takeMutation(mutations, actor.id);
    }
    const body = spec.method === 'GET' ? request.query : stripCsrf(request.body);
    const result = await spec.run(service, { actor, params, body });
    if (spec.status) void reply.status(spec.status);
    if (result instanceof Download) {
      return reply
        .type(result.contentType)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(result.filename)}"; filename*=UTF-8''${encodeURIComponent(result.filename)}`)
        .send(result.content);
    }
    return result;
  };
  if (spec.method === 'GET') app.get(spec.url, handler);
  else app.post(spec.url, handler);
}

/** A form's `_csrf` field is the API's, not the action's. */
function stripCsrf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('_csrf' in body)) return body;
  const { _csrf: _c, ...rest } = body as Record<string, unknown>;
  return rest;
}
