/**
 * The acceptance (五(一) "次年11月下旬由县委进行验收评价") as the workbench records and shows it: each
 * ground the target was designated on (三(一)–(六)) resolved or not with the evidence, the 六有
 * marks found, the county's decision and the meeting it was taken at. The same fields on the
 * target's page and on the year's 验收评价 page.
 */
import { sixHasItems, sixHasLabels, stageLabels, type AcceptanceRecord, type VillageView } from '../contracts/village';
import { criterion, groundClause, ratingText, type CriterionNumber } from '../domain/criteria';
import { html, raw, type Html } from './html';
import type { Ctx, Kit } from './kit';

/** The form's fields for a target's acceptance of `year`. */
export function acceptanceFields(kit: Pick<Kit, 'input' | 'textarea' | 'fieldError' | 'kept' | 'today'>, ctx: Ctx, id: string, v: VillageView, year: number): Html {
  const { input, textarea, fieldError, kept, today } = kit;
  const checked = (name: string, value: string): Html | string => ((kept(ctx, id, name) ?? '').split('\n').includes(value) ? raw(' checked') : '');
  const grounds = v.designation.criteria.map((c, i) => {
    const resolved = `grounds.${i}.resolved:bool`;
    return html`<fieldset><legend>${groundClause(c.criterion)} ${criterion(c.criterion as CriterionNumber).title}</legend><input type="hidden" name="grounds.${i}.criterion:number" value="${c.criterion}">
<p class="muted">认定依据：${c.evidence}</p>
<label class="inline"><input type="radio" name="${resolved}" value="true"${checked(resolved, 'true')}> 已解决</label><label class="inline"><input type="radio" name="${resolved}" value="false"${checked(resolved, 'false')}> 未解决</label>${fieldError(ctx, id, `grounds.${i}.resolved`)}
${textarea(ctx, id, '整改情况（证据）', `grounds.${i}.evidence`)}</fieldset>`;
  });
  const sixHas = html`<fieldset><legend>“六有”服务型党组织（五(一)）</legend>${sixHasItems.map((k) => html`<label class="inline"><input type="checkbox" name="sixHas:list" value="${k}"${checked('sixHas:list', k)}> ${sixHasLabels[k]}</label>`)}</fieldset>`;
  return html`<input type="hidden" name="year:number" value="${year}">${input(ctx, id, '评价日期', 'evaluatedOn', 'date', today())}
${fieldError(ctx, id, 'grounds')}${grounds}${sixHas}
<fieldset><legend>县委验收评价结论</legend><label class="inline"><input type="radio" name="transformed:bool" value="true"${checked('transformed:bool', 'true')}> 转化提升</label><label class="inline"><input type="radio" name="transformed:bool" value="false"${checked('transformed:bool', 'false')}> 未转化</label>${fieldError(ctx, id, 'transformed')}
${input(ctx, id, '验收评价会议', 'meeting', 'text')}
<label>转化提升后进入（五(二)）：<select name="nextStage:optional"><option value="">按周期年度（第二年巩固，第三年提升）</option>${(['consolidating', 'upgrading'] as const).map((k) => html`<option value="${k}"${kept(ctx, id, 'nextStage:optional') === k ? raw(' selected') : ''}>${stageLabels[k]}</option>`)}</select>${fieldError(ctx, id, 'nextStage')}</label>
${textarea(ctx, id, '下一阶段整顿方案应包含的重点', 'nextFocus:optional')}</fieldset>
${textarea(ctx, id, '评价意见', 'summary')}`;
}

/** A recorded acceptance: the decision, the meeting, each ground, the 六有 marks, the rating after. */
export function acceptanceRecord(a: AcceptanceRecord): Html {
  const grounds = a.grounds ?? [];
  return html`<div class="acceptance" data-year="${a.year}"><p><strong>${a.year}年度验收评价（${a.date}${a.meeting ? `，${a.meeting}` : ''}）：${a.transformed ? '转化提升' : '未转化'}</strong>。${a.summary}</p>
${grounds.length ? html`<table><tr><th>认定情形</th><th>评价</th><th>整改情况</th></tr>${grounds.map((g) => html`<tr data-criterion="${g.criterion}"><td>${groundClause(g.criterion)}</td><td>${g.resolved ? '已解决' : '未解决'}</td><td>${g.evidence}</td></tr>`)}</table>` : ''}
${a.reopened ? html`<p class="red-text">此前的转化提升不再成立，重新进入整治，直至转化（五(二)、五(四)）。</p>` : ''}${a.transformed && a.nextStage ? html`<p>进入${stageLabels[a.nextStage]}${a.nextFocus ? `：${a.nextFocus}` : ''}</p>` : ''}
${a.sixHas?.length ? html`<p>“六有”：${a.sixHas.map((k) => sixHasLabels[k]).join('、')}</p>` : ''}${a.rating ? html`<p>验收时星级：${ratingText(a.rating)}</p>` : ''}</div>`;
}
