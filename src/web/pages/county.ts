/** The county's own duties: the 联席会, the 会诊, the 述职评议考核 and the standing committee's studies. */
import type { FastifyInstance } from 'fastify';
import { evaluationGradeLabels, evaluationGrades } from '../../contracts/programme';
import { may } from '../../service/authorization';
import { holders, roleLabels, villageCadres } from '../../domain/roster';
import { TRAINING_DAYS } from '../../domain/training';
import { html, raw, type Html } from '../html';
import { type Kit, type Ctx } from '../kit';

export function registerCounty(app: FastifyInstance, kit: Kit): void {
  const { deps, today, roster, personName, townshipName, villageName, departmentLabel, fieldError, kept, form, input, textarea, dutiesNow, dutyTable, page } = kit;
  /** 四(一)4: the departments' 联席会, recorded by the department; the member departments of the roster are ticked. */
  const jointMeetingForm = (ctx: Ctx): Html => {
    const members = new Set(roster().people.filter((p) => p.role === 'joint-meeting-member').map((p) => p.department));
    const departments = roster().departments.filter((d) => members.has(d.code));
    return form(
      ctx,
      'joint-meeting',
      '/api/county/joint-meetings',
      '记录县工青妇、武装、民政等部门联席会（四(一)4）',
      html`${input(ctx, 'joint-meeting', '召开日期', 'heldOn', 'date', today())}${textarea(ctx, 'joint-meeting', '研究内容', 'topics', '研究整治配套组织软弱涣散的问题')}
<fieldset><legend>参加部门</legend>${departments.map((d) => html`<label><input type="checkbox" name="departments:list" value="${d.code}" checked> ${d.name}</label>`)}${fieldError(ctx, 'joint-meeting', 'departments')}</fieldset>`,
    );
  };

  /** 六(四): the year's 述职评议考核, one grade per township party secretary of the roster. */
  const evaluationForm = (ctx: Ctx, year: string): Html => {
    const secretaries = roster().townships.flatMap((t) => roster().people.filter((p) => p.role === 'township-party-secretary' && p.township === t.code).slice(0, 1));
    return form(
      ctx,
      'evaluation',
      '/api/county/evaluations',
      `记录${year}年度乡镇党委书记抓基层党建工作述职评议考核结果（六(四)）`,
      html`<input type="hidden" name="year:number" value="${year}">${input(ctx, 'evaluation', '评议日期', 'evaluatedOn', 'date', today())}
<table><tr><th>乡镇</th><th>乡镇党委书记</th><th>结果</th><th>评议意见</th></tr>${secretaries.map(
        (p, i) => html`<tr><td>${townshipName(p.township ?? '')}</td><td>${p.name}<input type="hidden" name="results.${i}.person" value="${p.id}"></td><td><select name="results.${i}.grade">${evaluationGrades.map((g) => html`<option value="${g}"${(kept(ctx, 'evaluation', `results.${i}.grade`) ?? 'fairly-good') === g ? raw(' selected') : ''}>${evaluationGradeLabels[g]}</option>`)}</select>${fieldError(ctx, 'evaluation', `results.${i}`)}</td><td><input name="results.${i}.note:optional" value="${kept(ctx, 'evaluation', `results.${i}.note:optional`) ?? ''}"></td></tr>`,
      )}</table>`,
    );
  };

  /** 五(二) 逐一会诊: every target under rectification, one row each: the problems found, whether its plan stands. */
  const diagnosisForm = (ctx: Ctx, year: string, villages: readonly string[]): Html => {
    const id = 'diagnosis';
    const stands = (i: number, value: string): Html | string => ((kept(ctx, id, `targets.${i}.planStands:bool`) ?? 'true') === value ? raw(' checked') : '');
    return form(
      ctx,
      id,
      '/api/county/diagnoses',
      `记录${year}年整顿对象逐一会诊（五(二)）`,
      html`<input type="hidden" name="year:number" value="${year}">${input(ctx, id, '会诊日期', 'heldOn', 'date', today())}${fieldError(ctx, id, 'targets')}
<table><tr><th>整顿对象</th><th>发现的问题</th><th>整顿方案</th><th>调整意见</th></tr>${villages.map(
        (village, i) => html`<tr><td>${villageName(village)}<input type="hidden" name="targets.${i}.village" value="${village}"></td><td><textarea name="targets.${i}.problems">${kept(ctx, id, `targets.${i}.problems`) ?? ''}</textarea>${fieldError(ctx, id, `targets.${i}`)}</td><td><label class="inline"><input type="radio" name="targets.${i}.planStands:bool" value="true"${stands(i, 'true')}> 可行</label><label class="inline"><input type="radio" name="targets.${i}.planStands:bool" value="false"${stands(i, 'false')}> 需调整</label></td><td><input name="targets.${i}.note:optional" value="${kept(ctx, id, `targets.${i}.note:optional`) ?? ''}"></td></tr>`,
      )}</table>`,
    );
  };

  /** 四(一)5: a course (or session) of the county's 研修班, with the cadres of the targets who attended. */
  const courseForm = (ctx: Ctx, villages: readonly string[]): Html => {
    const id = 'course';
    const ticked = (kept(ctx, id, 'attendees:list') ?? '').split('\n');
    return form(
      ctx,
      id,
      '/api/county/courses',
      `记录县委软弱涣散村村干部专题研修班（四(一)5，每年不少于${TRAINING_DAYS.course}天）`,
      html`${input(ctx, id, '开始日期', 'startOn', 'date', today())}${input(ctx, id, '结束日期', 'endOn', 'date', today())}${input(ctx, id, '研修天数', 'days:number', 'number')}${textarea(ctx, id, '研修内容', 'topic')}
<fieldset><legend>参训的村党组织书记、班子成员</legend>${villages.flatMap((v) =>
        villageCadres(roster(), v).map((p) => html`<label class="inline"><input type="checkbox" name="attendees:list" value="${p.id}"${ticked.includes(p.id) ? raw(' checked') : ''}> ${villageName(v)}${p.name}</label>`),
      )}${fieldError(ctx, id, 'attendees')}</fieldset>`,
    );
  };

  /**
   * 五(二): the standing committee's study of the plans. Each target is a row: left empty it was not
   * studied this time; approved with the items assigned by its 交办任务书 (owner, person, deadline),
   * or returned with the opinion and the day to send it again.
   */
  const committeeStudyForm = (ctx: Ctx, villages: readonly string[], diagnosisYears: readonly number[]): Html => {
    const id = 'committee-study';
    const r = roster();
    const checked = (i: number, value: string): Html | string => ((kept(ctx, id, `plans.${i}.decision:row`) ?? 'approve') === value ? raw(' checked') : '');
    const owners = { township: '乡镇党委', village: '村党组织' } as const;
    // The 交办任务书 names the owner's secretary from the roster (the service does, not the form).
    const holderOf = (village: string, owner: keyof typeof owners): string => {
      const township = r.villages.find((v) => v.code === village)?.township ?? '';
      const p = owner === 'township' ? holders(r, 'township-party-secretary', { township })[0] : holders(r, 'village-party-secretary', { village })[0];
      return p ? `${roleLabels[p.role]}${p.name}` : '名册中无书记';
    };
    const plan = (village: string, i: number): Html => {
      const task = (k: number): Html => {
        const name = (f: string): string => `plans.${i}.tasks.${k}.${f}`;
        return html`<div class="row">${input(ctx, id, `交办事项${k + 1}`, `${name('item')}:optional`)}<label>责任主体：<select name="${name('owner')}:row">${(Object.keys(owners) as (keyof typeof owners)[]).map((o) => html`<option value="${o}"${kept(ctx, id, `${name('owner')}:row`) === o ? raw(' selected') : ''}>${owners[o]}（${holderOf(village, o)}）</option>`)}</select>${fieldError(ctx, id, name('owner'))}</label>${input(ctx, id, '完成时限', `${name('deadline')}:optional`, 'date')}</div>`;
      };
      return html`<fieldset><legend>${villageName(village)}</legend><input type="hidden" name="plans.${i}.village:row" value="${village}">${fieldError(ctx, id, `plans.${i}.village`)}
<label class="inline"><input type="radio" name="plans.${i}.decision:row" value="approve"${checked(i, 'approve')}> 审核通过，以交办任务书交办</label><label class="inline"><input type="radio" name="plans.${i}.decision:row" value="return"${checked(i, 'return')}> 退回修改</label>${fieldError(ctx, id, `plans.${i}.tasks`)}
${[0, 1, 2].map(task)}${textarea(ctx, id, '审核意见（退回时必填）', `plans.${i}.opinion:optional`)}${input(ctx, id, '重新报送期限（退回时）', `plans.${i}.revisionDue:optional`, 'date')}</fieldset>`;
    };
    return form(
      ctx,
      id,
      '/api/county/committee-studies',
      '记录县委常委会专题研究，下达交办任务书（五(二)）',
      html`${input(ctx, id, '研究日期', 'heldOn', 'date', today())}${textarea(ctx, id, '研究内容', 'summary')}${
        diagnosisYears.length ? html`<label>依据的会诊：<select name="diagnosis:number"><option value="">（无）</option>${diagnosisYears.map((y) => html`<option value="${y}">${y}年会诊</option>`)}</select></label>` : ''
      }
${villages.length ? html`<p class="muted">经县委组织部审核通过的整顿方案（本次未审核的留空）：</p>${villages.map(plan)}` : html`<p class="muted">没有经县委组织部审核通过、待常委会审核的整顿方案。</p>`}`,
      '记录并下达',
    );
  };

  /** Targets whose plan the department approved: the ones the standing committee may study. */
  const approvedPlans = async (ctx: Ctx, villages: readonly string[]): Promise<string[]> => {
    const views = await Promise.all(villages.map((code) => deps.service.villageView(ctx.actor, code).catch(() => undefined)));
    return villages.filter((_, i) => views[i]?.plan.status === 'approved');
  };

  page('/county/obligations/:id', async (ctx, r) => {
    const v = await deps.service.countyView(ctx.actor);
    const id = (r.params as { id: string }).id;
    const evaluationYear = /^township-secretary-evaluation\/[^/]+\/(\d{4})$/.exec(id)?.[1];
    const diagnosisYear = /^annual-diagnosis\/[^/]+\/(\d{4})$/.exec(id)?.[1];
    const active = v.targets.filter((t) => t.active).map((t) => t.village);
    const record =
      id.startsWith('joint-meeting/') && may(ctx.actor, 'joint-meeting.record', { kind: 'county' })
        ? jointMeetingForm(ctx)
        : id.startsWith('standing-committee-study/') && may(ctx.actor, 'committee-study.record', { kind: 'county' })
          ? committeeStudyForm(ctx, await approvedPlans(ctx, active), v.diagnoses.map((d) => d.year))
        : id.startsWith('county-course/') && may(ctx.actor, 'course.record', { kind: 'county' })
          ? courseForm(ctx, active)
        : diagnosisYear && may(ctx.actor, 'diagnosis.record', { kind: 'county' }) && !v.diagnoses.some((d) => String(d.year) === diagnosisYear)
          ? diagnosisForm(ctx, diagnosisYear, active)
        : evaluationYear && may(ctx.actor, 'evaluation.record', { kind: 'county' }) && !v.evaluations.some((e) => String(e.year) === evaluationYear)
          ? evaluationForm(ctx, evaluationYear)
          : html``;
    const evaluations = v.evaluations.length
      ? html`<h2>述职评议考核结果</h2>${v.evaluations.map((e) => {
          const poor = e.results.filter((x) => x.grade === 'poor');
          return html`<p>${e.year}年度（${e.evaluatedOn}评议）：${e.results.map((x) => `${personName(x.person)}${evaluationGradeLabels[x.grade]}`).join('，')}${poor.length ? html`<br><strong class="red-text">评为“差”：${poor.map((x) => `${personName(x.person)}${x.note ? `（${x.note}）` : ''}`).join('、')}，请县委组织部研究处理</strong>` : ''}</p>`;
        })}`
      : html``;
    const held = v.jointMeetings.length ? html`<h2>已记录的联席会</h2><ul>${v.jointMeetings.map((m) => html`<li>${m.heldOn}：${m.topics}（${m.departments.map(departmentLabel).join('、')}）</li>`)}</ul>` : html``;
    const diagnoses = v.diagnoses.length
      ? html`<h2>已记录的会诊</h2><ul>${v.diagnoses.map((d) => html`<li>${d.year}年（${d.heldOn}）：会诊${d.targets}个整顿对象${d.planNotStanding.length ? `，整顿方案需调整：${d.planNotStanding.map(villageName).join('、')}` : '，整顿方案均可行'}</li>`)}</ul>`
      : html``;
    const courses = v.courses.length ? html`<h2>已记录的研修班</h2><ul>${v.courses.map((c) => html`<li>${c.startOn}至${c.endOn}（${c.days}天，${c.attendees}人参训）：${c.topic}</li>`)}</ul>` : html``;
    const studies = v.committeeStudies.length
      ? html`<h2>已记录的常委会专题研究</h2><ul>${v.committeeStudies.map((c) => html`<li>${c.heldOn}：${c.summary}${c.plans.length ? html`（${c.plans.map((p) => `${villageName(p.village)}${p.returned ? '退回修改' : `交办${p.tasks}项`}`).join('、')}）` : ''}</li>`)}</ul>`
      : html``;
    return { title: '县委的事项', body: html`${dutyTable(ctx, { kind: 'county' }, '/api/county', dutiesNow(v), id)}${record}${studies}${held}${courses}${diagnoses}${evaluations}` };
  });
}
