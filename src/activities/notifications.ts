/**
 * The notification activities the workflows call: notices of duties, the case's mails and letters,
 * the 交办任务书, the bulletin and the contact points' digest, each sent once (journal, Message-ID),
 * a 5xx refusal failing for good and anything else retried; recipients from the roster when sent.
 * (Over 400 lines: every mail kind shares the journal, the roster lookup and the failure rules here.)
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { RED_WARNED_MEMO, type RedWarnedItem } from '../contracts/entity';
import { type BulletinRequest, type CaseMailRequest, type ContactBulletinRequest, type FiguresReportRequest, type ResultMailRequest, type TaskBookRequest, type PlanMailRequest, type DigestRequest, type MailRequest, type NoticeRequest, type NoticeResult, type UrgedItem } from '../contracts/mail';
import { WorkCalendar, localDateOf, type CalendarYear, type LocalDate } from '../domain/calendar';
import { holders, villageCadres, type Person, type Role, type Roster } from '../domain/roster';
import type { CalendarStore } from './calendar-store';
import { type CaseMailOptions, renderBulletin, renderCaseMail, renderContactBulletin, renderFiguresReport, renderPlanMail, renderTaskBook, resolveCaseRecipients } from './case-mails';
import { readCountyRecords } from '../infra/county-records';
import { figuresReportFacts, reportAsOf } from '../documents/figures-report';
import type { Attachment } from '../documents/official-letter';
import { bulletinCounts, bulletinFacts } from '../documents/bulletin';
import { townshipStateQuery, townshipWorkflowId } from '../contracts/township';
import { stateQuery, villageWorkflowId } from '../contracts/village';
import type { ProgrammeView } from '../contracts/programme';
import type { Mailer, OutgoingMail, SentMail } from './mailer';
import { escapeHtml, renderDigest, renderNotice, renderResult, resolvePosts, resolveRecipients } from './notices';
import type { RosterSource } from './roster-file';
import { noMailMetrics, type MailMetrics } from './mail-metrics';
import type { SentJournal } from './sent-journal';
import { eachBounded } from '../infra/bounded';
import type { DocumentStore } from '../infra/document-store';

export const PERMANENT_DELIVERY_FAILURE = 'PermanentDeliveryFailure';

interface SmtpError {
  responseCode?: number;
  message: string;
}

/** A 5xx answer (no such mailbox, message refused) will not change on retry. */
function isPermanent(err: unknown): err is SmtpError {
  const code = (err as SmtpError).responseCode;
  return typeof code === 'number' && code >= 500;
}

export interface NotificationDeps {
  readonly mailer: Mailer;
  readonly journal: SentJournal;
  readonly roster: RosterSource;
  /** Where officials act on a notice; links in mails point below it. */
  readonly baseUrl: string;
  /** The holiday arrangement the worker owns. */
  readonly calendar: CalendarStore;
  /** For the urging digest, which asks the county's workflows for their overdue duties. */
  readonly temporal?: Client;
  /** Mails counted by kind and outcome for operators (the worker's Prometheus endpoint). */
  readonly metrics?: MailMetrics;
  /** DOCX to PDF (LibreOffice), for a PDF beside each letter (LETTER_PDF). */
  readonly letterPdf?: (docx: Uint8Array) => Promise<Uint8Array>;
  /** Where the documents mailed are kept, byte for byte (DOCUMENT_DIR), for the workbench's downloads. */
  readonly documents?: DocumentStore;
}

export interface UrgeOverdueInput {
  readonly key: string;
  /** The workflow's instant when it asked. */
  readonly at?: string;
  readonly county: string;
  readonly date: LocalDate;
  readonly everyWorkingDays: number;
  readonly maxTimes: number;
  readonly basis: string;
  /** The programme's calendar years, so that the rounds count the same working days it does. */
  readonly calendar: readonly CalendarYear[];
  readonly workflowIds: readonly string[];
  /** The programme's own overdue duties. */
  readonly own: readonly RedWarnedItem[];
  /** Rounds already sent, by duty (obligation id): a duty's next round is one more, never skipped. */
  readonly rounds?: Readonly<Record<string, number>>;
}

