/** A township's page: its half-monthly report form (with the routine lines), studies, inspections, proposals and its targets. */
import type { FastifyInstance } from 'fastify';
import { inspectionMethodLabels, inspectionMethods, trainingKindLabels, type ReportEntry, type TownshipView } from '../../contracts/township';
import { attestableDuties } from '../../contracts/village';
import { periodById, periodOf, yearOf } from '../../domain/calendar';
import { roleLabels, villageCadres } from '../../domain/roster';
import { cadreDays, trainingTargets, TRAINING_DAYS, type CadreDays } from '../../domain/training';
import { activeOn } from '../../domain/obligations';
import { chinaTime } from '../../domain/names';
import { may } from '../../service/authorization';
import { townshipLine } from '../figures';
import { routineOfHalf } from '../routine';
import { html, raw, type Html } from '../html';
import { CONFIRM, type Kit, type Ctx } from '../kit';

export function registerTownship(app: FastifyInstance, kit: Kit): void {
  const { deps, today, roster, personName, villageName, townshipName, fieldError, kept, form, input, textarea, dutiesNow, dutyTable, historyList, documentList, page } = kit;
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
      const views = new Map(await Promise.all(active.map(async (x) => [x.village, await deps.service.villageView(ctx.actor, x.village).catch(() => undefined)] as const)));
      const routine = new Map(active.map((x) => [x.village, routineOfHalf(views.get(x.village), half)] as const));
      // 五(一): the approved plan's measures still open, each closed by the date it was done.
      const measures = (village: string, i: number): Html[] =>
        (views.get(village)?.open ?? [])
          .filter((o) => o.kind === 'plan-measure')
          .map(
            (o, k) =>
              html`<input type="hidden" name="entries.${i}.measures.${k}.obligationId:row" value="${o.id}">${input(ctx, 'report', `整顿方案措施（${o.periodLabel}，${o.dueDate}前）`, `entries.${i}.measures.${k}.date:optional`, 'date')}`,
          );
      // Already reported: what was sent, read-only, and the form (filled in with it) only as an amendment.
      const sent = t.reports.find((r) => r.period === periodId);
      const shown = sent && t.lastReport?.period === periodId ? t.lastReport : undefined;
      const sentEntry = (village: string): ReportEntry | undefined => shown?.entries.find((e) => e.village === village);
      const sentDate = (village: string, match: (d: ReportEntry['duties'][number]) => boolean): string => sentEntry(village)?.duties.find(match)?.date ?? '';
      const measureLabel = (village: string, id: string): string => {
        const o = views.get(village)?.open.find((x) => x.id === id);
        return o ? `整顿方案措施（${o.periodLabel}）` : '整顿方案措施';
      };
      const dutyText = (village: string, d: ReportEntry['duties'][number]): string => `${'obligationId' in d ? measureLabel(village, d.obligationId) : attestLabels[d.kind as keyof typeof attestLabels]} ${d.date}`;
      const reportForm = form(
          ctx,
          'report',
          `${base}/reports`,
          `${sent ? '更正' : '上报'}半月整顿工作进展（六(三)）：${periodLabel}`,
          html`<input type="hidden" name="period" value="${periodId}"><p class="muted">本期完成的事项只填${half.start}至${half.end}之间的日期（每半月上报一次，六(三)）。</p>${active.map(
            (x, i) => html`<fieldset><legend>${villageName(x.village)}</legend><input type="hidden" name="entries.${i}.village" value="${x.village}">
${routine.get(x.village)?.length ? html`<p class="routine">本半月例行活动：${routine.get(x.village)!.join('；')}</p>` : ''}
${textarea(ctx, 'report', '工作进展', `entries.${i}.progress`, '', sentEntry(x.village)?.progress)}${textarea(ctx, 'report', '存在问题', `entries.${i}.problems`, '', sentEntry(x.village)?.problems)}${textarea(ctx, 'report', '下步打算', `entries.${i}.nextSteps`, '', sentEntry(x.village)?.nextSteps)}
<p class="muted">本期完成的事项（填写完成日期，可办结相应待办）：</p>${attestableDuties.map((k) => input(ctx, 'report', attestLabels[k], `entries.${i}.attest.${k}:optional`, 'date', sentDate(x.village, (d) => d.kind === k)))}${measures(x.village, i)}</fieldset>`,
          )}${sent ? html`<input type="hidden" name="amendment:bool" value="true">` : html`<label><input type="checkbox" name="amendment:bool" value="true"> 更正已报送的进展</label>`}`,
          sent ? '报送更正' : '报送',
        );
      const sentTable = shown
        ? html`<table class="sent-report"><tr><th>整顿对象</th><th>工作进展</th><th>存在问题</th><th>下步打算</th><th>本期完成的事项</th></tr>${shown.entries.map(
            (e) => html`<tr><td><a href="/villages/${e.village}">${villageName(e.village)}</a></td><td>${e.progress}</td><td>${e.problems || '—'}</td><td>${e.nextSteps || '—'}</td><td>${e.duties.length ? e.duties.map((d) => dutyText(e.village, d)).join('；') : '—'}</td></tr>`,
          )}</table>`
        : '';
      forms.push(
        sent
          ? html`<section id="report-sent"><h2>${periodLabel}进展（已报送）</h2><p class="flash">${periodLabel}进展已于${chinaTime(sent.receivedAt)}报送（${personName(sent.reportedBy)}${sent.amendments ? `，更正${sent.amendments}次` : ''}），各整顿对象的进展也记入其页面的工作记录：${sent.villages.map((v, i) => html`${i ? '、' : ''}<a href="/villages/${v}">${villageName(v)}</a>`)}。</p>
${sentTable}<details${ctx.error?.form === 'report' ? raw(' open') : ''}><summary>更正已报送的进展</summary>${reportForm}</details></section>`
          : reportForm,
      );
      forms.push(form(ctx, 'study', `${base}/studies`, '记录党委季度专题研究（五(三)）', html`${input(ctx, 'study', '季度', 'quarter', 'text', periodOf('quarter', today()).id)}${input(ctx, 'study', '研究日期', 'heldOn', 'date', today())}${textarea(ctx, 'study', '研究内容', 'summary')}`));
    }
    // 六(三): the department's inspection group records a visit; each problem found is the township's duty, by the day set.
    if (may(ctx.actor, 'inspection.record', e)) {
      const targets = t.targets.filter((x) => x.active);
      const rows = [0, 1, 2].map(
        (k) =>
          html`<div class="row"><label>整顿对象：<select name="findings.${k}.village:row"><option value="">（乡镇整体）</option>${targets.map((x) => html`<option value="${x.village}"${kept(ctx, 'inspection', `findings.${k}.village:row`) === x.village ? raw(' selected') : ''}>${villageName(x.village)}</option>`)}</select>${fieldError(ctx, 'inspection', `findings.${k}.village`)}</label>${input(ctx, 'inspection', `问题${k + 1}`, `findings.${k}.problem:optional`)}${input(ctx, 'inspection', '整改期限', `findings.${k}.correctBy:optional`, 'date')}</div>`,
      );
      const method = kept(ctx, 'inspection', 'method') ?? 'random';
      forms.push(
        form(
          ctx,
          'inspection',
          `${base}/inspections`,
          '记录督导检查（六(三)）',
          html`${input(ctx, 'inspection', '检查日期', 'on', 'date', today())}<p>检查方式：${inspectionMethods.map((m) => html`<label class="inline"><input type="radio" name="method" value="${m}"${method === m ? raw(' checked') : ''}> ${inspectionMethodLabels[m]}</label>`)}</p>${textarea(ctx, 'inspection', '检查情况', 'summary')}
<p class="muted">发现的问题（每个问题限期整改，记为本乡镇的待办事项，到期提醒）：</p>${rows}${fieldError(ctx, 'inspection', 'findings')}`,
        ),
      );
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
${form(ctx, `decline-${p.quarter}`, `${base}/proposals/decide`, '不予函询', html`<input type="hidden" name="quarter" value="${p.quarter}"><input type="hidden" name="decision" value="decline">${textarea(ctx, `decline-${p.quarter}`, '理由', 'note')}<label><input type="checkbox" name="_confirmed" value="yes"> 已核实：${CONFIRM['proposal.decide']!}</label>${fieldError(ctx, `decline-${p.quarter}`, '_confirmed')}`, '不予函询')}`
          : ''
      }</li>`;
    });
    // 四(一)5: the year's training days of each target's cadres, and of the members without post.
    const year = yearOf(today());
    const tally = t.training.find((y) => y.year === year);
    const active = t.targets.filter((x) => x.active).map((x) => x.village);
    const owing = trainingTargets(t.targets.filter((x) => x.active), year, activeOn);
    const cadres = cadreDays(active, tally?.days, (v) => villageCadres(roster(), v));
    const listed = today() > t.trainingCountedBy;
    const cadreState = (c: CadreDays): Html =>
      c.days >= TRAINING_DAYS.cadre
        ? html`已达${TRAINING_DAYS.cadre}天`
        : !owing.includes(c.village)
          ? html`本年认定，${year + 1}年起计`
          : listed
            ? html`<strong class="red-text">未达${TRAINING_DAYS.cadre}天</strong>`
            : html`尚差${TRAINING_DAYS.cadre - c.days}天`;
    const training = html`<h2 id="training">培训（四(一)5）</h2>
<p>${year}年农村无职党员培训：${tally?.memberDays ?? 0}天（每年不少于${TRAINING_DAYS.member}天）；村党组织书记、班子成员每人每年不少于${TRAINING_DAYS.cadre}天，${t.trainingCountedBy}后仍不足的列入通报。</p>
${cadres.length ? html`<table><tr><th>整顿对象</th><th>姓名</th><th>职务</th><th>${year}年培训天数</th><th>情况</th></tr>${cadres.map((c) => {
      const p = roster().people.find((x) => x.id === c.person);
      return html`<tr data-cadre="${c.person}"><td>${villageName(c.village)}</td><td>${p?.name ?? c.person}</td><td>${p ? roleLabels[p.role] : ''}</td><td>${c.days}</td><td>${cadreState(c)}</td></tr>`;
    })}</table>` : html`<p class="muted">名册中没有整顿对象村的村党组织书记、班子成员。</p>`}
${
  may(ctx.actor, 'training.record', e)
    ? form(
        ctx,
        'training',
        `${base}/trainings`,
        '记录培训（四(一)5）',
        html`<label class="inline"><input type="radio" name="kind" value="cadres"${(kept(ctx, 'training', 'kind') ?? 'cadres') === 'cadres' ? raw(' checked') : ''}> ${trainingKindLabels.cadres}</label><label class="inline"><input type="radio" name="kind" value="members"${kept(ctx, 'training', 'kind') === 'members' ? raw(' checked') : ''}> ${trainingKindLabels.members}</label>
