/**
 * report.html: a Chinese report of a simulation that opens offline. Its charts are SVG drawn
 * here (no chart library to inline, nothing fetched): mail per month by kind, open and overdue
 * duties over time by township, the transformed share against 二's goal, targets per stage over time; the busiest days, the consequences,
 * and a short reading of the peaks.
 */
import { escapeHtml as esc } from '../src/activities/notices';
import { stageLabels, type Stage } from '../src/contracts/village';
import type { Roster } from '../src/domain/roster';
import type { SimulationResult } from './engine';
import type { Summary } from './summary';

export const mailKindLabels: Record<string, string> = {
  reminder: '提醒',
  due: '到期提醒',
  overdue: '逾期通知',
  'red-warning': '红色预警',
  redated: '截止日期调整',
  digest: '督办',
  bulletin: '通报送审稿',
  'contact-bulletin': '联系点情况',
  'figures-report': '情况报告送审稿',
  result: '验收结果',
  'inquiry-proposal': '建议函询',
  'inquiry-letter': '函询函',
  'explanation-received': '书面说明已收到',
  'explanation-missed': '逾期未报送说明',
  'talk-required': '需约谈',
  'talk-notice': '约谈通知',
  'talk-reminder': '约谈提醒',
};

const consequenceLabels: Record<string, string> = {
  'award-ineligible': '当年不得评先评优',
  'promotion-blocked': '两年内不得提拔重用',
  'paired-leader-promotion-blocked': '联建部门主要负责人不得提拔重用',
  'work-team-continues': '工作队继续驻村',
  'village-secretary-removable': '村党组织书记可免职',
};

