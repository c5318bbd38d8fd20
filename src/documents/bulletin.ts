/**
 * The monthly 通报 (六(三): "定期不定期地对整顿工作进行督促检查，并进行通报"): on the first working day of a
 * month the county programme draws up the bulletin of the month before, from what its townships
 * and targets say of themselves, and mails it to the organization department as a draft
 * (送审稿). The department decides whether to issue it; the draft carries no 文号.
 *
 * What it lists, each from the entity's own record as of the day it is drawn up:
 * - townships whose half-monthly reports of the month (六(三)) were missed or late;
 * - overdue duties, by township (the township's own and those of its targets);
 * - routine activities of the month not held (升国旗, 惠民服务日, 集中落实: 未落实), by township;
 * - targets behind schedule: a rectification plan not approved and past its deadline, or a year's
 *   acceptance with the village not transformed (五(四));
 * - findings of the department's inspections not yet corrected (六(三)).
 */
import type { ObligationView } from '../contracts/common';
import type { TownshipView } from '../contracts/township';
import type { VillageView } from '../contracts/village';
import type { LocalDate } from '../domain/calendar';
import { isRoutine } from '../domain/kinds';
import type { Roster } from '../domain/roster';
import type { BulletinFacts } from '../contracts/mail';
import type { LetterDocument } from './official-letter';
import { chineseDate, departmentName, personName, sourceDocument, townshipName } from '../domain/names';
import { activeOn } from '../domain/obligations';
import { cadreDays, trainingTargets, TRAINING_DAYS } from '../domain/training';

/** A half month as the bulletin names it: 2019-03-H1 → 3月上半月. */
export const halfLabel = (periodId: string): string => {
  const m = /^(\d{4})-(\d{2})-H([12])$/.exec(periodId);
  return m ? `${Number(m[2])}月${m[3] === '1' ? '上' : '下'}半月` : periodId;
};

const byCode = <T extends { township: string }>(a: T, b: T): number => a.township.localeCompare(b.township);

