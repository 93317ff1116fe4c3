// The inbox: every accepted platform event, written before the platform gets its ack. On the hot path
// accepts are gathered for a couple of milliseconds and written with one multi-row insert
// (ON CONFLICT DO NOTHING), which is what keeps the callback p99 low under load (README.md (data)).
import { InboundEventSchema, withoutNul, type InboundEvent } from "../../core/inbound-event.ts";
import type { AcceptOutcome, ClaimedInboxEvent, InboxStore } from "../../core/ports.ts";
import { isConnectionError } from "../../db/pg-pool.ts";
import type { SqlRunner } from "../../db/sql-runner.ts";
import { renewLease } from "./lease.repo.ts";
import type { Tx } from "../tx.ts";
import { refusalKey, refusalMessage } from "./refusal.ts";

interface Pending {
  event: InboundEvent;
  resolve: (o: AcceptOutcome) => void;
  reject: (e: unknown) => void;
}

export interface InboxRepoOptions {
  batchWindowMs?: number;
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

export class InboxRepo implements InboxStore {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sql: SqlRunner,
    private readonly opts: InboxRepoOptions = {},
  ) {}

  accept(event: InboundEvent): Promise<AcceptOutcome> {
    return new Promise((resolve, reject) => {
      // Answer well inside WeCom's 5 s even when the pool is exhausted. A write that lands after the timeout is
      // harmless: the platform's retry is then a duplicate and is acknowledged.
      const timeoutMs = this.opts.acceptTimeoutMs ?? 3000;
      const timer = setTimeout(
        () => reject(new InboxUnavailableError(`inbox write not stored within ${timeoutMs} ms (database busy or unreachable); the platform will retry`)),
        timeoutMs,
      );
      const settle = () => clearTimeout(timer);
      this.queue.push({
        event: withoutNul(event),
        resolve: (o) => (settle(), resolve(o)),
        reject: (e) => (settle(), reject(e)),
      });
      if (this.queue.length >= (this.opts.maxBatch ?? 200)) this.flushSoon(0);
      else this.flushSoon(this.opts.batchWindowMs ?? 2);
    });
  }

  private flushSoon(ms: number): void {
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const batch = this.queue;
      this.queue = [];
      this.write(batch).catch((err: unknown) => {
        // No connection: retrying row by row would only multiply the wait.
        if (isConnectionError(err)) batch.forEach((p) => p.reject(new InboxUnavailableError(`inbox write failed: ${String(err)}`, { cause: err })));
        else return this.writeOneByOne(batch);
      });
    }, ms);
  }

  /** A batch failed (one bad row, a lost connection): try each alone so one event cannot sink the others. */
  private async writeOneByOne(batch: Pending[]): Promise<void> {
    for (const p of batch) await this.write([p]).catch((err) => p.reject(err));
  }

  private async write(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    // One round trip: keep the events of people the bot serves (an active user with that account), insert them,
    // and say which senders were known and which events are new (a retry of a stored one is not).
    const rows = await this.sql.query<{ what: "known" | "inserted"; platform: string; key: string }>(
      `WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) AS t(platform, "eventId", "senderId", payload)),
       known AS (SELECT i.* FROM input i WHERE EXISTS (SELECT 1 FROM "Identity" d JOIN "User" u ON u.id = d."userId" AND u.active
                                                      WHERE d.platform = i.platform AND d."externalId" = i."senderId")),
       ins AS (INSERT INTO "InboxEvent" (platform, "eventId", "senderId", payload) SELECT * FROM known
               ON CONFLICT (platform, "eventId") DO NOTHING RETURNING platform, "eventId")
       SELECT 'known' AS what, platform, "senderId" AS key FROM known UNION ALL SELECT 'inserted', platform, "eventId" FROM ins`,
      [
        batch.map((p) => p.event.platform),
        batch.map((p) => p.event.eventId),
        batch.map((p) => p.event.senderId),
        batch.map((p) => JSON.stringify(p.event)),
      ],
    );
    const knownSet = new Set(rows.filter((r) => r.what === "known").map((r) => `${r.platform}\u0000${r.key}`));
    const inserted = new Set(rows.filter((r) => r.what === "inserted").map((r) => `${r.platform}\u0000${r.key}`));
    const isKnown = (p: Pending) => knownSet.has(`${p.event.platform}\u0000${p.event.senderId}`);
    const toStore = batch.filter(isKnown);
    const strangers = batch.filter((p) => !isKnown(p));
    if (strangers.length) await this.refuse(strangers.map((p) => p.event));

    const claimed = new Set<string>(); // the first of several identical events in one batch wins
    for (const p of toStore) {
      const key = `${p.event.platform}\u0000${p.event.eventId}`;
      if (inserted.has(key) && !claimed.has(key)) {
        claimed.add(key);
        p.resolve("accepted");
      } else p.resolve("duplicate");
    }
    strangers.forEach((p) => p.resolve("unknown_sender"));
    if (claimed.size) this.opts.onAccepted?.();
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
    const rows = await this.sql.query<{ id: string; payload: unknown; attempts: number; token: string }>(
      `UPDATE "InboxEvent" SET "lockedUntil" = clock_timestamp() + make_interval(secs => $2::double precision / 1000), attempts = attempts + 1
       WHERE id IN (SELECT e.id FROM "InboxEvent" e
                    WHERE e.status = 'pending' AND (e."lockedUntil" IS NULL OR e."lockedUntil" < now())
                      AND NOT EXISTS (SELECT 1 FROM "InboxEvent" p WHERE p.platform = e.platform AND p."senderId" = e."senderId"
                                        AND p.status = 'pending' AND p.id < e.id)
                    ORDER BY e.id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id::text AS id, payload, attempts, "lockedUntil"::text AS token`,
      [limit, lockMs],
    );
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
 */
export async function lockAndTakeInboxEvent(tx: Tx, lockKeys: string[], id: string): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<{ status: string }[]>(
    `WITH l AS MATERIALIZED (SELECT count(pg_advisory_xact_lock(hashtext(k)))::int AS n FROM unnest($1::text[]) AS k)
     SELECT e.status::text AS status FROM "InboxEvent" e, l WHERE e.id = $2::bigint FOR UPDATE OF e`,
    lockKeys,
    id,
  );
  return rows[0]?.status === "pending";
}

/** Advisory locks for the rest of the transaction, in the order given, in one statement. */
export async function takeLocks(tx: Tx, lockKeys: string[]): Promise<void> {
  if (lockKeys.length) await tx.$queryRawUnsafe(`SELECT count(pg_advisory_xact_lock(hashtext(k)))::int AS n FROM unnest($1::text[]) AS k`, lockKeys);
}