const palette = ['#4e79a7', '#f28e2b', '#e15759', '#b00020', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#8c564b', '#17becf'];

const label = (kind: string): string => mailKindLabels[kind] ?? kind;

function legend(items: readonly { name: string; color: string }[]): string {
  return `<div class="legend">${items.map((i) => `<span><i style="background:${i.color}"></i>${esc(i.name)}</span>`).join('')}</div>`;
}

/** Stacked bars: one bar per x, one segment per series. */
function stackedBars(xs: readonly string[], series: readonly { name: string; color: string; values: readonly number[] }[], opts: { width?: number; height?: number; xLabel?: (x: string) => string } = {}): string {
  const W = opts.width ?? 900;
  const H = opts.height ?? 260;
  const left = 44;
  const bottom = 36;
  const totals = xs.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const bw = (W - left - 10) / Math.max(1, xs.length);
  const y = (v: number): number => ((H - bottom - 10) * v) / max;
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = Math.round((max * k) / 4);
    const yy = H - bottom - y(v);
    parts.push(`<line x1="${left}" x2="${W - 10}" y1="${yy}" y2="${yy}" stroke="#eee"/><text x="${left - 4}" y="${yy + 4}" text-anchor="end" class="ax">${v}</text>`);
  }
  xs.forEach((x, i) => {
    let base = H - bottom;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (!v) continue;
      const h = y(v);
      base -= h;
      parts.push(`<rect x="${left + i * bw + 1}" y="${base}" width="${Math.max(1, bw - 2)}" height="${h}" fill="${s.color}"><title>${esc(opts.xLabel?.(x) ?? x)} ${esc(s.name)}：${v}</title></rect>`);
    }
    const every = Math.ceil(xs.length / 18);
    if (i % every === 0) parts.push(`<text x="${left + i * bw + bw / 2}" y="${H - bottom + 14}" text-anchor="middle" class="ax">${esc(opts.xLabel?.(x) ?? x)}</text>`);
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img">${parts.join('')}</svg>${legend(series)}`;
}

/** Lines over time (small multiple): open and overdue duties of one township. */
function lines(xs: readonly string[], series: readonly { name: string; color: string; values: readonly number[] }[], max: number, title: string): string {
  const W = 280;
  const H = 120;
  const left = 28;
  const bottom = 18;
  const x = (i: number): number => left + ((W - left - 6) * i) / Math.max(1, xs.length - 1);
  const y = (v: number): number => H - bottom - ((H - bottom - 16) * v) / Math.max(1, max);
  const paths = series.map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
  const axis = `<line x1="${left}" x2="${W - 6}" y1="${H - bottom}" y2="${H - bottom}" stroke="#ccc"/><text x="${left - 3}" y="${y(max) + 4}" text-anchor="end" class="ax">${max}</text><text x="${left - 3}" y="${H - bottom}" text-anchor="end" class="ax">0</text>`;
  const ends = xs.length ? `<text x="${left}" y="${H - 3}" class="ax">${esc(xs[0]!)}</text><text x="${W - 6}" y="${H - 3}" text-anchor="end" class="ax">${esc(xs.at(-1)!)}</text>` : '';
  return `<figure class="small"><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${axis}${paths.join('')}${ends}</svg></figure>`;
}

/**
 * 转化进度: per designation year, the share of its targets transformed at each month's end
 * against 二's goal (100% by the goal's date, drawn as a dashed line to that month).
 */
function goalChart(s: Summary): string {
  const months = s.figures.map((f) => f.month);
  const years = [...new Set(s.figures.flatMap((f) => f.byYear.map((y) => y.designatedIn)))].sort();
  if (months.length === 0 || years.length === 0) return '<p>模拟期间没有统计数据。</p>';
  const W = 900;
  const H = 240;
  const left = 44;
  const bottom = 30;
  const x = (i: number): number => left + ((W - left - 10) * i) / Math.max(1, months.length - 1);
  const y = (share: number): number => H - bottom - (H - bottom - 12) * share;
  const parts: string[] = [];
  for (const share of [0, 0.25, 0.5, 0.75, 1]) parts.push(`<line x1="${left}" x2="${W - 10}" y1="${y(share)}" y2="${y(share)}" stroke="#eee"/><text x="${left - 4}" y="${y(share) + 4}" text-anchor="end" class="ax">${share * 100}%</text>`);
  const every = Math.ceil(months.length / 18);
  months.forEach((m, i) => {
    if (i % every === 0) parts.push(`<text x="${x(i)}" y="${H - bottom + 14}" text-anchor="middle" class="ax">${esc(`${m.slice(2, 4)}.${m.slice(5)}`)}</text>`);
  });
  const series = years.map((year, k) => {
    const color = palette[k % palette.length]!;
    const points = s.figures.flatMap((f, i) => {
      const g = f.byYear.find((b) => b.designatedIn === year);
      return g && g.targets > 0 ? [`${x(i).toFixed(1)},${y(g.transformed / g.targets).toFixed(1)}`] : [];
    });
    const goal = s.figures.find((f) => f.byYear.some((b) => b.designatedIn === year))?.byYear.find((b) => b.designatedIn === year)?.goalDate;
    const goalIndex = goal ? months.indexOf(goal.slice(0, 7)) : -1;
    if (goalIndex >= 0) parts.push(`<line x1="${x(goalIndex)}" x2="${x(goalIndex)}" y1="${y(1)}" y2="${H - bottom}" stroke="${color}" stroke-dasharray="4 3"><title>${year}年认定：${goal!.slice(0, 4)}年底全部转化</title></line><circle cx="${x(goalIndex)}" cy="${y(1)}" r="4" fill="none" stroke="${color}"/>`);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`);
    return { name: `${year}年认定（目标：${goal ? `${goal.slice(0, 4)}年底` : '—'}全部转化）`, color };
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="转化进度">${parts.join('')}</svg>${legend(series)}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

const nameOf = (roster: Roster, id: string): string => {
  const p = roster.people.find((x) => x.id === id);
  if (p) return p.name;
  const [type, code] = id.split(':');
  if (type === 'department') return roster.departments.find((d) => d.code === code)?.name ?? id;
  if (type === 'village') return roster.villages.find((v) => v.code === code)?.name ?? id;
  return id;
};

const townshipName = (roster: Roster, code: string): string => roster.townships.find((t) => t.code === code)?.name ?? code;

export function renderReport(r: SimulationResult, s: Summary): string {
  const roster = r.roster;
  const months = Object.keys(s.mail.byMonth).sort();
  const kinds = Object.keys(s.mail.byKind).sort((a, b) => (s.mail.byKind[b] ?? 0) - (s.mail.byKind[a] ?? 0));
  const mailChart = stackedBars(
    months,
    kinds.map((k, i) => ({ name: label(k), color: palette[i % palette.length]!, values: months.map((m) => s.mail.byMonth[m]?.[k] ?? 0) })),
    { xLabel: (m) => `${m.slice(2, 4)}.${m.slice(5)}` },
  );

  const sampleDays = r.samples.map((x) => x.on);
  const townshipCodes = [...new Set(r.samples.flatMap((x) => Object.keys(x.townships)))].sort();
  const maxOpen = Math.max(1, ...r.samples.flatMap((x) => Object.values(x.townships).map((t) => t.open)));
  const dutyCharts = townshipCodes
    .map((t) =>
      lines(
        sampleDays,
        [
          { name: '待办', color: '#4e79a7', values: r.samples.map((x) => x.townships[t]?.open ?? 0) },
          { name: '逾期', color: '#e15759', values: r.samples.map((x) => x.townships[t]?.overdue ?? 0) },
        ],
        maxOpen,
        `${townshipName(roster, t)}（含所辖整顿对象）`,
      ),
    )
    .join('');

  // Stages: the first sample of each month.
  const monthly = r.samples.filter((x, i, all) => i === 0 || x.on.slice(0, 7) !== all[i - 1]!.on.slice(0, 7));
  const stageOrder = Object.keys(stageLabels) as Stage[];
  const stagesSeen = stageOrder.filter((st) => monthly.some((x) => x.stages[st]));
  const stageChart = stackedBars(
    monthly.map((x) => x.on),
    stagesSeen.map((st, i) => ({ name: stageLabels[st], color: palette[(i + 4) % palette.length]!, values: monthly.map((x) => x.stages[st] ?? 0) })),
    { height: 220, xLabel: (d) => `${d.slice(2, 4)}.${d.slice(5, 7)}` },
  );

  // The busiest days.
  const byDay = new Map<string, Map<string, number>>();
  for (const e of r.timeline) {
    if (e.type !== 'email') continue;
    const day = e.at.slice(0, 10);
    const m = byDay.get(day) ?? new Map<string, number>();
    m.set(e.kind, (m.get(e.kind) ?? 0) + 1);
    byDay.set(day, m);
  }
  const dayTotal = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const busiest = [...byDay.entries()].sort((a, b) => dayTotal(b[1]) - dayTotal(a[1]) || a[0].localeCompare(b[0])).slice(0, 10);
  const busiestTable = table(
    ['日期', '邮件', '其中'],
    busiest.map(([d, m]) => [d, String(dayTotal(m)), [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${label(k)}${n}`).join('、')]),
  );

  const consequenceRows = r.timeline
    .filter((e) => e.type === 'consequence')
    .map((e) => (e.type === 'consequence' ? [nameOf(roster, e.person), consequenceLabels[e.kind] ?? e.kind, e.year ? `${e.year}年度` : `${e.from}至${e.until ?? '解除为止'}`, e.clause, e.case] : []));
  const consequenceTable = consequenceRows.length ? table(['对象', '后果', '期间', '依据', '案件/事由'], consequenceRows) : '<p>模拟期间没有产生后果。</p>';

  // A short reading of the peaks.
  const reading: string[] = [];
  const peakMonth = months.map((m) => ({ m, n: Object.values(s.mail.byMonth[m] ?? {}).reduce((a, b) => a + b, 0) })).sort((a, b) => b.n - a.n || a.m.localeCompare(b.m))[0];
  if (peakMonth) {
    const top = Object.entries(s.mail.byMonth[peakMonth.m] ?? {}).sort((a, b) => b[1] - a[1])[0];
    reading.push(`邮件最多的月份是${peakMonth.m.replace('-', '年')}月，共${peakMonth.n}封，其中“${label(top?.[0] ?? '')}”${top?.[1] ?? 0}封。`);
  }
  if (busiest[0]) reading.push(`单日最多是${busiest[0][0]}，${dayTotal(busiest[0][1])}封。`);
  const escalations = (s.mail.byKind['overdue'] ?? 0) + (s.mail.byKind['red-warning'] ?? 0) + (s.mail.byKind['digest'] ?? 0);
  if (s.mail.total) reading.push(`逾期通知、红色预警和督办合计${escalations}封，占全部邮件的${Math.round((100 * escalations) / s.mail.total)}%。`);
  let worst: { t: string; n: number; on: string } | undefined;
  for (const x of r.samples) for (const [t, v] of Object.entries(x.townships)) if (!worst || v.overdue > worst.n) worst = { t, n: v.overdue, on: x.on };
  if (worst && worst.n > 0) reading.push(`逾期事项最多的是${townshipName(roster, worst.t)}，${worst.on}时有${worst.n}项逾期未办。`);
  for (const g of s.goal) {
    const when = `${g.goalDate.slice(0, 4)}年底`;
    const basis = g.basis === '二' ? '方案二“到2019年底，纳入整顿范围的软弱涣散农村基层党组织要100%实现转化提升”' : '县委组织部确定的目标（认定次年底全部转化）';
    const verdict = g.met === null ? '（模拟未到该日期）' : g.met ? '，达到' : '，未达到';
    reading.push(`${g.designatedIn}年认定的整顿对象到${when}转化${g.transformed}/${g.targets}个${verdict}${basis}${g.met === null ? '' : '的目标'}。`);
  }
  if (s.proposals.total) reading.push(`乡镇被建议函询${s.proposals.total}次，县委组织部函询${s.proposals.inquiry}次、不予函询${s.proposals.declined}次；约谈${s.talks.held}次。`);

  const cards: [string, string][] = [
    ['邮件', String(s.mail.total)],
    ['整顿对象', String(s.targets.length)],
    ['事项（办结/新增）', `${Object.values(s.obligations.closed).reduce((a, b) => a + b, 0)}/${s.obligations.opened}`],
    ['函询函', String(s.letters)],
    ['约谈', String(s.talks.held)],
    ['后果', String(consequenceRows.length)],
  ];

  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(s.scenario)} · 模拟报告</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#222}
