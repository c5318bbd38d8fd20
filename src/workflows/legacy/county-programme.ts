/**
 * The county's own calendar: the standing committee's study twice a year (五(二)), the yearly
 * debriefing evaluation of township secretaries (六(四)) and the late-November acceptance
 * campaign for every target under rectification (五(一)), each with reminders to the
 * organization department until it records the duty done.
 *
 * Targets come as `targetChanged` signals, as for townships. The workflow continues as new at the
 * first wake-up of each calendar year and ends when no target is left under rectification.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { fulfilDutySchema, fulfilDutyUpdate, programmeInputSchema, programmeStateQuery, type ProgrammeInput, type ProgrammeView } from './contracts/programme';
import { targetChangedSignal, type TargetChange } from './contracts/township';
import type { FailedDelivery, HistoryEntry, NoticeRequest } from './contracts/village';
import { acceptanceTargets, activeUntil, addDays, countyObligations, instantOf, isoInstant, localDateOf, yearOf, type LocalDate, type Obligation } from './domain';
import { DeliveryDelayedKey, FailedDeliveriesKey, NextDueKey, OverdueKey, StageKey } from '../../search-attributes';
import { sendNotices } from './support/mail';
import {
  Outbox,
  Publisher,
  appendHistory,
  applyTargetChange,
  noticeFor,
  runUntilDone,
  dueSteps,
  invalid,
  keepSince,
  nextStepTimes,
  parseOrReject,
  targetsView,
  upcomingView,
  type Deferred,
} from './support/entity';


const WINDOW_BACK_DAYS = 60;
const WINDOW_AHEAD_DAYS = 100;

export interface ProgrammeState {
  input: ProgrammeInput;
  startedAt: string;
  runYear: number;
  targets: TargetChange[];
  settled: Record<string, LocalDate>;
  sent: Record<string, LocalDate>;
  failedDeliveries: FailedDelivery[];
  failedDeliveryCount: number;
  deferred?: Deferred<NoticeRequest>;
  history: HistoryEntry[];
}

export async function legacyCountyProgramme(rawInput: ProgrammeInput, carried?: ProgrammeState): Promise<ProgrammeView> {
  const input = parseOrReject(programmeInputSchema, rawInput);
  const workflowId = workflowInfo().workflowId;
  const startNow = Date.now();
  const s: ProgrammeState = carried ?? {
    input,
    startedAt: isoInstant(startNow),
    runYear: yearOf(localDateOf(startNow)),
    targets: [],
    settled: {},
    sent: {},
    failedDeliveries: [],
    failedDeliveryCount: 0,
    history: [],
  };
  const outbox = new Outbox<NoticeRequest>(s, (r) => ({ obligationId: r.obligation.id, step: r.step.id, label: `${r.obligation.title}（${r.obligation.periodLabel}）` }));
  const publisher = new Publisher();

  const obligations = (now: number): Obligation[] => {
    const today = localDateOf(now);
    return countyObligations(input.county, s.targets, { from: addDays(today, -WINDOW_BACK_DAYS), to: addDays(today, WINDOW_AHEAD_DAYS) }, input.policy);
  };
  const open = (now: number): Obligation[] => obligations(now).filter((o) => s.settled[o.id] === undefined);
  const view = (now: number): ProgrammeView => {
    const today = localDateOf(now);
    const upcoming = upcomingView(open(now), s.sent, now, WINDOW_BACK_DAYS);
    const delay = outbox.delay();
    return {
      county: input.county,
      targets: targetsView(s.targets, today),
      upcoming,
      overdue: upcoming.some((o) => o.overdue),
      failedDeliveries: s.failedDeliveries,
      failedDeliveryCount: s.failedDeliveryCount,
      ...(delay ? { deliveryDelayed: delay } : {}),
      history: s.history,
    };
  };
  const notices = (now: number): NoticeRequest[] =>
    dueSteps(open(now), s.sent, Date.parse(s.startedAt), now).map(({ o, step }) => {
      const key = `${workflowId}/${o.id}/${step.id}`;
      // 五(一): the campaign's notice lists the targets to evaluate (village codes; names come from the roster).
      const targets = o.kind === 'acceptance-campaign' ? acceptanceTargets(s.targets, yearOf(o.period.start)).map((t) => t.village) : [];
      return noticeFor(o, step, key, { village: '', township: '', subject: 'county', assigned: {}, targets });
    });

  const entity = {
    outbox,
    dirty: false,
    runYear: s.runYear,
    finished: (now: number): boolean => s.targets.every((t) => activeUntil(t) < addDays(localDateOf(now), -WINDOW_BACK_DAYS)) && !s.deferred,
    due: notices,
    send: (batch: NoticeRequest[]) => sendNotices(batch),
    publish: (now: number): void => {
      const v = view(now);
      const nextDue = v.upcoming.filter((o) => !o.overdue).map((o) => instantOf(addDays(o.dueDate, 1)))[0];
      publisher.publish({
        stage: { key: StageKey, value: 'running' },
        nextDue: { key: NextDueKey, value: nextDue === undefined ? null : new Date(nextDue) },
        overdue: { key: OverdueKey, value: v.overdue },
        failed: { key: FailedDeliveriesKey, value: v.failedDeliveryCount },
        delayed: { key: DeliveryDelayedKey, value: v.deliveryDelayed !== undefined },
      });
    },
    nextWake: (now: number): number => {
      const retryAt = outbox.retryAt;
      const candidates = [instantOf(addDays(localDateOf(now), WINDOW_AHEAD_DAYS - 1)), ...nextStepTimes(open(now), s.sent, now), ...(retryAt ? [retryAt] : [])];
      return Math.max(now + 1000, Math.min(...candidates));
    },
  };
  setHandler(programmeStateQuery, () => view(Date.now()));
  setHandler(targetChangedSignal, (change: TargetChange) => {
    if (applyTargetChange(s.targets, change)) entity.dirty = true;
  });
  setHandler(
    fulfilDutyUpdate,
    (raw) => {
      const now = Date.now();
      const f = fulfilDutySchema.parse(raw);
      const o = open(now).find((x) => x.id === f.obligationId)!;
      s.settled[o.id] = f.fulfilledOn;
      appendHistory(s.history, now, 'fulfilled', `办结：${o.title}（${o.period.label}）${f.note ? `：${f.note}` : ''}`, f.by);
      entity.dirty = true;
      return view(now);
    },
    {
      validator: (raw) => {
        const now = Date.now();
        const f = parseOrReject(fulfilDutySchema, raw);
        if (f.fulfilledOn > localDateOf(now)) throw invalid(`fulfilledOn: ${f.fulfilledOn} is in the future`);
        const list = open(now);
        if (!list.some((x) => x.id === f.obligationId)) {
          throw invalid(`obligationId: no open duty ${f.obligationId}${list.length ? `; open ones include ${list.slice(0, 5).map((x) => x.id).join(', ')}` : ''}`);
        }
      },
    },
  );

  await condition(() => s.targets.length > 0);

  const ending = await runUntilDone(entity);
  await condition(allHandlersFinished);
  if (ending === 'continue-as-new') {
    const horizon = addDays(localDateOf(Date.now()), -WINDOW_BACK_DAYS - 30);
    return continueAsNew<typeof legacyCountyProgramme>(input, {
      ...s,
      runYear: yearOf(localDateOf(Date.now())),
      settled: keepSince(s.settled, horizon),
      sent: keepSince(s.sent, horizon),
    });
  }
  appendHistory(s.history, Date.now(), 'closed', '全县已无整顿对象，工作流结束');
  return view(Date.now());
}
