/** 验收评价: the year's acceptance of every target (五(一)). */
import type { FastifyInstance } from 'fastify';
import { yearOf } from '../../domain/calendar';
import { may } from '../../service/authorization';
import { html, type Html } from '../html';
import { acceptanceFields, acceptanceRecord } from '../acceptance';
import type { Kit } from '../kit';

export function registerAcceptance(app: FastifyInstance, kit: Kit): void {
  const { deps, today, villageName, form, page } = kit;
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
            ? acceptanceRecord(done)
            : may(ctx.actor, 'acceptance.record', deps.service.village(v.village))
              ? form(
                  ctx,
                  id,
                  `/api/villages/${v.village}/acceptance`,
                  '',
                  acceptanceFields(kit, ctx, id, v, year),
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
}
