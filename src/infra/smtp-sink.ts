import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/**
 * A real SMTP server on localhost that keeps what it receives: the embedded default mail relay
 * for `npm start`, and the server that tests read delivered mail from.
 */

export interface ReceivedMail {
  readonly messageId: string;
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: ReadonlyMap<string, unknown>;
  readonly attachments: readonly { readonly filename: string; readonly contentType: string; readonly content: Buffer }[];
  readonly raw: string;
}

/** What the sink answers to a recipient: tests use it to simulate a missing mailbox or an outage. */
export type RecipientPolicy = (address: string) => 'accept' | 'reject-permanent' | 'reject-transient';

export interface SmtpSinkOptions {
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** When set, every message is also written there as an .eml file. */
  readonly mailDir?: string;
  readonly policy?: RecipientPolicy;
  readonly onMail?: (mail: ReceivedMail) => void;
  /** How long `close()` lets open connections finish before it ends them with 421 (default 30 s). */
  readonly closeTimeoutMs?: number;
}

class SmtpResponseError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  policy: RecipientPolicy;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: SMTPServer,
    readonly host: string,
    readonly port: number,
    private readonly options: SmtpSinkOptions,
  ) {
    this.policy = options.policy ?? (() => 'accept');
  }

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const host = options.host ?? '127.0.0.1';
    // The server's callbacks need the sink, which can only be built once the server listens.
    const ref: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Large bursts of reminders come over a handful of pooled connections.
      maxClients: 200,
      ...(options.closeTimeoutMs !== undefined ? { closeTimeout: options.closeTimeoutMs } : {}),
      onRcptTo(address: SMTPServerAddress, _session, callback) {
        const verdict = ref.sink?.policy(address.address) ?? 'accept';
        if (verdict === 'reject-permanent') return callback(new SmtpResponseError('5.1.1 No such user here', 550));
        if (verdict === 'reject-transient') return callback(new SmtpResponseError('4.3.2 Service temporarily unavailable', 451));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              ref.sink?.accept({
                messageId: parsed.messageId ?? '',
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                headers: parsed.headers,
                attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
                raw: raw.toString('utf8'),
              });
              callback();
            })
            .catch((err: unknown) => callback(err as Error));
        });
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        const addr = server.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : (options.port ?? 0));
      });
    });
    // A client that dies mid-session (a worker killed) resets its connection: not the server's error.
    server.on('error', () => {});
    // Login codes arrive here: the folder and its files are readable by their owner alone.
    if (options.mailDir) {
      mkdirSync(options.mailDir, { recursive: true, mode: 0o700 });
      chmodSync(options.mailDir, 0o700);
    }
    ref.sink = new SmtpSink(server, host, port, options);
    return ref.sink;
  }

  private accept(mail: ReceivedMail): void {
    this.received.push(mail);
    if (this.options.mailDir) {
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${this.received.length}.eml`;
      writeFileSync(path.join(this.options.mailDir, name), mail.raw, { mode: 0o600 });
    }
    this.options.onMail?.(mail);
    for (const wake of this.waiters) wake();
  }

  /** Mail addressed (by envelope) to the given address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address));
  }

  /** Resolves once `count` received messages match, or rejects after `timeoutMs`. */
  async waitFor(predicate: (m: ReceivedMail) => boolean, count = 1, timeoutMs = 30_000): Promise<ReceivedMail[]> {
    const matching = (): ReceivedMail[] => this.received.filter(predicate);
    if (matching().length >= count) return matching();
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        if (matching().length >= count) {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve(matching());
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`SMTP sink: expected ${count} matching message(s), got ${matching().length} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
