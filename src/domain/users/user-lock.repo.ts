import type { Tx } from "../tx.ts";

/** The advisory-lock key of one person (the unit of work takes several in one statement with the same keys). */
export const userLockKey = (userId: string): string => "user:" + userId;

/** Serialises one person's events across workers and instances for the rest of the transaction. */
export async function lockUserForTransaction(tx: Tx, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${userLockKey(userId)}))::text`;
}
