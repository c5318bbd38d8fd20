/**
 * What an official reads: the notice of one ladder step of one duty, the notice that a due date
 * moved, and the department's urging digest (督办), in Simplified Chinese. The source text is
 * quoted only for what it says; the county's own rules are worded as its organization
 * department's requirement.
 */
import type { DigestRequest, NoticeRequest, ResultMailRequest } from '../contracts/mail';
import { isRoutine, kindSpecs, type ObligationKind } from '../domain/kinds';
import { severityLabels, type Severity } from '../domain/policy';
import { departmentHolders, holders, roleLabels, type Person, type Role, type Roster } from '../domain/roster';
import { byId, grouped } from '../domain/lookup';
import { chineseDate, departmentName, sourceDocument, townshipName, villageLabel, weekdayName } from '../domain/names';

export const FOOTER = '本邮件由软弱涣散农村基层党组织整顿提升工作系统自动发送，请勿直接回复。';

const severityPhrase: Record<Severity, string> = {
  reminder: '即将到期，请按时完成',
  due: '今日到期，请于今日内完成',
  overdue: '已逾期，请尽快完成并说明原因',
  'red-warning': '逾期仍未完成，发出红色预警',
};

const townshipRoles = new Set<string>(['township-party-secretary', 'organization-officer']);
const countyRoles = new Set<string>(['org-department-staff', 'org-department-head', 'operator']);

/**
 * Posts linked to a place rather than owing anything there: they get a copy where the link
 * exists and nobody is missing where it does not. The county leader whose contact township or key
 * village it is (六(一): the newest holder of its A post and of its B post, a successor inheriting
 * the link), the target's township liaison and contact cadre (包村领导, 包村干部, 五(三)), its work
 * team's leader as 党建指导员 (六(二)) and its paired department's leader (五(四)).
 */
function linkedHolders(role: string, place: { readonly village: string; readonly township: string }, roster: Roster): Person[] | undefined {
  if (role === 'county-leader') {
    // 六(一) "按照AB岗要求确定联系点": the newest holder of each of the A and B posts of the link.
    const ab = (list: Person[]): Person[] => (['A', 'B'] as const).flatMap((slot) => list.filter((p) => (p.slot ?? 'A') === slot).slice(0, 1));
    const byTownship = place.township ? ab(holders(roster, 'county-leader', { township: place.township })) : [];
    const byVillage = place.village ? ab(holders(roster, 'county-leader', { village: place.village })) : [];
    return [...byTownship, ...byVillage];
  }
  if (role === 'paired-department-leader') {
    const department = place.village ? grouped(roster.designations, 'village', (d) => d.village).get(place.village)?.at(-1)?.pairedDepartment : undefined;
    return department ? holders(roster, 'paired-department-leader', { department }).slice(0, 1) : [];
  }
  if (role === 'township-liaison' || role === 'village-contact-cadre' || role === 'party-building-instructor') return place.village ? holders(roster, role, { village: place.village }).slice(0, 1) : [];
  return undefined;
}

/** The people holding posts for a place, resolved from the roster now (六(一): successors take over). */
export function resolvePosts(
  notify: readonly string[],
  place: { readonly village: string; readonly township: string },
  roster: Roster,
  named: { readonly people?: readonly string[]; readonly assigned?: NoticeRequest['assigned'] } = {},
): { people: Person[]; missing: string[] } {
  const people: Person[] = [];
  const missing: string[] = [];
  const person = (id: string): Person | undefined => byId(roster.people, id);
  const add = (p: Person): void => {
    if (!people.some((q) => q.email === p.email)) people.push(p);
  };
  for (const role of notify) {
    if (role === 'responsible') {
      for (const id of named.people ?? []) {
        const p = person(id);
        if (p) add(p);
        else missing.push(`名册中无此人（${id}）`);
      }
      continue;
    }
    const assigned = role === 'first-secretary' || role === 'township-liaison' ? named.assigned?.[role] : undefined;
    const linked = assigned ? undefined : linkedHolders(role, place, roster);
    if (linked) {
      linked.forEach(add);
      continue;
    }
    let found: Person[];
    if (assigned) {
      const p = person(assigned);
      found = p ? [p] : [];
      if (!p) missing.push(`名册中无${roleLabels[role as Role] ?? role}（${assigned}）`);
    } else if (role === 'joint-meeting-member') {
      found = departmentHolders(roster, role);
    } else if (countyRoles.has(role)) {
      found = holders(roster, role as Role);
    } else if (townshipRoles.has(role)) {
      found = holders(roster, role as Role, { township: place.township }).slice(0, 1);
    } else {
      found = holders(roster, role as Role, { village: place.village }).slice(0, 1);
    }
    if (found.length === 0 && !assigned) {
      const where = countyRoles.has(role) || role === 'joint-meeting-member' ? roster.county.name : townshipRoles.has(role) ? townshipName(roster, place.township) : villageLabel(roster, place.village);
      missing.push(`名册中${where}无${roleLabels[role as Role] ?? role}在岗`);
    }
    found.forEach(add);
  }
  return { people, missing };
}

