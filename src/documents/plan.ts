/**
 * A target's rectification plan (整顿方案) as the township reports it to the organization
 * department (五(一)): the problems by the grounds the target was designated on, the measures of
 * the three stages 整治, 巩固 and 提升 with who answers for each and by when, and for an
 * economically weak target the 时间表 and 路线图 (五(二)). The workbench and the CLI download it;
 * it is the plan as the workflow holds it, so every copy says the same.
 */
import { planStageLabels, planStages, type VillageView } from '../contracts/village';
import { criterion, groundClause, type CriterionNumber } from '../domain/criteria';
import { chineseDate, departmentName, personName, sourceDocument, townshipName } from '../domain/names';
import type { Roster } from '../domain/roster';
import type { LetterBlock, LetterDocument } from './official-letter';

const ORDINALS = '一二三四五六七八九十';
const planStatus = { due: '待报送', submitted: '待县委组织部审核', returned: '退回修改', approved: '已审核通过' } as const;

/** The plan of a target as a document; undefined while no plan has been submitted. */
export function planDocument(v: Pick<VillageView, 'village' | 'township' | 'designation' | 'plan'>, roster: Roster): LetterDocument | undefined {
  const p = v.plan;
  if (!p.summary || !p.submittedOn) return undefined;
  const town = townshipName(roster, v.township);
  const village = roster.villages.find((x) => x.code === v.village)?.name ?? v.village;
  const who = (id: string | undefined): string => (id ? personName(roster, id) : '—');
  const blocks: LetterBlock[] = [];
  let section = 0;
  const heading = (text: string): void => {
    blocks.push(`${ORDINALS[section++]}、${text}`);
  };

  blocks.push(
    `根据${sourceDocument(roster)}五（一）“按照一个整顿对象一个方案的要求，分类提出每个整顿对象的整治、巩固、提升的具体方案”的要求，现将${village}党组织整顿提升方案报送如下。`,
  );
  heading('基本情况');
  blocks.push(`${village}党组织于${chineseDate(v.designation.date)}被认定为软弱涣散基层党组织，认定情形：${v.designation.criteria.map((c) => `${groundClause(c.criterion)}${criterion(c.criterion).title}`).join('；')}。${p.summary}`);

  heading('存在问题');
  v.designation.criteria.forEach((c, i) => {
    const found = p.problems?.find((x) => x.criterion === c.criterion);
    blocks.push(`（${ORDINALS[i]}）${criterion(c.criterion as CriterionNumber).title}（${groundClause(c.criterion)}）。${found?.problem ?? c.evidence}`);
  });

  for (const stage of planStages) {
    const measures = (p.measures ?? []).map((m, i) => ({ ...m, n: i + 1 })).filter((m) => m.stage === stage);
    heading(`${planStageLabels[stage]}阶段措施`);
    if (measures.length === 0) blocks.push('本方案未列本阶段的措施。');
    else blocks.push({ table: { head: ['序号', '措施', '责任人', '完成时限'], rows: measures.map((m) => [m.n, m.what, who(m.owner), m.due ? chineseDate(m.due) : '持续落实']) } });
  }

  if (p.roadmap) {
    heading('集体经济发展的“时间表”和“路线图”');
    blocks.push(`${village}党组织经济基础薄弱，按照五（二）“对经济基础薄弱的软弱涣散基层党组织，要列入县委的长远规划和计划”的要求，提出如下路线图和时间表。`);
    blocks.push(`路线图：${p.roadmap.route}`);
    blocks.push({ table: { head: ['节点', '日期', '目标', '责任人'], rows: p.roadmap.milestones.map((m, i) => [i + 1, chineseDate(m.date), m.goal, who(m.owner)]) } });
  }

  heading('审核情况');
  blocks.push(
    `本方案于${chineseDate(p.submittedOn)}报送，状态：${planStatus[p.status]}${p.approvedOn ? `（${chineseDate(p.approvedOn)}审核通过，有完成时限的措施由责任人按时限落实，完成后在整顿工作系统中报告办结）` : ''}${p.revisions ? `；此前退回修改${p.revisions}次` : ''}。`,
  );

  return {
    title: `${town}${village}党组织整顿提升方案`,
    salutation: `${departmentName(roster)}：`,
    paragraphs: blocks,
    signature: [`中共${town}委员会`, chineseDate(p.submittedOn)],
    draft: true,
  };
}
