// The public pool (公海) as a list: customers with no owner, most recently released first, each with why it was
// released (from the audit entry of its last release) and when.
import type { Tx } from "../tx.ts";

export interface PoolRow {
  id: string;
  name: string;
  industry: string | null;
  region: string | null;
  releasedAt: Date | null;
  /** Why it went to the pool, as the audit log tells it (null: never released, e.g. created unowned). */
  reason: string | null;
}

const DAY_MS = 24 * 3600_000;

/** Reads a release's reason from its audit entry: a reason written there, or how long it had been idle. */
export function releaseReason(entry: { actorId: string | null; before: unknown; after: unknown; createdAt: Date } | undefined): string | null {
  if (!entry) return null;
  const after = (entry.after ?? {}) as { reason?: unknown };
  if (typeof after.reason === "string" && after.reason) return after.reason;
  const before = (entry.before ?? {}) as { idleSince?: unknown };
  const since = typeof before.idleSince === "string" ? new Date(before.idleSince) : null;
  if (since && !Number.isNaN(since.getTime())) return `${Math.floor((entry.createdAt.getTime() - since.getTime()) / DAY_MS)}天未跟进，自动释放`;
  return entry.actorId === null ? "长期未跟进，自动释放" : "负责人交还";
}

/** One page of the pool (`filter` matches the name or the industry), and whether there is more. */
export async function poolPage(tx: Tx, filter: string | null, offset: number, limit: number): Promise<{ rows: PoolRow[]; total: number }> {
  const f = filter?.trim();
  const where = {
    ownerId: null,
    deletedAt: null,
    ...(f ? { OR: [{ name: { contains: f } }, { normalizedName: { contains: f } }, { industry: { contains: f } }] } : {}),
  };
  // One query at a time: a transaction has one connection.
  const customers = await tx.customer.findMany({
    where,
    select: { id: true, name: true, industry: true, region: true, releasedAt: true },
    orderBy: [{ releasedAt: { sort: "desc", nulls: "last" } }, { name: "asc" }, { id: "asc" }],
    skip: offset,
    take: limit,
  });
  const total = await tx.customer.count({ where });
  const releases = customers.length
    ? await tx.auditLog.findMany({
        where: { action: "customer.release", entityType: "customer", entityId: { in: customers.map((c) => c.id) } },
        select: { entityId: true, actorId: true, before: true, after: true, createdAt: true },
        orderBy: { id: "desc" },
      })
    : [];
  const latest = new Map<string, (typeof releases)[number]>();
  for (const r of releases) if (!latest.has(r.entityId)) latest.set(r.entityId, r);
  return { rows: customers.map((c) => ({ ...c, reason: releaseReason(latest.get(c.id)) })), total };
}
