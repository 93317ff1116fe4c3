// A pg Pool and a Prisma adapter wrapper that never lose a pool slot to a broken connection.
//
// @prisma/adapter-pg 6.19.3 ends an interactive transaction by sending COMMIT/ROLLBACK and only then releasing
// the client. When that statement fails (the backend was terminated: failover, network cut, pg_terminate_backend)
// Prisma's transaction manager never calls commit()/rollback(), so the client is never released and the pool
// keeps counting it. After as many losses as the pool has connections every query waits forever.
// Here: a transaction whose COMMIT/ROLLBACK failed releases its client itself, and a client that failed at the
// connection level (or while ending a transaction) is destroyed on release instead of going back to the pool.
//
// No connection may ever be without an 'error' listener (an 'error' event without one throws: the process dies).
// pg-pool listens only while a client is idle, and removes that listener as it hands the client out. Ours is added
// in the same synchronous step (the pool's 'connect' event), not after a promise settles: the backend's FATAL (57P01
// after pg_terminate_backend, a failover) can arrive in the same socket read as the ReadyForQuery that completed
// the checkout, and pg emits it before any promise callback runs.
import type { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { flushDeferred, needsDeferred, noteMarkedStatement, noteTransactionStart, type TxConnection } from "./tx-sql.ts";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type Query = Parameters<Transaction["executeRaw"]>[0];

/** SQLSTATE classes that mean the connection itself is gone; an error without a code is a socket/driver error. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string" || code.length !== 5) return true;
  return code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03";
}

/** Prisma's codes for "could not reach / lost the server", and adapter-pg's kinds for the same. */
const PRISMA_UNREACHABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
const ADAPTER_UNREACHABLE = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const NET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);
const UNREACHABLE_TEXT = /Connection terminated|not queryable|timeout exceeded when trying to connect|Client has encountered a connection error|Transaction already closed|terminating connection due to administrator command/i;

/**
 * Whether an error from pg, adapter-pg or Prisma means the database could not be reached or the connection broke
 * (failover, network cut, pg_terminate_backend), not that the work itself is wrong: worth retrying without
 * counting it against the event. Follows the `cause` chain, since Prisma and pg-pool wrap the driver's error.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === "object" && depth < 6; depth++) {
    const o = e as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown };
    const pgCode = typeof o.originalCode === "string" ? o.originalCode : typeof o.code === "string" && o.code.length === 5 ? o.code : undefined;
    if (pgCode && (pgCode.startsWith("08") || pgCode === "57P01" || pgCode === "57P02" || pgCode === "57P03")) return true;
    if (typeof o.code === "string" && (PRISMA_UNREACHABLE.has(o.code) || NET_CODES.has(o.code))) return true;
    if (typeof o.kind === "string" && ADAPTER_UNREACHABLE.has(o.kind)) return true;
    if (typeof o.message === "string" && UNREACHABLE_TEXT.test(o.message)) return true;
    e = o.cause;
  }
  return false;
}

const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK)\b/i;
const ROLLS_BACK = /^\s*ROLLBACK\s*;?\s*$/i;

type Release = (err?: Error | boolean) => void;

/**
 * A pg.Pool (so adapter-pg accepts it as an external pool) whose clients are released at most once, and with an
 * error when they broke: pg-pool then destroys them and opens a fresh connection on demand.
 */
export class ResilientPool extends pg.Pool {
  constructor(config?: pg.PoolConfig) {
    super(config);
    // Emitted by pg-pool for each new client just before it drops its idle listener and hands the client out.
    this.on("connect", (client: pg.PoolClient) => void watch(client));
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: Release) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: Release) => void): Promise<pg.PoolClient> | void {
    // Always pg-pool's callback form: it runs in the step that hands the client out, so guard() is in place before
    // anything else can happen on the connection (a `.then` would run only after the socket read that delivered it).
    if (!callback) {
      return new Promise((resolve, reject) =>
        super.connect((err, client) => (err || !client ? reject(err ?? new Error("pool gave no client")) : resolve(guard(client)))),
      );
    }
    super.connect((err, client, done) => {
      if (err || !client) return callback(err, client, done);
      const guarded = guard(client);
      callback(undefined, guarded, guarded.release);
    });
  }
}

/** Per connection: the error that made it unusable, if any (a broken client is destroyed, never reused). */
const health = new WeakMap<pg.PoolClient, { broken?: Error }>();

