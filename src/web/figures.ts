/**
 * The figures as the workbench draws them, server-side and without script: a few numbers, 二's
 * goal per designation year, a bar per township coloured by its light (红黄绿), the stages as one
 * stacked bar. Every figure links to the rows behind it on the 全县 page.
 */
import { stageLabels } from '../contracts/village';
import type { Figures, TownshipFigures } from '../documents/figures';
import { quarterBefore, quarterText } from '../documents/figures-report';
import { consequenceKindLabels } from '../domain/consequences';
import { escape, html, raw, type Html } from './html';

const COLOURS: Record<TownshipFigures['light'], string> = { red: '#d32f2f', yellow: '#f9a825', green: '#388e3c' };
const STAGE_COLOURS = ['#90a4ae', '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#9c755f', '#bab0ac'];

/** One bar per township: its overdue duties (own and its targets'), coloured by its light. */
function townshipBars(f: Figures, name: (code: string) => string): Html {
  const rows = f.byTownship;
  if (rows.length === 0) return html``;
  const max = Math.max(1, ...rows.map((t) => t.overdueOwn + t.overdueTargets));
  const rowH = 26;
  const width = 640;
  const barX = 150;
  const barW = 300;
  const bars = rows.map((t, i) => {
    const n = t.overdueOwn + t.overdueTargets;
    const y = i * rowH + 4;
    const w = Math.max(2, Math.round((n / max) * barW));
    const q = t.reports.quarter;
    const label = `逾期${n}项　本季度半月报告：按时${q.onTime}、逾期${q.late}、未报${q.missed}`;
    return `<a href="/dashboard?township=${encodeURIComponent(t.township)}&amp;overdue=1"><text x="0" y="${y + 15}" font-size="13">${escape(name(t.township))}</text><rect x="${barX}" y="${y}" width="${w}" height="18" fill="${COLOURS[t.light]}" data-township="${escape(t.township)}" data-light="${t.light}"><title>${escape(label)}</title></rect><text x="${barX + w + 6}" y="${y + 15}" font-size="12">${escape(label)}</text></a>`;
  });
  return raw(`<svg class="figures" role="img" aria-label="各乡镇逾期事项" width="${width + 200}" height="${rows.length * rowH + 8}" xmlns="http://www.w3.org/2000/svg">${bars.join('')}</svg>`);
}

/** The targets by stage, as one stacked bar with its legend. */
function stageBar(f: Figures): Html {
  const entries = Object.entries(f.byStage).filter(([, n]) => n > 0);
  const total = entries.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return html``;
  const width = 640;
  let x = 0;
  const parts = entries.map(([stage, n], i) => {
    const w = (n / total) * width;
    const label = `${(stageLabels as Record<string, string>)[stage] ?? stage}：${n}个`;
    const part = `<a href="/dashboard?stage=${encodeURIComponent(stage)}"><rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="22" fill="${STAGE_COLOURS[i % STAGE_COLOURS.length]}" data-stage="${escape(stage)}"><title>${escape(label)}</title></rect></a>`;
    x += w;
    return part;
  });
  const legend = entries.map(([stage, n], i) => `<span class="legend"><span class="swatch" style="background:${STAGE_COLOURS[i % STAGE_COLOURS.length]}"></span>${escape((stageLabels as Record<string, string>)[stage] ?? stage)} ${n}</span>`);
  return raw(`<svg class="figures" role="img" aria-label="整顿对象所处阶段" width="${width}" height="22" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg><p class="muted">${legend.join('　')}</p>`);
}

/** The 全县 page's head: the county's figures. */
export function countyFigures(f: Figures, name: (code: string) => string): Html {
  const t = f.totals;
  return html`<section id="figures"><h2>全县统计（截至${f.asOf}）</h2>
<p class="numbers"><a href="/dashboard"><strong>${t.targets}</strong>个整顿对象</a>：整顿中<strong>${t.underRectification}</strong>个，已转化<strong>${t.transformed}</strong>个${t.withdrawn ? html`，撤销认定${t.withdrawn}个` : ''}　<a href="/dashboard?overdue=1">逾期事项<strong>${t.overdueDuties}</strong>项</a>　落后乡镇<strong>${t.townshipsBehind}</strong>个</p>
<table><tr><th>认定年度</th><th>整顿对象</th><th>已转化</th><th>未转化</th><th>目标</th><th>依据</th></tr>${f.byYear.map(
    (y) =>
      html`<tr data-year="${y.designatedIn}"><td>${y.designatedIn}年</td><td>${y.targets}</td><td>${y.transformed}</td><td>${y.notYet}</td><td>${y.goalDate.slice(0, 4)}年底全部转化提升${y.met === null ? '' : y.met ? '（已实现）' : '（未实现）'}</td><td>${y.basis === '二' ? '工作方案二' : y.basis}</td></tr>`,
  )}</table>
<h3>各乡镇逾期事项（红：有未报的半月报告或逾期事项；黄：本季度有逾期报送；绿：正常）</h3>${townshipBars(f, name)}
<h3>整顿对象所处阶段</h3>${stageBar(f)}
<h3>认定情形（三）</h3><table><tr>${f.byGround.map((g) => html`<th>${g.clause}</th>`)}</tr><tr>${f.byGround.map((g) => html`<td>${g.targets}个，已转化${g.resolved}个</td>`)}</tr></table>
${f.consequences.length ? html`<h3>有效的后果</h3><ul>${f.consequences.map((c) => html`<li>${c.clause}：${consequenceKindLabels[c.kind]}，${c.subjects}人（单位）</li>`)}</ul>` : ''}
${f.duties.length ? html`<h3>${f.asOf.slice(0, 4)}年度事项办理情况</h3><table id="duty-figures"><tr><th>事项</th><th>依据</th><th>应办</th><th>按时完成</th><th>逾期完成</th><th>免除</th><th>未落实</th><th>待办</th><th>其中逾期</th></tr>${f.duties.map(
      (d) => html`<tr data-kind="${d.kind}"><td>${d.title}</td><td>${d.clause}</td><td>${d.opened}</td><td>${d.onTime}</td><td>${d.late}</td><td>${d.waived}</td><td>${d.missed}</td><td>${d.open}</td><td>${d.overdue}</td></tr>`,
    )}</table>` : ''}
<p>整顿工作进展情况报告（送审稿，Word）：<a href="/api/figures/report.docx?quarter=${quarterBefore(f.asOf)}" download>${quarterText(quarterBefore(f.asOf))}</a>　<a href="/api/figures/report.docx?quarter=${f.quarter}" download>${quarterText(f.quarter)}（截至今日）</a></p></section>`;
}

/** The township page's own line. */
export function townshipLine(t: TownshipFigures, quarter: string): Html {
  const q = t.reports.quarter;
  const y = t.reports.year;
  return html`<p class="numbers" id="township-figures" data-light="${t.light}"><span class="light ${t.light}"></span>${quarter.replace('-Q', '年第')}季度半月报告：按时${q.onTime}次、逾期${q.late}次、未报${q.missed}次；本年：按时${y.onTime}次、逾期${y.late}次、未报${y.missed}次；逾期事项${t.overdueOwn + t.overdueTargets}项；本年函询建议${t.proposals}次、函询${t.letters}次、约谈${t.talks}次</p>`;
}
