/** The local SMTP sink's messages at /dev/mail, in the embedded default only, for operators and the department. */
import type { FastifyInstance } from 'fastify';
import { chinaTime } from '../../domain/names';
import { html } from '../html';
import type { Kit } from '../kit';

export function registerMailbox(app: FastifyInstance, kit: Kit): void {
  const { deps, session, ctxOf, mayReadMailbox, layout } = kit;
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
