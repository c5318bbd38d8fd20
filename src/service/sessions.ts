/**
 * Sessions that can be ended. A token is sealed (it cannot be forged), but a sealed token alone
 * stays valid until it expires; this registry is what the API checks on every request:
 *
 * - a token ended by its own logout (its id, kept until the token would have expired);
 * - every token of a person issued before a moment (logout "everywhere", or the department
 *   ending the person's sessions).
 *
 * A change of post in the roster ends the sessions too, by the post sealed in each token
 * (`Login.holdsPost`). The registry is a small JSON file beside the session key (the API's own
 * volume), so a restart does not bring ended sessions back; without a file it lives in memory.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface Stored {
  /** Person id → ms: tokens issued before are ended. */
  notBefore: Record<string, number>;
  /** Token id → its expiry (ms): ended; forgotten once expired. */
  ended: Record<string, number>;
}

export class SessionRegistry {
  private state: Stored = { notBefore: Object.create(null) as Record<string, number>, ended: Object.create(null) as Record<string, number> };

  constructor(
    private readonly file?: string,
    private readonly now: () => number = Date.now,
  ) {
    if (file && existsSync(file)) {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
      for (const [k, v] of Object.entries(raw.notBefore ?? {})) if (typeof v === 'number') this.state.notBefore[k] = v;
      for (const [k, v] of Object.entries(raw.ended ?? {})) if (typeof v === 'number') this.state.ended[k] = v;
    }
  }

  /** Whether a token issued at `iat` with id `jti` to `sub` has not been ended. */
  isLive(sub: string, iat: number, jti: string): boolean {
    const before = Object.hasOwn(this.state.notBefore, sub) ? this.state.notBefore[sub]! : 0;
    if (iat < before) return false;
    return !(jti !== '' && Object.hasOwn(this.state.ended, jti));
  }

  /** Ends one token (a logout). */
  end(jti: string, exp: number): void {
    if (jti === '') return;
    this.state.ended[jti] = exp;
    this.save();
  }

  /** Ends every token of the person issued until now. */
  endAll(personId: string): void {
    this.state.notBefore[personId] = this.now() + 1;
    this.save();
  }

  private save(): void {
    const now = this.now();
    for (const [k, exp] of Object.entries(this.state.ended)) if (exp <= now) delete this.state.ended[k];
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(tmp, this.file);
    chmodSync(this.file, 0o600);
  }
}
