// The outbox: everything to send. Handlers enqueue inside their transaction (so a reply exists exactly when
// the change it reports does); the outbox worker claims and delivers with retry.
import { z } from "zod";
import { OutboundMessageSchema, type OutboundMessage, type SendResult } from "../../core/outbound-message.ts";
import type { ClaimedOutboxMessage, OutboxStore } from "../../core/ports.ts";
import type { SqlRunner } from "../../db/sql-runner.ts";
import { deferredJson, jsonRowsInsertSql, sql, takeDeferred } from "../../db/tx-sql.ts";
import { renewLease } from "./lease.repo.ts";
import type { Tx } from "../tx.ts";
import { REFUSAL_KEEP_MS } from "./refusal.ts";

/**
 * Messages into the outbox with one multi-row INSERT … ON CONFLICT DO NOTHING (a repeated dedupe key is skipped),
 * in the given order. With `inboxDone`, the same statement marks that inbox event (or those events: several people's
 * handled in one transaction) done. Either way it also writes the rows the unit deferred (the cards it sent,
 * json-rows.repo.ts): the last statement of a unit of work, one round trip instead of one per table.
 *
 * Its arrays (and mark-sent's and recentSends') are read through a subquery, `(SELECT $n::text[])`: given the values,
 * the planner counted their elements, without them it assumed 10 and found the prepared statement's generic plan
 * dearer, so PostgreSQL planned it afresh on every call (0.15-0.3 ms of CPU each). Through a subquery both plans count
 * alike and the generic one (the same plan) is kept.
 */
export async function enqueueMessages(tx: Tx, messages: OutboundMessage[], inboxDone?: { id: string | string[]; at: Date }): Promise<void> {
  if (messages.length === 0 && !inboxDone) return;
  const params: unknown[] = [];
  const ctes: string[] = [];
  if (inboxDone) {
    params.push(inboxDone.at, Array.isArray(inboxDone.id) ? inboxDone.id : [inboxDone.id]);
    ctes.push(`done AS (UPDATE "InboxEvent" SET status = 'done', "processedAt" = $1::timestamptz, "lockedUntil" = NULL WHERE id = ANY ((SELECT $2::bigint[])::bigint[]))`);
  }
  for (const d of takeDeferred(tx)) {
    params.push(deferredJson(d));
    ctes.push(`w${ctes.length} AS (${jsonRowsInsertSql(d.table, d.columns, d.extra, params.length)})`);
  }
  let main = "SELECT 1";
  if (messages.length) {
    const first = params.length + 1;
    params.push(
      messages.map((m) => m.platform),
      messages.map((m) => m.recipient),
      messages.map((m) => m.userId ?? null),
      messages.map((m) => m.body.type),
      // JSON.stringify alone writes what toJsonValue's round trip through JSON text would (Dates as ISO strings,
      // undefined left out): the round trip parsed and wrote every picture's 80 KB of base64 twice more.
      messages.map((m) => JSON.stringify(m)),
      messages.map((m) => m.dedupeKey ?? null),
    );
    const p = (i: number) => `(SELECT $${first + i}::text[])`;
    main = `INSERT INTO "OutboxMessage" (platform, recipient, "userId", kind, payload, "dedupeKey")
    SELECT p, r, u, k, j::jsonb, d FROM unnest(${[0, 1, 2, 3, 4, 5].map(p).join(", ")}) AS t(p, r, u, k, j, d)
    ON CONFLICT DO NOTHING`;
  }
  await sql(tx).execute(ctes.length ? `WITH ${ctes.join(",\n  ")}\n${main}` : main, params);
}

/** A stored message read back through its schema (the driver may hand jsonb over as text). */
function readPayload(payload: unknown): { success: true; data: OutboundMessage } | { success: false; error: string } {
  let value = payload;
  if (typeof payload === "string") {
    try {
      value = JSON.parse(payload);
    } catch (err) {
      return { success: false, error: `not JSON (${(err as Error).message})` };
    }
  }
  const r = OutboundMessageSchema.safeParse(value);
  return r.success ? { success: true, data: r.data } : { success: false, error: z.prettifyError(r.error) };
}

