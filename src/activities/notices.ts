/**
 * What an official reads: the notice for one ladder step of one obligation, in Simplified Chinese.
 */
import type { NoticeRequest } from '../contracts/village';
import { severityLabels, type Severity } from '../domain/escalation';
import type { Person, Role, Roster } from '../domain/roster';
import { holders } from '../domain/roster';

export const SOURCE_DOCUMENT = '《某县软弱涣散农村基层党组织整顿提升两年行动工作方案》';

const severityPhrase: Record<Severity, string> = {
  reminder: '即将到期，请按时完成',
  due: '今日到期，请于今日内完成',
  overdue: '已逾期，请尽快完成并说明原因',
  'red-warning': '逾期仍未完成，现向县委组织部发出红色预警',
};

/** The people a step goes to, resolved from the roster now (六(一): successors take over). */
export function resolveRecipients(req: NoticeRequest, roster: Roster): { people: Person[]; missing: string[] } {
  const people: Person[] = [];
  const missing: string[] = [];
  const byId = (id: string): Person | undefined => roster.people.find((p) => p.id === id);
  for (const role of req.notify as Role[]) {
    let found: Person[];
    const assigned = role === 'first-secretary' || role === 'township-liaison' ? req.assigned[role] : undefined;
    if (assigned) {
      const p = byId(assigned);
      found = p ? [p] : [];
      if (!p) missing.push(`${role} ${assigned} is not in the roster`);
    } else if (role === 'org-department-staff') {
      found = holders(roster, role);
    } else if (role === 'township-party-secretary' || role === 'organization-officer') {
      found = holders(roster, role, { township: req.township }).slice(0, 1);
    } else {
      found = holders(roster, role, { village: req.village }).slice(0, 1);
    }
    if (found.length === 0 && !assigned) missing.push(`no ${role} for ${role.startsWith('township-') || role === 'organization-officer' ? req.township : req.village} in the roster`);
    for (const p of found) if (!people.some((q) => q.email === p.email)) people.push(p);
  }
  return { people, missing };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface RenderedNotice {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function renderNotice(req: NoticeRequest, roster: Roster, recipients: readonly Person[], baseUrl: string): RenderedNotice {
  const village = roster.villages.find((v) => v.code === req.village)?.name ?? req.village;
  const township = roster.townships.find((t) => t.code === req.township)?.name ?? req.township;
  const subject = req.subject ?? 'village';
  // Whose duty: a target (township + village), a township, or the county itself.
  const place = subject === 'county' ? roster.county.name : `${township}${village}`;
  const o = req.obligation;
  const label = severityLabels[req.step.severity];
  const dueNote = [
    o.dueDate !== o.nominalDue ? `（${o.nominalDue}为休息日，顺延至下一个工作日）` : '',
    o.provisional ? '（该年度国务院节假日安排尚未公布，日期为暂定）' : '',
  ].join('');
  const where = { village: `villages/${encodeURIComponent(req.village)}`, township: `townships/${encodeURIComponent(req.township)}`, county: 'county' }[subject];
  const link = `${baseUrl.replace(/\/$/, '')}/${where}/obligations/${encodeURIComponent(o.id)}`;
  const rows: [string, string][] = [
    [{ village: '整顿对象', township: '乡镇', county: '县' }[subject], place],
    ['事项', o.title],
    ['期间', o.periodLabel],
    ['截止日期', `${o.dueDate}${dueNote}`],
    ['依据', `${SOURCE_DOCUMENT}${o.clause}`],
  ];
  if (req.targets?.length) {
    const names = req.targets.map((code) => {
      const v = roster.villages.find((x) => x.code === code);
      return v ? `${roster.townships.find((t) => t.code === v.township)?.name ?? v.township}${v.name}` : code;
    });
    rows.push(['验收对象', `${names.join('、')}（共${names.length}个）`]);
  }
  const greeting = `${recipients.map((p) => p.name).join('、')}同志：`;
  const lead = `${place}的“${o.title}”${severityPhrase[req.step.severity]}。`;
  const text = [
    greeting,
    '',
    lead,
    '',
    ...rows.map(([k, v]) => `${k}：${v}`),
    '',
    `办理入口：${link}`,
    '',
    '本邮件由软弱涣散农村基层党组织整顿提升工作系统自动发送，请勿直接回复。',
  ].join('\n');
  const html = [
    '<!doctype html><html lang="zh-CN"><body style="font-family:sans-serif">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p><strong>【${escapeHtml(label)}】</strong>${escapeHtml(lead)}</p>`,
    '<table cellpadding="4" style="border-collapse:collapse">',
    ...rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    `<p><a href="${escapeHtml(link)}">点击此处办理</a></p>`,
    '<p style="color:#666">本邮件由软弱涣散农村基层党组织整顿提升工作系统自动发送，请勿直接回复。</p>',
    '</body></html>',
  ].join('\n');
  return { subject: `【${label}】${place}：${o.title}（${o.periodLabel}）`, text, html };
}
