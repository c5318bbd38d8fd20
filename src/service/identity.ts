/**
 * Who is acting, proven: a one-time code mailed to the person's roster address (as Chinese
 * offices use SMS codes), exchanged for a sealed token. The token is the session cookie of the web
 * pages or the bearer token of the CLI and scripts; it is encrypted and authenticated
 * (AES-256-GCM) with the configured key, so it can be neither read nor forged nor altered.
 *
 * Codes: six digits, kept only as a keyed hash, valid ten minutes, five tries; at most three
 * codes per person per ten minutes and twenty per client per hour. Codes live in this process:
 * several API processes need a shared store behind the same interface.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Mailer } from '../activities/mailer';
import type { Person, Roster } from '../domain/roster';
import { ServiceError } from './errors';
import { SessionRegistry } from './sessions';

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_TRIES = 5;
export const CODES_PER_PERSON = { count: 3, windowMs: 10 * 60_000 } as const;
export const CODES_PER_CLIENT = { count: 20, windowMs: 60 * 60_000 } as const;
export const SESSION_TTL_MS = 8 * 3_600_000;
/** Wrong codes a person may enter in a day before the login is locked until the department unlocks it. */
export const FAILED_CODES_PER_DAY = 10;
export const BEARER_TTL_MS = 30 * 86_400_000;

export interface TokenClaims {
  /** Roster person id. */
  readonly sub: string;
  readonly kind: 'session' | 'bearer';
  /** Expiry, ms since epoch. */
  readonly exp: number;
  /** The CSRF token forms and scripts using the cookie must send back (sessions only). */
  readonly csrf?: string;
  /** Issued at, ms since epoch, and the token's own id: a logout ends it by these (see SessionRegistry). */
  readonly iat?: number;
  readonly jti?: string;
  /** The post the person held when the token was issued: a change of post in the roster ends it. */
  readonly post?: string;
}

/** A person's post as the roster says it: role and the place of the role. */
export function postOf(p: Person): string {
  return [p.role, p.township ?? '', p.village ?? '', p.department ?? ''].join('|');
}

/** Seals and opens tokens with a 32-byte key. */
export class TokenSealer {
  private readonly key: Buffer;

