/** A target's page: its duties, plan, reports, acceptance and record, with the forms of whoever may act. */
import type { FastifyInstance } from 'fastify';
import type { VillageView } from '../../contracts/village';
import { yearOf } from '../../domain/calendar';
import { ratingHistoryText } from '../../domain/criteria';
import { chinaTime } from '../../domain/names';
import { may } from '../../service/authorization';
import { html, raw, type Html } from '../html';
import { acceptanceFields, acceptanceRecord } from '../acceptance';
import { planFields, planOwners, planRecord } from '../plan';
import { CONFIRM, type Kit, type Ctx } from '../kit';

export function registerVillage(app: FastifyInstance, kit: Kit): void {
  const { deps, today, roster, personName, villageName, fieldError, kept, form, input, textarea, dutiesNow, dutyTable, historyList, documentList, page } = kit;
  const villagePage = async (ctx: Ctx, code: string, highlight?: string): Promise<{ title: string; body: Html }> => {
    const v: VillageView = await deps.service.villageView(ctx.actor, code);
    const e = deps.service.village(code);
    const base = `/api/villages/${code}`;
    const forms: Html[] = [];
    // An ended target (withdrawn, its cycle over) takes no action; its record stays.
    const ended = v.stage === 'withdrawn' || v.stage === 'closed';
    const year = yearOf(today());
    if (!ended && may(ctx.actor, 'plan.submit', e) && (v.plan.status === 'due' || v.plan.status === 'returned')) {
      forms.push(form(ctx, 'plan', `${base}/plan`, v.plan.status === 'returned' ? '重新报送整顿方案' : '报送整顿方案（五(一)）', planFields(kit, ctx, 'plan', v, planOwners(roster().people, v))));
    }
    if (!ended && may(ctx.actor, 'plan.review', e) && v.plan.status === 'submitted') {
      forms.push(
        form(
          ctx,
          'review',
          `${base}/plan/review`,
          '审核整顿方案',
          html`<label><input type="radio" name="decision" value="approve" checked> 审核通过</label><label><input type="radio" name="decision" value="return"> 退回修改</label>${textarea(ctx, 'review', '审核意见（退回时必填）', 'comments')}${input(ctx, 'review', '重新报送期限（退回时必填）', 'revisionDue:optional', 'date')}`,
        ),
      );
    }
    // 五(一) "次年11月下旬": from the year after the designation, once a year.
    if (!ended && may(ctx.actor, 'acceptance.record', e) && year > yearOf(v.designation.date) && !v.acceptances.some((a) => a.year === year)) {
      forms.push(
        form(
          ctx,
          'acceptance',
          `${base}/acceptance`,
          '记录验收评价结果（五(一)，11月下旬）',
          acceptanceFields(kit, ctx, 'acceptance', v, year),
        ),
      );
    }
    // 四(一)1 第一书记, 五(三) 包村领导: the department names a successor; reminders go to them from then on.
    if (!ended && may(ctx.actor, 'target.reassign', e)) {
      const people = roster().people;
      const option = (p: { id: string; name: string }): Html => html`<option value="${p.id}"${kept(ctx, 'reassign', 'person') === p.id ? raw(' selected') : ''}>${p.name}</option>`;
      const role = kept(ctx, 'reassign', 'role') ?? 'first-secretary';
      forms.push(
        form(
          ctx,
          'reassign',
          `${base}/reassign`,
          '调整第一书记（四(一)1）或包村领导（五(三)）',
          html`<label class="inline"><input type="radio" name="role" value="first-secretary"${role === 'first-secretary' ? raw(' checked') : ''}> 第一书记（现：${personName(v.firstSecretary)}）</label><label class="inline"><input type="radio" name="role" value="township-liaison"${role === 'township-liaison' ? raw(' checked') : ''}> 包村领导（现：${personName(v.liaison)}）</label>
<label>调整为：<select name="person"><optgroup label="第一书记">${people.filter((p) => p.role === 'first-secretary').map(option)}</optgroup><optgroup label="包村领导">${people.filter((p) => p.role === 'township-liaison' && p.township === v.township).map(option)}</optgroup></select>${fieldError(ctx, 'reassign', 'person')}</label>${input(ctx, 'reassign', '起始日期', 'effectiveOn', 'date', today())}`,
          '调整',
        ),
      );
    }
    if (!ended && may(ctx.actor, 'target.withdraw', e)) {
      const confirm = html`<label><input type="checkbox" name="_confirmed" value="yes"> 已核实：${CONFIRM['target.withdraw']!}</label>${fieldError(ctx, 'withdraw', '_confirmed')}`;
      forms.push(form(ctx, 'withdraw', `${base}/withdraw`, '撤销认定', html`${textarea(ctx, 'withdraw', '撤销理由', 'reason')}${confirm}`, '撤销'));
    }
    if (v.plan.summary) forms.unshift(planRecord(v, personName));
    return {
      title: `${villageName(code)}（${code}）`,
      body: html`<p>阶段：<strong>${v.stageLabel}</strong>　认定日期：${v.designation.date}　第一书记：${personName(v.firstSecretary)}　包村领导：${personName(v.liaison)}</p>
<p>整顿方案：${{ due: '待报送', submitted: '待审核', returned: `退回修改（${v.plan.revisionDue ?? ''}前重报）`, approved: '已审核通过' }[v.plan.status]}　${v.acceptances.map((x) => `${x.year}年验收：${x.transformed ? '转化提升' : '未转化'}`).join('　')}</p>
${ratingHistoryText(roster().ratings, code, v.designation) ? html`<p>${ratingHistoryText(roster().ratings, code, v.designation)}</p>` : ''}
${v.diagnoses.length ? html`<h2>县委组织部会诊（五(二)）</h2><ul>${v.diagnoses.map((d) => html`<li>${d.year}年（${d.heldOn}）：${d.problems}；整顿方案${d.planStands ? '可行' : `需调整${d.note ? `：${d.note}` : ''}`}</li>`)}</ul>` : ''}
${v.acceptances.length ? html`<h2>验收评价</h2>${v.acceptances.map(acceptanceRecord)}` : ''}
<h2>待办事项</h2><p class="muted" data-as-of="${v.asOf}">截至${chinaTime(v.asOf)}（北京时间）</p>${dutyTable(ctx, e, base, dutiesNow(v), highlight)}
${forms}
${v.failedDeliveryCount ? html`<h2>未能送达的通知（${v.failedDeliveryCount}）</h2><ul>${v.failedDeliveries.map((f) => html`<li>${chinaTime(f.at)}　${f.recipients.join('、')}：${f.error}</li>`)}</ul>` : ''}
${await documentList(ctx, e, base)}
<h2>工作记录</h2>${historyList(v.history)}`,
    };
  };
  page('/villages/:code', async (ctx, r) => villagePage(ctx, (r.params as { code: string }).code));
  page('/villages/:code/obligations/:id', async (ctx, r) => villagePage(ctx, (r.params as { code: string }).code, (r.params as { id: string }).id));
}
