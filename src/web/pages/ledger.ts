/** 后果台账: consequences in force and accountability decisions (六（四）, 六（五）, 五（四）). */
import type { FastifyInstance } from 'fastify';
import { yearOf } from '../../domain/calendar';
import { accountabilityGrounds, type Consequence } from '../../domain/consequences';
import { roleLabels } from '../../domain/roster';
import { chinaTime } from '../../domain/names';
import { may } from '../../service/authorization';
import { html, raw, type Html } from '../html';
import type { Kit } from '../kit';

export function registerLedger(app: FastifyInstance, kit: Kit): void {
  const { deps, today, roster, personName, townshipName, fieldError, kept, form, input, page } = kit;
  page('/ledger', async (ctx, r) => {
    const q = r.query as { year?: string; date?: string };
    const year = q.year ?? String(yearOf(today()));
    const date = q.date ?? today();
    const list: Consequence[] = await deps.service.awardIneligible(ctx.actor, year);
    const blocked: Consequence[] = await deps.service.promotionBlocked(ctx.actor, date);
    const numbers = await deps.service.docNumberRegister(ctx.actor).catch(() => []);
    const line = (c: Consequence): Html =>
      html`<tr><td>${c.subject.type === 'person' ? personName(c.subject.id) : c.subject.code}</td><td>${c.from}${c.until ? `至${c.until}` : '起'}</td><td>${c.reason}</td><td>${c.clause}</td><td>${c.cause}</td></tr>`;
    // 六(五): the head records an accountability decision; the form asks for the confirmation the two years follow from.
    const groundOptions = Object.entries(accountabilityGrounds).map(([k, g]) => [k, g.ground ? `${g.ground}（${g.sanction}）` : '其他问责（写明事由和问责方式）'] as const);
    const keptGround = kept(ctx, 'accountability', 'ground');
    const keptPerson = kept(ctx, 'accountability', 'person');
    const accountability = may(ctx.actor, 'accountability.record', { kind: 'county' })
      ? form(
          ctx,
          'accountability',
          '/api/ledger/accountability',
          '记录问责决定（六(五)“凡被问责的，两年内不得提拔使用”）',
          html`<label>问责情形：<select name="ground">${groundOptions.map(([k, label]) => html`<option value="${k}"${keptGround === k ? raw(' selected') : ''}>${label}</option>`)}</select>${fieldError(ctx, 'accountability', 'ground')}</label>
<label>被问责人：<select name="person"><option value="">（请选择）</option>${roster().people.map((p) => html`<option value="${p.id}"${keptPerson === p.id ? raw(' selected') : ''}>${p.name}（${roleLabels[p.role]}${p.township ? `，${townshipName(p.township)}` : ''}）</option>`)}</select>${fieldError(ctx, 'accountability', 'person')}</label>
${input(ctx, 'accountability', '决定日期', 'decidedOn', 'date', today())}${input(ctx, 'accountability', '决定文号', 'docNumber')}
${input(ctx, 'accountability', '问责事由（其他问责必填）', 'reason:optional')}${input(ctx, 'accountability', '问责方式（其他问责必填）', 'sanction:optional')}${input(ctx, 'accountability', '弄虚作假涉及的整顿对象（村编码，可不填）', 'village:optional')}
<label><input type="checkbox" name="confirmed:bool" value="true"> 已核实：记录后，被问责人自决定之日起两年内不得提拔使用，并列入后果台账</label>${fieldError(ctx, 'accountability', 'confirmed')}`,
          '记录问责决定',
        )
      : html``;
    return {
      title: '后果台账',
      body: html`<form method="get"><label>年度：<input name="year" value="${year}"></label><label>日期：<input type="date" name="date" value="${date}"></label><button>查看</button></form>
<p>导出（Excel）：<a href="/api/ledger/targets.xlsx">整顿对象台账</a>　<a href="/api/ledger/consequences.xlsx?year=${year}">${year}年度后果台账</a></p>
<h2>${year}年度不得评先选优（六(四)）</h2><table><tr><th>人员</th><th>期间</th><th>事由</th><th>依据</th><th>案件</th></tr>${list.map(line)}</table>
<h2>${date}不得提拔使用（六（五））、不得晋升重用（五（四））</h2><table><tr><th>对象</th><th>期间</th><th>事由</th><th>依据</th><th>案件或文号</th></tr>${blocked.map(line)}</table>
<h2 id="doc-numbers">文号登记（县委组织部发文）</h2>${
  numbers.length
    ? html`<table><tr><th>文号</th><th>文书</th><th>案件</th><th>发出</th></tr>${[...numbers].reverse().map(
        (n) => html`<tr><td>${n.number}</td><td>${n.title ?? (n.kind === 'letter' ? '函询函' : '约谈通知')}</td><td><a href="/cases/${encodeURIComponent(n.caseId)}">${n.caseId}</a></td><td>${n.mailedAt ? chinaTime(n.mailedAt) : html`<strong class="red-text">未见发出的文书</strong>`}</td></tr>`,
      )}</table>`
    : html`<p class="muted">尚未编排文号。</p>`
}
${accountability}`,
    };
  });
}
