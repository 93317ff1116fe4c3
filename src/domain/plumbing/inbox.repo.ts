// The inbox: every accepted platform event, written before the platform gets its ack. On the hot path accepts are
// gathered and written with one multi-row insert (ON CONFLICT DO NOTHING), which is what keeps the callback cheap
// under load: a batch goes out as soon as a write slot is free (at most `maxInFlight` batch writes at a time), and
// whatever arrives while the slots are busy forms the next batch. A lone callback on a quiet bot waits for no
// timer (one round trip); at saturation the batches grow by themselves, so PostgreSQL sees fewer, larger commits.
import { InboundEventSchema, withoutNul, type InboundEvent } from "../../core/inbound-event.ts";
import type { AcceptOutcome, ClaimedInboxEvent, InboxStore } from "../../core/ports.ts";
import { isConnectionError } from "../../db/pg-pool.ts";
import type { SqlRunner } from "../../db/sql-runner.ts";
import { firstStatement } from "../../db/tx-sql.ts";
import { renewLease } from "./lease.repo.ts";
import type { Tx } from "../tx.ts";
import { refusalKey, refusalMessage } from "./refusal.ts";

interface Pending {
  event: InboundEvent;
  /** When it was queued (ms, monotonic): an accept not stored by then + acceptTimeoutMs is failed. */
  at: number;
  settled: boolean;
  resolve: (o: AcceptOutcome) => void;
  reject: (e: unknown) => void;
}

/** Each accept is answered once (a write that lands after the timeout's 503 changes nothing). */
function settle(p: Pending, o: AcceptOutcome): void {
  if (p.settled) return;
  p.settled = true;
  p.resolve(o);
}

function fail(p: Pending, e: unknown): void {
  if (p.settled) return;
  p.settled = true;
  p.reject(e);
}

export interface InboxRepoOptions {
  /** Batch writes in flight at once (default 1: what arrives meanwhile forms the next batch). */
  maxInFlight?: number;
  /** An accept not stored within this time fails (the receiver answers 503 and the platform retries). */
  acceptTimeoutMs?: number;
  maxBatch?: number;
  /** Told after new events were stored, to wake the worker. */
  onAccepted?: () => void;
}

/** The event could not be stored in time: not acknowledged, so the platform retries (the inbox dedupes). */
export class InboxUnavailableError extends Error {
  readonly status = 503;
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = "InboxUnavailableError";
  }
}

/**
 * One round trip per batch: keep the events of people the bot serves (an active user with that account), insert
 * them, and answer only the exceptions — the input rows (their 1-based `n`) that were not inserted, each saying
 * whether its sender is known (then it is a retry of a stored event) or not (a stranger). A batch of new events from
 * known people, the usual case, answers no rows at all. Rows are inserted in arrival order (ORDER BY n: the semi-join
 * may reorder them), so ids keep each person's events in the order they came. A sender is looked up with a correlated
 * subquery, one probe of Identity's primary key per row: written as EXISTS, the planner (which expects 100 rows from
 * any JSON document) hashed the whole Identity and User tables for every batch, most of the statement's time.
 */
const INSERT_BATCH = `WITH input AS (SELECT t.n::int AS n, t.e->>'platform' AS platform, t.e->>'eventId' AS "eventId", t.e->>'senderId' AS "senderId", t.e AS payload
                 FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(e, n)),
  known AS (SELECT i.* FROM input i WHERE (SELECT u.active FROM "Identity" d JOIN "User" u ON u.id = d."userId"
                                           WHERE d.platform = i.platform AND d."externalId" = i."senderId")),
  ins AS (INSERT INTO "InboxEvent" (platform, "eventId", "senderId", payload) SELECT platform, "eventId", "senderId", payload FROM known ORDER BY n
          ON CONFLICT (platform, "eventId") DO NOTHING RETURNING platform, "eventId")
  SELECT i.n, EXISTS (SELECT 1 FROM known k WHERE k.n = i.n) AS known FROM input i
   WHERE NOT EXISTS (SELECT 1 FROM ins WHERE ins.platform = i.platform AND ins."eventId" = i."eventId")`;

export class InboxRepo implements InboxStore {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private sweeper: NodeJS.Timeout | null = null;
  /** Batches handed to the database and not yet answered (or given up on). */
  private readonly writing = new Set<Pending[]>();

  constructor(
    private readonly sql: SqlRunner,
    private readonly opts: InboxRepoOptions = {},
  ) {}

