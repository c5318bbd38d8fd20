/**
 * One inquiry case (六(四)): the organization department's letter to a township's party secretary
 * and organization officer (or a talk it orders directly), the written explanation due within ten
 * working days with its reminders, the department's review, and the talk that follows a missing
 * explanation or a serious problem. Everyone who received a letter or a talk is ineligible for
 * awards that calendar year; an accountability decision blocks promotion for two years (六(五)).
 * Both are recorded in the county's consequences ledger.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import {
  caseStageLabels,
  inquiryInputSchema,
  inquiryStateQuery,
  recordTalkSchema,
  recordTalkUpdate,
  reviewExplanationSchema,
  reviewExplanationUpdate,
  scheduleTalkSchema,
  scheduleTalkUpdate,
  submitExplanationSchema,
  submitExplanationUpdate,
  type CaseFacts,
  type CaseMailRequest,
  type CaseStage,
  type Explanation,
  type InquiryInput,
  type InquiryView,
  type TalkRecord,
} from './contracts/inquiry';
import { ledgerWorkflowId, recordConsequencesSignal } from './contracts/ledger';
import type { FailedDelivery, HistoryEntry } from './contracts/village';
import {
  addWorkingDays,
  awardIneligibility,
  defaultSupervisionPolicy,
  explanationDeadline,
  instantOf,
  localDateOf,
  promotionBlocks,
  type Consequence,
  type LocalDate,
  type Severity,
} from './domain';
import { FailedDeliveriesKey, DeliveryDelayedKey, StageKey, TownshipKey } from '../../search-attributes';
import { Outbox, Publisher, WakeTimer, appendHistory, invalid, parseOrReject, refused, type Deferred } from './support/entity';

const { sendCaseMails } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
});

const MORNING_HOUR = 9;

interface CaseState {
  issuedOn: LocalDate;
  explanationDue?: { date: LocalDate; instant: string };
  /** Reminder steps of the explanation already handled (sent or superseded). */
  sent: string[];
  explanation?: Explanation;
  review?: InquiryView['review'];
  talk?: TalkRecord;
  talksScheduled: number;
  closed: boolean;
  consequences: Consequence[];
  failedDeliveries: FailedDelivery[];
  failedDeliveryCount: number;
  deferred?: Deferred<CaseMailRequest>;
  history: HistoryEntry[];
}

