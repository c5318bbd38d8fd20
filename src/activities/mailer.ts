import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../config';

/** One outgoing email; `key` is the deterministic idempotency key (workflow + obligation + step). */
export interface OutgoingMail {
  readonly key: string;
  readonly to: readonly string[];
  /** The sender's display name, when not MAIL_FROM's (the department signs its letters); the address stays MAIL_FROM's. */
  readonly fromName?: string;
  readonly cc?: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments?: readonly { readonly filename: string; readonly content: Uint8Array; readonly contentType: string }[];
  /** What the mail is about, sent as X-Rectification-<name> headers (kind, duty, subject, due, clause, at). */
  readonly meta?: Readonly<Record<string, string>>;
}

export interface SentMail {
  readonly messageId: string;
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

/** The Message-ID a notification key always maps to, so a retried send can be recognised downstream. */
export function messageIdFor(key: string, from: string): string {
  return messageIdIn(domainOf(from), key);
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'rectification.invalid';
}

function messageIdIn(domain: string, key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;
}

/** The X-Rectification-* headers of a mail: its key and what it is about. */
function headersOf(mail: OutgoingMail): Record<string, string> {
  const headers: Record<string, string> = { 'X-Rectification-Key': mail.key };
  for (const [name, value] of Object.entries(mail.meta ?? {})) headers[`X-Rectification-${name}`] = value;
  return headers;
}

/** The address of `Name <address>` (or the whole string when it is a bare address). */
export function addressOf(from: string): string {
  return /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/**
 * A pooled SMTP transport, created once per worker: a burst of reminders reuses a few open
 * connections instead of paying a TCP and SMTP handshake per mail.
 */
export type SmtpSettings = Omit<Config['smtp'], 'sentJournalDir' | 'databaseUrl' | 'sentJournalRetentionDays' | 'letterPdf'>;

export function createSmtpMailer(smtp: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: smtp.poolSize,
    maxMessages: Infinity,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ignoreTLS: !smtp.secure && !smtp.auth && smtp.host === 'localhost',
    // Credentials never cross the network in clear: without implicit TLS, STARTTLS is required.
    requireTLS: smtp.auth !== undefined && !smtp.secure,
    auth: smtp.auth ? { user: smtp.auth.user, pass: smtp.auth.pass } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  // Worked out once, not per mail: the sender's domain for the Message-IDs.
  const domain = domainOf(smtp.from);
  return {
    async send(mail) {
      const messageId = messageIdIn(domain, mail.key);
      const info = await transport.sendMail({
        from: mail.fromName ? { name: mail.fromName, address: addressOf(smtp.from) } : smtp.from,
        to: [...mail.to],
        cc: mail.cc ? [...mail.cc] : undefined,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
        messageId,
        headers: headersOf(mail),
      });
      return {
        messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
      };
    },
    close() {
      transport.close();
    },
  };
}
