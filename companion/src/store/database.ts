/**
 * The embedded store: one SQLite file in the data directory. WAL with synchronous=FULL means a write the
 * API has acknowledged is on disk, even if the process is killed or the machine loses power right after.
 * The files hold sealed tokens and mail metadata: they are the owner's alone (0600), whatever mode an
 * earlier run, a restore from backup or a copy left them with.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

export const DATABASE_FILE_NAME = 'companion.sqlite';
const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Takes group and other permissions away from `path`; true when it had any. */
export function restrictMode(path: string, mode: 0o600 | 0o700): boolean {
  if (!existsSync(path) || (statSync(path).mode & 0o077) === 0) return false;
  chmodSync(path, mode);
  return true;
}

export function openDatabase(dataDir: string): { db: Database.Database; narrowed: string[] } {
  const path = join(dataDir, DATABASE_FILE_NAME);
  const files = [path, ...SIDE_FILES.map((suffix) => `${path}${suffix}`)];
  // Before opening: SQLite gives new WAL and SHM files the database file's own mode.
  const narrowed = files.filter((file) => restrictMode(file, 0o600));
  const isNew = !existsSync(path);
  const db = new Database(path);
  if (isNew) chmodSync(path, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Overwritten and deleted rows (old sealed tokens, a report sealed after an upgrade) leave no trace in free pages.
  db.pragma('secure_delete = ON');
  migrate(db);
  for (const file of files) if (restrictMode(file, 0o600) && !narrowed.includes(file)) narrowed.push(file);
  return { db, narrowed };
}
