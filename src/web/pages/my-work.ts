/** 我的待办: the duties of the logged-in person's posts, first page after login. */
import type { FastifyInstance } from 'fastify';
import { caseStageLabels } from '../../contracts/inquiry';
import type { ObligationView } from '../../contracts/common';
import { mayFulfil, type EntityRef } from '../../service/authorization';
import { html, type Html } from '../html';
import type { Kit } from '../kit';

export function registerMyWork(app: FastifyInstance, kit: Kit): void {
  const { deps, today, villageName, townshipName, dutiesNow, dutyTable, page } = kit;
  page('/', async (ctx) => {
    const a = ctx.actor;
    /** The place's duties that others act on (each row names who), folded under 本单位其他事项. */
    const folded = (entity: EntityRef, base: string, others: readonly ObligationView[]): Html =>
      others.length ? html`<details class="others"><summary>本单位其他事项（${others.length}项，由其他人员办理）</summary>${dutyTable(ctx, entity, base, others)}</details>` : html``;
    const sections: Html[] = [];
    if (a.role === 'org-department-staff' || a.role === 'org-department-head' || a.role === 'operator') {
      const county = await deps.service.countyView(a).catch(() => undefined);
      if (county) sections.push(html`<h2>县委的事项</h2>${dutyTable(ctx, { kind: 'county' }, '/api/county', dutiesNow(county))}`);
      const items = await deps.service.list(a, { kind: 'case' });
      for (const i of items) {
        const caseId = i.workflowId.replace(/^inquiry:/, '');
        const v = await deps.service.caseView(a, caseId);
        const duties = dutiesNow(v);
        if (duties.length) sections.push(html`<h2><a href="/cases/${caseId}">函询案件 ${caseId}（${townshipName(v.township)}，${caseStageLabels[v.stage]}）</a></h2>${dutyTable(ctx, { kind: 'case', township: v.township, caseId }, `/api/cases/${caseId}`, duties)}`);
      }
      // Targets waiting on the county: plans to review, late-November acceptances to record.
      const targets = await deps.service.list(a, { kind: 'village' });
      for (const i of targets.filter((x) => x.stage === 'plan-submitted' || x.stage === 'acceptance')) {
        const v = await deps.service.villageView(a, i.village ?? '').catch(() => undefined);
        if (!v) continue;
        const county = dutiesNow(v).filter((o) => 'role' in o.responsible && (o.responsible.role === 'org-department-staff' || o.responsible.role === 'org-department-head'));
        const review = v.plan.status === 'submitted' ? html`<p><a href="/villages/${v.village}#review">整顿方案待审核</a></p>` : '';
        if (county.length || review) sections.push(html`<h2><a href="/villages/${v.village}">${villageName(v.village)}</a>（${v.stageLabel}）</h2>${review}${county.length ? dutyTable(ctx, deps.service.village(v.village), `/api/villages/${v.village}`, county) : ''}`);
      }
      sections.push(html`<p><a href="/dashboard">全县整顿对象和乡镇一览</a>　<a href="/acceptance">验收评价</a></p>`);
    }
    if (a.township && (a.role === 'township-party-secretary' || a.role === 'organization-officer')) {
      const t = await deps.service.townshipView(a, a.township).catch(() => undefined);
      if (t) {
        // Mine first; the township's other duties (another post's) folded under 本单位其他事项.
        const entity = { kind: 'township', township: t.township } as const;
        const all = dutiesNow(t);
        const mine = all.filter((o) => mayFulfil(a, entity, o));
        const others = all.filter((o) => !mine.includes(o));
        sections.push(html`<h2><a href="/townships/${t.township}">${townshipName(t.township)}</a></h2>${dutyTable(ctx, entity, `/api/townships/${t.township}`, mine)}${folded(entity, `/api/townships/${t.township}`, others)}`);
        // 我的待办: of a target's duties, those this post does; the first secretary's and the village's own are on the target's page.
        for (const target of t.targets.filter((x) => x.active)) {
          const v = await deps.service.villageView(a, target.village).catch(() => undefined);
          if (!v) continue;
          const entity = deps.service.village(v.village);
          const all = dutiesNow(v);
          const mine = all.filter((o) => mayFulfil(a, entity, o));
          const others = all.filter((o) => !mine.includes(o));
          if (mine.length || others.length) sections.push(html`<h2><a href="/villages/${v.village}">${villageName(v.village)}</a>（${v.stageLabel}）</h2>${mine.length ? dutyTable(ctx, entity, `/api/villages/${v.village}`, mine) : ''}${folded(entity, `/api/villages/${v.village}`, others)}`);
        }
      }
      const cases = await deps.service.list(a, { kind: 'case' });
      for (const i of cases) {
        const caseId = i.workflowId.replace(/^inquiry:/, '');
        sections.push(html`<p><a href="/cases/${caseId}">函询案件 ${caseId}</a>（${(caseStageLabels as Record<string, string>)[i.stage] ?? i.stage}）</p>`);
      }
    }
    if (a.village) {
      const v = await deps.service.villageView(a, a.village).catch(() => undefined);
      if (v) sections.push(html`<h2><a href="/villages/${v.village}">${villageName(v.village)}</a>（${v.stageLabel}）</h2>${dutyTable(ctx, deps.service.village(v.village), `/api/villages/${v.village}`, dutiesNow(v))}`);
    }
    if (sections.length === 0) sections.push(html`<p class="muted">目前没有需要您办理的事项。</p>`);
    return { title: '我的待办', body: html`<p class="muted">今天：${today()}　<span class="light red"></span>已逾期　<span class="light yellow"></span>3个工作日内截止　<span class="light green"></span>正常</p>${sections}` };
  });
  app.get('/overdue', async (_r, reply) => reply.redirect('/dashboard?overdue=1'));
}
