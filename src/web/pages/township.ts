/** A township's page: its half-monthly report form (with the routine lines), studies, inspections, proposals and its targets. */
import type { FastifyInstance } from 'fastify';
import type { TownshipView } from '../../contracts/township';
import { attestableDuties } from '../../contracts/village';
import { periodById, periodOf } from '../../domain/calendar';
import { chinaTime } from '../../domain/names';
import { may } from '../../service/authorization';
import { townshipLine } from '../figures';
import { routineOfHalf } from '../routine';
import { html, raw, type Html } from '../html';
import { type Kit, type Ctx } from '../kit';

export function registerTownship(app: FastifyInstance, kit: Kit): void {
  const { deps, today, personName, villageName, townshipName, form, input, textarea, dutiesNow, dutyTable, historyList, page } = kit;
  const attestLabels: Record<(typeof attestableDuties)[number], string> = {
    'first-secretary-visit': '第一书记到村开展服务',
    'first-secretary-symposium': '第一书记与村民座谈交流',
    'village-quarterly-debriefing': '村党支部书记季度述职',
    'three-meetings-one-lesson': '“三会一课”',
    'flag-raising': '升国旗（每月1日）',
    'service-day': '“惠民服务日”（每月1日）',
    'concentrated-service': '惠民政策集中落实活动（每季度）',
    'religious-contact': '与宗教活动场所和宗教人士联系、谈话（每月）',
  };

  const townshipPage = async (ctx: Ctx, code: string, highlight?: string): Promise<{ title: string; body: Html }> => {
    const t: TownshipView = await deps.service.townshipView(ctx.actor, code);
    const e = deps.service.township(code);
    const base = `/api/townships/${code}`;
    const forms: Html[] = [];
    if (may(ctx.actor, 'report.submit', e)) {
      // The half month that ended last, or this one if none is owed.
      const owed = dutiesNow(t).find((o) => o.kind === 'half-monthly-report');
      const current = periodOf('half-month', today());
      const periodId = owed ? owed.id.split('/').at(-1)! : current.id;
      const periodLabel = owed?.periodLabel ?? current.label;
      const active = t.targets.filter((x) => x.active);
      // 四(四)12, 四(五)17: what each target's routine activities of the half month came to, so that the report can attest them or say they were not held.
      const half = periodById(periodId);
      const routine = new Map(
        await Promise.all(active.map(async (x) => [x.village, routineOfHalf(await deps.service.villageView(ctx.actor, x.village).catch(() => undefined), half)] as const)),
      );
      // Already reported: say so, and offer the form only as an amendment (what was sent is on each target's page).
      const sent = t.reports.find((r) => r.period === periodId);
      const reportForm = form(
          ctx,
          'report',
          `${base}/reports`,
          `${sent ? '更正' : '上报'}半月整顿工作进展（六(三)）：${periodLabel}`,
          html`<input type="hidden" name="period" value="${periodId}">${active.map(
            (x, i) => html`<fieldset><legend>${villageName(x.village)}</legend><input type="hidden" name="entries.${i}.village" value="${x.village}">
${routine.get(x.village)?.length ? html`<p class="routine">本半月例行活动：${routine.get(x.village)!.join('；')}</p>` : ''}
${textarea(ctx, 'report', '工作进展', `entries.${i}.progress`)}${textarea(ctx, 'report', '存在问题', `entries.${i}.problems`)}${textarea(ctx, 'report', '下步打算', `entries.${i}.nextSteps`)}
<p class="muted">本期完成的事项（填写完成日期，可办结相应待办）：</p>${attestableDuties.map((k) => input(ctx, 'report', attestLabels[k], `entries.${i}.attest.${k}:optional`, 'date'))}</fieldset>`,
          )}${sent ? html`<input type="hidden" name="amendment:bool" value="true">` : html`<label><input type="checkbox" name="amendment:bool" value="true"> 更正已报送的进展</label>`}`,
          sent ? '报送更正' : '报送',
        );
      forms.push(
        sent
          ? html`<p class="flash" id="report-sent">${periodLabel}进展已于${chinaTime(sent.receivedAt)}报送（${personName(sent.reportedBy)}${sent.amendments ? `，更正${sent.amendments}次` : ''}），各整顿对象的进展见其页面的工作记录：${sent.villages.map((v, i) => html`${i ? '、' : ''}<a href="/villages/${v}">${villageName(v)}</a>`)}。</p>
<details${ctx.error?.form === 'report' ? raw(' open') : ''}><summary>更正已报送的进展</summary>${reportForm}</details>`
          : reportForm,
      );
      forms.push(form(ctx, 'study', `${base}/studies`, '记录党委季度专题研究（五(三)）', html`${input(ctx, 'study', '季度', 'quarter', 'text', periodOf('quarter', today()).id)}${input(ctx, 'study', '研究日期', 'heldOn', 'date', today())}${textarea(ctx, 'study', '研究内容', 'summary')}`));
    }
    if (may(ctx.actor, 'inquiry.issue', e)) {
      forms.push(
        form(
          ctx,
          'issue',
          '/api/cases',
          '发出函询函（六(四)）',
          html`<input type="hidden" name="township" value="${code}">${textarea(ctx, 'issue', '函询事由', 'reason')}<label><input type="radio" name="kind" value="inquiry" checked> 函询</label><label><input type="radio" name="kind" value="talk"> 直接约谈</label>`,
          '发出',
        ),
      );
    }
    const proposals = t.proposals.map((p) => {
      const d = p.decision;
      const status = !d ? '待县委组织部决定' : d.decision === 'inquiry' ? `已决定函询（案件${d.caseId ?? ''}）` : `不予函询：${d.note}`;
      return html`<li>${p.quarterLabel}：${p.lapses.length}次未按时报送，${status}${
        !d && may(ctx.actor, 'inquiry.issue', e)
          ? html`${form(ctx, `issue-${p.quarter}`, '/api/cases', '发出函询函', html`<input type="hidden" name="township" value="${code}"><input type="hidden" name="proposalQuarter" value="${p.quarter}">${textarea(ctx, `issue-${p.quarter}`, '函询事由', 'reason')}`, '发出')}
${form(ctx, `decline-${p.quarter}`, `${base}/proposals/decide`, '不予函询', html`<input type="hidden" name="quarter" value="${p.quarter}"><input type="hidden" name="decision" value="decline">${textarea(ctx, `decline-${p.quarter}`, '理由', 'note')}`, '不予函询')}`
          : ''
      }</li>`;
    });
    const own = may(ctx.actor, 'figures.read', e) ? await deps.service.figures(ctx.actor, { township: code }).catch(() => undefined) : undefined;
    const ownLine = own?.byTownship.find((x) => x.township === code);
    const line = own && ownLine ? townshipLine(ownLine, own.quarter) : undefined;
    return {
      title: `${townshipName(code)}（${code}）`,
      body: html`${line ?? ''}<p>整顿对象：${t.targets.map((x) => html`<a href="/villages/${x.village}">${villageName(x.village)}</a>${x.active ? '' : '（已结束）'} `)}</p>
<h2>待办事项</h2><p class="muted" data-as-of="${t.asOf}">截至${chinaTime(t.asOf)}（北京时间）</p>${dutyTable(ctx, e, base, dutiesNow(t), highlight)}
${forms}
<h2>半月进展</h2><ul>${[...t.reports].reverse().slice(0, 8).map((r) => html`<li>${r.periodLabel}　${chinaTime(r.receivedAt)}${r.late ? '　逾期报送' : ''}（${personName(r.reportedBy)}）</li>`)}</ul>
${t.lapses.length ? html`<h2>未按时报送</h2><ul>${t.lapses.map((l) => html`<li>${l.periodId}（${l.kind === 'missing' ? '未报送' : '逾期报送'}）</li>`)}</ul>` : ''}
${proposals.length ? html`<h2>函询建议</h2><ul>${proposals}</ul>` : ''}
<h2>工作记录</h2>${historyList(t.history)}`,
    };
  };
  page('/townships/:code', async (ctx, r) => townshipPage(ctx, (r.params as { code: string }).code));
  page('/townships/:code/obligations/:id', async (ctx, r) => townshipPage(ctx, (r.params as { code: string }).code, (r.params as { id: string }).id));
}
