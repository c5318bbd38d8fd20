/**
 * The outbox of an entity: mail on its way out, held back while the mail server is unavailable
 * (visible to operators, retried with backoff), and the record of what went out or failed.
 */
import { ActivityFailure, TemporalFailure, isCancellation } from '@temporalio/workflow';
import type { DeliveryDelay, FailedDelivery, HistoryEntry } from '../../contracts/common';
import type { MailRequest, NoticeResult } from '../../contracts/mail';
import { isoInstant, localDateOf } from '../../domain/calendar';
import { appendHistory } from './history';

/** Held-back mails are tried again after 15 minutes, doubling up to 6 hours: a long outage costs few events. */
const DELIVERY_RETRY_FIRST_MS = 15 * 60_000;
const DELIVERY_RETRY_MAX_MS = 6 * 3_600_000;
const FAILED_KEPT = 30;
const REFUSED_MAIL_KEPT = 10;

export interface Deferred {
  requests: MailRequest[];
  since: string;
  attempts: number;
  lastError: string;
  retryAt: string;
}

/** The part of an entity's state the outbox keeps (plain JSON). */
export interface OutboxState {
  failedDeliveries: FailedDelivery[];
  failedDeliveryCount: number;
  /**
   * Mail other than a duty's notice (a case's letter, a plan, a 交办任务书…) that reached nobody or
   * not everyone, kept as it was asked for so that an operator's 立即重发 sends it again after the
   * roster is mended (a notice is made again from its duty's step instead). Bounded.
   */
  refusedMail?: MailRequest[];
  /** Mails the mail server has not taken yet (an outage), tried again at `retryAt`. */
  deferred?: Deferred;
  history: HistoryEntry[];
}

/** How a request reads in the record: which duty and step, and a label for officials. */
export interface Described {
  readonly obligationId: string;
  readonly step: string;
  readonly label: string;
}

export class Outbox {
  constructor(
    private readonly s: OutboxState,
    private readonly describe: (r: MailRequest) => Described,
    /** Told of every result, e.g. to record who a ladder step reached. */
    private readonly onResult: (r: MailRequest, result: NoticeResult, now: number) => void = () => undefined,
  ) {}

  /**
   * What to send now: the mails newly due, and those held back by an outage once their retry time
   * has come. While an outage lasts, newly due mails wait with the held-back ones.
   */
  sendable(fresh: readonly MailRequest[], now: number): MailRequest[] {
    const deferred = this.s.deferred;
    if (!deferred) return [...fresh];
    deferred.requests.push(...fresh);
    return Date.parse(deferred.retryAt) <= now ? deferred.requests : [];
  }

  /** An operator's "retry now": held-back mail goes at the next look. */
  retryNow(now: number): boolean {
    if (!this.s.deferred) return false;
    this.s.deferred.retryAt = isoInstant(now);
    return true;
  }

  get idle(): boolean {
    return this.s.deferred === undefined;
  }

  /** Sends a batch; an outage (the activity out of quick retries) holds it back, visibly. */
  async deliver(batch: readonly MailRequest[], send: (batch: MailRequest[]) => Promise<NoticeResult[]>): Promise<void> {
    try {
      // Stamped with the workflow's instant: each mail says when its workflow sent it (X-Rectification-At).
      const at = isoInstant(Date.now());
      this.record(batch, await send(batch.map((r) => ({ ...r, at }))), Date.now());
    } catch (err) {
      // A local activity out of retries throws its failure as it is (not inside an ActivityFailure).
      if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
      this.defer(batch, Date.now(), err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : err.message);
    }
  }

  private defer(requests: readonly MailRequest[], now: number, error: string): void {
    const first = !this.s.deferred;
    const attempts = (this.s.deferred?.attempts ?? 0) + 1;
    this.s.deferred = {
      requests: [...requests],
      since: this.s.deferred?.since ?? isoInstant(now),
      attempts,
      lastError: error.slice(0, 500),
      retryAt: isoInstant(now + Math.min(DELIVERY_RETRY_FIRST_MS * 2 ** (attempts - 1), DELIVERY_RETRY_MAX_MS)),
    };
    if (first) appendHistory(this.s.history, now, 'delivery-delayed', `通知暂未发出（${requests.length}条，邮件服务器暂不可用：${error}），将自动重试`);
  }

  private record(requests: readonly MailRequest[], results: readonly NoticeResult[], now: number): void {
    if (this.s.deferred) {
      appendHistory(this.s.history, now, 'delivery-resumed', `邮件服务器恢复，延迟的通知已发出（自${localDateOf(Date.parse(this.s.deferred.since))}起）`);
      delete this.s.deferred;
    }
    const byKey = new Map(requests.map((r) => [r.key, r]));
    const sent: string[] = [];
    for (const r of results) {
      const req = r ? byKey.get(r.key) : undefined;
      if (!req) continue;
      this.onResult(req, r, now);
      const d = this.describe(req);
      if (r.status === 'sent' || r.status === 'already-sent') sent.push(d.label);
      if (r.journalError) appendHistory(this.s.history, now, 'journal-failed', `通知已发出，但未能记入发送记录（重试时可能重复发送）：${d.label}：${r.journalError}`);
      if (r.error) {
        this.s.failedDeliveryCount++;
        this.s.failedDeliveries.push({ key: r.key, obligationId: d.obligationId, step: d.step, label: d.label, at: isoInstant(now), recipients: r.refused ?? [], error: r.error.slice(0, 500) });
        if (this.s.failedDeliveries.length > FAILED_KEPT) this.s.failedDeliveries.shift();
        if (req.type !== 'notice') {
          const kept = (this.s.refusedMail ??= []).filter((m) => m.key !== req.key);
          kept.push(req);
          this.s.refusedMail = kept.slice(-REFUSED_MAIL_KEPT);
        }
        appendHistory(this.s.history, now, 'delivery-failed', `通知未能送达：${d.label}：${r.error}`);
      }
    }
    if (sent.length > 0) appendHistory(this.s.history, now, 'notices-sent', `已发送通知${sent.length}条：${sent.join('；')}`);
  }

  /**
   * Mail refused for good, to be sent again as it was (the same key: whoever the sent journal
   * says already has it is not sent it twice; the roster as it is now says where the rest goes).
   */
  takeRefused(): MailRequest[] {
    const out = this.s.refusedMail ?? [];
    delete this.s.refusedMail;
    return out;
  }

  /** A refused mail no longer to be sent again (a letter since handed over). */
  forgetRefused(key: string): void {
    if (this.s.refusedMail) this.s.refusedMail = this.s.refusedMail.filter((m) => m.key !== key);
  }

  get retryAt(): number | undefined {
    return this.s.deferred ? Date.parse(this.s.deferred.retryAt) : undefined;
  }

  delay(): DeliveryDelay | undefined {
    const d = this.s.deferred;
    return d ? { since: d.since, attempts: d.attempts, lastError: d.lastError, retryAt: d.retryAt, pending: d.requests.length } : undefined;
  }
}
