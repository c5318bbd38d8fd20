import pg from 'pg';
import { splitJournalKey, type SentJournal } from './sent-journal';

/**
 * The sent journal in PostgreSQL, shared by every worker host (`DATABASE_URL`). One row per mail
 * the SMTP server accepted, keyed by the notice key and the recipient; the row is written in the
 * same activity step that received the server's acceptance, so a retry on any host finds it.
 * Rows older than the retention are deleted at start and every six hours.
 */
export const SENT_JOURNAL_TABLE = 'rect_sent_journal';

export interface PgSentJournalOptions {
  readonly retentionDays?: number;
  /** Connections the worker keeps to the database (each batch of mail uses one for a lookup). */
  readonly poolSize?: number;
}

export async function openPgSentJournal(connectionString: string, o: PgSentJournalOptions = {}): Promise<SentJournal> {
  const retentionDays = o.retentionDays ?? 30;
  const pool = new pg.Pool({ connectionString, max: o.poolSize ?? 4, connectionTimeoutMillis: 10_000 });
  // An idle connection the server closed (a restart) must not crash the worker; the next query reconnects.
  pool.on('error', () => {});
  // Several workers start at once: CREATE ... IF NOT EXISTS races in PostgreSQL (a duplicate key
  // in pg_type), so the creation is serialised with a transaction-scoped advisory lock.
  const setup = await pool.connect();
  try {
    await setup.query('BEGIN');
    await setup.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SENT_JOURNAL_TABLE]);
    await setup.query(
      `CREATE TABLE IF NOT EXISTS ${SENT_JOURNAL_TABLE} (
         notice_key text NOT NULL,
         recipient text NOT NULL,
         message_id text NOT NULL,
         sent_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (notice_key, recipient))`,
    );
    await setup.query(`CREATE INDEX IF NOT EXISTS ${SENT_JOURNAL_TABLE}_sent_at ON ${SENT_JOURNAL_TABLE} (sent_at)`);
    await setup.query('COMMIT');
  } catch (err) {
    await setup.query('ROLLBACK').catch(() => {});
    setup.release();
    await pool.end();
    throw err;
  }
  setup.release();
  const prune = (): Promise<unknown> => pool.query(`DELETE FROM ${SENT_JOURNAL_TABLE} WHERE sent_at < now() - make_interval(days => $1)`, [retentionDays]);
  await prune();
  const timer = setInterval(() => void prune().catch(() => {}), 6 * 3_600_000);
  timer.unref();
  const where = new URL(connectionString);
  return {
    description: `PostgreSQL ${where.host}${where.pathname} (table ${SENT_JOURNAL_TABLE})`,
    async sent(keys) {
      if (keys.length === 0) return new Set();
      const parts = keys.map(splitJournalKey);
      const { rows } = await pool.query<{ notice_key: string; recipient: string }>(
        `SELECT notice_key, recipient FROM ${SENT_JOURNAL_TABLE} j
           JOIN unnest($1::text[], $2::text[]) AS k(n, r) ON j.notice_key = k.n AND j.recipient = k.r`,
        [parts.map((p) => p.notice), parts.map((p) => p.recipient)],
      );
      return new Set(rows.map((r) => (r.recipient ? `${r.notice_key}>${r.recipient}` : r.notice_key)));
    },
    async record(key, messageId) {
      const { notice, recipient } = splitJournalKey(key);
      await pool.query(
        `INSERT INTO ${SENT_JOURNAL_TABLE} (notice_key, recipient, message_id) VALUES ($1, $2, $3) ON CONFLICT (notice_key, recipient) DO NOTHING`,
        [notice, recipient, messageId],
      );
    },
    async refresh() {},
    async close() {
      clearInterval(timer);
      await pool.end();
    },
  };
}
