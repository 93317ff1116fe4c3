// A tiny SQL interface over PGlite or a pg Pool, for the migrator and hot paths where per-row Prisma calls
// cost more than the work (README, "Data"). Business logic uses Prisma.
import type { PGlite } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";

export interface QueryOptions {
  /**
   * Prepare the statement under this name, once per connection, and only bind and run it after that (PostgreSQL;
   * PGlite ignores it). For a hot statement whose planning costs more than its execution (the inbox's batch insert).
   * One name, one text.
   */
  prepare?: string;
}

export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], opts?: QueryOptions): Promise<T[]>;
  /** Several statements, no parameters (migration files). */
  exec(sql: string): Promise<void>;
}

export interface SqlRunner extends SqlSession {
  /** Runs `fn` on one connection (session-level advisory locks need that). */
  withSession<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
}

export function pgliteRunner(db: PGlite): SqlRunner {
  const session: SqlSession = {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
  return { ...session, withSession: (fn) => fn(session) };
}

export function pgRunner(pool: Pool): SqlRunner {
  const wrap = (c: Pool | PoolClient): SqlSession => ({
    async query<T>(sql: string, params: unknown[] = [], opts?: QueryOptions) {
      return (await (opts?.prepare ? c.query({ name: opts.prepare, text: sql, values: params }) : c.query(sql, params))).rows as T[];
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  return {
    ...wrap(pool),
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn(wrap(client));
      } finally {
        client.release();
      }
    },
  };
}