interface Mark {
  id: string;
  token: string;
  result: SendResult;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Marks the delivered messages sent; a delivered card also keeps how the platform knows it (its id, WeCom's one-shot
 * update code). Several messages in one statement (see markSent). A message's row changes only while the caller's
 * claim holds (`lockedUntil` is its token), so a worker that lost the claim changes nothing.
 */
const MARK_SENT = `WITH i AS (SELECT * FROM unnest((SELECT $1::bigint[]), (SELECT $2::text[]), (SELECT $3::text[]), (SELECT $4::text[])) AS t(id, token, ext, code)),
  m AS (UPDATE "OutboxMessage" o SET status = 'sent', "sentAt" = now(), "lockedUntil" = NULL,
               -- A delivered picture's bytes are not kept: the row stays small once sent (its alt text stays).
               payload = CASE WHEN o.kind = 'image' THEN jsonb_set(o.payload, '{body,png}', '""'::jsonb) ELSE o.payload END
          FROM i WHERE o.id = i.id AND o."lockedUntil"::text = i.token
          RETURNING CASE WHEN o.kind = 'card' THEN o.payload #>> '{body,card,ref}' END AS ref, i.ext, i.code)
  UPDATE "Card" c SET "externalId" = coalesce(m.ext, c."externalId"), "responseCode" = coalesce(m.code, c."responseCode"), "updatedAt" = now()
    FROM m WHERE c.ref = m.ref AND (m.ext IS NOT NULL OR m.code IS NOT NULL)`;

/**
 * How long a send's mark waits for others to share its statement. Each answer from the platform arrives on its own,
 * so without a wait nearly every mark went alone; a lane waits this long more per message.
 */
const MARK_WINDOW_MS = 3;

export class OutboxRepo implements OutboxStore {
  /** markSent calls waiting for the statement that records them together. */
  private marks: Mark[] = [];

  constructor(private readonly sql: SqlRunner) {}

  async claim(limit: number, lockMs: number, platforms: string[]): Promise<ClaimedOutboxMessage[]> {
    // The due messages, one per recipient (its earliest pending one), oldest due first: a function (migration
    // outbox_claim_in_order) so that it walks the due messages' index and stops after the batch, whatever the
    // planner's statistics say.
    const rows = (await this.sql.query<{ claimed_id: string; claimed_payload: unknown; claimed_attempts: number; claimed_created_at: Date | string; claimed_token: string }>(
      `SELECT claimed_id, claimed_payload, claimed_attempts, claimed_created_at, claimed_token FROM outbox_claim($1::int, $2::double precision, $3::text[])`,
      [limit, lockMs, platforms],
      { prepare: "outbox_claim_fn" },
    )).map((r) => ({ id: r.claimed_id, payload: r.claimed_payload, attempts: r.claimed_attempts, createdAt: r.claimed_created_at, token: r.claimed_token }));
    const claimed: ClaimedOutboxMessage[] = [];
    for (const r of rows) {
      const parsed = readPayload(r.payload);
      // A row no sender could read is dead-lettered at once (kept, with the reason), never handed to the worker.
      if (!parsed.success) await this.markDead(String(r.id), r.token, `unreadable payload: ${parsed.error}`);
      else claimed.push({ id: String(r.id), message: parsed.data, attempts: r.attempts, createdAt: new Date(r.createdAt), lockToken: r.token });
    }
    return claimed.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  }

  async renew(id: string, lockToken: string, lockMs: number): Promise<string | null> {
    return renewLease(this.sql, "OutboxMessage", id, lockToken, lockMs);
  }

