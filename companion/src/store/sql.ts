/**
 * The one narrow interface the store writes SQL through, so the same queries run on the embedded SQLite
 * file and on a shared PostgreSQL. Queries use `?` placeholders (the PostgreSQL side numbers them); the few
 * dialect differences (row locks, column types in migrations) are asked for by `dialect`.
 */
export type Dialect = 'sqlite' | 'postgres';
export type SqlParam = string | number | null;

export interface SqlSession {
  readonly dialect: Dialect;
  all<T>(text: string, params?: readonly SqlParam[]): Promise<T[]>;
  get<T>(text: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(text: string, params?: readonly SqlParam[]): Promise<number>;
  /** Several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDatabase extends SqlSession {
  /** Everything `fn` does through `tx` commits together or not at all. Never use the outer database inside. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The store could not reach its database (PostgreSQL down, restarting, unreachable). */
export class StoreUnavailableError extends Error {}

/** `IN (?, ?, ?)` for a list of values (neither dialect binds an array the same way). */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
