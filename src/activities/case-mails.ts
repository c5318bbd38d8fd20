/**
 * What officials read about an inquiry case or a proposal, in Simplified Chinese: the inquiry
 * letter itself (mail and printable DOCX), the talk notice and its eve reminder, and the notices
 * to the organization department. The letter quotes the source text only for what it says
 * (六(四)); the days allowed and an automatic talk are the department's own requirement.
 */
import type { BulletinRequest, CaseFacts, CaseMailRequest, ContactBulletinRequest, FiguresReportRequest, PlanMailRequest, TaskBookRequest } from '../contracts/mail';
import { figuresReportLetter, quarterText, type FiguresReportFacts } from '../documents/figures-report';
import { bulletinCounts, bulletinLetter, halfLabel } from '../documents/bulletin';
import { holders, roleLabels, type Person, type Role, type Roster } from '../domain/roster';
import { byCode, byId } from '../domain/lookup';
import { blockLines, letterFiles, type Attachment, type LetterDocument } from '../documents/official-letter';
import { caseLetter, proposalDocument, talkNotice } from '../documents/letters';
import { planDocument } from '../documents/plan';
import { planStageLabels, planStages } from '../contracts/village';
import { docNumberText, chineseDate, departmentName, personName, sourceDocument, timesText, townshipName, villageLabel } from '../domain/names';
import { FOOTER } from './notices';
import type { DocumentStore } from '../infra/document-store';
import { MISSED_EXPLANATION_WHY } from '../contracts/inquiry';


export function resolveCaseRecipients(req: Pick<CaseMailRequest, 'people' | 'roles' | 'township'>, roster: Roster): { people: Person[]; missing: string[] } {
  const people: Person[] = [];
  const missing: string[] = [];
  const add = (p: Person): void => {
    if (!people.some((q) => q.email === p.email)) people.push(p);
  };
  for (const id of req.people) {
    const p = byId(roster.people, id);
    if (p) add(p);
    else missing.push(`名册中无此人（${id}）`);
  }
  for (const role of req.roles) {
    const county = role === 'org-department-staff' || role === 'org-department-head';
    const found = county ? holders(roster, role as Role) : holders(roster, role as Role, { township: req.township }).slice(0, 1);
    if (found.length === 0) missing.push(`名册中${req.township ? townshipName(roster, req.township) : roster.county.name}无${roleLabels[role as Role] ?? role}在岗`);
    found.forEach(add);
  }
  return { people, missing };
}

export interface RenderedCaseMail {
  /** Letters and talk notices are the department's: they go out under its name. */
  readonly fromName?: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments?: readonly Attachment[];
}

export interface CaseMailOptions {
  /** DOCX to PDF, for a PDF beside each letter. */
  readonly pdf?: (docx: Uint8Array) => Promise<Uint8Array>;
  /** The files of a letter already made in this batch (one letter, several recipients). */
  readonly files?: Map<string, Promise<Attachment[]>>;
  /** Where the documents mailed are kept, the very bytes (the workbench's downloads). */
  readonly documents?: DocumentStore;
}

/**
 * A document's files for the mail `key`: made once per batch (one letter, several recipients), and
 * with a document store, the bytes kept there when the letter is the same (a retry sends what the
 * first try sent and what the workbench offers).
 */
function documentFiles(opts: CaseMailOptions, key: string, letter: LetterDocument, basename: string): Promise<Attachment[]> {
  let files = opts.files?.get(key);
  if (!files) {
    const render = (): Promise<Attachment[]> => letterFiles(letter, basename, opts.pdf);
    const describe = { title: letter.title, ...(letter.docNumber ? { docNumber: letter.docNumber } : {}) };
    files = opts.documents ? opts.documents.filesFor(key, describe, { letter, basename, pdf: opts.pdf !== undefined }, render) : render();
    opts.files?.set(key, files);
  }
  return files;
}

