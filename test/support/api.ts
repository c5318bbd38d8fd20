import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { calendarStore } from '../../src/activities/calendar-store';
import { rosterFileSource } from '../../src/activities/roster-file';
import { fileDocumentStore } from '../../src/infra/document-store';
import { buildApi } from '../../src/api/server';
import { localDateOf } from '../../src/domain/calendar';
import { builtinPolicy } from '../../src/domain/policy';
import type { Roster } from '../../src/domain/roster';
import { Login, TokenSealer } from '../../src/service/identity';
import { Service } from '../../src/service/service';
import { sampleRosterFile } from './mail';
import { startVillageWorld, type VillageWorld } from './village';

/** The API on the dev server, with a worker, a real SMTP sink, and the audit lines it logs. */
export interface ApiWorld {
  readonly world: VillageWorld;
  readonly app: FastifyInstance;
  readonly service: Service;
  readonly sealer: TokenSealer;
  readonly audit: Record<string, unknown>[];
  /** The roster file the API reads (the sample county, designated this month). */
  readonly rosterFile: string;
  /** Where the API listens. */
  readonly url: string;
  /** The environment of a CLI run as this person (a token file as `cli login` leaves it), or as nobody. */
  cliEnv(person?: string): Record<string, string>;
  /** A bearer token for a roster person, as `cli login` would hold (the login flow is tested on its own). */
  bearer(person: string): Record<string, string>;
}

/**
 * By default on the dev server, with the sample county designated this month; with `startAt`, on
 * the time-skipping server from that instant, with the sample county as it is (designated in 2018).
 */
export function useApiWorld(opts: { startAt?: string } = {}): ApiWorld {
  let state: (Omit<ApiWorld, 'bearer' | 'cliEnv'> & { dir: string; close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    // The sample county, designated this month (the dev server's clock is today's).
    const dir = mkdtempSync(path.join(tmpdir(), 'api-'));
    const rosterFile = path.join(dir, 'roster.json');
    const roster = JSON.parse(readFileSync(sampleRosterFile, 'utf8')) as { designations: { date: string }[] };
    if (!opts.startAt) for (const d of roster.designations) d.date = `${localDateOf(Date.now()).slice(0, 7)}-01`;
    writeFileSync(rosterFile, JSON.stringify(roster));
    const world = await startVillageWorld(opts.startAt ? { startAt: opts.startAt, rosterFile } : { devServer: true, rosterFile });
    // As the API reads it (src/api/main.ts): the last valid roster stays in use when the file breaks.
    const rosterSource = rosterFileSource(rosterFile);
    const parsed = (): Roster => rosterSource.current();
    const key = randomBytes(32);
    const sealer = new TokenSealer(key);
    const service = new Service({
      client: world.env.client,
      taskQueue: world.taskQueue,
      roster: parsed,
      policy: () => builtinPolicy(),
      calendar: calendarStore(world.mail.calendarDir),
      documents: fileDocumentStore(world.mail.documentDir),
      // On the time-skipping server a query's moment is the server's, not the machine's.
      ...(opts.startAt ? { now: () => world.env.currentTimeMs() } : {}),
    });
    const login = new Login({ roster: parsed, mailer: world.mail.mailer, sealer, hashKey: key });
    const audit: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line) continue;
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.audit) audit.push(entry);
        }
        done();
      },
    });
    const app = await buildApi({
      service,
      login,
      sealer,
      logger: { level: 'info', stream },
      web: {
        rosterProblem: () => rosterSource.problem(),
        roster: parsed,
        calendar: calendarStore(world.mail.calendarDir),
        mailbox: () => world.mail.sink.received.map((m) => ({ to: m.envelopeTo, subject: m.subject, text: m.text, at: new Date().toISOString() })),
      },
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    state = {
      world,
      app,
      service,
      sealer,
      audit,
      rosterFile,
      url,
      dir,
      async close() {
        await app.close();
        await world.close();
      },
    };
  });
  afterAll(async () => {
    await state?.close();
  });
  const current = () => {
    if (!state) throw new Error('read the API world inside a test');
    return state;
  };
  return {
    get world() {
      return current().world;
    },
    get app() {
      return current().app;
    },
    get service() {
      return current().service;
    },
    get sealer() {
      return current().sealer;
    },
    get audit() {
      return current().audit;
    },
    get rosterFile() {
      return current().rosterFile;
    },
    get url() {
      return current().url;
    },
    cliEnv(person?: string) {
      const s = current();
      const tokenFile = path.join(s.dir, `token-${person ?? 'nobody'}`);
      if (person) writeFileSync(tokenFile, s.sealer.seal({ sub: person, kind: 'bearer', exp: Date.now() + 3_600_000 }), { mode: 0o600 });
      return { API_URL: s.url, CLI_TOKEN_FILE: tokenFile, ROSTER_FILE: s.rosterFile };
    },
    bearer(person: string) {
      return { authorization: `Bearer ${current().sealer.seal({ sub: person, kind: 'bearer', exp: Date.now() + 3_600_000 })}` };
    },
  };
}
