// A parsed request waiting for the user's choice on a card (which customer, create a new one?).
// kind says what to resume: "log_visit" (record the visit), "lookup_customer" (show the profile) or
// "claim_customer" (take it from the public pool).
import type { Prisma, Tx } from "../tx.ts";

export async function createPendingAction(tx: Tx, userId: string, kind: string, payload: unknown, expiresAt: Date) {
  return tx.pendingAction.create({
    data: { userId, kind, payload: JSON.parse(JSON.stringify(payload)) as Prisma.InputJsonValue, expiresAt },
  });
}

export async function getPendingAction(tx: Tx, id: string) {
  return tx.pendingAction.findUnique({ where: { id } });
}

export async function resolvePendingAction(tx: Tx, id: string, status: "confirmed" | "cancelled" | "expired", now: Date): Promise<boolean> {
  const r = await tx.pendingAction.updateMany({ where: { id, status: "pending" }, data: { status, decidedAt: now } });
  return r.count === 1;
}

/** The person's newest request of one of these kinds still waiting for an answer (expired ones excluded). */
export async function latestOpenPending(tx: Tx, userId: string, kinds: string[], now: Date) {
  if (!kinds.length) return null;
  return tx.pendingAction.findFirst({ where: { userId, status: "pending", kind: { in: kinds }, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } });
}