export async function renderCaseMail(req: CaseMailRequest, roster: Roster, recipients: readonly Person[], baseUrl = '', opts: CaseMailOptions = {}): Promise<RenderedCaseMail> {
  const town = townshipName(roster, req.township);
  const greeting = `${recipients.map((p) => p.name).join('、')}同志：`;
  const link = (c: CaseFacts): string => (baseUrl ? `办理入口：${baseUrl.replace(/\/$/, '')}/cases/${encodeURIComponent(c.caseId)}` : '');
  const body = (lines: readonly string[]): string => [greeting, '', ...lines, '', FOOTER].join('\n');
  const c = req.case;
  switch (req.kind) {
    case 'inquiry-proposal': {
      const p = req.proposal!;
      const letter = proposalDocument(req.township, p, roster, new Date());
      const files = documentFiles(opts, req.key, letter, `函询建议-${req.township}-${p.quarter}`);
      return {
        attachments: await files,
        subject: `【建议函询】${town}：${p.quarterLabel}半月进展报告${p.lapses.length}次未按时报送`,
        text: body([
          `${town}${p.quarterLabel}有${p.lapses.length}次每半月整顿工作进展未按时报送（${sourceDocument(roster)}六(三)“乡镇要每半月上报整顿软弱涣散村党组织工作进展情况”）：`,
          ...p.lapses.map((l) => `　${l.label}：${l.kind === 'missing' ? '未报送' : '逾期报送'}`),
          '',
          `按县委组织部工作要求，一个季度内${timesText(p.threshold)}以上未按时报送的，提请县委组织部研究是否依据六(四)对该乡镇党委书记、组织干事进行函询。是否函询，请县委组织部决定。`,
          `呈批件见附件（${opts.pdf ? 'Word和PDF' : 'Word'}格式），可打印报批。`,
          baseUrl ? `办理入口：${baseUrl.replace(/\/$/, '')}/townships/${encodeURIComponent(req.township)}` : '',
        ]),
      };
    }
    case 'inquiry-letter': {
      const letter = caseLetter(c!, req.township, roster);
      const basename = `${c!.caseId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${c!.kind === 'talk' ? '约谈通知' : '函询函'}`;
      const files = documentFiles(opts, req.key, letter, basename);
      return {
        fromName: departmentName(roster),
        subject: `【${c!.kind === 'talk' ? '约谈通知' : '函询'}】${letter.title}`,
        text: body([...(letter.docNumber ? [letter.docNumber, ''] : []), ...letter.paragraphs.flatMap(blockLines), '', ...letter.signature, letter.footer ?? '', '', `正式文书见附件（${opts.pdf ? 'Word和PDF' : 'Word'}格式），可打印。`, link(c!)]),
        attachments: await files,
      };
    }
    case 'explanation-received':
      return {
        subject: `【书面说明待审阅】${town}（案号${c!.caseId}）`,
        text: body([`${town}已就函询（${c!.reason}）报送书面说明，请审阅：认可后办结，或认定问题突出、进行约谈（${sourceDocument(roster)}六(四)）。`, link(c!)]),
      };
    case 'explanation-missed':
      return {
        subject: `【书面说明逾期】${town}（案号${c!.caseId}）`,
        text: body([
          `${town}函询案件（${c!.reason}）的书面说明截止${c!.explanationDue}，至今未报送。`,
          `对问题突出的，要及时约谈（${sourceDocument(roster)}六(四)）。是否约谈，请县委组织部决定。`,
          link(c!),
        ]),
      };
    case 'talk-required':
      return {
        subject: `【需约谈】${town}（案号${c!.caseId}）`,
        text: body([
          `${town}函询案件（${c!.reason}）：${c!.talk?.why ?? ''}。`,
          // A talk after a missed explanation is the county's rule; 六(四) provides talks for "问题突出的".
          c!.talk?.why.startsWith(MISSED_EXPLANATION_WHY)
            ? `按县委组织部工作要求，逾期未报送书面说明的，进行约谈：须对${c!.recipients.map((id) => personName(roster, id)).join('、')}进行约谈，请确定约谈时间、地点和约谈人。`
            : `须对${c!.recipients.map((id) => personName(roster, id)).join('、')}进行约谈（${sourceDocument(roster)}六(四)“对问题突出的，要及时约谈乡镇党委书记、组织干事”），请确定约谈时间、地点和约谈人。`,
          link(c!),
        ]),
      };
    case 'talk-notice':
    case 'talk-reminder': {
      const t = c!.talk!.scheduled!;
      const eve = req.kind === 'talk-reminder';
      // The notice itself is a document (with its 文号 when the service scheduled the talk); the eve reminder is a mail.
      let files: Promise<Attachment[]> | undefined;
      if (!eve) {
        files = documentFiles(opts, req.key, talkNotice(c!, req.township, roster, new Date()), `${c!.caseId.replace(/[^A-Za-z0-9_.-]/g, '_')}-约谈通知-${t.at.slice(0, 10)}`);
      }
      return {
        ...(files ? { attachments: await files } : {}),
        fromName: departmentName(roster),
        subject: `【${eve ? '约谈提醒' : '约谈通知'}】${town}：${chineseDate(t.at)}，${t.place}`,
        text: body([
          `${eve ? '提醒：' : ''}根据${sourceDocument(roster)}六(四)，定于${chineseDate(t.at)}在${t.place}对${c!.recipients.map((id) => personName(roster, id)).join('、')}进行约谈。`,
          `约谈人：${personName(roster, t.conductor)}`,
          `事由：${c!.reason}（${c!.talk!.why}）`,
          `案号：${c!.caseId}${t.docNumber ? `　文号：${docNumberText(roster.county, t.docNumber)}` : ''}`,
          eve ? '' : `约谈通知见附件（${opts.pdf ? 'Word和PDF' : 'Word'}格式），可打印。`,
        ]),
      };
    }
  }
}

