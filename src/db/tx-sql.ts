// Raw SQL on a Prisma transaction's own pg connection, without Prisma's per-statement machinery (on this machine a
// statement costs about 1 ms of CPU through Prisma's interactive transaction and a quarter of that through pg).
//
// The transaction stays Prisma's ($transaction: one BEGIN, one COMMIT or ROLLBACK, its timeout): the unit of work
// sends its first statement through Prisma with a marker comment, the adapter wrapper (pg-pool.ts) sees the marker
// on that transaction's connection and hands the connection over, and from then on `sql(tx)` sends statements
// straight to it. Once Prisma ends the transaction (commit, rollback, timeout) the connection is no longer used
// here: a statement then fails as Prisma's would, never runs outside the transaction. On PGlite, or before the
// binding, `sql(tx)` goes through `tx.$queryRawUnsafe` as before.
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";

/** What `sql()` accepts: a Prisma client or a Prisma transaction client (anything with $queryRawUnsafe). */
export interface RawQueryable {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/** Rows written later, in the transaction's next statement (see deferInsert). */
export interface DeferredInsert {
  table: string;
  columns: Record<string, string>;
  extra: Record<string, string>;
  /** Each row as JSON, serialised when it was deferred. */
  rows: string[];
  /**
   * Tables whose mention in a statement makes the rows be written before it: the table itself and the tables its
   * foreign keys refer to (a statement that names none of them can neither see the rows nor conflict with them).
   */
  flushOn: string[];
}

/** A Prisma transaction's connection, as the adapter wrapper sees it. */
export interface TxConnection {
  client: pg.PoolClient;
  /** Set when Prisma sends COMMIT or ROLLBACK (or ends the transaction): nothing more may run on it from here. */
  closed: boolean;
  deferred: DeferredInsert[];
}

const marked = new Map<string, TxConnection>();
const bound = new WeakMap<object, TxConnection>();
const pools = new WeakMap<object, pg.Pool>();
let seq = 0;

const MARK = /^\/\*tx:(\d+)\*\//;

/** A transaction being opened by openBound: the connection the adapter wrapper began it on. */
interface Opening {
  conn?: TxConnection;
  /** Set once the transaction's callback took the connection: a later transaction in this context is not ours. */
  taken?: boolean;
}
const opening = new AsyncLocalStorage<Opening>();

/**
 * Runs `open`, which starts one Prisma transaction whose callback calls `bindOpened(tx)` first: the adapter wrapper
 * (pg-pool.ts) tells which connection it sent BEGIN on, so the transaction's statements skip Prisma from the very
 * first one (firstStatement then needs no round trip through Prisma to find its connection). Where the connection
 * cannot be told (PGlite, Prisma starting the transaction outside this call's async context) nothing changes.
 */
export function openBound<T>(open: () => Promise<T>): Promise<T> {
  return opening.run({}, open);
}

/** The adapter wrapper, as it begins a transaction. */
export function noteTransactionStart(conn: TxConnection): void {
  const o = opening.getStore();
  if (o && !o.taken && !o.conn) o.conn = conn;
}

/** First thing in the callback of the transaction openBound started: binds `tx` to its connection. */
export function bindOpened(tx: object): void {
  const o = opening.getStore();
  if (!o || o.taken) return;
  o.taken = true;
  if (o.conn && !o.conn.closed) bound.set(tx, o.conn);
}

/** Called by the adapter wrapper for every statement of a transaction: remembers the connection of a marked one. */
export function noteMarkedStatement(sqlText: string, conn: TxConnection): void {
  const m = MARK.exec(sqlText);
  if (m) marked.set(m[1]!, conn);
}

/** database.ts: statements through `sql(prisma)` outside a transaction use this pool directly. */
export function bindPool(prisma: object, pool: pg.Pool): void {
  pools.set(prisma, pool);
}

/**
 * The first statement of a transaction, through Prisma; binds `tx` to its connection when there is one (PostgreSQL),
 * so that the statements after it can skip Prisma.
 */
export async function firstStatement<T>(tx: RawQueryable, text: string, params: unknown[]): Promise<T[]> {
  if (bound.has(tx)) return sql(tx).query<T>(text, params); // openBound: bound already
  const token = String(++seq);
  try {
    const rows = await tx.$queryRawUnsafe<T[]>(`/*tx:${token}*/ ${text}`, ...params);
    const conn = marked.get(token);
    if (conn && !conn.closed) bound.set(tx, conn);
    return rows;
  } finally {
    marked.delete(token);
  }
}

/** Whether `tx` runs its statements on its connection directly (tests). */
export function isBound(tx: object): boolean {
  return bound.has(tx);
}

export interface TxSql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** The number of rows changed. */
  execute(text: string, params?: unknown[]): Promise<number>;
}

function closedError(): Error {
  // Worded as Prisma words it, so that it is recognised as the transaction having ended (pg-pool.ts).
  return new Error("Transaction already closed: the transaction ended (timeout, rollback or lost connection) before this statement");
}

/** Whether `text` might see or conflict with the deferred rows (it names one of their tables: quoted, as it must). */
export function needsDeferred(conn: TxConnection, text: string): boolean {
  return conn.deferred.some((d) => d.flushOn.some((t) => text.includes(`"${t}"`)));
}

/** Statement names by text (see prepared): one name per text for the life of the process. */
const names = new Map<string, string>();
/** Texts beyond this many run unprepared: a statement built with a varying text must not fill every connection. */
const MAX_PREPARED = 400;

