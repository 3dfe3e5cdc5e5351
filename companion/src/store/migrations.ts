/**
 * Versioned schema. Each migration runs once, inside one transaction together with the bump of
 * schema_version, so a crash leaves either the old schema or the new one. Never edit a shipped migration:
 * add the next version. Times are epoch milliseconds.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'mailboxes, sealed tokens, schedule, events, outage reports',
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE mailboxes (
        address        TEXT PRIMARY KEY,
        provider       TEXT NOT NULL,
        account        TEXT NOT NULL,
        client_id      TEXT NOT NULL,
        client_kind    TEXT NOT NULL CHECK (client_kind IN ('public', 'confidential')),
        tenant         TEXT,
        token_endpoint TEXT NOT NULL,
        request_origin TEXT,
        imap_host TEXT NOT NULL, imap_port INTEGER NOT NULL, imap_security TEXT NOT NULL,
        smtp_host TEXT NOT NULL, smtp_port INTEGER NOT NULL, smtp_security TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      -- access and refresh tokens sealed with AES-256-GCM (crypto/sealed-box.ts), never in clear
      CREATE TABLE tokens (
        address       TEXT PRIMARY KEY REFERENCES mailboxes(address) ON DELETE CASCADE,
        access_token  TEXT NOT NULL,
        refresh_token TEXT,
        expires_at    INTEGER NOT NULL,
        scope         TEXT NOT NULL,
        updated_at    INTEGER NOT NULL
      );

      CREATE TABLE schedule (
        address         TEXT PRIMARY KEY REFERENCES mailboxes(address) ON DELETE CASCADE,
        status          TEXT NOT NULL,
        reason          TEXT,
        attempt         INTEGER NOT NULL DEFAULT 0,
        next_run_at     INTEGER,
        outage_since    INTEGER,
        last_checked_at INTEGER,
        last_ready      INTEGER,
        last_headline   TEXT,
        last_verdict_at INTEGER
      );
      CREATE INDEX schedule_next_run ON schedule(next_run_at);

      CREATE TABLE events (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        address TEXT NOT NULL,
        at      INTEGER NOT NULL,
        kind    TEXT NOT NULL,
        detail  TEXT NOT NULL
      );
      CREATE INDEX events_address_at ON events(address, at);

      CREATE TABLE outage_reports (
        address    TEXT PRIMARY KEY REFERENCES mailboxes(address) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        report     TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'events by time, for pruning by age',
    sql: 'CREATE INDEX events_at ON events(at);',
  },
];

export class MigrationError extends Error {}

export function currentVersion(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = currentVersion(db);
  if (from > latest) {
    throw new MigrationError(
      `The database has schema version ${from}, newer than this companion knows (${latest}). Update the companion, or start it with another --data-dir.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now());
    }).immediate();
  }
  return latest;
}