/**
 * The 交办任务书 (五(二)): after the standing committee reviewed a target's plan, the county sets
 * out the items of rectification, who answers for each and by when, to the township's Party
 * committee and the village's Party organization; a Word document (PDF beside it with LETTER_PDF).
 */
export async function renderTaskBook(req: TaskBookRequest, roster: Roster, recipients: readonly Person[], baseUrl = '', opts: CaseMailOptions = {}): Promise<RenderedCaseMail> {
  const town = townshipName(roster, req.township);
  const villageName = byCode(roster.villages, req.village)?.name ?? req.village;
  const name = (id: string): string => personName(roster, id);
  const [y, m, d] = req.studyOn.split('-').map(Number);
  const letter: LetterDocument = {
    title: `${villageName}党组织整顿提升交办任务书`,
    salutation: `${town}党委、${villageName}党组织：`,
    paragraphs: [
      `${y}年${m}月${d}日，县委常委会专题研究软弱涣散基层党组织整顿工作，审核了${town}${villageName}的整顿方案。根据${sourceDocument(roster)}五（二）“以‘交办任务书’的形式明确各级党委和党组织整顿工作责任和具体整顿事项”的要求，现将整顿事项交办如下：`,
      '一、整顿事项',
      ...req.tasks.map((t) => `${t.n}. ${t.item}（责任单位：${t.owner === 'township' ? `${town}党委` : `${villageName}党组织`}，责任人：${name(t.person)}，完成时限：${chineseDate(t.deadline)}）`),
      '二、有关要求',
      '请责任单位按时限逐项落实，完成后在整顿工作系统中报告办结；逾期未完成的，系统将提醒并报县委组织部督办。',
    ],
    signature: [`中共${roster.county.name}委`, `${y}年${m}月${d}日`],
  };
  const files = documentFiles(opts, req.key, letter, `交办任务书-${req.village}-${req.studyOn}`);
  const lines = [
    `县委常委会${req.studyOn}专题研究整顿工作，审核了${town}${villageName}的整顿方案，交办整顿事项${req.tasks.length}项（五(二)）：`,
    ...req.tasks.map((t) => `${t.n}. ${t.item}（责任人：${name(t.person)}，完成时限：${chineseDate(t.deadline)}）`),
    '',
    `交办任务书见附件（${opts.pdf ? 'Word和PDF' : 'Word'}格式）。`,
    baseUrl ? `整顿对象情况：${baseUrl.replace(/\/$/, '')}/villages/${encodeURIComponent(req.village)}` : '',
  ];
  return {
    fromName: departmentName(roster),
    subject: `【交办任务书】${town}${villageName}：整顿事项${req.tasks.length}项`,
    text: [`${recipients.map((p) => p.name).join('、')}同志：`, '', ...lines, '', FOOTER].join('\n'),
    attachments: await files,
  };
}

