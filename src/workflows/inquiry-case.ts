/**
 * One inquiry case (六(四)): the organization department's letter to a township's party secretary
 * and organization officer (or a talk it orders directly), the written explanation due within the
 * working days the county allows, the department's review, and the talk that follows a missing
 * explanation (county practice, in its policy) or a problem judged serious (六(四) "对问题突出
 * 的，要及时约谈"). Each of these is a duty in the case's obligation book, with reminders until it
 * is done. Everyone who received a letter or a talk is ineligible for awards that calendar year;
 * an accountability decision blocks promotion for two years (六(五)). Both are recorded in the
 * county's consequences ledger.
 */
import { handoverQuery } from '../contracts/entity';
import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { z } from 'zod';
import {
  caseStageLabels,
  inquiryInputSchema,
  caseOpenedUpdate,
  inquiryStateQuery,
  MISSED_EXPLANATION_WHY,
  orderTalkSchema,
  orderTalkUpdate,
  recordDeliverySchema,
  recordDeliveryUpdate,
  recordTalkSchema,
  recordTalkUpdate,
  reviewExplanationSchema,
  reviewExplanationUpdate,
  scheduleTalkSchema,
  scheduleTalkUpdate,
  submitExplanationSchema,
  submitExplanationUpdate,
  type CaseStage,
  type Explanation,
  type InquiryInput,
  type InquiryView,
  type LetterDelivery,
  type LetterRefusal,
  type TalkRecord,
} from '../contracts/inquiry';
import { ledgerWorkflowId, recordConsequencesSignal } from '../contracts/ledger';
import type { CaseFacts, CaseMailKind, CaseMailRequest, MailRequest, NoticeResult } from '../contracts/mail';
import { caseChangedSignal, programmeWorkflowId } from '../contracts/programme';
import {
  awardIneligibility,
  builtinPolicy,
  duty,
  explanationDeadline,
  fixedDueDate,
  instantOf,
  isoInstant,
  localDateOf,
  promotionBlocks,
  type BookEntry,
  type Consequence,
  type Duty,
  type LocalDate,
  type ObligationKind,
  type StepState,
} from '../domain';
import { StageKey, TownshipKey } from '../search-attributes';
import { fieldError, parseOrReject, refused } from './support/history';
import { Entity, newCore, type CoreState, type NoticeWhere } from './support/runtime';
import { registerCommonHandlers } from './support/handlers';
import { continueEntity, runEntity } from './support/run';

type Input = z.output<typeof inquiryInputSchema>;

interface CaseState {
  core: CoreState;
  input: Input;
  issuedOn: LocalDate;
  explanationDue?: LocalDate;
  /** The letter reached someone (the mail server took it, or the department handed it over). */
  letterDelivered?: LetterDelivery;
  /** The letter reached nobody: the explanation's clock starts again from its delivery. */
  letterRefused?: LetterRefusal;
  explanation?: Explanation;
  review?: InquiryView['review'];
  talk?: TalkRecord;
  talksScheduled: number;
  closed: boolean;
  consequences: Consequence[];
}

class InquiryCase extends Entity<CaseState> {
  /** Signals to the ledger on their way. */
  readonly ledgerSignals: Promise<unknown>[] = [];

  get input(): Input {
    return this.s.input;
  }

  protected duties(): Duty[] {
    return []; // every duty of a case is opened by an event
  }

  finished(): boolean {
    return this.s.closed;
  }

  protected where(): NoticeWhere {
    return { village: '', township: this.input.township, subject: 'case', caseId: this.input.caseId, assigned: {} };
  }

  caseDuty(kind: ObligationKind, n: number | string, start: LocalDate, due: LocalDate, people?: readonly string[]): Duty {
    return duty(kind, { type: 'case', code: this.input.caseId, township: this.input.township }, { id: String(n), start, end: due, label: `案号${this.input.caseId}` }, due, people);
  }

  stage(): CaseStage {
    if (this.s.closed) return 'closed';
    if (this.s.talk) return this.s.talk.scheduled ? 'talk-scheduled' : 'talk-required';
    if (this.s.explanation) return 'explained';
    return 'awaiting-explanation';
  }

  facts(): CaseFacts {
    const i = this.input;
    return {
      caseId: i.caseId,
      kind: i.kind,
      reason: i.reason,
      issuedBy: i.issuedBy,
      issuedOn: this.s.issuedOn,
      recipients: i.recipients,
      ...(i.docNumber ? { docNumber: i.docNumber } : {}),
      ...(this.s.explanationDue ? { explanationDue: this.s.explanationDue } : {}),
      ...(this.s.talk ? { talk: { why: this.s.talk.why, ...(this.s.talk.scheduled ? { scheduled: this.s.talk.scheduled } : {}) } } : {}),
      talkAfterMissedExplanation: this.core.policy.supervision.talkAfterMissedExplanation.value,
    };
  }