/** Once per connection, for its whole life: the 'error' listener, and the query wrapper that notes a broken one. */
function watch(client: pg.PoolClient): { broken?: Error } {
  const known = health.get(client);
  if (known) return known;
  const s: { broken?: Error } = {};
  health.set(client, s);
  // Checked-out clients have no pool listener: without this an 'error' on a lost connection crashes the process.
  client.on("error", (err: Error) => (s.broken ??= err));
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: unknown } | undefined)?.text;
      result.catch((err: unknown) => {
        // A failed COMMIT/ROLLBACK leaves the session in an unknown transaction state: never reuse it.
        if (isConnectionError(err) || (typeof text === "string" && ENDS_TRANSACTION.test(text))) s.broken ??= err instanceof Error ? err : new Error(String(err));
      });
    }
    return result;
  };
  return s;
}

function guard(client: pg.PoolClient): pg.PoolClient {
  const current = watch(client);
  let released = false;
  const poolRelease = client.release; // set afresh by pg-pool at every checkout
  client.release = (err?: Error | boolean) => {
    // pg-pool throws on a second release; a transaction path that releases twice must not crash a request.
    if (released) return;
    released = true;
    poolRelease(err ?? current.broken);
  };
  return client;
}

/**
 * Wraps adapter-pg so that a transaction whose COMMIT or ROLLBACK failed releases its connection (destroyed, see
 * above) instead of leaking it, and so that ending a transaction twice is harmless.
 */
export function withReleasingTransactions(factory: PrismaPg): PrismaPg {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === "connect") return async () => wrapAdapter(await target.connect());
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function wrapAdapter(adapter: Adapter): Adapter {
  return new Proxy(adapter, {
    get(target, prop) {
      if (prop === "startTransaction") return async (...args: Parameters<Adapter["startTransaction"]>) => wrapTransaction(await target.startTransaction(...args));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function wrapTransaction(tx: Transaction): Transaction {
  // adapter-pg's transaction keeps its pooled client as `client`: handed to tx-sql.ts for statements that skip Prisma.
  const client = (tx as unknown as { client?: pg.PoolClient }).client;
  const conn: TxConnection | null = client && typeof client.query === "function" ? { client, closed: false, deferred: [] } : null;
  if (conn) noteTransactionStart(conn);
  let ended = false;
  const end = async (how: "commit" | "rollback") => {
    if (conn) conn.closed = true;
    if (ended) return;
    ended = true;
    await (how === "commit" ? tx.commit() : tx.rollback());
  };
  /** Before the statement: rows deferred by tx-sql.ts go first if it may see them (and before COMMIT); ROLLBACK drops them. */
  const before = async (query: Query) => {
    if (!conn) return;
    if (query.sql.startsWith("/*tx:")) noteMarkedStatement(query.sql, conn);
    const ending = ENDS_TRANSACTION.test(query.sql);
    if (ending && /^\s*ROLLBACK/i.test(query.sql)) conn.deferred = [];
    if (ending ? conn.deferred.length : needsDeferred(conn, query.sql)) {
      try {
        await flushDeferred(conn);
      } catch (err) {
        // The transaction is aborted: end it here, so the connection goes back clean (Prisma's COMMIT never runs).
        if (ending) await conn.client.query("ROLLBACK").catch(() => undefined);
        throw err;
      }
    }
    if (ending) conn.closed = true;
  };
  // One statement at a time: Prisma runs a nested read's queries with Promise.all on the transaction's one
  // connection, which pg only queues (warning that it will stop doing so) and which would let a deferred flush
  // (before) interleave with another statement.
  let queue: Promise<unknown> = Promise.resolve();
  const run = <T>(fn: (q: Query) => Promise<T>, rolledBack?: T) =>
    (query: Query): Promise<T> => {
      const go = async (): Promise<T> => {
        try {
          await before(query);
          return await fn(query);
        } catch (err) {
          // Prisma will not call commit()/rollback() after its COMMIT/ROLLBACK statement failed: release here.
          if (ENDS_TRANSACTION.test(query.sql)) await end("rollback").catch(() => undefined);
          // A ROLLBACK fails only when the session is gone, and the server rolls back what a lost session left open:
          // the transaction did end as asked. Prisma's timeout timer sends ROLLBACK without handling a failure (an
          // unhandled rejection that would end the process), so the failure stops here; the connection is destroyed.
          if (rolledBack !== undefined && ROLLS_BACK.test(query.sql)) return rolledBack;
          throw err;
        }
      };
      const result = queue.then(go, go);
      queue = result.catch(() => undefined);
      return result;
    };
  const queryRaw = run((q) => tx.queryRaw(q));
  const executeRaw = run((q) => tx.executeRaw(q), 0);
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === "queryRaw") return queryRaw;
      if (prop === "executeRaw") return executeRaw;
      if (prop === "commit") return () => end("commit");
      if (prop === "rollback") return () => end("rollback");
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