h1{font-size:24px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.cards div{border:1px solid #ddd;border-radius:6px;padding:8px 14px}.cards b{display:block;font-size:22px}
.legend{font-size:12px;display:flex;flex-wrap:wrap;gap:10px;margin:4px 0 8px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.ax{font-size:10px;fill:#666}.small{display:inline-block;margin:4px}figcaption{font-size:13px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
.muted{color:#666;font-size:13px}
</style></head><body>
<h1>${esc(s.scenario)} · 模拟报告</h1>
<p class="muted">${esc(roster.county.name)}，${s.start}至${s.end}（模拟时间），随机种子${s.seed}；在时间跳跃的Temporal服务器上运行系统自身的工作流，实际用时${s.wallSeconds}秒。</p>
<div class="cards">${cards.map(([k, v]) => `<div>${esc(k)}<b>${esc(v)}</b></div>`).join('')}</div>
<h2>要点</h2>
<ul>${reading.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>
<h2>每月邮件（按类型）</h2>
${mailChart}
<h2>各乡镇待办与逾期事项（每周一）</h2>
${legend([
  { name: '待办事项', color: '#4e79a7' },
  { name: '其中逾期', color: '#e15759' },
])}
<div>${dutyCharts}</div>
<h2>转化进度（每月底，对照工作方案二的目标）</h2>
${goalChart(s)}
<h2>整顿对象所处阶段（每月初）</h2>
${stageChart}
<h2>最繁忙的日子</h2>
${busiestTable}
<h2>后果</h2>
${consequenceTable}
<h2>整顿对象</h2>
${table(
  ['村', '乡镇', '认定日期', '模拟结束时阶段', '转化'],
  s.targets.map((t) => [roster.villages.find((v) => v.code === t.village)?.name ?? t.village, townshipName(roster, t.township), t.designated, stageLabels[t.stage as Stage] ?? t.stage, t.transformedIn ? `第${t.transformedIn}年` : '—']),
)}
${s.problems.length ? `<h2>未被系统接受的模拟操作（${s.problems.length}项）</h2><ul>${s.problems.slice(0, 50).map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
