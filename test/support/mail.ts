import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createActivities, type Activities } from '../../src/activities';
import { calendarStore } from '../../src/activities/calendar-store';
import { createSmtpMailer, type Mailer } from '../../src/activities/mailer';
import { rosterFileSource, type RosterSource } from '../../src/activities/roster-file';
import { openSentJournal, type SentJournal } from '../../src/activities/sent-journal';
import { SmtpSink } from '../../src/infra/smtp-sink';
import { fileDocumentStore } from '../../src/infra/document-store';

export const sampleRosterFile = path.resolve(__dirname, '../../roster/sample-county.json');
export const APP_BASE_URL = 'http://rect.county.example.org';

/** A real SMTP server and the product's activities sending to it over a pooled connection. */
export interface MailHarness {
  readonly sink: SmtpSink;
  readonly mailer: Mailer;
  readonly journal: SentJournal;
  readonly roster: RosterSource;
  readonly activities: Activities;
  /** Where holiday arrangements published in the test go (the worker reads them from there). */
  readonly calendarDir: string;
  /** Where the worker keeps the documents it mails (the API reads them from there). */
  readonly documentDir: string;
  close(): Promise<void>;
}

export async function startMailHarness(rosterFile = sampleRosterFile, opts: { temporal?: Client; calendarDir?: string } = {}): Promise<MailHarness> {
  const sink = await SmtpSink.start();
  const mailer = createSmtpMailer({ host: sink.host, port: sink.port, secure: false, auth: undefined, poolSize: 3, from: '整顿提升工作提醒 <noreply@county.example.org>' });
  const journal = openSentJournal(mkdtempSync(path.join(tmpdir(), 'sent-journal-')));
  const roster = rosterFileSource(rosterFile);
  const calendarDir = opts.calendarDir ?? mkdtempSync(path.join(tmpdir(), 'calendar-'));
  const documentDir = mkdtempSync(path.join(tmpdir(), 'documents-'));
  return {
    sink,
    mailer,
    journal,
    roster,
    calendarDir,
    documentDir,
    activities: createActivities({ mailer, journal, roster, baseUrl: APP_BASE_URL, calendar: calendarStore(calendarDir), documents: fileDocumentStore(documentDir), ...(opts.temporal ? { temporal: opts.temporal } : {}) }),
    async close() {
      mailer.close();
      await sink.close();
    },
  };
}