  mailKey(kind: CaseMailKind, step: string): string {
    return `${this.workflowId}/${kind}/${step}`;
  }

  mail(kind: CaseMailKind, step: string, to: { people?: readonly string[]; department?: boolean }): CaseMailRequest {
    return {
      type: 'case',
      key: this.mailKey(kind, step),
      kind,
      township: this.input.township,
      people: to.people ?? [],
      roles: to.department ? ['org-department-staff'] : [],
      case: this.facts(),
    };
  }

  /**
   * Consequences go into the case and, by signal, into the county's ledger. One already recorded
   * (a talk in the year of the letter: the same year's ineligibility, the same case) is not
   * recorded twice.
   */
  record(now: number, candidates: Consequence[]): void {
    const same = (a: Consequence, b: Consequence): boolean => a.kind === b.kind && JSON.stringify(a.subject) === JSON.stringify(b.subject) && a.from === b.from && a.cause === b.cause;
    const list = candidates.filter((c) => !this.s.consequences.some((x) => same(x, c)));
    if (list.length === 0) return;
    this.s.consequences.push(...list);
    this.ledgerSignals.push(
      getExternalWorkflowHandle(ledgerWorkflowId(this.input.county))
        .signal(recordConsequencesSignal, { caseId: this.input.caseId, consequences: list })
        .catch((err: unknown) => this.log(Date.now(), 'ledger-failed', `未能记入后果台账：${(err as Error).message}`)),
    );
    this.log(now, 'consequences', list.map((c) => `${c.subject.type === 'person' ? c.subject.id : ''}：${c.reason}（${c.clause}）`).join('；'));
  }

  /** A talk is required (六(四)): the department is told and reminded until it is held. */
  orderTalk(now: number, why: string, by?: string, tellDepartment = true): void {
    const today = localDateOf(now);
    this.s.talk = { orderedOn: today, why };
    this.log(now, 'talk-ordered', `须进行约谈：${why}`, by);
    const due = this.calendar.addWorkingDays(today, this.core.policy.supervision.talkWorkingDays.value);
    this.openEvent(this.caseDuty('talk', 'talk', today, due), now);
    const waiting = this.book.open.find((e) => e.kind === 'written-explanation');
    if (waiting) this.closeWithResult(waiting.id, today, now, by ?? 'system', '转为约谈');
    if (tellDepartment) this.queueMail(this.mail('talk-required', String(this.s.talksScheduled), { department: true }));
  }

  /** The explanation's overdue step: a talk follows if the county's policy says so, else the department decides. */
  protected override onStepSent(entry: BookEntry, step: StepState, now: number): void {
    if (entry.kind !== 'written-explanation' || step.severity !== 'overdue' || this.s.explanation || this.s.talk) return;
    // A letter nobody received makes no explanation overdue: its clock starts with the delivery.
    if (this.s.letterRefused) return;
    if (this.core.policy.supervision.talkAfterMissedExplanation.value) this.orderTalk(now, `${MISSED_EXPLANATION_WHY}（截止${this.s.explanationDue}）`);
    else this.queueMail(this.mail('explanation-missed', 'overdue', { department: true }));
  }

  view(now: number): InquiryView {
    const st = this.stage();
    const i = this.input;
    return {
      ...this.status(now),
      caseId: i.caseId,
      county: i.county,
      township: i.township,
      kind: i.kind,
      stage: st,
      stageLabel: caseStageLabels[st],
      reason: i.reason,
      issuedBy: i.issuedBy,
      issuedOn: this.s.issuedOn,
      recipients: i.recipients,
      ...(i.proposalQuarter ? { proposalQuarter: i.proposalQuarter } : {}),
      ...(i.docNumber ? { docNumber: i.docNumber } : {}),
      ...(this.s.explanationDue ? { explanationDue: this.s.explanationDue } : {}),
      ...(this.s.letterDelivered ? { letterDelivered: this.s.letterDelivered } : {}),
      ...(this.s.letterRefused ? { letterRefused: this.s.letterRefused } : {}),
      ...(this.s.explanation ? { explanation: this.s.explanation } : {}),
      ...(this.s.review ? { review: this.s.review } : {}),
      ...(this.s.talk ? { talk: this.s.talk } : {}),
      consequences: this.s.consequences,
      talkAfterMissedExplanation: this.core.policy.supervision.talkAfterMissedExplanation.value,
    };
  }