  /**
   * Messages delivered to each recipient within the window; a card update edits one already counted, so it does not
   * count. Looked up recipient by recipient (OFFSET 0 keeps the subquery a per-recipient index probe): written as
   * `recipient = ANY(…)`, or as a join the planner may flatten, it filtered every message the platform was ever
   * sent whenever the statistics predate a burst (4–5 ms of PostgreSQL CPU a batch, 100 ms at 5,000 sent).
   */
  async recentSends(platform: string, recipients: string[], windowMs: number): Promise<Map<string, Date[]>> {
    const out = new Map<string, Date[]>(recipients.map((r) => [r, []]));
    if (recipients.length === 0) return out;
    const rows = await this.sql.query<{ recipient: string; sentAt: Date }>(
      `SELECT r.recipient, m."sentAt" FROM unnest((SELECT $2::text[])) AS r(recipient)
       CROSS JOIN LATERAL (SELECT o."sentAt" FROM "OutboxMessage" o WHERE o.platform = $1 AND o.recipient = r.recipient
                             AND o."sentAt" > now() - make_interval(secs => (SELECT $3::double precision / 1000))
                             AND o.status = 'sent' AND o.kind <> 'card_update' OFFSET 0) m
       ORDER BY m."sentAt"`,
      [platform, [...new Set(recipients)], windowMs],
      { prepare: "outbox_recent_sends" },
    );
    for (const r of rows) out.get(r.recipient)?.push(new Date(r.sentAt));
    return out;
  }

  /** Deletes strangers' refusals that throttle nothing any more (a few thousand a call, to keep it short). */
  async housekeep(): Promise<number> {
    const rows = await this.sql.query(
      `DELETE FROM "OutboxMessage" WHERE id IN (
         SELECT id FROM "OutboxMessage" WHERE "dedupeKey" LIKE 'refuse:%' AND status IN ('sent', 'dead')
           AND "createdAt" < now() - make_interval(secs => $1::double precision / 1000) LIMIT 5000)
       RETURNING id`,
      [REFUSAL_KEEP_MS],
    );
    return rows.length;
  }

  // The updates below apply only while the caller's claim holds, so a worker that lost it changes nothing.
  /**
   * Sends that complete within MARK_WINDOW_MS of each other (the worker's side-by-side lanes) are recorded by one
   * statement: one round trip for them all instead of one each. Each caller's promise
   * settles with that statement (when it fails, every caller hears so and keeps its outcome for later).
   */
  markSent(id: string, lockToken: string, result: SendResult): Promise<void> {
    return new Promise((resolve, reject) => {
      this.marks.push({ id, token: lockToken, result, resolve, reject });
      if (this.marks.length === 1) setTimeout(() => void this.flushMarks(), MARK_WINDOW_MS);
    });
  }

  private async flushMarks(): Promise<void> {
    const batch = this.marks;
    this.marks = [];
    try {
      await this.sql.query(
        MARK_SENT,
        [batch.map((m) => m.id), batch.map((m) => m.token), batch.map((m) => m.result.externalId ?? null), batch.map((m) => m.result.responseCode ?? null)],
        { prepare: "outbox_mark_sent" },
      );
      for (const m of batch) m.resolve();
    } catch (err) {
      for (const m of batch) m.reject(err);
    }
  }

  async reschedule(id: string, lockToken: string, error: string, nextAttemptAt: Date, opts: { notAnAttempt?: boolean } = {}): Promise<void> {
    // The claim counted an attempt; a message that only waited its turn gives it back, so back-off stays honest.
    await this.sql.query(
      `UPDATE "OutboxMessage" SET "nextAttemptAt" = $2, "lastError" = $3, "lockedUntil" = NULL${opts.notAnAttempt ? ", attempts = greatest(attempts - 1, 0)" : ""}
       WHERE id = $1::bigint AND "lockedUntil"::text = $4`,
      [id, nextAttemptAt, error.slice(0, 2000), lockToken],
      { prepare: opts.notAnAttempt ? "outbox_reschedule_wait" : "outbox_reschedule" },
    );
  }

  async markDead(id: string, lockToken: string, error: string): Promise<void> {
    await this.sql.query(
      `UPDATE "OutboxMessage" SET status = 'dead', "lastError" = $2, "lockedUntil" = NULL WHERE id = $1::bigint AND "lockedUntil"::text = $3`,
      [id, error.slice(0, 2000), lockToken],
    );
  }
}