  accept(event: InboundEvent): Promise<AcceptOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event: withoutNul(event), at: performance.now(), settled: false, resolve, reject });
      this.sweepLater();
      this.pump();
    });
  }

  /**
   * Answer well inside WeCom's 5 s even when the database is slow or unreachable: an accept still unsettled after
   * acceptTimeoutMs fails (503). A write that lands after that is harmless: the platform's retry is then a
   * duplicate and is acknowledged. One timer for all waiting accepts, not one each.
   */
  private sweepLater(): void {
    if (this.sweeper) return;
    const timeoutMs = this.opts.acceptTimeoutMs ?? 3000;
    this.sweeper = setTimeout(() => {
      this.sweeper = null;
      const now = performance.now();
      const overdue = (p: Pending) => {
        if (!p.settled && now - p.at >= timeoutMs) fail(p, new InboxUnavailableError(`inbox write not stored within ${timeoutMs} ms (database busy or unreachable); the platform will retry`));
      };
      this.queue.forEach(overdue);
      for (const b of this.writing) b.forEach(overdue);
      // Forget what timed out before it was sent (the others keep their place), and batches whose write hangs
      // once all of their accepts have been answered.
      this.queue = this.queue.filter((p) => !p.settled);
      for (const b of this.writing) if (b.every((p) => p.settled)) this.writing.delete(b);
      if (this.queue.length || this.writing.size) this.sweepLater();
    }, Math.max(50, Math.min(timeoutMs, 250)));
    this.sweeper.unref?.();
  }

  /** Send the next batch if a write slot is free; after the current turn, so that accepts parsed together go together. */
  private pump(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= (this.opts.maxInFlight ?? 1)) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length && this.inFlight < (this.opts.maxInFlight ?? 1)) {
      const max = this.opts.maxBatch ?? 500;
      const batch = this.queue.length <= max ? this.queue : this.queue.slice(0, max);
      this.queue = this.queue.length <= max ? [] : this.queue.slice(max);
      this.inFlight++;
      this.writing.add(batch);
      // A write that hangs (server paused) frees its slot after the accept timeout, so later batches still go out
      // (on another connection) and the bot recovers by itself when the database returns.
      let freed = false;
      const free = () => {
        if (freed) return;
        freed = true;
        clearTimeout(hang);
        this.inFlight--;
        this.pump();
      };
      const hang = setTimeout(free, this.opts.acceptTimeoutMs ?? 3000);
      this.write(batch)
        .catch((err: unknown) => {
          // No connection: retrying row by row would only multiply the wait.
          if (isConnectionError(err)) batch.forEach((p) => fail(p, new InboxUnavailableError(`inbox write failed: ${String(err)}`, { cause: err })));
          else return this.writeOneByOne(batch);
        })
        .finally(() => {
          this.writing.delete(batch);
          free();
        });
    }
  }

  /** A batch failed (one bad row, a lost connection): try each alone so one event cannot sink the others. */
  private async writeOneByOne(batch: Pending[]): Promise<void> {
    for (const p of batch) if (!p.settled) await this.write([p]).catch((err) => fail(p, err));
  }

  private async write(all: Pending[]): Promise<void> {
    // The same event twice in one batch (a platform retry racing the original) is sent once; the later copies are
    // duplicates of it, or strangers like it.
    const first = new Map<string, Pending>();
    const copies: [Pending, Pending][] = [];
    for (const p of all) {
      if (p.settled) continue;
      const key = `${p.event.platform}\u0000${p.event.eventId}`;
      const f = first.get(key);
      if (f) copies.push([p, f]);
      else first.set(key, p);
    }
    const batch = [...first.values()];
    if (batch.length === 0) return;
    // The batch as one JSON array of the events themselves (one native JSON.stringify, no text[] literal to escape
    // row by row); the statement reads each row's keys from its event, so nothing is sent twice.
    const events: InboundEvent[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) events[i] = batch[i]!.event;
    const input = JSON.stringify(events);
    const rows = await this.sql.query<{ n: number; known: boolean }>(INSERT_BATCH, [input], { prepare: "inbox_accept_batch" });
    const outcome = new Map<Pending, AcceptOutcome>(batch.map((p) => [p, "accepted"]));
    for (const r of rows) outcome.set(batch[Number(r.n) - 1]!, r.known ? "duplicate" : "unknown_sender");
    const strangers = batch.filter((p) => outcome.get(p) === "unknown_sender");
    if (strangers.length) await this.refuse(strangers.map((p) => p.event));
    let accepted = 0;
    for (const [p, o] of outcome) {
      if (o === "accepted") accepted++;
      settle(p, o);
    }
    for (const [p, f] of copies) settle(p, outcome.get(f) === "unknown_sender" ? "unknown_sender" : "duplicate");
    if (accepted) this.opts.onAccepted?.();
  }

  /** One polite refusal per stranger per hour, nothing else kept (the outbox prunes it after the hour). */
  private async refuse(events: InboundEvent[]): Promise<void> {
    const now = new Date();
    const msgs = events.map((e) => refusalMessage(e));
    await this.sql.query(
      `INSERT INTO "OutboxMessage" (platform, recipient, kind, payload, "dedupeKey")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[])
       ON CONFLICT ("dedupeKey") DO NOTHING`,
      [
        msgs.map((m) => m.platform),
        msgs.map((m) => m.recipient),
        msgs.map(() => "text"),
        msgs.map((m) => JSON.stringify(m)),
        events.map((e) => refusalKey(e, now)),
      ],
    );
    this.opts.onAccepted?.();
  }

  async claim(limit: number, lockMs: number): Promise<ClaimedInboxEvent[]> {
    // The earliest pending event of each sender whose lease ran out, in id order, up to `limit`, leased for lockMs:
    // a function (migration inbox_claim_in_order) so that it walks the pending events' index and stops after the
    // batch, whatever the planner's statistics say (reading and sorting every pending event cost 20-60 ms a claim).
    const rows = (await this.sql.query<{ claimed_id: string; claimed_payload: unknown; claimed_attempts: number; claimed_token: string }>(
      `SELECT claimed_id, claimed_payload, claimed_attempts, claimed_token FROM inbox_claim($1::int, $2::double precision)`,
      [limit, lockMs],
    )).map((r) => ({ id: r.claimed_id, payload: r.claimed_payload, attempts: r.claimed_attempts, token: r.claimed_token }));
    // Read back through the schema: a row that no longer parses (written by an older version, edited by hand) is
    // set aside as failed with the reason, never handed to a handler as a cast.
    const claimed: ClaimedInboxEvent[] = [];
    for (const r of rows) {
      const parsed = InboundEventSchema.safeParse(typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload);
      if (parsed.success) claimed.push({ id: String(r.id), event: parsed.data, attempts: r.attempts, lockToken: r.token });
      else await this.sql.query(`UPDATE "InboxEvent" SET status = 'failed', "lastError" = $2, "lockedUntil" = NULL WHERE id = $1::bigint`, [String(r.id), `unreadable payload: ${parsed.error.message}`.slice(0, 2000)]);
    }
    return claimed.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  /** Extend a claim this worker still holds (the heartbeat); null when it ran out or the event was finished. */
  async renew(id: string, lockToken: string, lockMs: number): Promise<string | null> {
    return renewLease(this.sql, "InboxEvent", id, lockToken, lockMs);
  }

  async release(id: string, lockToken: string, error: string, retryAt: Date | null): Promise<void> {
    await this.sql.query(
      `UPDATE "InboxEvent" SET "lockedUntil" = $2, "lastError" = $3, status = $4
       WHERE id = $1::bigint AND status = 'pending' AND "lockedUntil"::text = $5`,
      [id, retryAt, error.slice(0, 2000), retryAt ? "pending" : "failed", lockToken],
    );
  }
}