  protected searchAttributes(): Record<string, SearchAttributeUpdatePair> {
    return { stage: { key: StageKey, value: this.stage() }, township: { key: TownshipKey, value: this.input.township } };
  }

  private get letterName(): string {
    return this.input.kind === 'talk' ? '约谈通知' : '函询函';
  }

  /** The letter's result: refused by everyone's mail server, or taken for someone (its delivery). */
  protected override onMailResult(r: MailRequest, result: NoticeResult, now: number): void {
    if (r.type !== 'case' || r.kind !== 'inquiry-letter' || this.s.letterDelivered) return;
    if (result.recipients.length > 0) {
      this.letterDelivered(now, { on: localDateOf(now), means: '邮件' });
      return;
    }
    const error = (result.error ?? '').slice(0, 500);
    this.s.letterRefused = { at: isoInstant(now), error };
    this.log(
      now,
      'letter-refused',
      `${this.letterName}未能送达任何收件人（${error}）${this.input.kind === 'inquiry' ? '；书面说明的期限自送达之日起重新计算' : ''}。请核对名册中的邮箱后在“通知与运维”页立即重发，或在案件页记录送达`,
    );
  }

  /**
   * The letter reached its addressees: when it had been refused, the explanation is owed from this
   * day (六(四): the working days the county allows run from the letter's receipt).
   */
  letterDelivered(now: number, d: LetterDelivery): void {
    const wasRefused = this.s.letterRefused !== undefined;
    this.s.letterDelivered = d;
    delete this.s.letterRefused;
    // Handed over: 立即重发 no longer mails it (with the deadline it had when it was refused).
    if (d.by) this.outbox.forgetRefused(this.mailKey('inquiry-letter', 'letter'));
    if (!wasRefused && !d.by) return;
    this.log(now, 'letter-delivered', `${this.letterName}已于${d.on}送达（${d.means}）`, d.by);
    this.restartExplanationClock(d.on, now);
  }

  /** The explanation's deadline counted from `from` (the letter's delivery), while it is still awaited. */
  restartExplanationClock(from: LocalDate, now: number): void {
    if (this.input.kind !== 'inquiry' || this.s.explanation || this.s.talk) return;
    const due = explanationDeadline(from, this.calendar, this.core.policy);
    if (due.date === this.s.explanationDue) return;
    this.s.explanationDue = due.date;
    const waiting = this.book.open.find((x) => x.kind === 'written-explanation');
    if (waiting) this.book.setDue(waiting.id, fixedDueDate(due.date, this.calendar), this.ctx, now);
    this.log(now, 'explanation-due', `书面说明截止日期自${from}起计算，改为${due.date}`);
  }

  /** Sent again after the roster is mended: a refused letter goes with its deadline counted from today. */
  protected override resending(m: MailRequest, now: number): MailRequest {
    if (m.type !== 'case' || m.kind !== 'inquiry-letter' || !this.s.letterRefused) return m;
    this.restartExplanationClock(localDateOf(now), now);
    return { ...this.mail('inquiry-letter', 'letter', { people: this.input.recipients }), key: m.key };
  }

  assertOpen(): void {
    if (this.s.closed) throw refused('该案件已办结');
  }
}

