/**
 * SqlDatabase over better-sqlite3. The driver is synchronous and holds one connection, so an async
 * transaction must not let another caller's statements slip in between its own: every call goes through
 * one queue, and a transaction holds the queue until it commits.
 */
import type Database from 'better-sqlite3';
import type { SqlDatabase, SqlParam, SqlSession } from './sql';

function session(db: Database.Database): SqlSession {
  return {
    dialect: 'sqlite',
    all: async <T>(text: string, params: readonly SqlParam[] = []) => db.prepare(text).all(...params) as T[],
    get: async <T>(text: string, params: readonly SqlParam[] = []) => db.prepare(text).get(...params) as T | undefined,
    run: async (text, params = []) => db.prepare(text).run(...params).changes,
    exec: async (script) => {
      db.exec(script);
    },
  };
}

export function sqliteDatabase(db: Database.Database): SqlDatabase & { raw: Database.Database } {
  const direct = session(db);
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    dialect: 'sqlite',
    raw: db,
    all: (text, params) => exclusive(() => direct.all(text, params)),
    get: (text, params) => exclusive(() => direct.get(text, params)),
    run: (text, params) => exclusive(() => direct.run(text, params)),
    exec: (script) => exclusive(() => direct.exec(script)),
    transaction: (fn) =>
      exclusive(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(direct);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
    close: async () => {
      await queue;
      db.close();
    },
  };
}