/** The bulletin's facts from the views of the county's townships and targets. */
export function bulletinFacts(
  month: string,
  date: LocalDate,
  townships: readonly TownshipView[],
  villages: readonly VillageView[],
  training?: { readonly year: number; readonly cadresOf: (village: string) => readonly { readonly id: string }[] },
): BulletinFacts {
  const reports = townships
    .map((t) => {
      const inMonth = t.lapses.filter((l) => l.periodId.startsWith(`${month}-`));
      return {
        township: t.township,
        missing: inMonth.filter((l) => l.kind === 'missing').map((l) => l.periodId),
        late: inMonth.filter((l) => l.kind === 'late').map((l) => l.periodId),
      };
    })
    .filter((r) => r.missing.length + r.late.length > 0)
    .sort(byCode);

  // A view says "overdue" as of its entity's last wake-up; the bulletin counts as of its own day.
  const isOverdue = (o: ObligationView): boolean => o.overdue || o.dueDate < date;
  const overdueOf = (open: readonly ObligationView[]): ObligationView[] => open.filter(isOverdue);
  const overdue = new Map<string, { village?: string; title: string; periodLabel: string; dueDate: LocalDate; clause: string }[]>();
  const add = (township: string, village: string | undefined, o: ObligationView): void => {
    overdue.set(township, [...(overdue.get(township) ?? []), { ...(village ? { village } : {}), title: o.title, periodLabel: o.periodLabel, dueDate: o.dueDate, clause: o.clause }]);
  };
  for (const t of townships) for (const o of overdueOf(t.open)) add(t.township, undefined, o);
  for (const v of villages) for (const o of overdueOf(v.open)) if (!isRoutine(o.kind)) add(v.township, v.village, o);

  // A routine activity of the month is missed once recorded so, or while still open past its day
  // (the record of 未落实 comes with the township's notice after the half month).
  const missed = new Map<string, BulletinFacts['missed'][number]['items'][number][]>();
  for (const v of villages) {
    const items = [
      ...v.recentlyClosed.filter((c) => c.closed.how === 'missed'),
      ...v.open.filter((o) => isRoutine(o.kind) && isOverdue(o)),
    ].filter((o) => o.dueDate.startsWith(`${month}-`));
    if (items.length === 0) continue;
    missed.set(v.township, [...(missed.get(v.township) ?? []), ...items.map((o) => ({ village: v.village, title: o.title, periodLabel: o.periodLabel, dueDate: o.dueDate, clause: o.clause }))]);
  }

  const behind = villages
    .map((v) => {
      const reasons: string[] = [];
      const plan = v.open.find((o) => o.kind === 'rectification-plan' && isOverdue(o));
      if (v.plan.status !== 'approved' && plan) reasons.push(`整顿方案${v.plan.status === 'due' ? '逾期未报送' : v.plan.status === 'returned' ? '退回后逾期未重新报送' : '逾期未通过审核'}（截止${chineseDate(plan.dueDate)}）`);
      const lastResult = v.acceptanceResults.at(-1);
      if (lastResult && !lastResult.transformed) reasons.push(`${lastResult.year}年度验收评价未转化${lastResult.implied ? '（年底前未记录验收结果）' : ''}`);
      return { village: v.village, township: v.township, reasons };
    })
    .filter((b) => b.reasons.length > 0)
    .sort((a, b) => byCode(a, b) || a.village.localeCompare(b.village));

  const findings = townships
    .map((t) => ({
      township: t.township,
      items: (t.inspections ?? []).flatMap((x) =>
        x.findings.flatMap((f) => {
          const o = t.open.find((d) => d.id === f.obligationId);
          return o ? [{ on: x.on, ...(f.village ? { village: f.village } : {}), problem: f.problem, correctBy: o.dueDate, overdue: isOverdue(o) }] : [];
        }),
      ),
    }))
    .filter((t) => t.items.length > 0)
    .sort(byCode);

  // 四(一)5: after the county's day, each target's cadres short of the seven days, by township
  // (targets designated that year owe from the next: no section when none owes).
  const owing = training ? townships.map((t) => ({ t, villages: trainingTargets(t.targets.filter((x) => activeOn(x, date)), training.year, activeOn) })).filter((x) => x.villages.length > 0) : [];
  const trainingShort = training && owing.length > 0
    ? {
        year: training.year,
        townships: owing
          .map(({ t, villages }) => {
            const tally = (t.training ?? []).find((y) => y.year === training.year)?.days;
            return { township: t.township, items: cadreDays(villages, tally, training.cadresOf).filter((d) => d.days < TRAINING_DAYS.cadre) };
          })
          .filter((t) => t.items.length > 0)
          .sort(byCode),
      }
    : undefined;

  return {
    month,
    date,
    reports,
    findings,
    ...(trainingShort ? { trainingShort } : {}),
    overdue: [...overdue.entries()]
      .map(([township, items]) => ({ township, items: items.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || (a.village ?? '').localeCompare(b.village ?? '')) }))
      .sort(byCode),
    behind,
    missed: [...missed.entries()]
      .map(([township, items]) => ({ township, items: items.sort((a, b) => a.village.localeCompare(b.village) || a.dueDate.localeCompare(b.dueDate)) }))
      .sort(byCode),
    targets: villages.filter((v) => v.stage !== 'closed' && v.stage !== 'withdrawn').length,
  };
}