  constructor(
    key: Uint8Array,
    /** Which sealed tokens have been ended (logout); in memory unless the API gives it a file. */
    readonly sessions: SessionRegistry = new SessionRegistry(),
  ) {
    if (key.length !== 32) throw new RangeError('the session key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  seal(input: TokenClaims): string {
    const claims: TokenClaims = { ...input, iat: input.iat ?? Date.now(), jti: input.jti ?? randomBytes(12).toString('base64url') };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The claims of a token this key sealed and that has not expired, or undefined. */
  open(token: string, now = Date.now()): TokenClaims | undefined {
    try {
      const raw = Buffer.from(token, 'base64url');
      if (raw.length < 29 || raw.length > 4096) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const claims = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as TokenClaims;
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp <= now) return undefined;
      if (!this.sessions.isLive(claims.sub, typeof claims.iat === 'number' ? claims.iat : 0, typeof claims.jti === 'string' ? claims.jti : '')) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}

interface PendingCode {
  readonly hash: Buffer;
  readonly expires: number;
  tries: number;
}

export interface LoginDeps {
  readonly roster: () => Roster;
  readonly mailer: Mailer;
  readonly sealer: TokenSealer;
  readonly hashKey: Uint8Array;
  readonly now?: () => number;
}

/** One-time codes by mail, exchanged for a token. */
export class Login {
  private readonly codes = new Map<string, PendingCode>();
  private readonly sentByPerson = new Map<string, number[]>();
  private readonly sentByClient = new Map<string, number[]>();
  private readonly failedByPerson = new Map<string, number[]>();
  /** People whose login is locked after too many wrong codes, until the department unlocks it. */
  private readonly locked = new Set<string>();
  /** How long mailing a code takes, smoothed: an unknown id waits as long, so time tells nothing. */
  private sendMs = 40;
  private readonly now: () => number;

  constructor(private readonly deps: LoginDeps) {
    this.now = deps.now ?? Date.now;
  }

  private hash(person: string, code: string): Buffer {
    return createHmac('sha256', this.deps.hashKey).update(`${person}:${code}`).digest();
  }

  private limited(map: Map<string, number[]>, key: string, limit: { count: number; windowMs: number }): boolean {
    const now = this.now();
    const recent = (map.get(key) ?? []).filter((t) => t > now - limit.windowMs);
    map.set(key, recent);
    return recent.length >= limit.count;
  }

  /**
   * Mails a code to the person with this roster id or address. Says the same whether or not the
   * person exists, so the form cannot be used to list the roster.
   */
  async requestCode(who: string, client: string): Promise<void> {
    if (this.limited(this.sentByClient, client, CODES_PER_CLIENT)) throw new ServiceError('rate-limited', '获取验证码过于频繁，请一小时后再试');
    const person = this.deps.roster().people.find((p) => p.id === who || p.email.toLowerCase() === who.toLowerCase());
    // The per-person limit counts any id asked for, in the roster or not: the 429 tells nothing either.
    const limitKey = person ? person.id : `?${who.toLowerCase()}`;
    if (this.limited(this.sentByPerson, limitKey, CODES_PER_PERSON)) throw new ServiceError('rate-limited', '获取验证码过于频繁，请十分钟后再试');
    if (!person || this.locked.has(person.id)) {
      this.sentByClient.get(client)!.push(this.now());
      this.sentByPerson.get(limitKey)!.push(this.now());
      await new Promise((r) => setTimeout(r, this.sendMs * (0.8 + Math.random() * 0.4)));
      return;
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.codes.set(person.id, { hash: this.hash(person.id, code), expires: this.now() + CODE_TTL_MS, tries: 0 });
    this.sentByPerson.get(person.id)!.push(this.now());
    this.sentByClient.get(client)!.push(this.now());
    const started = Date.now();
    await this.deps.mailer.send({
      key: `login:${person.id}:${this.now()}:${randomBytes(4).toString('hex')}`,
      to: [person.email],
      subject: `【登录验证码】${code}`,
      text: [`${person.name}同志：`, '', `您的登录验证码为：${code}`, '', '验证码10分钟内有效，请勿告知他人。如非本人操作，请忽略本邮件。', '', '软弱涣散农村基层党组织整顿提升工作平台'].join('\n'),
    });
    this.sendMs = Math.min(2_000, this.sendMs * 0.8 + (Date.now() - started) * 0.2);
  }

  /** The department unlocks a person's login; their count of wrong codes starts again. */
  unlock(personId: string): boolean {
    this.failedByPerson.delete(personId);
    return this.locked.delete(personId);
  }

  /** A wrong code: counted for the day; the tenth locks the login, and the person is told by mail. */
  private failed(person: Person): void {
    const day = 86_400_000;
    const now = this.now();
    const recent = [...(this.failedByPerson.get(person.id) ?? []).filter((t) => t > now - day), now];
    this.failedByPerson.set(person.id, recent);
    if (recent.length < FAILED_CODES_PER_DAY || this.locked.has(person.id)) return;
    this.locked.add(person.id);
    this.codes.delete(person.id);
    void this.deps.mailer
      .send({
        key: `login-locked:${person.id}:${now}`,
        to: [person.email],
        subject: '【登录已锁定】验证码多次输入错误',
        text: [
          `${person.name}同志：`,
          '',
          `您的账号在24小时内验证码输入错误${FAILED_CODES_PER_DAY}次，登录已被锁定。`,
          '如非本人操作，可能有人试图冒用您的身份，请告知县委组织部。解锁请联系县委组织部。',
          '',
          '软弱涣散农村基层党组织整顿提升工作平台',
        ].join('\n'),
      })
      .catch(() => undefined);
  }

  /** Exchanges a code for a sealed token of the given kind. */
  verify(who: string, code: string, kind: TokenClaims['kind']): { token: string; claims: TokenClaims; personId: string } {
    const person = this.deps.roster().people.find((p) => p.id === who || p.email.toLowerCase() === who.toLowerCase());
    const pending = person ? this.codes.get(person.id) : undefined;
    if (person && this.locked.has(person.id)) throw new ServiceError('unauthenticated', '验证码多次输入错误，登录已锁定，请联系县委组织部解锁');
    if (!person || !pending) throw new ServiceError('unauthenticated', '验证码无效，请重新获取');
    if (pending.expires <= this.now()) {
      this.codes.delete(person.id);
      throw new ServiceError('unauthenticated', '验证码已过期，请重新获取');
    }
    if (pending.tries >= CODE_TRIES) {
      this.codes.delete(person.id);
      throw new ServiceError('unauthenticated', '验证码错误次数过多，已失效，请重新获取');
    }
    pending.tries++;
    if (!/^\d{6}$/.test(code) || !timingSafeEqual(pending.hash, this.hash(person.id, code))) {
      this.failed(person);
      if (this.locked.has(person.id)) throw new ServiceError('unauthenticated', '验证码多次输入错误，登录已锁定，请联系县委组织部解锁');
      const left = CODE_TRIES - pending.tries;
      if (left <= 0) this.codes.delete(person.id);
      throw new ServiceError('unauthenticated', left > 0 ? `验证码错误，还可尝试${left}次` : '验证码错误次数过多，已失效，请重新获取');
    }
    this.codes.delete(person.id);
    const common = { sub: person.id, iat: this.now(), jti: randomBytes(12).toString('base64url'), post: postOf(person) };
    const claims: TokenClaims =
      kind === 'session'
        ? { ...common, kind, exp: this.now() + SESSION_TTL_MS, csrf: randomBytes(18).toString('base64url') }
        : { ...common, kind, exp: this.now() + BEARER_TTL_MS };
    return { token: this.deps.sealer.seal(claims), claims, personId: person.id };
  }

  /**
   * Whether the token's person still holds the post it was issued for: a person removed from the
   * roster, or moved to another post or place, must log in again (and then acts as the new post).
   */
  holdsPost(claims: TokenClaims): boolean {
    const person = this.deps.roster().people.find((p) => p.id === claims.sub);
    if (!person) return false;
    return claims.post === undefined || claims.post === postOf(person);
  }
}