export interface BulletinInput {
  readonly key: string;
  /** The workflow's instant when it asked. */
  readonly at?: string;
  readonly county: string;
  /** The month reported on, 2019-03. */
  readonly month: string;
  /** The day it is drawn up: the first working day of the next month. */
  readonly date: LocalDate;
  readonly townships: readonly string[];
  readonly villages: readonly string[];
  /** The day the year's training days are counted by (四(一)5): a bulletin drawn up after it lists the cadres short of days. */
  readonly trainingCutoff?: LocalDate;
}

export interface FiguresReportInput {
  readonly key: string;
  /** The workflow's instant when it asked. */
  readonly at?: string;
  readonly county: string;
  /** The quarter reported on: 2019-Q2. */
  readonly quarter: string;
  /** The programme's own view as it asks (a local activity's input is not kept in the history). */
  readonly programme: ProgrammeView;
  /** The policy's years to the goal of a target designated after 2018 (absent: one). */
  readonly goalYears?: number;
}

export interface FiguresReportResult {
  readonly targets: number;
  readonly transformed: number;
  readonly townshipsBehind: number;
  readonly overdue: number;
  readonly results: readonly NoticeResult[];
}

export interface BulletinResult {
  readonly townships: number;
  readonly overdue: number;
  readonly missed: number;
  readonly behind: number;
  readonly results: readonly NoticeResult[];
}

export interface UrgeOverdueResult {
  readonly items: number;
  /** The duties this digest urged (obligation ids): the programme counts their rounds. */
  readonly urged?: readonly string[];
  readonly results: readonly NoticeResult[];
}

export interface NotificationActivities {
  sendNotification(mail: OutgoingMail): Promise<SentMail>;
  /** The mail of one wake-up of an entity: ladder steps, case mails, the urging digest. */
  deliverMail(requests: readonly MailRequest[]): Promise<NoticeResult[]>;
  /** The arrangements the worker has for these years. */
  calendarYears(years: readonly number[]): Promise<CalendarYear[]>;
  /** The urging digest (督办): asks the county's workflows for duties past their red warning and mails them. */
  urgeOverdue(input: UrgeOverdueInput): Promise<UrgeOverdueResult>;
  /** The monthly bulletin (通报, 六(三)): asks the county's townships and targets, mails the draft to the department. */
  monthlyBulletin(input: BulletinInput): Promise<BulletinResult>;
  /** The department's quarterly report (情况报告送审稿): reads the county's records, mails the draft to the department. */
  figuresReport(input: FiguresReportInput): Promise<FiguresReportResult>;
  /** Who holds a post now, newest first (roster ids): a workflow names the person a consequence concerns (五(四)). */
  postHolders(input: { readonly role: Role; readonly department?: string; readonly township?: string; readonly village?: string }): Promise<string[]>;
}

/** Every kind of request the activities deliver. */
type AnyMailRequest = MailRequest | BulletinRequest | ContactBulletinRequest | FiguresReportRequest;

/** The kind of a mail for operators' figures. */
function mailKind(req: AnyMailRequest): string {
  if (req.type === 'case') return req.kind;
  if (req.type === 'digest' || req.type === 'bulletin' || req.type === 'contact-bulletin' || req.type === 'result' || req.type === 'task-book' || req.type === 'plan' || req.type === 'figures-report') return req.type;
  return req.redated ? 'redated' : req.step.severity;
}

/**
 * What a mail is about, for machines: its kind, the duty it is about (id, kind, subject, due
 * date, clause), the case, and the workflow's instant (headers X-Rectification-*). Mail clients
 * can filter on them; `simulate` builds its timeline from them.
 */
export function mailMeta(req: AnyMailRequest, kind: string, county: string): Record<string, string> {
  const meta: Record<string, string> = { Kind: kind };
  if ('at' in req && req.at) meta.At = req.at;
  if (req.type === 'notice') {
    const o = req.obligation;
    meta['Obligation'] = o.id;
    meta['Obligation-Kind'] = o.kind;
    meta['Subject'] = req.subject === 'village' ? `village:${req.village}` : req.subject === 'township' ? `township:${req.township}` : req.subject === 'case' ? `case:${req.caseId ?? ''}` : `county:${county}`;
    meta['Due'] = o.dueDate;
    meta['Clause'] = o.clause;
  } else if (req.type === 'case') {
    meta['Subject'] = `township:${req.township}`;
    if (req.case) meta['Case'] = req.case.caseId;
  } else if (req.type === 'contact-bulletin') {
    meta['Subject'] = `township:${req.township}`;
  } else if (req.type === 'result' || req.type === 'task-book' || req.type === 'plan') {
    meta['Subject'] = `village:${req.village}`;
  } else {
    meta['Subject'] = `county:${county}`;
  }
  return meta;
}

