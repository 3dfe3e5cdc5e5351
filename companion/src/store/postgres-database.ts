/**
 * SqlDatabase over node-postgres (pg): a pool shared by the API and the monitor. Epoch-millisecond columns
 * are BIGINT, which pg hands back as strings by default; they fit a JS number, so they are parsed as one.
 * A connection the server drops (restart, outage) is discarded, never reused; the next query opens a new
 * one, so the companion carries on by itself when PostgreSQL is back.
 */
import pg from 'pg';
import { type SqlDatabase, type SqlParam, type SqlSession, StoreUnavailableError } from './sql';

const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

/** `?` placeholders as PostgreSQL's `$1, $2...` (the store's SQL has no `?` inside literals). */
export function numberPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** Connection-level failures (refused, reset, server shutting down), as opposed to a bad query. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && /^(08|57P0)/.test(e.code)) return true;
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code)) {
    return true;
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message ?? '');
}

function unavailable(err: unknown): Error {
  if (!isConnectionError(err)) return err as Error;
  const detail = (err as Error).message || (err as { code?: string }).code || 'connection failed';
  return new StoreUnavailableError(
    `The companion cannot reach its PostgreSQL database (${detail}). It keeps retrying; check that PostgreSQL ` +
      'is running and reachable from this instance.',
  );
}

function session(client: pg.Pool | pg.PoolClient): SqlSession {
  const query = async (text: string, params: readonly SqlParam[]) => {
    try {
      return await client.query(numberPlaceholders(text), params as SqlParam[]);
    } catch (err) {
      throw unavailable(err);
    }
  };
  return {
    dialect: 'postgres',
    all: async <T>(text: string, params: readonly SqlParam[] = []) => (await query(text, params)).rows as T[],
    get: async <T>(text: string, params: readonly SqlParam[] = []) =>
      (await query(text, params)).rows[0] as T | undefined,
    run: async (text, params = []) => (await query(text, params)).rowCount ?? 0,
    exec: async (script) => {
      try {
        await client.query(script);
      } catch (err) {
        throw unavailable(err);
      }
    },
  };
}

export interface PostgresOptions {
  url: string;
  /** Connections this instance may hold. */
  max: number;
  onError: (err: Error) => void;
}

export function postgresDatabase(options: PostgresOptions): SqlDatabase & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    // A stopped server refuses at once; a vanished one must not hang a tick or a request for minutes.
    connectionTimeoutMillis: 5000,
    query_timeout: 30_000,
    keepAlive: true,
    application_name: 'reauth-assist-companion',
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server closed (restart) reports here; without a listener it would end the process.
  pool.on('error', (err) => options.onError(err));
  const direct = session(pool);
  return {
    ...direct,
    pool,
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw unavailable(err);
      }
      let broken: Error | undefined;
      // A checked-out connection has no pool listener: the server going away between two statements of this
      // transaction must fail the transaction, not end the process with an unhandled 'error' event.
      const onError = (err: Error) => {
        broken = err;
        options.onError(err);
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(session(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (isConnectionError(err) || err instanceof StoreUnavailableError) broken = err as Error;
        else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw unavailable(err);
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