/**
 * The statement as pg's named (prepared) query: parsed and planned once per connection, then only bound and run.
 * Planning cost more than running for most hot statements (PostgreSQL CPU per call, unnamed vs named, on this
 * machine: the visit target read 0.43 vs 0.03 ms, the customer search 1.33 vs 0.63 ms, the batch's open questions
 * 0.77 vs ~0, mark-sent 0.73 vs 0.23). PostgreSQL re-plans by itself when a table it uses changes.
 *
 * "Planned once" holds only when PostgreSQL settles on the statement's generic plan, which it does after five runs
 * unless that plan looks dearer than the ones made with the values. An array parameter ($1::text[] in unnest or
 * `= ANY`) does that: with the values the planner counts its elements, without them it assumes 10, and the statement
 * is then planned on every call for ever (mark-sent above, and the visit write, until they changed). Read such an
 * array through a subquery, `unnest((SELECT $1::text[]))`, `= ANY ((SELECT $1::text[])::text[])`, so both plans
 * count alike, and keep a join on it a per-row probe (LATERAL … OFFSET 0) where 10 rows could tip it into a hash
 * join; test/foundation/generic-plans.test.ts checks the hot ones.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED) names.set(text, (name = `txsql_${names.size + 1}`));
  return name === undefined ? { text, values } : { name, text, values };
}

async function run(conn: TxConnection, text: string, params: unknown[]): Promise<pg.QueryResult> {
  if (conn.closed) throw closedError();
  if (needsDeferred(conn, text)) await flushDeferred(conn);
  if (conn.closed) throw closedError();
  return conn.client.query(prepared(text, params));
}

/**
 * Statements for `tx`: on its own connection when bound (firstStatement), through the pool when it is a Prisma
 * client opened on PostgreSQL, else through Prisma. Values come back as pg gives them (bigint and numeric as text,
 * timestamptz as Date, json parsed): cast in SQL where the type matters, as Prisma's raw queries need too.
 */
export function sql(tx: RawQueryable): TxSql {
  const conn = bound.get(tx);
  if (conn) {
    return {
      query: async <T>(text: string, params: unknown[] = []) => (await run(conn, text, params)).rows as T[],
      execute: async (text: string, params: unknown[] = []) => (await run(conn, text, params)).rowCount ?? 0,
    };
  }
  const pool = pools.get(tx);
  if (pool) {
    return {
      query: async <T>(text: string, params: unknown[] = []) => (await pool.query(prepared(text, params))).rows as T[],
      execute: async (text: string, params: unknown[] = []) => (await pool.query(prepared(text, params))).rowCount ?? 0,
    };
  }
  const prisma = tx as RawQueryable & { $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> };
  return {
    query: <T>(text: string, params: unknown[] = []) => prisma.$queryRawUnsafe<T[]>(text, ...params),
    execute: (text: string, params: unknown[] = []) => prisma.$executeRawUnsafe(text, ...params),
  };
}

/** INSERT … SELECT FROM jsonb_to_recordset($n) for one table: `rows` go as one JSON parameter. */
export function jsonRowsInsertSql(table: string, columns: Record<string, string>, extra: Record<string, string>, param: number): string {
  const q = (name: string) => `"${name}"`;
  const names = Object.keys(columns);
  const extras = Object.keys(extra);
  return `INSERT INTO ${q(table)} (${[...names, ...extras].map(q).join(", ")})
     SELECT ${[...names.map((n) => `r.${q(n)}`), ...extras.map((n) => extra[n]!)].join(", ")}
     FROM jsonb_to_recordset($${param}::jsonb) AS r(${names.map((n) => `${q(n)} ${columns[n]}`).join(", ")})`;
}

/**
 * Rows to insert as part of a later statement rather than with a round trip of their own (a card sent with a reply:
 * the unit's last statement writes it with the outbox rows). A statement that names one of `flushOn`'s tables first
 * writes them, so none can miss them (and COMMIT writes what is left). False when `tx` is not bound: the caller
 * writes them now.
 */
export function deferInsert(tx: object, insert: DeferredInsert): boolean {
  const conn = bound.get(tx);
  if (!conn || conn.closed) return false;
  const same = conn.deferred.find((d) => d.table === insert.table && sameKeys(d.columns, insert.columns) && sameKeys(d.extra, insert.extra) && d.flushOn.join() === insert.flushOn.join());
  if (same) same.rows.push(...insert.rows);
  else conn.deferred.push({ ...insert, rows: [...insert.rows] });
  return true;
}

const sameKeys = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(a) === JSON.stringify(b);

/** A deferred insert's rows as the one JSON array parameter of jsonRowsInsertSql. */
export const deferredJson = (d: DeferredInsert): string => `[${d.rows.join(",")}]`;

/** The deferred rows, handed to the caller to write within its own statement (and no longer written here). */
export function takeDeferred(tx: object): DeferredInsert[] {
  const conn = bound.get(tx);
  if (!conn || conn.closed) return [];
  const out = conn.deferred;
  conn.deferred = [];
  return out;
}

/** Writes the deferred rows now (before another statement, or before COMMIT). */
export async function flushDeferred(conn: TxConnection): Promise<void> {
  while (conn.deferred.length) {
    const d = conn.deferred.shift()!;
    await conn.client.query(prepared(jsonRowsInsertSql(d.table, d.columns, d.extra, 1), [deferredJson(d)]));
  }
}
