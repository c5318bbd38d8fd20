/**
 * The plan (五(一) "一个整顿对象一个方案…整治、巩固、提升的具体方案") as the workbench takes and
 * shows it: the problems by each ground the target was designated on, the measures of the three
 * stages with who answers for each and by when, and for an economically weak target the 路线图 and
 * the 时间表's milestones (五(二)). A dated measure becomes a duty of its owner when approved.
 */
import { planStageLabels, planStages, type VillageView } from '../contracts/village';
import { criterion, groundClause, type CriterionNumber } from '../domain/criteria';
import { roleLabels, type Person } from '../domain/roster';
import { html, raw, type Html } from './html';
import type { Ctx, Kit } from './kit';

/** Rows offered per stage and for the 时间表; rows left empty are dropped. */
const ROWS = 3;
const MILESTONES = 4;

/** The people who may answer for a measure: the village's and township's posts and the paired department. */
export function planOwners(people: readonly Person[], v: Pick<VillageView, 'village' | 'township' | 'designation'>): Person[] {
  return people.filter((p) => p.village === v.village || (p.township === v.township && !p.village) || (p.department !== undefined && p.department === v.designation.pairedDepartment));
}

export function planFields(kit: Pick<Kit, 'input' | 'textarea' | 'fieldError' | 'kept'>, ctx: Ctx, id: string, v: VillageView, owners: readonly Person[]): Html {
  const { input, textarea, fieldError, kept } = kit;
  const ownerSelect = (name: string): Html => {
    const chosen = kept(ctx, id, name);
    return html`<label>责任人：<select name="${name}"><option value="">（请选择）</option>${owners.map((p) => html`<option value="${p.id}"${chosen === p.id ? raw(' selected') : ''}>${p.name}（${roleLabels[p.role]}）</option>`)}</select>${fieldError(ctx, id, name)}</label>`;
  };
  const problems = v.designation.criteria.map(
    (c, i) => html`<input type="hidden" name="problems.${i}.criterion:row-number" value="${c.criterion}">${textarea(ctx, id, `${groundClause(c.criterion)}${criterion(c.criterion as CriterionNumber).title}：存在的问题`, `problems.${i}.problem:optional`, c.evidence)}`,
  );
  let n = 0;
  const stages = planStages.map((stage) => {
    const rows = Array.from({ length: ROWS }, () => {
      const i = n++;
      return html`<div class="row"><input type="hidden" name="measures.${i}.stage:row" value="${stage}">${input(ctx, id, '措施', `measures.${i}.what:optional`)}${ownerSelect(`measures.${i}.owner:optional`)}${input(ctx, id, '完成时限（不填为持续落实）', `measures.${i}.due:optional`, 'date')}</div>`;
    });
    return html`<fieldset><legend>${planStageLabels[stage]}阶段措施</legend>${rows}</fieldset>`;
  });
  const weak = (kept(ctx, id, 'economicallyWeak:bool') ?? '') !== '';
  const milestones = Array.from(
    { length: MILESTONES },
    (_, i) => html`<div class="row">${input(ctx, id, '节点日期', `roadmap.milestones.${i}.date:optional`, 'date')}${input(ctx, id, '节点目标', `roadmap.milestones.${i}.goal:optional`)}${ownerSelect(`roadmap.milestones.${i}.owner:optional`)}</div>`,
  );
  return html`${textarea(ctx, id, '方案概要', 'summary')}
<fieldset><legend>存在问题（按认定情形）</legend>${problems}</fieldset>
${fieldError(ctx, id, 'measures')}${stages}
<fieldset><legend>经济基础薄弱村的“时间表”和“路线图”（五(二)）</legend><label class="inline"><input type="checkbox" name="economicallyWeak:bool" value="true"${weak ? raw(' checked') : ''}> 经济基础薄弱</label>${fieldError(ctx, id, 'roadmap')}
${textarea(ctx, id, '路线图', 'roadmap.route:optional')}${milestones}</fieldset>
<p class="muted">有完成时限的措施和时间表节点，方案审核通过后成为责任人的待办事项，按时提醒。</p>`;
}

/** The plan as submitted: problems, the three stages' measures, the 时间表. */
export function planRecord(v: VillageView, name: (id: string | undefined) => string): Html {
  const p = v.plan;
  if (!p.summary) return html``;
  const measures = (p.measures ?? []).map((m, i) => ({ ...m, n: i + 1 }));
  return html`<h2 id="plan">整顿方案</h2><p>${p.summary}</p>
${p.problems?.length ? html`<h3>存在问题</h3><ul>${p.problems.map((x) => html`<li>${groundClause(x.criterion)}：${x.problem}</li>`)}</ul>` : ''}
${planStages.map((stage) => {
  const list = measures.filter((m) => m.stage === stage);
  return html`<h3>${planStageLabels[stage]}阶段</h3>${
    list.length
      ? html`<table><tr><th>序号</th><th>措施</th><th>责任人</th><th>完成时限</th></tr>${list.map((m) => html`<tr><td>${m.n}</td><td>${m.what}</td><td>${m.owner ? name(m.owner) : '—'}</td><td>${m.due ?? '持续落实'}</td></tr>`)}</table>`
      : html`<p class="muted">未列本阶段措施</p>`
  }`;
})}
${p.roadmap ? html`<h3>“时间表”和“路线图”</h3><p>路线图：${p.roadmap.route}</p><table><tr><th>节点</th><th>日期</th><th>目标</th><th>责任人</th></tr>${p.roadmap.milestones.map((m, i) => html`<tr><td>${i + 1}</td><td>${m.date}</td><td>${m.goal}</td><td>${name(m.owner)}</td></tr>`)}</table>` : ''}
<p><a href="/api/villages/${v.village}/plan.docx" download>下载整顿方案（Word）</a></p>`;
}
