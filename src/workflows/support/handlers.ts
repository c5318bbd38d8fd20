/**
 * The messages every entity accepts: a duty done or waived (each checked against the book first),
 * the policy applied, deliveries retried, a holiday arrangement published. Updates validate first
 * (a rejected update changes nothing and is not in the history); a signal that does not validate
 * is dropped and recorded for operators, never thrown inside the workflow task.
 */
import { setHandler } from '@temporalio/workflow';
import type { EntityStatus } from '../../contracts/common';
import {
  applyPolicySchema,
  applyPolicyUpdate,
  calendarPublishedPayloadSchema,
  calendarPublishedSignal,
  fulfilObligationSchema,
  fulfilObligationUpdate,
  retryDeliveriesSchema,
  retryDeliveriesUpdate,
  waiveObligationSchema,
  waiveObligationUpdate,
} from '../../contracts/entity';
import { isoInstant, kindSpecs, localDateOf, type BookEntry } from '../../domain';
import { fieldError, parseOrReject, refused } from './history';
import { type Entity, type CoreState } from './runtime';

/** Duties whose completion is recorded by the entity's own update (the plan, a report…), not the generic fulfilment. */
const ownActionKinds = new Set<BookEntry['kind']>([
  'rectification-plan',
  'acceptance-evaluation',
  'half-monthly-report',
  'township-quarterly-study',
  'written-explanation',
  'explanation-review',
  'talk',
]);
/** Duties of a case: only the case's own decisions close them. */
const caseKinds = new Set<BookEntry['kind']>(['written-explanation', 'explanation-review', 'talk']);

/**
 * Registers the handlers every entity has. Updates validate first (a rejected update changes
 * nothing and is not in the history); a signal that does not validate is dropped and recorded
 * for operators, never thrown inside the workflow task.
 */
export function registerCommonHandlers<S extends { core: CoreState }>(e: Entity<S>, view: () => unknown): void {
  const closeable = (id: string, now: number, generic: 'fulfil' | 'waive'): BookEntry => {
    const entry = e.book.find(id);
    if (!entry) {
      const known = e.book.open.slice(0, 5).map((x) => x.id);
      throw fieldError('obligationId', `没有待办事项${id}${known.length ? `；待办事项有：${known.join('，')}` : ''}`);
    }
    if (generic === 'fulfil' && ownActionKinds.has(entry.kind)) throw refused(`${kindSpecs[entry.kind].title}须通过相应的报送或审核办理，不能直接标记完成`);
    if (generic === 'waive' && caseKinds.has(entry.kind)) throw refused(`${kindSpecs[entry.kind].title}由函询案件的决定办结，不能免除`);
    if (e.finished(now)) throw refused('该工作流已结束');
    return entry;
  };
  setHandler(
    fulfilObligationUpdate,
    (raw) => {
      const now = Date.now();
      const f = fulfilObligationSchema.parse(raw);
      e.fulfil(f.obligationId, f.fulfilledOn, now, f.by, f.note);
      return view() as EntityStatus;
    },
    {
      validator: (raw) => {
        const now = Date.now();
        const f = parseOrReject(fulfilObligationSchema, raw);
        const entry = closeable(f.obligationId, now, 'fulfil');
        if (f.fulfilledOn > localDateOf(now)) throw fieldError('fulfilledOn', `${f.fulfilledOn}晚于今天`);
        if (f.fulfilledOn < entry.period.start) throw fieldError('fulfilledOn', `${f.fulfilledOn}早于该事项的期间（${entry.period.label}）`);
      },
    },
  );
  setHandler(
    waiveObligationUpdate,
    (raw) => {
      const now = Date.now();
      const w = waiveObligationSchema.parse(raw);
      const entry = e.book.find(w.obligationId)!;
      e.book.close(entry.id, { how: 'waived', on: localDateOf(now), at: isoInstant(now), by: w.by, note: w.reason });
      e.log(now, 'waived', `免除：${kindSpecs[entry.kind].title}（${entry.period.label}）：${w.reason}`, w.by);
      e.dirty = true;
      return view() as EntityStatus;
    },
    {
      validator: (raw) => {
        const w = parseOrReject(waiveObligationSchema, raw);
        closeable(w.obligationId, Date.now(), 'waive');
      },
    },
  );
  setHandler(
    applyPolicyUpdate,
    (raw) =>
      e.whenReady(() => {
        const a = applyPolicySchema.parse(raw);
        e.applyPolicy(a.policy, a.by, Date.now());
        return view() as EntityStatus;
      }),
    { validator: (raw) => void parseOrReject(applyPolicySchema, raw) },
  );
  setHandler(
    retryDeliveriesUpdate,
    (raw) => {
      const r = retryDeliveriesSchema.parse(raw);
      e.retryDeliveries(Date.now(), r.by);
      return view() as EntityStatus;
    },
    { validator: (raw) => void parseOrReject(retryDeliveriesSchema, raw) },
  );
  e.onSignal(calendarPublishedSignal, calendarPublishedPayloadSchema, '节假日安排', (y) => {
    void e.whenReady(() => e.acceptCalendar(y, Date.now()));
  });
}