/**
 * An approved plan (五(一)) to the township party secretary and the organization department: what
 * each stage holds, the dated measures and milestones now their owners' duties, and the plan as a
 * Word document (PDF beside it with LETTER_PDF).
 */
export async function renderPlanMail(req: PlanMailRequest, roster: Roster, recipients: readonly Person[], baseUrl = '', opts: CaseMailOptions = {}): Promise<RenderedCaseMail> {
  const doc = planDocument(req, roster)!;
  const town = townshipName(roster, req.township);
  const villageName = byCode(roster.villages, req.village)?.name ?? req.village;
  const measures = (req.plan.measures ?? []).map((m, i) => ({ ...m, n: i + 1 }));
  const counts = planStages.map((st) => `${planStageLabels[st]}${measures.filter((m) => m.stage === st).length}项`).join('、');
  const dated = [
    ...measures.flatMap((m) => (m.due && m.owner ? [`${planStageLabels[m.stage]}措施${m.n}：${m.what}（责任人：${personName(roster, m.owner)}，完成时限：${chineseDate(m.due)}）`] : [])),
    ...(req.plan.roadmap?.milestones ?? []).map((m, i) => `时间表节点${i + 1}：${m.goal}（责任人：${personName(roster, m.owner)}，${chineseDate(m.date)}）`),
  ];
  const files = documentFiles(opts, req.key, doc, `整顿方案-${req.village}`);
  const lines = [
    `${town}${villageName}的整顿方案已于${chineseDate(req.plan.approvedOn ?? req.plan.submittedOn ?? '')}审核通过（五(一)）。方案措施：${counts}${req.plan.roadmap ? `；经济基础薄弱，时间表节点${req.plan.roadmap.milestones.length}个（五(二)）` : ''}。`,
    ...(dated.length ? ['', '以下措施已列为责任人的待办事项，到期前提醒，完成后在整顿工作系统中报告办结：', ...dated] : []),
    '',
    `整顿方案见附件（${opts.pdf ? 'Word和PDF' : 'Word'}格式）。`,
    baseUrl ? `整顿对象情况：${baseUrl.replace(/\/$/, '')}/villages/${encodeURIComponent(req.village)}` : '',
  ];
  return {
    fromName: departmentName(roster),
    subject: `【整顿方案审核通过】${town}${villageName}：${counts}`,
    text: [`${recipients.map((p) => p.name).join('、')}同志：`, '', ...lines, '', FOOTER].join('\n'),
    attachments: await files,
  };
}

/**
 * A county leader's part of the monthly bulletin (六(一) 联系点): the lines of the draft about
 * their contact township (its targets included) and key village, in the mail itself.
 */
