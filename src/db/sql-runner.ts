// A tiny SQL interface over PGlite or a pg Pool, for the migrator and hot paths where per-row Prisma calls
// cost more than the work (README, "Data"). Business logic uses Prisma.
import { parse, protocol, type PGlite } from "@electric-sql/pglite";
import type { Pool, PoolClient } from "pg";

export interface QueryOptions {
  /**
   * Prepare the statement under this name, once per connection (once per PGlite database), and only bind and run it
   * after that. For a hot statement whose planning costs more than its execution (the inbox's batch insert).
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
    async query<T>(sql: string, params: unknown[] = [], opts?: QueryOptions) {
      if (opts?.prepare) return runPrepared<T>(db, opts.prepare, sql, params);
      return (await db.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
  };
  return { ...session, withSession: (fn) => fn(session) };
}

/** Named statements parsed on each PGlite database: the name's text and its parameters' type oids. */
const preparedOn = new WeakMap<PGlite, Map<string, { text: string; paramTypes: number[] }>>();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * `db.query` parses, describes and plans the statement anew on every call, each step a separate call into the
 * WASM backend (its planning was most of the inbox batch's cost on the event loop). Here the statement is parsed
 * once under its name and each call is one Bind/Describe/Execute/Sync into the backend, planned from the cached plan.
 * Taken under PGlite's transaction and query locks, as `db.query` is: never inside someone else's transaction.
 */
async function runPrepared<T>(db: PGlite, name: string, text: string, params: unknown[]): Promise<T[]> {
  await db._checkReady();
  return db._runExclusiveTransaction(() =>
    db._runExclusiveQuery(async () => {
      let known = preparedOn.get(db);
      if (!known) preparedOn.set(db, (known = new Map()));
      let st = known.get(name);
      if (st && st.text !== text) throw new Error(`prepared statement "${name}" already names another text`);
      if (!st) {
        // Close first: the name may be left from a runner that failed between Parse and noting it (harmless if not).
        const described = await db.execProtocolStream(
          concat([protocol.serialize.close({ type: "S", name }), protocol.serialize.parse({ name, text }), protocol.serialize.describe({ type: "S", name }), protocol.serialize.sync()]),
          { syncToFs: false },
        );
        st = { text, paramTypes: parse.parseDescribeStatementResults(described) };
        known.set(name, st);
      }
      const paramTypes = st.paramTypes;
      const values = params.map((p, i) => {
        if (p === null || p === undefined) return null;
        const serialize = db.serializers[paramTypes[i]!];
        return serialize ? serialize(p) : String(p);
      });
      const messages = await db.execProtocolStream(
        concat([protocol.serialize.bind({ statement: name, values }), protocol.serialize.describe({ type: "P" }), protocol.serialize.execute({}), protocol.serialize.sync()]),
        { syncToFs: false },
      );
      // As db.query does after a statement outside a transaction.
      if (!db.isInTransaction()) await db.syncToFs();
      return (parse.parseResults(messages, db.parsers)[0]?.rows ?? []) as T[];
    }),
  );
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
