import type { Tx } from "../tx.ts";

/** Serialises one person's events across workers and instances for the rest of the transaction. */
export async function lockUserForTransaction(tx: Tx, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${"user:" + userId}))::text`;
}