export function renderContactBulletin(req: ContactBulletinRequest, roster: Roster, recipients: readonly Person[], baseUrl = ''): RenderedCaseMail {
  const f = req.facts;
  const [y, m] = f.month.split('-').map(Number);
  const period = `${y}年${m}月`;
  const town = townshipName(roster, req.township);
  const mine = (t: { township: string }): boolean => t.township === req.township;
  const reports = f.reports.filter(mine);
  const overdue = f.overdue.filter(mine).flatMap((t) => t.items);
  const behind = f.behind.filter((b) => mine(b) || b.village === req.village);
  const missed = f.missed.filter(mine).flatMap((t) => t.items);
  const findings = (f.findings ?? []).filter(mine).flatMap((t) => t.items);
  const lines = [
    `您的联系点${town}${req.village ? `（整顿重点村${villageLabel(roster, req.village)}）` : ''}在${period}整顿工作通报送审稿中的情况如下（六(一)“县委班子成员要联系1个乡镇和1个整顿重点村”）：`,
    `一、半月进展报送：${reports.length ? reports.map((r) => [r.missing.length ? `${r.missing.map(halfLabel).join('、')}未报送` : '', r.late.length ? `${r.late.map(halfLabel).join('、')}逾期报送` : ''].filter(Boolean).join('；')).join('；') : '按时报送'}`,
    `二、逾期未完成事项：${overdue.length ? `${overdue.length}项：${overdue.map((it) => `${it.village ? villageLabel(roster, it.village) : town}${it.title}（${it.periodLabel}，截止${it.dueDate}）`).join('；')}` : '无'}`,
    `三、例行活动未落实：${missed.length ? `${missed.length}项：${missed.map((it) => `${villageLabel(roster, it.village)}${it.title}（${it.periodLabel}）`).join('；')}` : '无'}`,
    `四、进度滞后的整顿对象：${behind.length ? behind.map((b) => `${villageLabel(roster, b.village)}：${b.reasons.join('；')}`).join('；') : '无'}`,
    `五、督导检查发现问题尚未整改：${findings.length ? findings.map((it) => `${it.problem}（限${it.correctBy}前整改${it.overdue ? '，已逾期' : ''}）`).join('；') : '无'}`,
    '',
    '通报是否印发由县委组织部决定。',
    baseUrl ? `整顿工作一览：${baseUrl.replace(/\/$/, '')}/townships/${encodeURIComponent(req.township)}` : '',
  ];
  return {
    subject: `【联系点情况】${town}${period}整顿工作情况`,
    text: [`${recipients.map((p) => p.name).join('、')}同志：`, '', ...lines, '', FOOTER].join('\n'),
    attachments: [],
  };
}

/**
 * The monthly bulletin's draft (通报送审稿, 六(三)) to the organization department: a summary in
 * the mail, the draft as a document in the department's layout; the department decides whether
 * to issue it.
 */
export async function renderBulletin(req: BulletinRequest, roster: Roster, recipients: readonly Person[], baseUrl = '', opts: CaseMailOptions = {}): Promise<RenderedCaseMail> {
  const f = req.facts;
  const letter = bulletinLetter(f, roster);
  const [y, m] = f.month.split('-').map(Number);
  const period = `${y}年${m}月`;
  const files = documentFiles(opts, req.key, letter, `整顿工作通报-${f.month}-送审稿`);
  const c = bulletinCounts(f);
  const town = (code: string): string => townshipName(roster, code);
  const lines = [
    `${period}整顿工作进展情况通报的送审稿已生成（六(三)“定期不定期地对整顿工作进行督促检查，并进行通报”），要点如下：`,
    `一、半月进展未按时报送的乡镇：${c.townships ? `${f.reports.map((r) => town(r.township)).join('、')}（${c.townships}个）` : '无'}`,
    `二、逾期未完成事项：${c.overdue ? `${c.overdue}项（${f.overdue.map((t) => `${town(t.township)}${t.items.length}项`).join('，')}）` : '无'}`,
    `三、例行活动未落实：${c.missed ? `${c.missed}项（${f.missed.map((t) => `${town(t.township)}${t.items.length}项`).join('，')}）` : '无'}`,
    `四、进度滞后的整顿对象：${c.behind ? `${f.behind.map((b) => villageLabel(roster, b.village)).join('、')}（${c.behind}个）` : '无'}`,
    `五、督导检查发现问题尚未整改：${f.findings?.length ? f.findings.map((t) => `${town(t.township)}${t.items.length}个`).join('，') : '无'}`,
    ...(f.trainingShort
      ? [`六、${f.trainingShort.year}年培训不足7天的村党组织书记、班子成员（四(一)5）：${f.trainingShort.townships.length ? f.trainingShort.townships.map((t) => `${town(t.township)}${t.items.length}人`).join('，') : '无'}`]
      : []),
    f.unread?.length ? `注意：${f.unread.map((code) => (roster.townships.some((t) => t.code === code) ? town(code) : villageLabel(roster, code))).join('、')}的记录未能读取，未计入本通报，请核实。` : '',
    '',
    `通报送审稿见附件（${opts.pdf ? 'Word和PDF' : 'Word'}格式）。是否印发，请县委组织部决定；印发时编文号。`,
    baseUrl ? `整顿工作一览：${baseUrl.replace(/\/$/, '')}/` : '',
  ];
  return {
    subject: `【通报送审】${roster.county.name}${period}软弱涣散村党组织整顿工作进展情况`,
    text: [`${recipients.map((p) => p.name).join('、')}同志：`, '', ...lines, '', FOOTER].join('\n'),
    attachments: await files,
  };
}