export async function inquiryCase(rawInput: InquiryInput, carried?: CaseState): Promise<InquiryView> {
  const startNow = Date.now();
  let state: CaseState;
  if (carried) state = carried;
  else {
    const parsed = parseOrReject(inquiryInputSchema, rawInput);
    // The surfaces check who may issue a case; the workflow checks what its input says (六(四)).
    if (parsed.recipients.length !== parsed.recipientRoles.length) throw fieldError('recipientRoles', '每位函询对象须注明职务');
    state = { core: newCore(startNow, parsed.policy ?? builtinPolicy()), input: parsed, issuedOn: localDateOf(startNow), talksScheduled: 0, closed: false, consequences: [] };
  }
  const c = new InquiryCase(state, workflowInfo().workflowId);
  const s = c.s;
  const input = s.input;

  setHandler(inquiryStateQuery, () => c.view(Date.now()));
  setHandler(handoverQuery, () => ({ workflowType: 'inquiryCase', args: [rawInput, c.s] }));
  // Set once the letter's deadline, duty and mail are in place (a carried case has them already).
  let opened = carried !== undefined;
  setHandler(caseOpenedUpdate, () => (opened ? c.view(Date.now()) : condition(() => opened).then(() => c.view(Date.now()))));
  registerCommonHandlers(c, () => c.view(Date.now()));

  const update = <A extends unknown[]>(
    validate: (now: number, ...args: A) => void,
    apply: (now: number, ...args: A) => void,
  ): [(...args: A) => InquiryView | Promise<InquiryView>, { validator: (...args: A) => void }] => [
    (...args) =>
      c.whenReady(() => {
        const now = Date.now();
        apply(now, ...args);
        c.dirty = true;
        return c.view(now);
      }),
    { validator: (...args) => validate(Date.now(), ...args) },
  ];

  setHandler(
    submitExplanationUpdate,
    ...update(
      (now, raw) => {
        const e = parseOrReject(submitExplanationSchema, raw);
        c.assertOpen();
        if (input.kind === 'talk') throw refused('直接约谈的案件无须书面说明');
        if (s.explanation) throw refused(`书面说明已于${s.explanation.receivedOn}收到`);
        if (!input.recipients.includes(e.by)) throw fieldError('by', `${e.by}不是函询对象（${input.recipients.join('、')}）`);
        if (e.timeLimit <= localDateOf(now)) throw fieldError('timeLimit', `整顿时限${e.timeLimit}须晚于今天（${localDateOf(now)}）`);
      },
      (now, raw) => {
        const e = submitExplanationSchema.parse(raw);
        const today = localDateOf(now);
        const waiting = c.book.open.find((x) => x.kind === 'written-explanation');
        const onTime = waiting ? now <= Date.parse(waiting.due.instant) : false;
        s.explanation = { ...e, receivedOn: today, onTime };
        if (waiting) c.fulfil(waiting.id, today, now, e.by);
        c.log(now, 'explanation', `报送书面说明${onTime ? '' : '（逾期）'}：根源：${e.rootCause}；措施：${e.measures}；时限：${e.timeLimit}`, e.by);
        if (!s.talk) {
          const due = c.calendar.addWorkingDays(today, c.core.policy.supervision.reviewWorkingDays.value);
          c.openEvent(c.caseDuty('explanation-review', 'review', today, due), now);
          c.queueMail(c.mail('explanation-received', 'received', { department: true }));
        }
      },
    ),
  );

  setHandler(
    reviewExplanationUpdate,
    ...update(
      (_now, raw) => {
        parseOrReject(reviewExplanationSchema, raw);
        c.assertOpen();
        if (c.stage() !== 'explained') throw refused(`没有待审阅的书面说明（案件状态：${caseStageLabels[c.stage()]}）`);
      },
      (now, raw) => {
        const r = reviewExplanationSchema.parse(raw);
        const today = localDateOf(now);
        s.review = { decision: r.decision, by: r.by, on: today, note: r.note };
        const review = c.book.open.find((x) => x.kind === 'explanation-review');
        if (review) c.closeWithResult(review.id, today, now, r.by, r.decision === 'accept' ? '认可' : '问题突出，约谈');
        if (r.decision === 'accept') {
          s.closed = true;
          c.log(now, 'closed', `书面说明经审阅认可，函询办结${r.note ? `：${r.note}` : ''}`, r.by);
        } else {
          c.log(now, 'reviewed', `认定问题突出：${r.note}`, r.by);
          c.orderTalk(now, `问题突出：${r.note}`, r.by);
        }
      },
    ),
  );

  setHandler(
    orderTalkUpdate,
    ...update(
      (_now, raw) => {
        parseOrReject(orderTalkSchema, raw);
        c.assertOpen();
        if (s.talk) throw refused('本案已决定约谈');
        if (c.stage() === 'explained') throw refused('书面说明待审阅：请通过审阅决定是否约谈');
      },
      (now, raw) => {
        const o = orderTalkSchema.parse(raw);
        c.orderTalk(now, o.why, o.by);
      },
    ),
  );

  setHandler(
    scheduleTalkUpdate,
    ...update(
      (now, raw) => {
        const t = parseOrReject(scheduleTalkSchema, raw);
        c.assertOpen();
        if (!s.talk) throw refused('本案尚未决定约谈');
        if (s.talk.held) throw refused('约谈已经进行');
        const [date, time] = t.at.split('T') as [string, string];
        const [h, m] = time.split(':').map(Number) as [number, number];
        if (instantOf(date, h, m) <= now) throw fieldError('at', `${t.at}不是将来的时间`);
      },
      (now, raw) => {
        const t = scheduleTalkSchema.parse(raw);
        s.talk = { ...s.talk!, scheduled: t };
        s.talksScheduled++;
        const [date] = t.at.split('T') as [string];
        const talk = c.book.open.find((x) => x.kind === 'talk');
        if (talk) c.book.setDue(talk.id, fixedDueDate(date, c.calendar), c.ctx, now);
        c.log(now, 'talk-scheduled', `约谈定于${t.at.replace('T', ' ')}，地点：${t.place}，约谈人：${t.conductor}`, t.by);
        const people = [...input.recipients, t.conductor];
        c.queueMail(c.mail('talk-notice', String(s.talksScheduled), { people }));
        // The working day before, in the morning: a reminder to everyone who takes part.
        c.core.timed = c.core.timed.filter((x) => !(x.mail.type === 'case' && x.mail.kind === 'talk-reminder'));
        const eve = instantOf(c.calendar.addWorkingDays(date, -1), c.core.policy.morningHour.value);
        if (eve > now) c.scheduleMail(eve, c.mail('talk-reminder', String(s.talksScheduled), { people }));
      },
    ),
  );

  setHandler(
    recordTalkUpdate,
    ...update(
      (now, raw) => {
        const r = parseOrReject(recordTalkSchema, raw);
        c.assertOpen();
        if (!s.talk?.scheduled) throw refused('约谈尚未安排');
        if (r.heldOn > localDateOf(now)) throw fieldError('heldOn', `${r.heldOn}晚于今天`);
        if (r.heldOn < s.issuedOn) throw fieldError('heldOn', `${r.heldOn}早于立案日期（${s.issuedOn}）`);
      },
      (now, raw) => {
        const r = recordTalkSchema.parse(raw);
        s.talk = { ...s.talk!, held: { on: r.heldOn, outcome: r.outcome, by: r.by } };
        const talk = c.book.open.find((x) => x.kind === 'talk');
        if (talk) c.closeWithResult(talk.id, r.heldOn, now, r.by, '约谈已进行');
        c.core.timed = [];
        s.closed = true;
        c.log(now, 'talk-held', `${r.heldOn}进行约谈：${r.outcome}`, r.by);
        c.record(now, [
          ...awardIneligibility(input.recipients.map((person) => ({ type: 'talk' as const, person, date: r.heldOn, caseId: input.caseId }))),
          ...promotionBlocks(r.accountability.map((a) => ({ person: a.person, date: r.heldOn, caseId: input.caseId, ground: a.ground }))),
        ]);
        c.log(now, 'closed', '约谈结束，案件办结');
      },
    ),
  );

  setHandler(
    recordDeliveryUpdate,
    ...update(
      (now, raw) => {
        const d = parseOrReject(recordDeliverySchema, raw);
        c.assertOpen();
        if (s.letterDelivered) throw refused(`${input.kind === 'talk' ? '约谈通知' : '函询函'}已于${s.letterDelivered.on}送达（${s.letterDelivered.means}）`);
        if (d.on > localDateOf(now)) throw fieldError('on', `${d.on}晚于今天`);
        if (d.on < s.issuedOn) throw fieldError('on', `${d.on}早于发出日期（${s.issuedOn}）`);
      },
      (now, raw) => {
        const d = recordDeliverySchema.parse(raw);
        c.letterDelivered(now, { on: d.on, means: d.means, by: d.by });
      },
    ),
  );

  await c.loadCalendar(startNow);
  // The letter (or the notice of a talk) and the award ineligibility it brings (六(四)).
  if (carried) {
    // A case open across the new year goes on where it was.
  } else if (input.kind === 'inquiry') {
    const due = explanationDeadline(s.issuedOn, c.calendar, c.core.policy);
    s.explanationDue = due.date;
    c.log(startNow, 'inquiry-issued', `县委组织部函询：${input.reason}；书面说明须于${due.date}前报送`, input.issuedBy);
    c.openEvent(c.caseDuty('written-explanation', 'explanation', s.issuedOn, due.date, input.recipients), startNow, due.date);
    c.record(startNow, awardIneligibility(input.recipients.map((person) => ({ type: 'inquiry' as const, person, date: s.issuedOn, caseId: input.caseId }))));
    c.queueMail(c.mail('inquiry-letter', 'letter', { people: input.recipients }));
  } else {
    c.queueMail(c.mail('inquiry-letter', 'letter', { people: input.recipients }));
    c.orderTalk(startNow, '县委组织部直接约谈', input.issuedBy, false);
  }
  opened = true;

  const ending = await runEntity(c);
  await condition(allHandlersFinished);
  await Promise.all(c.ledgerSignals);
  if (ending === 'continue-as-new') return continueEntity<typeof inquiryCase>(rawInput, c.carry(Date.now()));
  // The county's urging digest no longer needs to ask this case.
  await getExternalWorkflowHandle(programmeWorkflowId(input.county))
    .signal(caseChangedSignal, { caseId: input.caseId, township: input.township, open: false })
    .catch(() => undefined);
  c.publish(Date.now());
  return c.view(Date.now());
}