export function resolveRecipients(req: NoticeRequest, roster: Roster): { people: Person[]; missing: string[] } {
  return resolvePosts(req.notify, req, roster, { ...(req.people ? { people: req.people } : {}), assigned: req.assigned });
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface RenderedNotice {
  /** The department urges (督办) under its own name; reminders go out under MAIL_FROM's (工作提醒). */
  readonly fromName?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Where the duty is done in the workbench (after login). */
export function obligationLink(baseUrl: string, req: Pick<NoticeRequest, 'subject' | 'village' | 'township' | 'caseId' | 'obligation'>): string {
  const where = {
    village: `villages/${encodeURIComponent(req.village)}`,
    township: `townships/${encodeURIComponent(req.township)}`,
    county: 'county',
    case: `cases/${encodeURIComponent(req.caseId ?? '')}`,
  }[req.subject];
  return `${baseUrl.replace(/\/$/, '')}/${where}/obligations/${encodeURIComponent(req.obligation.id)}`;
}

function html(greeting: string, lead: string, label: string, rows: readonly [string, string][], link: string, linkText: string): string {
  return [
    '<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p><strong>【${escapeHtml(label)}】</strong>${escapeHtml(lead)}</p>`,
    '<table cellpadding="4" style="border-collapse:collapse">',
    ...rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    `<p><a href="${escapeHtml(link)}">${escapeHtml(linkText)}</a></p>`,
    `<p style="color:#666">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ].join('\n');
}

/** Beside a date the plan does not set: whose rule it is (the date's basis, apart from the duty's clause). */
function dueBasis(kind: ObligationKind): string {
  const basis = kindSpecs[kind]?.dueBasis;
  return basis ? `（截止日期依据：${basis}）` : '';
}

export function renderNotice(req: NoticeRequest, roster: Roster, recipients: readonly Person[], baseUrl: string): RenderedNotice {
  const township = townshipName(roster, req.township);
  const place = req.subject === 'county' ? roster.county.name : req.subject === 'village' ? villageLabel(roster, req.village) : township;
  const o = req.obligation;
  const moved =
    o.dueDate === o.nominalDue
      ? ''
      : o.deadlineRule === 'last-working-day'
        ? `（${o.nominalDue}为休息日，截止日期提前至此前最后一个工作日）`
        : `（${o.nominalDue}为休息日，按${o.deadlineBasis}顺延至下一个工作日）`;
  const provisional = o.provisional ? '（该年度国务院节假日安排尚未公布，日期为暂定）' : '';
  const link = obligationLink(baseUrl, req);
  const rows: [string, string][] = [
    [{ village: '整顿对象', township: '乡镇', county: '县', case: '乡镇' }[req.subject], place],
    ...(req.caseId ? ([['案号', req.caseId]] as [string, string][]) : []),
    ['事项', o.title],
    ['期间', o.periodLabel],
    ['截止日期', `${o.dueDate}${moved}${provisional}${dueBasis(o.kind)}`],
    ['依据', `${sourceDocument(roster)}${o.clause}`],
  ];
  if (req.targets?.length) {
    const names = req.targets.map((code) => villageLabel(roster, code));
    rows.push(['验收对象', `${names.join('、')}（共${names.length}个）`]);
  }
  const greeting = `${recipients.map((p) => p.name).join('、')}同志：`;
  let label: string = severityLabels[req.step.severity];
  let lead = `${place}的“${o.title}”${severityPhrase[req.step.severity]}。`;
  if (req.redated) {
    label = '截止日期调整';
    lead = `${place}的“${o.title}”截止日期由${req.redated.from}调整为${o.dueDate}（${req.redated.reason}）。`;
    rows.splice(rows.length - 1, 0, ['原截止日期', req.redated.from]);
  } else if (isRoutine(o.kind)) {
    // A routine activity is done on its day, not by it: the notice says the day; only a missed one goes up (四(四)12, 四(五)17).
    const day = o.kind === 'concentrated-service' ? `本季度内（${o.dueDate}前）` : o.kind === 'religious-contact' ? `本月内（${o.dueDate}前）` : `${chineseDate(o.dueDate)}（${weekdayName(o.dueDate)}）`;
    if (req.step.severity === 'due') {
      label = '例行活动';
      lead = `${place}${day}应开展“${o.title}”。开展后请村党组织书记或第一书记在工作台记录实际开展日期，或由乡镇在半月进展中一并填报。`;
    } else {
      label = '未落实';
      lead = `${place}的“${o.title}”（${o.periodLabel}）在本半月结束时仍无开展记录，记为未落实，将列入月度通报。请乡镇督促整改。`;
    }
  } else if (req.step.severity === 'red-warning') {
    lead = `${place}的“${o.title}”逾期仍未完成，按${req.ladderBasis ?? '县委组织部工作要求'}发出红色预警。`;
  }
  const text = [greeting, '', lead, '', ...rows.map(([k, v]) => `${k}：${v}`), '', `办理入口：${link}`, '', FOOTER].join('\n');
  return {
    subject: `【${label}】${place}：${o.title}（${o.periodLabel}）`,
    text,
    html: html(greeting, lead, label, rows, link, '点击此处办理'),
  };
}

/** The urging digest: every overdue duty past its red warning, for one recipient (督办). */
export function renderDigest(req: DigestRequest, roster: Roster, recipients: readonly Person[], baseUrl: string): RenderedNotice {
  const greeting = `${recipients.map((p) => p.name).join('、')}同志：`;
  const lead = `截至${req.date}，以下${req.items.length}项整顿工作事项发出红色预警后仍未完成，按${req.basis}予以督办（每项最多督办${req.maxRounds}次）：`;
  const place = (i: DigestRequest['items'][number]): string =>
    i.subject === 'village' ? villageLabel(roster, i.village) : i.subject === 'county' ? roster.county.name : `${townshipName(roster, i.township)}${i.caseId ? `（案号${i.caseId}）` : ''}`;
  const lines = req.items.map((i, n) => `${n + 1}. ${place(i)}：${i.title}（${i.periodLabel}），截止${i.dueDate}，${i.redWarnedOn}红色预警，第${i.round}次督办；依据${sourceDocument(roster)}${i.clause}`);
  const link = `${baseUrl.replace(/\/$/, '')}/overdue`;
  const text = [greeting, '', lead, '', ...lines, '', `逾期事项一览：${link}`, '', FOOTER].join('\n');
  const body = [
    '<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p><strong>【督办】</strong>${escapeHtml(lead)}</p>`,
    '<table cellpadding="4" border="1" style="border-collapse:collapse"><tr><th>对象</th><th>事项</th><th>期间</th><th>截止日期</th><th>红色预警</th><th>督办次数</th></tr>',
    ...req.items.map(
      (i) =>
        `<tr><td>${escapeHtml(place(i))}</td><td>${escapeHtml(i.title)}</td><td>${escapeHtml(i.periodLabel)}</td><td>${i.dueDate}</td><td>${i.redWarnedOn}</td><td>第${i.round}次</td></tr>`,
    ),
    '</table>',
    `<p><a href="${escapeHtml(link)}">查看逾期事项一览</a></p>`,
    `<p style="color:#666">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ].join('\n');
  return { fromName: departmentName(roster), subject: `【督办】${roster.county.name}整顿工作逾期事项（${req.date}，共${req.items.length}项）`, text, html: body };
}

/** A target's yearly acceptance result, to the people whose assessment counts it (五(三), 五(四)). */
export function renderResult(req: ResultMailRequest, roster: Roster, recipients: readonly Person[], baseUrl: string): RenderedNotice {
  const place = villageLabel(roster, req.village);
  const verdict = req.transformed ? '已实现转化提升' : '未实现转化';
  const greeting = `${recipients.map((p) => p.name).join('、')}同志：`;
  const lead = `${place}${req.year}年度验收评价结果：${verdict}（${req.evaluatedOn}评定）。按${sourceDocument(roster)}五(三)、五(四)，整顿情况与包村领导、村干部绩效考核直接挂钩，联建单位参与整顿工作纳入县委综合考核，请在考核中据此考虑。`;
  const link = `${baseUrl.replace(/\/$/, '')}/villages/${encodeURIComponent(req.village)}`;
  const rows: [string, string][] = [
    ['整顿对象', place],
    ['年度', `${req.year}年`],
    ['结果', verdict],
    ['验收评价意见', req.summary],
    ['依据', `${sourceDocument(roster)}五(一)、五(三)、五(四)`],
  ];
  const text = [greeting, '', lead, '', ...rows.map(([k, v]) => `${k}：${v}`), '', `整顿对象情况：${link}`, '', FOOTER].join('\n');
  return { subject: `【验收结果】${place}：${req.year}年度${verdict}`, text, html: html(greeting, lead, '验收结果', rows, link, '查看整顿对象') };
}
