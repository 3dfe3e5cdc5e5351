/**
 * Opens the store named by --store: the embedded SQLite file in the data directory (default), or a shared
 * PostgreSQL (postgres://...), migrated to the current schema either way.
 *
 * The embedded store: one SQLite file in the data directory. WAL with synchronous=FULL means a write the
 * API has acknowledged is on disk, even if the process is killed or the machine loses power right after.
 * The files hold sealed tokens and mail metadata: they are the owner's alone (0600), whatever mode an
 * earlier run, a restore from backup or a copy left them with.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';
import { postgresDatabase } from './postgres-database';
import type { SqlDatabase } from './sql';
import { sqliteDatabase } from './sqlite-database';

export const DATABASE_FILE_NAME = 'companion.sqlite';
const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Takes group and other permissions away from `path`; true when it had any. */
export function restrictMode(path: string, mode: 0o600 | 0o700): boolean {
  if (!existsSync(path) || (statSync(path).mode & 0o077) === 0) return false;
  chmodSync(path, mode);
  return true;
}

export function openSqliteFile(dataDir: string): { db: Database.Database; narrowed: string[] } {
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
  return { db, narrowed };
}

export interface StoreLocation {
  dataDir: string;
  /** undefined: the SQLite file in dataDir; else a postgres:// URL. */
  storeUrl?: string;
  /** Connections one instance may hold on PostgreSQL. */
  poolSize: number;
}

export async function openDatabase(
  where: StoreLocation,
  onConnectionError: (err: Error) => void = () => undefined,
): Promise<{ db: SqlDatabase; narrowed: string[] }> {
  if (where.storeUrl) {
    const db = postgresDatabase({ url: where.storeUrl, max: where.poolSize, onError: onConnectionError });
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return { db, narrowed: [] };
  }
  const { db: file, narrowed } = openSqliteFile(where.dataDir);
  const db = sqliteDatabase(file);
  try {
    await migrate(db);
  } catch (err) {
    file.close();
    throw err;
  }
  const path = join(where.dataDir, DATABASE_FILE_NAME);
  for (const f of [path, ...SIDE_FILES.map((s) => `${path}${s}`)]) {
    if (restrictMode(f, 0o600) && !narrowed.includes(f)) narrowed.push(f);
  }
  return { db, narrowed };
}
