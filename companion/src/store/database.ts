/**
 * The embedded store: one SQLite file in the data directory. WAL with synchronous=FULL means a write the
 * API has acknowledged is on disk, even if the process is killed or the machine loses power right after.
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

export const DATABASE_FILE_NAME = 'companion.sqlite';

export function openDatabase(dataDir: string): Database.Database {
  const path = join(dataDir, DATABASE_FILE_NAME);
  const isNew = !existsSync(path);
  const db = new Database(path);
  if (isNew) chmodSync(path, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
