/** 通知与运维: mail held or refused, workflows that failed, the policy and the holiday calendar in use. */
import type { FastifyInstance } from 'fastify';
import type { ListItem } from '../../service/service';
import { html, type Html } from '../html';
import type { Kit } from '../kit';

export function registerOps(app: FastifyInstance, kit: Kit): void {
  const { deps, villageName, townshipName, page } = kit;
  page('/ops', async (ctx) => {
    const failed = await deps.service.list(ctx.actor, { failed: true });
    const delayed = await deps.service.list(ctx.actor, { delayed: true });
    const apiBase = (i: ListItem): string => (i.kind === 'village' ? `/api/villages/${i.village ?? ''}` : i.kind === 'township' ? `/api/townships/${i.township}` : `/api/cases/${i.workflowId.replace(/^inquiry:/, '')}`);
    // Each row by the name officials know (the target, the township, the case), its workflow id beside it for the Temporal UI.
    const entityName = (i: ListItem): Html =>
      i.kind === 'village'
        ? html`<a href="/villages/${i.village ?? ''}">${villageName(i.village ?? '')}</a>`
        : i.kind === 'township'
          ? html`<a href="/townships/${i.township}">${townshipName(i.township)}</a>`
          : html`<a href="/cases/${i.workflowId.replace(/^inquiry:/, '')}">${townshipName(i.township)}函询案件 ${i.workflowId.replace(/^inquiry:/, '')}</a>`;
    const row = (i: ListItem): Html =>
      html`<tr><td>${entityName(i)}<br><span class="muted">${i.workflowId}</span></td><td>${i.failedDeliveries}</td><td>${i.deliveryDelayed ? '是' : ''}</td><td><form class="inline" method="post" action="/do${apiBase(i)}/deliveries/retry"><input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="_back" value="/ops"><button>立即重发</button></form>${
        deps.temporalUi ? html` <a href="${deps.temporalUi}/namespaces/default/workflows/${encodeURIComponent(i.workflowId)}">Temporal</a>` : ''
      }</td></tr>`;
    const all = [...new Map([...failed, ...delayed].map((i) => [i.workflowId, i])).values()];
    const running = await deps.service.list(ctx.actor, {});
    const county = await deps.service.countyView(ctx.actor).catch(() => undefined);
    const kinds = { village: '整顿对象', township: '乡镇', case: '函询案件' } as const;
    const rosterProblem = deps.rosterProblem?.();
    return {
      title: '通知与运维',
      body: html`${rosterProblem ? html`<div class="error" role="alert"><h2>名册文件有误，仍按上次有效的名册发送通知</h2><pre>${rosterProblem.message}</pre></div>` : ''}<h2>发送失败或暂未发出的通知</h2>${all.length ? html`<table><tr><th>对象</th><th>发送失败</th><th>待发</th><th></th></tr>${all.map(row)}</table>` : html`<p class="muted">没有。</p>`}
<h2>运行中的工作流</h2><table><tr><th>类别</th><th>数量</th><th>有逾期事项</th></tr>${(Object.keys(kinds) as (keyof typeof kinds)[]).map(
        (k) => html`<tr><td>${kinds[k]}</td><td>${running.filter((i) => i.kind === k).length}</td><td>${running.filter((i) => i.kind === k && i.overdue).length}</td></tr>`,
      )}</table>
${county ? html`<h2>在用的工作规则和节假日安排</h2><p>工作规则：${county.policyVersion}</p><ul>${county.calendarYears.map((y) => html`<li>${y.year}年：${y.official ? '正式' : '暂定'}，${y.source}</li>`)}</ul>` : ''}`,
    };
  });
}
