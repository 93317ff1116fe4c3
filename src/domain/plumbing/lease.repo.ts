// Claims on inbox and outbox rows are leases: "lockedUntil" is both the expiry and the holder's token.
import type { SqlRunner } from "../../db/sql-runner.ts";

/** Extend a lease this worker still holds; null when it ran out, another worker took it, or the row is done. */
export async function renewLease(sql: SqlRunner, table: "InboxEvent" | "OutboxMessage", id: string, lockToken: string, lockMs: number): Promise<string | null> {
  const rows = await sql.query<{ token: string }>(
    `UPDATE "${table}" SET "lockedUntil" = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
     WHERE id = $1::bigint AND status = 'pending' AND "lockedUntil"::text = $2 AND "lockedUntil" > now()
     RETURNING "lockedUntil"::text AS token`,
    [id, lockToken, lockMs],
  );
  return rows[0]?.token ?? null;
}
