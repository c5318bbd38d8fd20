/** 通知与运维: mail held or refused (who it was for, what, the server's reply, what to do), the workflows running, the policy and the holiday calendar in use. */
import type { FastifyInstance } from 'fastify';
import type { EntityStatus, FailedDelivery } from '../../contracts/common';
import type { InquiryView } from '../../contracts/inquiry';
import { chinaTime } from '../../domain/names';
import { roleLabels } from '../../domain/roster';
import type { ListItem } from '../../service/service';
import { html, type Html } from '../html';
import type { Ctx, Kit } from '../kit';

/** Entities whose mail the page details; the rest are counted (a province's outage can touch thousands). */
const DETAILED = 50;

export function registerOps(app: FastifyInstance, kit: Kit): void {
  const { deps, villageName, townshipName, roster, page } = kit;
  const caseId = (i: ListItem): string => i.workflowId.replace(/^inquiry:/, '');
  const apiBase = (i: ListItem): string => (i.kind === 'village' ? `/api/villages/${i.village ?? ''}` : i.kind === 'township' ? `/api/townships/${i.township}` : `/api/cases/${caseId(i)}`);
  // Each row by the name officials know (the target, the township, the case), its workflow id beside it for the Temporal UI.
  const entityName = (i: ListItem): Html =>
    i.kind === 'village'
      ? html`<a href="/villages/${i.village ?? ''}">${villageName(i.village ?? '')}</a>`
      : i.kind === 'township'
        ? html`<a href="/townships/${i.township}">${townshipName(i.township)}</a>`
        : html`<a href="/cases/${caseId(i)}">${townshipName(i.township)}函询案件 ${caseId(i)}</a>`;
  const viewOf = (ctx: Ctx, i: ListItem): Promise<EntityStatus | undefined> =>
    (i.kind === 'village' ? deps.service.villageView(ctx.actor, i.village ?? '') : i.kind === 'township' ? deps.service.townshipView(ctx.actor, i.township) : deps.service.caseView(ctx.actor, caseId(i))).catch(
      () => undefined,
    );
  /** An address as the person who has it (name and post), the address beside it. */
  const addressee = (address: string): string => {
    const p = roster().people.find((x) => x.email === address);
    return p ? `${p.name}（${roleLabels[p.role]}）${address}` : `${address}（名册中已无此邮箱）`;
  };
  /** What an operator does about a delivery refused for good. */
  const remedy = (f: FailedDelivery): string =>
    f.recipients.length > 0
      ? '邮件服务器拒收：核对名册中该收件人的邮箱（或其是否仍在岗），改正名册后点“立即重发”。'
      : '名册中该岗位无人，或收件人没有邮箱：补充名册后点“立即重发”；已转县委组织部的，请其转办。';
  const retryButton = (ctx: Ctx, i: ListItem): Html =>
    html`<form class="inline" method="post" action="/do${apiBase(i)}/deliveries/retry"><input type="hidden" name="_csrf" value="${ctx.csrf}"><input type="hidden" name="_back" value="/ops"><button>立即重发</button></form>${
      deps.temporalUi ? html` <a href="${deps.temporalUi}/namespaces/default/workflows/${encodeURIComponent(i.workflowId)}">Temporal</a>` : ''
    }`;

  const entityRows = (ctx: Ctx, i: ListItem, v: EntityStatus | undefined): Html => {
    const name = html`${entityName(i)}<br><span class="muted">${i.workflowId}</span>`;
    const refusedLetter = i.kind === 'case' ? (v as InquiryView | undefined)?.letterRefused : undefined;
    const rows: Html[] = [];
    const d = v?.deliveryDelayed;
    if (d) {
      rows.push(
        html`<tr data-light="yellow"><td>${name}</td><td><span class="light yellow"></span>待发${d.pending}条</td><td>—</td><td>自${chinaTime(d.since)}</td><td>${d.lastError}</td><td>邮件服务器暂不可用：已重试${d.attempts}次，${chinaTime(d.retryAt)}自动再试；请检查邮件服务器，恢复后可点“立即重发”。</td><td class="nowrap">${retryButton(ctx, i)}</td></tr>`,
      );
    }
    for (const f of v?.failedDeliveries ?? []) {
      const letter = refusedLetter && f.step === 'inquiry-letter';
      rows.push(
        html`<tr data-light="red"><td>${name}</td><td><span class="light red"></span>${f.label ?? f.obligationId}${letter ? html`<br><strong class="red-text">未送达：书面说明的期限待送达后起算</strong>` : ''}</td><td>${f.recipients.length ? f.recipients.map(addressee).join('；') : '—'}</td><td>${chinaTime(f.at)}</td><td>${f.error}</td><td>${remedy(f)}${letter ? '也可将函件当面送达后，在案件页记录送达。' : ''}</td><td class="nowrap">${retryButton(ctx, i)}</td></tr>`,
      );
    }
    if (rows.length === 0) rows.push(html`<tr><td>${name}</td><td>发送失败${i.failedDeliveries}条${i.deliveryDelayed ? '，有待发通知' : ''}</td><td></td><td></td><td></td><td>详见对象页面的工作记录。</td><td class="nowrap">${retryButton(ctx, i)}</td></tr>`);
    return html`${rows}`;
  };

  page('/ops', async (ctx) => {
    const failed = await deps.service.list(ctx.actor, { failed: true });
    const delayed = await deps.service.list(ctx.actor, { delayed: true });
    const all = [...new Map([...delayed, ...failed].map((i) => [i.workflowId, i])).values()];
    const detailed = all.slice(0, DETAILED);
    const views = await Promise.all(detailed.map((i) => viewOf(ctx, i)));
    const running = await deps.service.list(ctx.actor, {});
    const county = await deps.service.countyView(ctx.actor).catch(() => undefined);
    const kinds = { village: '整顿对象', township: '乡镇', case: '函询案件' } as const;
    const rosterProblem = deps.rosterProblem?.();
    return {
      title: '通知与运维',
      body: html`${rosterProblem ? html`<div class="error" role="alert"><h2>名册文件有误，仍按上次有效的名册发送通知</h2><pre>${rosterProblem.message}</pre></div>` : ''}<h2>发送失败或暂未发出的通知</h2>${
        all.length
          ? html`<table id="deliveries"><tr><th>对象</th><th>通知</th><th>收件人</th><th>时间</th><th>邮件服务器答复</th><th>怎么办</th><th></th></tr>${detailed.map((i, k) => entityRows(ctx, i, views[k]))}</table>${
              all.length > DETAILED ? html`<p class="muted">另有${all.length - DETAILED}个对象的通知未能送达或待发，见 cli list --failed。</p>` : ''
            }<p class="muted">“立即重发”按现在的名册重新发送：已收到的收件人不会重复收到。</p>`
          : html`<p class="muted">没有。</p>`
      }
<h2>运行中的工作流</h2><table><tr><th>类别</th><th>数量</th><th>有逾期事项</th></tr>${(Object.keys(kinds) as (keyof typeof kinds)[]).map(
        (k) => html`<tr><td>${kinds[k]}</td><td>${running.filter((i) => i.kind === k).length}</td><td>${running.filter((i) => i.kind === k && i.overdue).length}</td></tr>`,
      )}</table>
${county ? html`<h2>在用的工作规则和节假日安排</h2><p>工作规则：${county.policyVersion}</p><ul>${county.calendarYears.map((y) => html`<li>${y.year}年：${y.official ? '正式' : '暂定'}，${y.source}</li>`)}</ul>` : ''}`,
    };
  });
}
