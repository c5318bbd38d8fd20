/** An inquiry case's page (六（四）): the letter, the explanation and its review, the talk. */
import type { FastifyInstance } from 'fastify';
import { caseStageLabels, type InquiryView } from '../../contracts/inquiry';
import { docNumberText, chinaTime } from '../../domain/names';
import { may, type EntityRef } from '../../service/authorization';
import { html, type Html } from '../html';
import { type Kit, type Ctx } from '../kit';

export function registerCase(app: FastifyInstance, kit: Kit): void {
  const { deps, today, roster, personName, townshipName, form, input, textarea, dutiesNow, dutyTable, historyList, documentList, page } = kit;
  const casePage = async (ctx: Ctx, caseId: string, highlight?: string): Promise<{ title: string; body: Html }> => {
    const v: InquiryView = await deps.service.caseView(ctx.actor, caseId);
    const e: EntityRef = { kind: 'case', township: v.township, caseId };
    const base = `/api/cases/${caseId}`;
    const forms: Html[] = [];
    const documents = await documentList(ctx, e, base);
    const letterName = v.kind === 'talk' ? '约谈通知' : '函询函';
    if (v.stage === 'awaiting-explanation' && may(ctx.actor, 'explanation.submit', e)) {
      forms.push(form(ctx, 'explanation', `${base}/explanation`, '报送书面说明（六(四)）', html`${textarea(ctx, 'explanation', '问题根源', 'rootCause')}${textarea(ctx, 'explanation', '整顿措施', 'measures')}${input(ctx, 'explanation', '完成时限', 'timeLimit', 'date')}`));
    }
    if (v.stage === 'explained' && may(ctx.actor, 'explanation.review', e)) {
      forms.push(form(ctx, 'review', `${base}/explanation/review`, '审阅书面说明', html`<label><input type="radio" name="decision" value="accept" checked> 认可，办结</label><label><input type="radio" name="decision" value="talk"> 问题突出，约谈</label>${textarea(ctx, 'review', '审阅意见', 'note')}`));
    }
    if ((v.stage === 'awaiting-explanation' || v.stage === 'explained') && may(ctx.actor, 'talk.order', e)) forms.push(form(ctx, 'order', `${base}/talk/order`, '决定约谈', textarea(ctx, 'order', '约谈事由', 'why')));
    if (v.stage === 'talk-required' && may(ctx.actor, 'talk.schedule', e)) {
      const dept = roster().people.filter((p) => p.role === 'org-department-staff' || p.role === 'org-department-head');
      forms.push(
        form(
          ctx,
          'schedule',
          `${base}/talk/schedule`,
          '安排约谈',
          html`${input(ctx, 'schedule', '时间（北京时间）', 'at', 'datetime-local')}${input(ctx, 'schedule', '地点', 'place')}<label>约谈人：<select name="conductor">${dept.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select></label>`,
        ),
      );
    }
    // A letter the mail server refused for every addressee: resent from 通知与运维 after the roster is mended, or handed over and recorded here.
    if (v.letterRefused && v.stage !== 'closed' && may(ctx.actor, 'letter.deliver', e)) {
      forms.push(form(ctx, 'delivery', `${base}/delivery`, `记录${letterName}送达（书面说明的期限自送达之日起计算）`, html`${input(ctx, 'delivery', '送达日期', 'on', 'date', today())}${input(ctx, 'delivery', '送达方式', 'means', 'text', '当面送达')}`));
    }
    if (v.stage === 'talk-scheduled' && may(ctx.actor, 'talk.record', e)) {
      forms.push(form(ctx, 'record', `${base}/talk/record`, '记录约谈情况', html`${input(ctx, 'record', '约谈日期', 'heldOn', 'date', today())}${textarea(ctx, 'record', '约谈情况', 'outcome')}`));
    }
    return {
      title: `${v.kind === 'talk' ? '约谈' : '函询'}案件 ${caseId}`,
      body: html`<p>${townshipName(v.township)}　状态：<strong>${caseStageLabels[v.stage]}</strong>　发出：${v.issuedOn}（${personName(v.issuedBy)}）</p>
${v.docNumber ? html`<p>文号：${docNumberText(roster().county, v.docNumber)}</p>` : ''}${documents.value ? documents : html`<p><a href="/api/cases/${encodeURIComponent(caseId)}/letter.docx" download>下载${letterName}（Word，尚未发出：按现有信息生成）</a></p>`}<p>对象：${v.recipients.map(personName).join('、')}</p>
${letterState(ctx, v, letterName)}<p>事由：${v.reason}</p>
${v.explanationDue ? html`<p>书面说明截止：${v.explanationDue}</p>` : ''}
${v.explanation ? html`<h2>书面说明</h2><p>问题根源：${v.explanation.rootCause}</p><p>整顿措施：${v.explanation.measures}</p><p>完成时限：${v.explanation.timeLimit}</p>` : ''}
<h2>待办事项</h2><p class="muted" data-as-of="${v.asOf}">截至${chinaTime(v.asOf)}（北京时间）</p>${dutyTable(ctx, e, base, dutiesNow(v), highlight)}
${forms}
<h2>工作记录</h2>${historyList(v.history)}`,
    };
  };
  /** Whether the letter reached its addressees: red with the mail server's reply and what to do when it did not. */
  const letterState = (ctx: Ctx, v: InquiryView, letterName: string): Html => {
    if (v.letterRefused) {
      const e: EntityRef = { kind: 'case', township: v.township, caseId: v.caseId };
      const retry = may(ctx.actor, 'deliveries.retry', e);
      const handOver = may(ctx.actor, 'letter.deliver', e) ? `；或将${letterName}当面送达后在下方记录送达` : `；或由县委组织部将${letterName}当面送达并记录`;
      return html`<div class="error" role="alert" id="letter-refused"><p><span class="light red"></span><strong>${letterName}未能送达</strong>（${chinaTime(v.letterRefused.at)}，邮件服务器答复：${v.letterRefused.error}）</p><p>${v.kind === 'inquiry' ? '书面说明的期限自送达之日起计算，送达前不计逾期。' : ''}请核对名册中收件人的邮箱，改正后${retry ? html`<a href="/ops">在“通知与运维”页立即重发</a>` : '请运维人员立即重发'}${handOver}。</p></div>`;
    }
    if (v.letterDelivered) return html`<p>送达：${v.letterDelivered.on}（${v.letterDelivered.means}${v.letterDelivered.by ? `，${personName(v.letterDelivered.by)}记录` : ''}）</p>`;
    return html`<p class="muted">${letterName}尚待邮件服务器接收。</p>`;
  };

  page('/cases/:id', async (ctx, r) => casePage(ctx, (r.params as { id: string }).id));
  page('/cases/:id/obligations/:oid', async (ctx, r) => casePage(ctx, (r.params as { id: string }).id, (r.params as { oid: string }).oid));
}
