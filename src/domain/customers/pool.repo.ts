// The public pool (公海): customers with no owner. Claims take a customer out of it with a conditional update,
// so of two reps claiming at once exactly one wins; the nightly release puts idle customers back.
import { Prisma, type Tx } from "../tx.ts";

/** How many (not deleted) customers a person owns. */
export async function countOwnedCustomers(tx: Tx, userId: string): Promise<number> {
  return tx.customer.count({ where: { ownerId: userId, deletedAt: null } });
}

/** How many customers a person claimed from the pool since `since` (claims are audited as "customer.claim"). */
export async function countClaimsSince(tx: Tx, actorId: string, since: Date): Promise<number> {
  return tx.auditLog.count({ where: { action: "customer.claim", actorId, createdAt: { gte: since } } });
}

/** Gives a pool customer to `userId`; false when it is no longer in the pool (someone else was faster). */
export async function takeFromPool(tx: Tx, customerId: string, userId: string): Promise<boolean> {
  const r = await tx.customer.updateMany({ where: { id: customerId, ownerId: null, deletedAt: null }, data: { ownerId: userId, poolWarnedAt: null } });
  return r.count === 1;
}

/** An owned customer as the release job sees it; `since` is when its owner last showed care for it. */
export interface PoolState {
  id: string;
  name: string;
  ownerId: string | null;
  poolWarnedAt: Date | null;
  /** The latest of: last follow-up (or creation, if none) and the owner's claim from the pool. */
  since: Date;
}

// A claimed customer gets a full period from the claim, not from a follow-up made before it was released.
const SINCE = Prisma.raw(`GREATEST(COALESCE(c."lastFollowUpAt", c."createdAt"),
                        COALESCE((SELECT max(a."createdAt") FROM "AuditLog" a
                                  WHERE a."entityType" = 'customer' AND a."entityId" = c.id AND a.action = 'customer.claim'), c."createdAt"))`);

/** Owned customers idle since before `cutoff`: the ones the release job may have to warn about or release. */
export async function idleOwnedCustomers(tx: Tx, cutoff: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT c.id FROM "Customer" c
    WHERE c."ownerId" IS NOT NULL AND c."deletedAt" IS NULL AND ${SINCE} <= ${cutoff}::timestamptz
    ORDER BY c.id`;
  return rows.map((r) => r.id);
}

/** Locks one customer for this transaction and reads its pool state (null when gone or in the pool). */
export async function lockPoolState(tx: Tx, customerId: string): Promise<PoolState | null> {
  const rows = await tx.$queryRaw<PoolState[]>`
    SELECT c.id, c.name, c."ownerId", c."poolWarnedAt", ${SINCE} AS since
    FROM "Customer" c
    WHERE c.id = ${customerId} AND c."ownerId" IS NOT NULL AND c."deletedAt" IS NULL
    FOR UPDATE OF c`;
  const row = rows[0];
  return row ? { ...row, since: new Date(row.since), poolWarnedAt: row.poolWarnedAt ? new Date(row.poolWarnedAt) : null } : null;
}

/** Puts a customer back in the pool; false when its owner changed meanwhile. */
export async function releaseToPool(tx: Tx, customerId: string, ownerId: string, now: Date): Promise<boolean> {
  const r = await tx.customer.updateMany({ where: { id: customerId, ownerId, deletedAt: null }, data: { ownerId: null, releasedAt: now, poolWarnedAt: null } });
  return r.count === 1;
}

/** Remembers that the owner was told of the coming release (a visit clears it). */
export async function markPoolWarned(tx: Tx, customerId: string, now: Date): Promise<void> {
  await tx.customer.update({ where: { id: customerId }, data: { poolWarnedAt: now } });
}