/** The bulletin as a document in the department's name, addressed to the townships' Party committees. */
export function bulletinLetter(f: BulletinFacts, roster: Roster): LetterDocument {
  const [y, m] = f.month.split('-').map(Number);
  const period = `${y}年${m}月`;
  const town = (code: string): string => townshipName(roster, code);
  const village = (code: string): string => roster.villages.find((v) => v.code === code)?.name ?? code;
  const department = departmentName(roster);
  const paragraphs: string[] = [
    `根据${sourceDocument(roster)}六（三）“定期不定期地对整顿工作进行督促检查，并进行通报”的要求，现将${period}全县软弱涣散村党组织整顿工作进展情况通报如下（数据截至${chineseDate(f.date)}，整顿对象${f.targets}个）。`,
    '一、半月进展报送情况',
  ];
  if (f.reports.length === 0) paragraphs.push(`${period}各乡镇均按时报送每半月整顿工作进展情况。`);
  else {
    paragraphs.push(`${period}，以下${f.reports.length}个乡镇未按时报送每半月整顿工作进展情况（六（三）“乡镇要每半月上报整顿软弱涣散村党组织工作进展情况”）：`);
    f.reports.forEach((r, i) => {
      const parts = [r.missing.length ? `${r.missing.map(halfLabel).join('、')}未报送` : '', r.late.length ? `${r.late.map(halfLabel).join('、')}逾期报送` : ''].filter(Boolean);
      paragraphs.push(`${i + 1}. ${town(r.township)}：${parts.join('；')}。`);
    });
  }
  paragraphs.push('二、逾期未完成事项');
  const total = f.overdue.reduce((n, t) => n + t.items.length, 0);
  if (total === 0) paragraphs.push('截至通报之日，无逾期未完成的整顿工作事项。');
  else {
    paragraphs.push(`截至通报之日，共有${total}项整顿工作事项逾期未完成，分乡镇如下：`);
    for (const t of f.overdue) {
      paragraphs.push(`${town(t.township)}（${t.items.length}项）：${t.items.map((it) => `${it.village ? village(it.village) : '乡镇党委'}${it.title}（${it.periodLabel}，截止${chineseDate(it.dueDate)}）`).join('；')}。`);
    }
  }
  paragraphs.push('三、例行活动未落实情况');
  const missedTotal = f.missed.reduce((n, t) => n + t.items.length, 0);
  if (missedTotal === 0) paragraphs.push(`${period}各整顿对象的升国旗、“惠民服务日”和惠民政策集中落实活动均有开展记录。`);
  else {
    // The plan's words for each kind of activity listed (四（四）13 only where the county keeps it).
    const religious = f.missed.some((t) => t.items.some((it) => it.clause === '四(四)13'));
    const basis = `四（四）12“每月1日升国旗制度”，四（五）17“每月1日组织开展‘惠民服务日’活动”“每季度至少开展一次集中落实活动”${religious ? '，四（四）13“每月与宗教活动场所和宗教人士联系、谈话”' : ''}`;
    paragraphs.push(`${period}，以下${missedTotal}项例行活动没有开展记录，记为未落实（${basis}）：`);
    for (const t of f.missed) paragraphs.push(`${town(t.township)}（${t.items.length}项）：${t.items.map((it) => `${village(it.village)}${it.title}（${it.periodLabel}）`).join('；')}。`);
  }
  paragraphs.push('四、进度滞后的整顿对象');
  if (f.behind.length === 0) paragraphs.push('无整顿方案逾期或验收评价未转化的整顿对象。');
  else f.behind.forEach((b, i) => paragraphs.push(`${i + 1}. ${town(b.township)}${village(b.village)}：${b.reasons.join('；')}。`));
  paragraphs.push('五、督导检查发现问题整改情况');
  const findings = f.findings ?? [];
  if (findings.length === 0) paragraphs.push('县委组织部督导组检查发现的问题均已整改（或本期无检查发现的问题）。');
  else {
    paragraphs.push(`县委组织部督导组检查发现的以下问题尚未整改完毕（六（三）“定期不定期地对整顿工作进行督促检查”）：`);
    for (const t of findings) {
      paragraphs.push(`${town(t.township)}（${t.items.length}个）：${t.items.map((it) => `${chineseDate(it.on)}检查发现${it.village ? `${village(it.village)}` : ''}${it.problem}，限${chineseDate(it.correctBy)}前整改${it.overdue ? '，已逾期' : ''}`).join('；')}。`);
    }
  }
  const short = f.trainingShort;
  if (short) {
    paragraphs.push('六、村党组织书记、班子成员培训情况');
    const n = short.townships.reduce((k, t) => k + t.items.length, 0);
    if (n === 0) paragraphs.push(`${short.year}年各整顿对象的村党组织书记、班子成员培训均已达到7天。`);
    else {
      paragraphs.push(`四（一）5规定“每年对村、社区、学校党组织书记、班子成员进行培训不少于7天”。截至通报之日，以下${n}名整顿对象村的村党组织书记、班子成员${short.year}年培训不足7天：`);
      for (const t of short.townships) paragraphs.push(`${town(t.township)}（${t.items.length}人）：${t.items.map((it) => `${village(it.village)}${personName(roster, it.person)}${it.days}天`).join('；')}。`);
    }
  }
  if (f.unread?.length) paragraphs.push(`（${f.unread.map((c) => (roster.townships.some((t) => t.code === c) ? town(c) : village(c))).join('、')}的记录生成本通报时未能读取，以上未计入，请核实后补充。）`);
  paragraphs.push(
    `${short ? '七' : '六'}、有关要求`,
    '被通报的乡镇党委要认真查找原因，落实整顿主体责任，对逾期事项限期完成，并将整改情况按时报县委组织部。县委组织部将持续跟踪督办，对问题突出的，依据六（四）进行函询、约谈。',
  );
  return {
    title: `关于${period}全县软弱涣散村党组织整顿工作进展情况的通报`,
    salutation: '各乡镇党委：',
    paragraphs,
    signature: [department, chineseDate(f.date)],
    footer: '送审稿：是否印发由县委组织部决定；印发时编文号。',
    draft: true,
  };
}

/** How many entries the bulletin names: what the programme records of it. */
export function bulletinCounts(f: BulletinFacts): { townships: number; overdue: number; missed: number; behind: number } {
  return { townships: f.reports.length, overdue: f.overdue.reduce((n, t) => n + t.items.length, 0), missed: f.missed.reduce((n, t) => n + t.items.length, 0), behind: f.behind.length };
}
