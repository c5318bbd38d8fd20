/** 全县: the county's figures and every target with its 红黄绿 light, for the department and operators. */
import type { FastifyInstance } from 'fastify';
import { caseStageLabels } from '../../contracts/inquiry';
import { stageLabels } from '../../contracts/village';
import { localDateOf } from '../../domain/calendar';
import { may } from '../../service/authorization';
import { ServiceError } from '../../service/errors';
import type { ListItem } from '../../service/service';
import { countyFigures } from '../figures';
import { html, raw, type Html } from '../html';
import type { Kit } from '../kit';

export function registerDashboard(app: FastifyInstance, kit: Kit): void {
  const { deps, roster, villageName, townshipName, page } = kit;
  page('/dashboard', async (ctx, request) => {
    const q = request.query as { township?: string; overdue?: string; stage?: string };
    const filter = { ...(q.township ? { township: q.township } : {}), ...(q.overdue ? { overdue: true } : {}), ...(q.stage ? { kind: 'village' as const, stage: q.stage } : {}) };
    // The rows come from Temporal's visibility; when it cannot answer, the figures above still show.
    let unlisted: string | undefined;
    const items = await deps.service.list(ctx.actor, filter).catch((err: unknown) => {
      if (err instanceof ServiceError && (err.kind === 'bad-input' || err.kind === 'forbidden')) throw err;
      unlisted = err instanceof ServiceError ? err.message : 'Temporal的工作流查询（visibility）不可用';
      return [] as ListItem[];
    });
    const row = (i: ListItem): Html => {
      const cls = i.overdue ? 'red' : 'green';
      const link = i.kind === 'village' ? `/villages/${i.village ?? ''}` : i.kind === 'township' ? `/townships/${i.township}` : `/cases/${i.workflowId.replace(/^inquiry:/, '')}`;
      const name = i.kind === 'village' ? villageName(i.village ?? '') : i.kind === 'township' ? townshipName(i.township) : `函询案件 ${i.workflowId.replace(/^inquiry:/, '')}`;
      const stage = i.kind === 'village' ? (stageLabels as Record<string, string>)[i.stage] ?? i.stage : i.kind === 'case' ? (caseStageLabels as Record<string, string>)[i.stage] ?? i.stage : i.stage === 'proposal-pending' ? '函询建议待决定' : '督促中';
      return html`<tr data-light="${cls}"><td><span class="light ${cls}"></span>${i.overdue ? '有逾期事项' : '正常'}</td><td><a href="${link}">${name}</a></td><td>${stage}</td><td>${i.nextDue ? localDateOf(Date.parse(i.nextDue) - 1) : '—'}</td><td>${i.failedDeliveries || ''}${i.deliveryDelayed ? '（通知待发）' : ''}</td></tr>`;
    };
    const by = (k: ListItem['kind']) => items.filter((i) => i.kind === k);
    // The department's figures lead the page for those who may read the county's.
    // A county with no target yet has no programme to count: the page still lists what there is.
    const counted = may(ctx.actor, 'figures.read', { kind: 'county' }) ? await deps.service.figures(ctx.actor, {}).catch(() => undefined) : undefined;
    const figures = counted ? countyFigures(counted, townshipName) : html``;
    return {
      title: '全县整顿工作一览',
      body: html`${figures}<form method="get"><label>乡镇：<select name="township"><option value="">全部</option>${roster().townships.map((t) => html`<option value="${t.code}"${q.township === t.code ? raw(' selected') : ''}>${t.name}</option>`)}</select></label>
<label>阶段：<select name="stage"><option value="">全部</option>${Object.entries(stageLabels).map(([k, label]) => html`<option value="${k}"${q.stage === k ? raw(' selected') : ''}>${label}</option>`)}</select></label>
<label><input type="checkbox" name="overdue" value="1"${q.overdue ? raw(' checked') : ''}> 只看有逾期事项的</label><button>筛选</button></form>
${unlisted ? html`<p class="error">列表暂时无法读取：${unlisted}</p>` : ''}
<h2>整顿对象（${by('village').length}）</h2><table><tr><th>状态</th><th>村（社区）</th><th>阶段</th><th>下一截止</th><th>通知失败</th></tr>${by('village').map(row)}</table>
<h2>乡镇（${by('township').length}）</h2><table><tr><th>状态</th><th>乡镇</th><th>情况</th><th>下一截止</th><th>通知失败</th></tr>${by('township').map(row)}</table>
<h2>函询案件（${by('case').length}）</h2><table><tr><th>状态</th><th>案件</th><th>阶段</th><th>下一截止</th><th>通知失败</th></tr>${by('case').map(row)}</table>`,
    };
  });
}
