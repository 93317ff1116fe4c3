// A parsed request waiting for the user's choice on a card (which customer, create a new one?).
// kind says what to resume: "log_visit" (record the visit), "lookup_customer" (show the profile) or
// "claim_customer" (take it from the public pool).
import { toJsonValue } from "../json.ts";
import type { PendingAction, PendingActionStatus } from "../../generated/prisma/client.ts";
import { sql } from "../../db/tx-sql.ts";
import { insertJsonRows } from "../plumbing/json-rows.repo.ts";
import { newRowId } from "../row-id.ts";
import type { Tx } from "../tx.ts";

/** A stored request. Its payload is unchecked JSON: the caller reads it through its kind's own schema. */
export type PendingActionRow = Omit<PendingAction, "payload"> & { payload: unknown };

export async function createPendingAction(tx: Tx, userId: string, kind: string, payload: unknown, expiresAt: Date) {
  return tx.pendingAction.create({
    data: { userId, kind, payload: toJsonValue(payload), expiresAt },
  });
}

/** Many questions at once (a job's batch); returns their ids in the order given. */
export async function createPendingActions(tx: Tx, items: { userId: string; kind: string; payload: unknown; expiresAt: Date }[]): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = items.map((i) => ({ id: newRowId(), userId: i.userId, kind: i.kind, payload: i.payload, expiresAt: i.expiresAt }));
  await insertJsonRows(tx, "PendingAction", { id: "text", userId: "text", kind: "text", payload: "jsonb", expiresAt: "timestamptz" }, rows);
  return rows.map((r) => r.id);
}

export async function getPendingAction(tx: Tx, id: string): Promise<PendingActionRow | null> {
  return tx.pendingAction.findUnique({ where: { id } });
}

export async function resolvePendingAction(tx: Tx, id: string, status: Exclude<PendingActionStatus, "pending">, now: Date): Promise<boolean> {
  const r = await tx.pendingAction.updateMany({ where: { id, status: "pending" }, data: { status, decidedAt: now } });
  return r.count === 1;
}

/** The person's newest request of one of these kinds still waiting for an answer (expired ones excluded). */
export async function latestOpenPending(tx: Tx, userId: string, kinds: string[], now: Date): Promise<PendingActionRow | null> {
  if (!kinds.length) return null;
  return tx.pendingAction.findFirst({ where: { userId, status: "pending", kind: { in: kinds }, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } });
}

/**
 * latestOpenPending for several people at once (the events of one transaction): one statement; people with nothing
 * open are absent. Its values are read through subqueries so that the prepared statement keeps its generic plan (the
 * same plan) instead of being planned on every call (tx-sql.ts, prepared, says why).
 */
export async function latestOpenPendingOf(tx: Tx, userIds: string[], kinds: string[], now: Date): Promise<Map<string, PendingActionRow>> {
  const out = new Map<string, PendingActionRow>();
  if (!kinds.length || !userIds.length) return out;
  const rows = await sql(tx).query<PendingActionRow>(
    `SELECT DISTINCT ON ("userId") id, "userId", kind, payload, status::text AS status, "expiresAt", "createdAt", "decidedAt"
     FROM "PendingAction" WHERE "userId" = ANY ((SELECT $1::text[])::text[]) AND status = 'pending' AND kind = ANY ((SELECT $2::text[])::text[])
       AND "expiresAt" > (SELECT $3::timestamptz)
     ORDER BY "userId", "createdAt" DESC`,
    [[...new Set(userIds)], kinds, now],
  );
  for (const r of rows) {
    const d = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
    out.set(r.userId, { ...r, expiresAt: d(r.expiresAt)!, createdAt: d(r.createdAt)!, decidedAt: d(r.decidedAt) });
  }
  return out;
}
