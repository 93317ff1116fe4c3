// The one place that knows how to open the database: PGlite (embedded, default) or PostgreSQL (DATABASE_URL).
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.ts";
import { acquireDataDirLock, type DataDirLock, type LockRole } from "./data-dir-lock.ts";
import { ResilientPool, withReleasingTransactions } from "./pg-pool.ts";
import { pgliteRunner, pgRunner, type SqlRunner } from "./sql-runner.ts";
import { bindOpened, bindPool, openBound } from "./tx-sql.ts";

export type Db = PrismaClient;

export interface Database {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  sql: SqlRunner;
  /** The embedded database's directory lock, held until close(). */
  lock?: DataDirLock;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgresql://… ; when absent the embedded database is used. */
  url?: string;
  /** Folder for the embedded database; "memory" for an in-memory one (tests). */
  pgliteDir?: string;
  /** Who opens the embedded database (named in the lock file, and to a process that finds it taken). */
  role?: LockRole;
  poolSize?: number;
  /** How long a query waits for a pooled connection before it fails (instead of hanging when all are busy). */
  connectTimeoutMs?: number;
  /** Told when the server drops an idle connection; default: a warning on stderr. */
  onIdleError?: (err: Error) => void;
}

const defaultIdleError = (err: Error) => process.stderr.write(`database: idle connection lost (${err.message}); it will be replaced\n`);

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    const pool = new ResilientPool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      // An exhausted pool or an unreachable server fails the query instead of queueing it for ever.
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 3000,
      keepAlive: true,
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process: the pool
    // replaces it on the next query.
    pool.on("error", (err) => (opts.onIdleError ?? defaultIdleError)(err));
    // Fail fast with a clear message instead of on the first request.
    await pool.query("select 1").catch((err: Error) => {
      void pool.end();
      throw new Error(`Cannot connect to DATABASE_URL (${redact(opts.url!)}): ${err.message}`);
    });
    const prisma = new PrismaClient({ adapter: withReleasingTransactions(new PrismaPg(pool)) });
    // sql(prisma) outside a transaction (tx-sql.ts) goes to the pool directly.
    bindPool(prisma, pool);
    bindTransactions(prisma);
    return {
      kind: "postgres",
      prisma,
      sql: pgRunner(pool),
      async close() {
        await prisma.$disconnect();
        await pool.end().catch(() => undefined);
      },
    };
  }
  const dir = opts.pgliteDir ?? "memory";
  // Taken before PGlite touches the directory: a second process must not even open it (DataDirLockedError).
  const lock = dir === "memory" ? undefined : acquireDataDirLock(dir, opts.role ?? "server");
  let lite: PGlite;
  try {
    if (dir !== "memory") mkdirSync(dir, { recursive: true });
    lite = dir === "memory" ? new PGlite() : new PGlite(dir);
    await lite.waitReady;
  } catch (err) {
    lock?.release();
    throw err;
  }
  // pglite-prisma-adapter ships its own (older) copy of Prisma's adapter types; the runtime contract is the same.
  const adapter = new PrismaPGlite(lite) as unknown as PrismaPg;
  const prisma = new PrismaClient({ adapter });
  return {
    kind: "pglite",
    prisma,
    sql: pgliteRunner(lite),
    ...(lock ? { lock } : {}),
    async close() {
      try {
        await prisma.$disconnect();
        await lite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * Every interactive transaction is bound to its connection from the start (tx-sql.ts, openBound): `sql(tx)`, and
 * the unit of work's first statement with it, go straight to the connection instead of through Prisma.
 */
function bindTransactions(prisma: PrismaClient): void {
  const original = prisma.$transaction.bind(prisma) as (arg: unknown, opts?: unknown) => Promise<unknown>;
  const bound = (arg: unknown, opts?: unknown) =>
    typeof arg === "function"
      ? openBound(() => original(async (tx: object) => {
        bindOpened(tx);
        return (arg as (tx: object) => Promise<unknown>)(tx);
      }, opts))
      : original(arg, opts);
  (prisma as unknown as { $transaction: typeof bound }).$transaction = bound;
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, "//$1:***@");
}