${input(ctx, 'training', '开始日期', 'startOn', 'date', today())}${input(ctx, 'training', '结束日期', 'endOn', 'date', today())}${input(ctx, 'training', '培训天数', 'days:number', 'number')}${textarea(ctx, 'training', '培训内容', 'topic')}
<fieldset><legend>参训的村党组织书记、班子成员</legend>${cadres.map((c) => html`<label class="inline"><input type="checkbox" name="people:list" value="${c.person}"${(kept(ctx, 'training', 'people:list') ?? '').split('\n').includes(c.person) ? raw(' checked') : ''}> ${villageName(c.village)}${personName(c.person)}</label>`)}${fieldError(ctx, 'training', 'people')}</fieldset>
${input(ctx, 'training', '农村无职党员参训人数', 'headcount:number', 'number')}`,
      )
    : ''
}`;
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
${t.inspections.length ? html`<h2 id="inspections">督导检查（六(三)）</h2><ul>${[...t.inspections].reverse().map((x) => html`<li>${x.on}　${inspectionMethodLabels[x.method]}（${personName(x.by)}）：${x.summary}${x.findings.length ? html`<ol>${x.findings.map((f) => html`<li>${f.village ? `${villageName(f.village)}：` : ''}${f.problem}（${f.correctBy}前整改）</li>`)}</ol>` : ''}</li>`)}</ul>` : ''}
${proposals.length ? html`<h2>函询建议</h2><ul>${proposals}</ul>` : ''}
${training}
${await documentList(ctx, e, base)}
<h2>工作记录</h2>${historyList(t.history)}`,
    };
  };
  page('/townships/:code', async (ctx, r) => townshipPage(ctx, (r.params as { code: string }).code));
  page('/townships/:code/obligations/:id', async (ctx, r) => townshipPage(ctx, (r.params as { code: string }).code, (r.params as { id: string }).id));
}