export async function legacyInquiryCase(rawInput: InquiryInput): Promise<InquiryView> {
  const input = parseOrReject(inquiryInputSchema, rawInput);
  const policy = { ...defaultSupervisionPolicy, ...input.policy };
  const workflowId = workflowInfo().workflowId;
  const startNow = Date.now();
  const issuedOn = localDateOf(startNow);
  const s: CaseState = {
    issuedOn,
    ...(input.kind === 'inquiry' ? { explanationDue: explanationDeadline(issuedOn, policy) } : {}),
    sent: [],
    talksScheduled: 0,
    closed: false,
    consequences: [],
    failedDeliveries: [],
    failedDeliveryCount: 0,
    history: [],
  };
  const outbox = new Outbox<CaseMailRequest>(s, (r) => ({ obligationId: `${input.caseId}/${r.kind}`, step: r.severity ?? r.kind, label: mailLabels[r.kind] }));
  const publisher = new Publisher();
  let dirty = false;
  const queue: CaseMailRequest[] = [];
  const log = (now: number, type: string, text: string, by?: string): void => appendHistory(s.history, now, type, text, by);

  const facts = (): CaseFacts => ({
    caseId: input.caseId,
    kind: input.kind,
    reason: input.reason,
    issuedBy: input.issuedBy,
    issuedOn: s.issuedOn,
    recipients: input.recipients,
    ...(s.explanationDue ? { explanationDue: s.explanationDue.date } : {}),
    ...(s.talk ? { talk: { why: s.talk.why, ...(s.talk.scheduled ? { scheduled: s.talk.scheduled } : {}) } } : {}),
  });
  const mail = (kind: CaseMailRequest['kind'], step: string, to: { people?: string[]; org?: boolean }, severity?: Severity): void => {
    queue.push({
      key: `${workflowId}/${kind}/${step}`,
      kind,
      township: input.township,
      people: to.people ?? [],
      roles: to.org ? ['org-department-staff'] : [],
      ...(severity ? { severity } : {}),
      case: facts(),
    });
  };
  /**
   * Consequences go into the case and, by signal, into the county's ledger. One already recorded
   * (a talk in the year of the letter: the same year's ineligibility, the same case) is not
   * recorded twice.
   */
  const ledgerSignals: Promise<void>[] = [];
  const record = (now: number, candidates: Consequence[]): void => {
    const same = (a: Consequence, b: Consequence): boolean =>
      a.kind === b.kind && JSON.stringify(a.subject) === JSON.stringify(b.subject) && a.from === b.from && a.cause === b.cause;
    const list = candidates.filter((c) => !s.consequences.some((x) => same(x, c)));
    if (list.length === 0) return;
    s.consequences.push(...list);
    ledgerSignals.push(
      getExternalWorkflowHandle(ledgerWorkflowId(input.county))
        .signal(recordConsequencesSignal, { caseId: input.caseId, consequences: list })
        .catch((err: unknown) => log(Date.now(), 'ledger-failed', `未能记入后果台账：${(err as Error).message}`)),
    );
    log(now, 'consequences', list.map((c) => `${c.subject.type === 'person' ? c.subject.id : ''}：${c.reason}（${c.clause}）`).join('；'));
  };
  const stage = (): CaseStage => {
    if (s.closed) return 'closed';
    if (s.talk) return s.talk.scheduled ? 'talk-scheduled' : 'talk-required';
    if (s.explanation) return 'explained';
    return 'awaiting-explanation';
  };
  const view = (): InquiryView => {
    const st = stage();
    const delay = outbox.delay();
    return {
      caseId: input.caseId,
      county: input.county,
      township: input.township,
      kind: input.kind,
      stage: st,
      stageLabel: caseStageLabels[st],
      reason: input.reason,
      issuedBy: input.issuedBy,
      issuedOn: s.issuedOn,
      recipients: input.recipients,
      ...(input.proposalQuarter ? { proposalQuarter: input.proposalQuarter } : {}),
      ...(s.explanationDue ? { explanationDue: s.explanationDue.date } : {}),
      ...(s.explanation ? { explanation: s.explanation } : {}),
      ...(s.review ? { review: s.review } : {}),
      ...(s.talk ? { talk: s.talk } : {}),
      consequences: s.consequences,
      failedDeliveries: s.failedDeliveries,
      failedDeliveryCount: s.failedDeliveryCount,
      ...(delay ? { deliveryDelayed: delay } : {}),
      history: s.history,
    };
  };
  const orderTalk = (now: number, why: string): void => {
    s.talk = { orderedOn: localDateOf(now), why };
    log(now, 'talk-ordered', `须进行约谈：${why}`);
  };

  setHandler(inquiryStateQuery, view);

  // The letter (or the notice of a talk) and the award ineligibility it brings (六(四)).
  if (input.kind === 'inquiry') {
    log(startNow, 'inquiry-issued', `县委组织部函询：${input.reason}；书面说明须于${s.explanationDue!.date}前报送`, input.issuedBy);
  } else {
    orderTalk(startNow, '县委组织部直接约谈');
  }
  mail('inquiry-letter', 'letter', { people: input.recipients });
  if (input.kind === 'inquiry') {
    record(startNow, awardIneligibility(input.recipients.map((person) => ({ type: 'inquiry' as const, person, date: issuedOn, caseId: input.caseId }))));
  }

  const update = <A extends unknown[]>(
    validate: (now: number, ...args: A) => void,
    apply: (now: number, ...args: A) => void,
  ): [(...args: A) => InquiryView, { validator: (...args: A) => void }] => [
    (...args) => {
      apply(Date.now(), ...args);
      dirty = true;
      return view();
    },
    { validator: (...args) => validate(Date.now(), ...args) },
  ];
  const assertOpen = (): void => {
    if (s.closed) throw refused('the case is closed');
  };

  setHandler(
    submitExplanationUpdate,
    ...update(
      (now, raw) => {
        const e = parseOrReject(submitExplanationSchema, raw);
        assertOpen();
        if (input.kind === 'talk') throw refused('a directly ordered talk has no written explanation');
        if (s.explanation) throw refused(`the explanation was already received on ${s.explanation.receivedOn}`);
        if (!input.recipients.includes(e.by)) throw invalid(`by: ${e.by} is not an addressee of the letter (${input.recipients.join(', ')})`);
        if (e.timeLimit <= localDateOf(now)) throw invalid(`timeLimit: ${e.timeLimit} must be after today (${localDateOf(now)})`);
      },
      (now, raw) => {
        const e = submitExplanationSchema.parse(raw);
        const onTime = now <= Date.parse(s.explanationDue!.instant);
        s.explanation = { ...e, receivedOn: localDateOf(now), onTime };
        log(now, 'explanation', `报送书面说明${onTime ? '' : '（逾期）'}：根源：${e.rootCause}；措施：${e.measures}；时限：${e.timeLimit}`, e.by);
        if (!s.talk) mail('explanation-received', 'received', { org: true });
      },
    ),
  );

  setHandler(
    reviewExplanationUpdate,
    ...update(
      (_now, raw) => {
        parseOrReject(reviewExplanationSchema, raw);
        assertOpen();
        if (stage() !== 'explained') throw refused(`there is no explanation awaiting review (the case is ${caseStageLabels[stage()]})`);
      },
      (now, raw) => {
        const r = reviewExplanationSchema.parse(raw);
        s.review = { decision: r.decision, by: r.by, on: localDateOf(now), note: r.note };
        if (r.decision === 'accept') {
          s.closed = true;
          log(now, 'closed', `书面说明经审阅认可，函询办结${r.note ? `：${r.note}` : ''}`, r.by);
        } else {
          log(now, 'reviewed', `认定问题严重：${r.note}`, r.by);
          orderTalk(now, `问题严重：${r.note}`);
        }
      },
    ),
  );

  setHandler(
    scheduleTalkUpdate,
    ...update(
      (now, raw) => {
        const t = parseOrReject(scheduleTalkSchema, raw);
        assertOpen();
        if (!s.talk) throw refused('no talk has been ordered in this case');
        if (s.talk.held) throw refused('the talk has already been held');
        const [date, time] = t.at.split('T') as [string, string];
        const [h, m] = time.split(':').map(Number) as [number, number];
        if (instantOf(date, h, m) <= now) throw invalid(`at: ${t.at} is not in the future`);
      },
      (now, raw) => {
        const t = scheduleTalkSchema.parse(raw);
        s.talk = { ...s.talk!, scheduled: t };
        s.talksScheduled++;
        log(now, 'talk-scheduled', `约谈定于${t.at.replace('T', ' ')}，地点：${t.place}，约谈人：${t.conductor}`, t.by);
        mail('talk-notice', String(s.talksScheduled), { people: [...input.recipients, t.conductor] });
      },
    ),
  );

  setHandler(
    recordTalkUpdate,
    ...update(
      (now, raw) => {
        const r = parseOrReject(recordTalkSchema, raw);
        assertOpen();
        if (!s.talk?.scheduled) throw refused('the talk has not been scheduled');
        if (r.heldOn > localDateOf(now)) throw invalid(`heldOn: ${r.heldOn} is in the future`);
        if (r.heldOn < s.issuedOn) throw invalid(`heldOn: ${r.heldOn} is before the case was opened (${s.issuedOn})`);
      },
      (now, raw) => {
        const r = recordTalkSchema.parse(raw);
        s.talk = { ...s.talk!, held: { on: r.heldOn, outcome: r.outcome, by: r.by } };
        s.closed = true;
        log(now, 'talk-held', `${r.heldOn}进行约谈：${r.outcome}`, r.by);
        record(now, [
          ...awardIneligibility(input.recipients.map((person) => ({ type: 'talk' as const, person, date: r.heldOn, caseId: input.caseId }))),
          ...promotionBlocks(r.accountability.map((a) => ({ person: a.person, date: r.heldOn, caseId: input.caseId, ground: a.ground }))),
        ]);
        log(now, 'closed', '约谈结束，案件办结');
      },
    ),
  );

  /** Reminders of the explanation (−3 working days, due day) and the talk when it does not come. */
  const explanationSteps = (): { id: string; at: number; severity: Severity }[] => {
    const due = s.explanationDue;
    if (!due || s.explanation || s.talk) return [];
    return [
      { id: 'reminder', at: instantOf(addWorkingDays(due.date, -3), MORNING_HOUR), severity: 'reminder' as const },
      { id: 'due-day', at: instantOf(due.date, MORNING_HOUR), severity: 'due' as const },
      { id: 'overdue', at: Date.parse(due.instant), severity: 'overdue' as const },
    ].filter((st) => !s.sent.includes(st.id));
  };

  const timer = new WakeTimer();
  while (!s.closed) {
    const now = Date.now();
    const dueNow = explanationSteps().filter((st) => st.at <= now);
    const latest = dueNow.at(-1);
    if (latest) {
      s.sent.push(...dueNow.map((st) => st.id));
      if (latest.id === 'overdue') {
        orderTalk(now, `逾期未报送书面说明（截止${s.explanationDue!.date}）`);
        mail('explanation-reminder', 'overdue', { people: input.recipients }, 'overdue');
        mail('talk-required', 'overdue', { org: true });
      } else {
        mail('explanation-reminder', latest.id, { people: input.recipients }, latest.severity);
      }
    }
    const batch = outbox.sendable(queue.splice(0), now);
    if (batch.length > 0) {
      await outbox.deliver(batch, sendCaseMails);
      continue;
    }
    const st = stage();
    publisher.publish({
      stage: { key: StageKey, value: st },
      township: { key: TownshipKey, value: input.township },
      failed: { key: FailedDeliveriesKey, value: s.failedDeliveryCount },
      delayed: { key: DeliveryDelayedKey, value: outbox.delay() !== undefined },
    });
    const wakes = [...explanationSteps().map((x) => x.at), ...(outbox.retryAt !== undefined ? [outbox.retryAt] : [])];
    if (wakes.length > 0) timer.arm(Math.max(now + 1000, Math.min(...wakes)));
    else timer.cancel();
    dirty = false;
    await condition(() => dirty || timer.fired);
  }
  timer.cancel();
  // Mails of the last update (none today) and the ledger's signal go out before the case ends.
  const last = outbox.sendable(queue.splice(0), Date.now());
  if (last.length > 0) await outbox.deliver(last, sendCaseMails);
  await Promise.all(ledgerSignals);
  await condition(allHandlersFinished);
  publisher.publish({ stage: { key: StageKey, value: 'closed' } });
  return view();
}

const mailLabels: Record<CaseMailRequest['kind'], string> = {
  'inquiry-proposal': '函询建议',
  'inquiry-letter': '函询函',
  'explanation-reminder': '书面说明提醒',
  'explanation-received': '书面说明待审阅',
  'talk-required': '需约谈',
  'talk-notice': '约谈通知',
};