export function createNotificationActivities({ mailer, journal, roster, baseUrl, temporal, calendar, metrics = noMailMetrics, letterPdf, documents }: NotificationDeps): NotificationActivities {
  const retried = (): boolean => {
    try {
      return Context.current().info.attempt > 1;
    } catch {
      return false; // called outside an activity (unit tests)
    }
  };

  /**
   * Sends each request to its recipients over the pooled connections, one mail per recipient so
   * that each recipient's delivery stands on its own (a 4xx for one recipient must not cost the
   * others, nor be mistaken for a refusal). Per recipient: sent, already sent (found in the
   * journal), or refused for good (5xx); a missing recipient is reported too. When any recipient
   * failed transiently, the batch is thrown and retried: what was sent is in the journal and is
   * not sent again. A journal write that fails after the server took the mail is reported with the
   * result; the mail counts as sent here, so a retry of the batch in this process does not send it
   * again.
   */
  /**
   * A mail whose posts nobody holds (a post vacated since the roster was checked) goes to the
   * department's staff instead, with the reason, so that someone acts on it while the roster is
   * put right; it stays a failed delivery on the workflow (运维) until then. Each staff member
   * once (the sent journal); a transient failure is thrown with the batch.
   */
  async function forwardUnaddressed<R extends AnyMailRequest>(
    current: Roster,
    req: R,
    kind: string,
    missing: readonly string[],
    render: (req: R, person: Person) => Omit<OutgoingMail, 'key' | 'to'> | Promise<Omit<OutgoingMail, 'key' | 'to'>>,
  ): Promise<string[]> {
    const staff = holders(current, 'org-department-staff');
    const done = await journal.sent(staff.map((p) => `${req.key}>unaddressed>${p.email}`));
    const note = `【转办】此通知无人接收：${missing.join('；')}。请核实名册、补齐在岗人员，并将此通知转告有关同志。`;
    const out: string[] = [];
    for (const person of staff) {
      const key = `${req.key}>unaddressed>${person.email}`;
      if (!done.has(key)) {
        const mail = await render(req, person);
        const sent = await mailer.send({
          ...mail,
          key,
          to: [person.email],
          subject: `【无人接收，请转办】${mail.subject}`,
          text: `${note}\n\n${mail.text}`,
          ...(mail.html ? { html: `<p><strong>${escapeHtml(note)}</strong></p>${mail.html}` } : {}),
          meta: { ...mailMeta(req, kind, current.county.code), Unaddressed: 'true' },
        });
        await journal.record(key, sent.messageId).catch(() => undefined);
      }
      out.push(person.email);
    }
    return out;
  }

  /** `current`: the roster as it was when the batch began (read once, not once per mail). */
  async function deliverAll<R extends AnyMailRequest>(
    current: Roster,
    requests: readonly R[],
    resolve: (req: R) => { people: Person[]; missing: string[] },
    render: (req: R, person: Person) => Omit<OutgoingMail, 'key' | 'to'> | Promise<Omit<OutgoingMail, 'key' | 'to'>>,
  ): Promise<NoticeResult[]> {
    if (retried()) await journal.refresh();
    const resolved = requests.map((req) => ({ req, kind: mailKind(req), ...resolve(req) }));
    // One lookup for the whole batch: what any worker already sent is not sent again.
    const done = await journal.sent(resolved.flatMap(({ req, people }) => people.map((p) => `${req.key}>${p.email}`)));
    const transient: unknown[] = [];
    const results = await Promise.all(
      resolved.map(async ({ req, kind, people, missing }): Promise<NoticeResult> => {
        if (people.length === 0) {
          metrics.count(kind, 'no-recipient');
          const forwarded = await forwardUnaddressed(current, req, kind, missing, render);
          const error = `${missing.join('；')}${forwarded.length ? `；已转县委组织部（${forwarded.join('、')}）` : ''}`;
          return { key: req.key, status: 'no-recipient', recipients: [], error };
        }
        const accepted: string[] = [];
        const refused: string[] = [];
        const refusals: string[] = [];
        const journalErrors: string[] = [];
        let fresh = 0;
        await Promise.all(
          people.map(async (person) => {
            const key = `${req.key}>${person.email}`;
            if (done.has(key)) {
              accepted.push(person.email);
              metrics.count(kind, 'already-sent');
              return;
            }
            let sent: SentMail;
            try {
              sent = await mailer.send({ key, to: [person.email], meta: mailMeta(req, kind, current.county.code), ...(await render(req, person)) });
            } catch (err) {
              if (isPermanent(err)) {
                refused.push(person.email);
                refusals.push(`${person.email}: SMTP ${err.responseCode}: ${err.message}`);
                metrics.count(kind, 'refused');
              } else {
                transient.push(err);
                metrics.count(kind, 'delayed');
              }
              return;
            }
            accepted.push(person.email);
            fresh++;
            metrics.count(kind, 'sent');
            try {
              await journal.record(key, sent.messageId);
            } catch (err) {
              journalErrors.push(`${person.email}: ${(err as Error).message}`);
            }
          }),
        );
        const problems = [...missing, ...refusals];
        const status = accepted.length === 0 ? 'failed' : fresh === 0 && refused.length === 0 ? 'already-sent' : 'sent';
        return {
          key: req.key,
          status,
          recipients: accepted.sort(),
          ...(refused.length ? { refused: refused.sort() } : {}),
          ...(problems.length ? { error: problems.join('; ') } : {}),
          ...(journalErrors.length ? { journalError: journalErrors.join('; ') } : {}),
        };
      }),
    );
    if (transient.length > 0) throw transient[0];
    return results;
  }

  const deliverNotices = (requests: readonly NoticeRequest[]): Promise<NoticeResult[]> => {
    const current = roster.current();
    return deliverAll(current, requests, (req) => resolveRecipients(req, current), (req, person) => renderNotice(req, current, [person], baseUrl));
  };
  const deliverCaseMails = (requests: readonly CaseMailRequest[]): Promise<NoticeResult[]> => {
    const current = roster.current();
    const files = new Map();
    return deliverAll(current, requests, (req) => resolveCaseRecipients(req, current), (req, person) => renderCaseMail(req, current, [person], baseUrl, { ...(letterPdf ? { pdf: letterPdf } : {}), ...(documents ? { documents } : {}), files }));
  };
  const deliverDigests = (requests: readonly DigestRequest[]): Promise<NoticeResult[]> => {
    const current = roster.current();
    return deliverAll(
      current,
      requests,
      (req) => resolvePosts(req.roles, { village: '', township: '' }, current),
      // Each recipient reads the duties whose red warning went to their post.
      (req, person) => renderDigest(req, current, [person], baseUrl),
    );
  };

  const deliverResults = (requests: readonly ResultMailRequest[]): Promise<NoticeResult[]> => {
    const current = roster.current();
    return deliverAll(
      current,
      requests,
      (req) => resolvePosts(req.roles, req, current, { assigned: req.assigned }),
      (req, person) => renderResult(req, current, [person], baseUrl),
    );
  };

  /** A target's document (交办任务书, the approved plan) to the posts it names, its files made once for all of them. */
  const deliverDocuments = <R extends TaskBookRequest | PlanMailRequest>(
    requests: readonly R[],
    render: (req: R, roster: Roster, recipients: readonly Person[], baseUrl: string, opts: CaseMailOptions) => Promise<Omit<OutgoingMail, 'key' | 'to'>>,
  ): Promise<NoticeResult[]> => {
    const current = roster.current();
    const files = new Map<string, Promise<Attachment[]>>();
    return deliverAll(
      current,
      requests,
      (req) => resolvePosts(req.roles, req, current, { assigned: req.assigned }),
      (req, person) => render(req, current, [person], baseUrl, { ...(letterPdf ? { pdf: letterPdf } : {}), ...(documents ? { documents } : {}), files }),
    );
  };
  const deliverTaskBooks = (requests: readonly TaskBookRequest[]): Promise<NoticeResult[]> => deliverDocuments(requests, renderTaskBook);
  const deliverPlans = (requests: readonly PlanMailRequest[]): Promise<NoticeResult[]> => deliverDocuments(requests, renderPlanMail);

  return {
    /**
     * Sends one mail, once. A permanent SMTP refusal is non-retryable; anything else (4xx,
     * connection refused, time-out) is thrown as it is and retried with backoff.
     */
    async sendNotification(mail) {
      if (retried()) await journal.refresh();
      if ((await journal.sent([mail.key])).has(mail.key)) return { messageId: '', accepted: [], rejected: [] };
      try {
        const sent = await mailer.send(mail);
        await journal.record(mail.key, sent.messageId);
        return sent;
      } catch (err) {
        if (isPermanent(err)) {
          throw ApplicationFailure.nonRetryable(`SMTP ${err.responseCode}: ${err.message}`, PERMANENT_DELIVERY_FAILURE, { key: mail.key });
        }
        throw err;
      }
    },

    async deliverMail(requests) {
      const notices = requests.filter((r): r is NoticeRequest => r.type === 'notice');
      const cases = requests.filter((r): r is CaseMailRequest => r.type === 'case');
      const digests = requests.filter((r): r is DigestRequest => r.type === 'digest');
      const outcomes = requests.filter((r): r is ResultMailRequest => r.type === 'result');
      const taskBooks = requests.filter((r): r is TaskBookRequest => r.type === 'task-book');
      const plans = requests.filter((r): r is PlanMailRequest => r.type === 'plan');
      const results = await Promise.all([
        notices.length ? deliverNotices(notices) : [],
        cases.length ? deliverCaseMails(cases) : [],
        digests.length ? deliverDigests(digests) : [],
        outcomes.length ? deliverResults(outcomes) : [],
        taskBooks.length ? deliverTaskBooks(taskBooks) : [],
        plans.length ? deliverPlans(plans) : [],
      ]);
      const byKey = new Map(results.flat().map((r) => [r.key, r]));
      // A request this worker does not know (a worker older than the workflow) fails visibly instead of vanishing.
      return requests.map((r) => byKey.get(r.key) ?? { key: r.key, status: 'failed', recipients: [], error: `此版本的工作进程不能发送“${(r as { type?: string }).type ?? '?'}”类邮件，请升级后重试` });
    },


    async calendarYears(years) {
      return calendar.years(years);
    },

    async postHolders(input) {
      const { role, ...place } = input;
      return holders(roster.current(), role, place).map((p) => p.id);
    },

    async urgeOverdue(input) {
      if (!temporal) throw ApplicationFailure.nonRetryable('the worker has no Temporal client for the urging digest', 'Misconfigured');
      const items: RedWarnedItem[] = [...input.own];
      await eachBounded(input.workflowIds, async (id) => {
        try {
          // The memo, not a query: the server answers from the execution's record, without a
          // workflow task (a province's entities are not replayed, none waits on another).
          const memo = (await temporal.workflow.getHandle(id).describe()).memo as { [RED_WARNED_MEMO]?: RedWarnedItem[] } | undefined;
          items.push(...(memo?.[RED_WARNED_MEMO] ?? []));
        } catch {
          // Not started, or gone past the server's retention.
        }
      });
      const cal = new WorkCalendar(input.calendar);
      const byRole = new Map<string, UrgedItem[]>();
      for (const it of items) {
        // Urged from the first round after the red warning's day, each round counted as sent: a
        // round the digest could not send (an outage, a record not readable that morning) is the
        // next digest's, with the same number.
        if (cal.workingDaysBetween(localDateOf(Date.parse(it.redWarnedAt)), input.date) < 1) continue;
        const round = (input.rounds?.[it.obligationId] ?? 0) + 1;
        if (round > input.maxTimes) continue;
        const { roles, redWarnedAt, ...rest } = it;
        // The digest goes to the county's posts; a red warning's copy to a contact leader (六(一)) is not urged again.
        for (const role of roles) if (role !== 'county-leader') byRole.set(role, [...(byRole.get(role) ?? []), { ...rest, redWarnedOn: localDateOf(Date.parse(redWarnedAt)), round }]);
      }
      const digests: DigestRequest[] = [...byRole.entries()].map(([role, list]) => ({
        type: 'digest',
        key: `${input.key}/${role}`,
        county: input.county,
        date: input.date,
        roles: [role as Role],
        items: list.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.obligationId.localeCompare(b.obligationId)),
        maxRounds: input.maxTimes,
        basis: input.basis,
        ...(input.at ? { at: input.at } : {}),
      }));
      const results = digests.length ? await deliverDigests(digests) : [];
      const urged = [...new Set(digests.flatMap((d) => d.items.map((i) => i.obligationId)))];
      return { items: urged.length, urged, results };
    },

    async monthlyBulletin(input) {
      if (!temporal) throw ApplicationFailure.nonRetryable('the worker has no Temporal client for the monthly bulletin', 'Misconfigured');
      // Each entity's own view (a query, at most 10 s each); one not started, gone past retention
      // or not answering is left out, and the bulletin says which.
      const unread: string[] = [];
      const ask = async <T>(ids: readonly string[], read: (id: string) => Promise<T>): Promise<T[]> => {
        const out: T[] = [];
        await eachBounded(ids, async (id) => {
          const v = await temporal.withDeadline(Date.now() + 10_000, () => read(id)).catch(() => undefined);
          if (v) out.push(v);
          else unread.push(id);
        });
        return out;
      };
      const [townships, villages] = await Promise.all([
        ask(input.townships, (code) => temporal.workflow.getHandle(townshipWorkflowId(code)).query(townshipStateQuery)),
        ask(input.villages, (code) => temporal.workflow.getHandle(villageWorkflowId(code)).query(stateQuery)),
      ]);
      const current = roster.current();
      // The cutoff is this year's (the programme's policy): after it, the cadres short of days are listed.
      const training = input.trainingCutoff && input.date > input.trainingCutoff ? { year: Number(input.date.slice(0, 4)), cadresOf: (v: string) => villageCadres(current, v) } : undefined;
      const facts = { ...bulletinFacts(input.month, input.date, townships, villages, training), ...(unread.length ? { unread } : {}) };
      const files = new Map<string, Promise<Attachment[]>>();
      const results = await deliverAll<BulletinRequest>(
        current,
        [{ type: 'bulletin', key: input.key, roles: ['org-department-staff', 'org-department-head'], facts, ...(input.at ? { at: input.at } : {}) }],
        (req) => resolvePosts(req.roles, { village: '', township: '' }, current),
        (req, person) => renderBulletin(req, current, [person], baseUrl, { ...(letterPdf ? { pdf: letterPdf } : {}), ...(documents ? { documents } : {}), files }),
      );
      // 六(一): each county leader gets the lines of their contact township and key village (the
      // newest holder of a township's link: a successor inherits it), when it has targets.
      const leaders = [...new Set(input.townships)].flatMap((t) => holders(current, 'county-leader', { township: t }).slice(0, 1));
      const contact: ContactBulletinRequest[] = leaders.map((p) => ({
        type: 'contact-bulletin',
        key: `${input.key}/contact/${p.id}`,
        person: p.id,
        township: p.township!,
        ...(p.village ? { village: p.village } : {}),
        facts,
        ...(input.at ? { at: input.at } : {}),
      }));
      const contactResults = contact.length
        ? await deliverAll<ContactBulletinRequest>(
            current,
            contact,
            (req) => resolvePosts(['responsible'], { village: '', township: '' }, current, { people: [req.person] }),
            (req, person) => renderContactBulletin(req, current, [person], baseUrl),
          )
        : [];
      return { ...bulletinCounts(facts), results: [...results, ...contactResults] };
    },

    async figuresReport(input) {
      if (!temporal) throw ApplicationFailure.nonRetryable('the worker has no Temporal client for the quarterly report', 'Misconfigured');
      const current = roster.current();
      const now = input.at ? Date.parse(input.at) : Date.now();
      // The records as they stand (a view not answering within 10 s is left out, and the report says which).
      const records = await readCountyRecords(temporal, input.county, { asOf: reportAsOf(input.quarter, now), now, perQueryMs: 10_000, programme: input.programme });
      const facts = figuresReportFacts({ ...records, ...(input.goalYears ? { goalYears: input.goalYears } : {}) }, current, input.quarter, now);
      const files = new Map<string, Promise<Attachment[]>>();
      const results = await deliverAll<FiguresReportRequest>(
        current,
        [{ type: 'figures-report', key: input.key, roles: ['org-department-staff', 'org-department-head'], quarter: input.quarter, ...(input.at ? { at: input.at } : {}) }],
        (req) => resolvePosts(req.roles, { village: '', township: '' }, current),
        (req, person) => renderFiguresReport(req, facts, current, [person], baseUrl, { ...(letterPdf ? { pdf: letterPdf } : {}), ...(documents ? { documents } : {}), files }),
      );
      const t = facts.figures.totals;
      return { targets: t.targets, transformed: t.transformed, townshipsBehind: t.townshipsBehind, overdue: t.overdueDuties, results };
    },
  };
}