/**
 * The department's quarterly report (情况报告送审稿): the headline figures in the mail, the draft
 * as a document in the department's layout; the department decides whether to send it upward.
 */
export async function renderFiguresReport(req: FiguresReportRequest, facts: FiguresReportFacts, roster: Roster, recipients: readonly Person[], baseUrl = '', opts: CaseMailOptions = {}): Promise<RenderedCaseMail> {
  const f = facts.figures;
  const q = quarterText(req.quarter);
  const files = documentFiles(opts, req.key, figuresReportLetter(facts, roster), `整顿工作进展情况报告-${req.quarter}-送审稿`);
  const behind = f.byTownship.filter((t) => t.light === 'red').map((t) => townshipName(roster, t.township));
  const lines = [
    `${q}全县软弱涣散村党组织整顿提升工作进展情况报告的送审稿已生成（数据截至${chineseDate(f.asOf)}），要点如下：`,
    `一、整顿对象${f.totals.targets}个：整顿中${f.totals.underRectification}个，已转化${f.totals.transformed}个${f.totals.withdrawn ? `，撤销认定${f.totals.withdrawn}个` : ''}。`,
    ...f.byYear.map((y) => `　　${y.designatedIn}年认定${y.targets}个，已转化${y.transformed}个，目标${y.goalDate.slice(0, 4)}年底全部转化${y.met === null ? '' : y.met ? '（已实现）' : '（未实现）'}。`),
    `二、工作滞后的乡镇：${behind.length ? `${behind.join('、')}（${behind.length}个）` : '无'}；逾期事项${f.totals.overdueDuties}项。`,
    `三、进度滞后的整顿对象：${facts.behind.length ? `${facts.behind.map((b) => villageLabel(roster, b.village)).join('、')}（${facts.behind.length}个）` : '无'}。`,
    `四、本季度新增后果：${facts.began.length ? `${facts.began.length}项` : '无'}。`,
    facts.unread?.length ? `注意：${facts.unread.map((code) => (roster.townships.some((t) => t.code === code) ? townshipName(roster, code) : villageLabel(roster, code))).join('、')}的记录未能读取，未计入本报告，请核实。` : '',
    '',
    `报告送审稿见附件（${opts.pdf ? 'Word和PDF' : 'Word'}格式）。是否报送${roster.county.superior ?? '市委组织部'}，请县委组织部决定。`,
    baseUrl ? `全县统计：${baseUrl.replace(/\/$/, '')}/dashboard` : '',
  ];
  return {
    subject: `【情况报告送审】${roster.county.name}${q}软弱涣散村党组织整顿提升工作进展情况`,
    text: [`${recipients.map((p) => p.name).join('、')}同志：`, '', ...lines.filter((l, i) => l !== '' || lines[i - 1] !== ''), '', FOOTER].join('\n'),
    attachments: await files,
  };
}
