/** A duty as officials see it, and the names of a case's mail in what operators read. */
import type { ObligationView } from '../../contracts/common';
import type { CaseMailKind } from '../../contracts/mail';
import { kindSpecs, type BookEntry } from '../../domain';

/** An open (or upcoming) duty as officials see it. */
export function viewOf(e: BookEntry, now: number): ObligationView {
  const spec = kindSpecs[e.kind];
  const next = e.steps.find((st) => !st.sentAt && !st.skipped);
  return {
    id: e.id,
    kind: e.kind,
    title: spec.title,
    clause: spec.clause,
    subject: { type: e.subject.type, code: e.subject.code },
    periodLabel: e.period.label,
    periodStart: e.period.start,
    dueDate: e.due.date,
    dueAt: e.due.instant,
    nominalDue: e.due.nominal,
    provisional: e.due.provisional,
    overdue: Date.parse(e.due.instant) <= now,
    openedAt: e.openedAt,
    responsible: e.people ? { people: e.people } : { role: spec.responsible },
    ...(next ? { nextStep: { id: next.id, severity: next.severity, at: next.at } } : {}),
    told: e.steps.filter((st) => st.sentAt).map((st) => ({ step: st.id, severity: st.severity, at: st.sentAt!, ...(st.to ? { to: st.to } : {}) })),
  };
}

export const caseMailLabels: Record<CaseMailKind, string> = {
  'inquiry-proposal': '函询建议',
  'inquiry-letter': '函询函',
  'explanation-received': '书面说明待审阅',
  'explanation-missed': '书面说明逾期',
  'talk-required': '需约谈',
  'talk-notice': '约谈通知',
  'talk-reminder': '约谈提醒',
};
