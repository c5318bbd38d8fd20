/**
 * The workbench: server-rendered pages in Chinese for every post, over the same service layer as
 * the API (authorization and validation decided there). Forms post without JavaScript to `/do/…`,
 * which runs the API route of the same path as the session's person and comes back to the page,
 * with the service's field errors shown next to the fields.
 *
 * One file per page under ./pages/, sharing the layout, forms and 红黄绿 pieces of ./kit.ts.
 */
import type { FastifyInstance } from 'fastify';
import { createKit, type WebDeps } from './kit';
import { parseUrlEncoded } from './forms';
import { registerLogin } from './pages/login';
import { registerForms } from './pages/forms';
import { registerMyWork } from './pages/my-work';
import { registerDashboard } from './pages/dashboard';
import { registerVillage } from './pages/village';
import { registerTownship } from './pages/township';
import { registerCase } from './pages/case';
import { registerCounty } from './pages/county';
import { registerAcceptance } from './pages/acceptance';
import { registerLedger } from './pages/ledger';
import { registerOps } from './pages/ops';
import { registerMailbox } from './pages/mailbox';

export type { MailboxMessage, WebDeps } from './kit';

export function registerWeb(app: FastifyInstance, deps: WebDeps): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
    done(null, parseUrlEncoded(body as string));
  });
  const kit = createKit(app, deps);
  registerLogin(app, kit);
  registerForms(app, kit);
  registerMyWork(app, kit);
  registerDashboard(app, kit);
  registerVillage(app, kit);
  registerTownship(app, kit);
  registerCase(app, kit);
  registerCounty(app, kit);
  registerAcceptance(app, kit);
  registerLedger(app, kit);
  registerOps(app, kit);
  registerMailbox(app, kit);
}