/**
 * The first statement of an event's unit of work: take the advisory locks (keys in the order given, e.g. the people
 * concerned, sorted), then lock the event's row and say whether it is still pending. A worker whose claim expired
 * while another finished the event gets false and must change nothing. One round trip instead of one per lock.
 * It also binds the transaction to its connection (tx-sql.ts): the unit's later statements skip Prisma.
 */
export async function lockAndTakeInboxEvent(tx: Tx, lockKeys: string[], id: string): Promise<boolean> {
  const rows = await firstStatement<{ status: string }>(
    tx,
    `WITH l AS MATERIALIZED (SELECT count(pg_advisory_xact_lock(hashtext(k)))::int AS n FROM unnest($1::text[]) AS k)
     SELECT e.status::text AS status FROM "InboxEvent" e, l WHERE e.id = $2::bigint FOR UPDATE OF e`,
    [lockKeys, id],
  );
  return rows[0]?.status === "pending";
}

/** Advisory locks for the rest of the transaction, in the order given, in one statement (binding it, as above). */
export async function takeLocks(tx: Tx, lockKeys: string[]): Promise<void> {
  if (lockKeys.length) await firstStatement(tx, `SELECT count(pg_advisory_xact_lock(hashtext(k)))::int AS n FROM unnest($1::text[]) AS k`, [lockKeys]);
}

/**
 * lockAndTakeInboxEvent for several people's events handled in one transaction: the advisory locks (sorted keys),
 * then the events' rows locked in id order; returns the ids still pending (the others were finished meanwhile by a
 * worker whose claim outlived ours, and must change nothing). The arrays are read through subqueries so that the
 * prepared statement keeps its generic plan (the same plan) instead of being planned on every call (outbox.repo.ts,
 * enqueueMessages, says why).
 */
export async function lockAndTakeInboxEvents(tx: Tx, lockKeys: string[], ids: string[]): Promise<Set<string>> {
  const rows = await firstStatement<{ id: string; status: string }>(
    tx,
    `WITH l AS MATERIALIZED (SELECT count(pg_advisory_xact_lock(hashtext(k)))::int AS n FROM unnest((SELECT $1::text[])) AS k)
     SELECT e.id::text AS id, e.status::text AS status FROM "InboxEvent" e, l WHERE e.id = ANY ((SELECT $2::bigint[])::bigint[]) ORDER BY e.id FOR UPDATE OF e`,
    [lockKeys, ids],
  );
  return new Set(rows.filter((r) => r.status === "pending").map((r) => String(r.id)));
}
