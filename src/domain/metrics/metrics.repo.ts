// Aggregate numbers for the metrics card: one grouped or counted query per figure, never a loop over rows.
// A scope is a list of user ids (a rep: themselves; a manager: their team and themselves) or null for everyone.
import type { OrderStatus } from "../../generated/prisma/client.ts";
import type { Prisma, Tx } from "../tx.ts";

export type Scope = string[] | null;

export interface Range {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** Order states that count as business done or under way. */
const DEAD_ORDER: OrderStatus[] = ["cancelled", "rejected"];

const inScope = (scope: Scope) => (scope ? { in: scope } : undefined);

/** Visits, calls and messages logged in the range (undone ones do not count), by kind and by person. */
export async function activityCounts(tx: Tx, scope: Scope, range: Range) {
  const where: Prisma.ActivityWhereInput = { undoneAt: null, occurredAt: { gte: range.from, lt: range.to }, ...(scope ? { userId: inScope(scope) } : {}) };
  // One after the other: inside a transaction the queries share one connection anyway.
  const byKind = await tx.activity.groupBy({ by: ["kind"], where, _count: { _all: true } });
  const byUser = await tx.activity.groupBy({ by: ["userId"], where, _count: { _all: true } });
  return {
    byKind: byKind.map((r) => ({ kind: r.kind, count: r._count._all })),
    byUser: byUser.map((r) => ({ userId: r.userId, count: r._count._all })),
  };
}

/** Customers the scope created in the range and still has (an undone creation is soft-deleted). */
export async function newCustomerCount(tx: Tx, scope: Scope, range: Range): Promise<number> {
  return tx.customer.count({
    where: { deletedAt: null, createdAt: { gte: range.from, lt: range.to }, ...(scope ? { createdById: inScope(scope) } : {}) },
  });
}

/** Orders placed in the range, not cancelled or rejected: how many, their total and their list total in yuan. */
export async function orderTotals(tx: Tx, scope: Scope, range: Range): Promise<{ count: number; amount: string; listAmount: string }> {
  const r = await tx.order.aggregate({
    where: { status: { notIn: DEAD_ORDER }, createdAt: { gte: range.from, lt: range.to }, ...(scope ? { repId: inScope(scope) } : {}) },
    _count: { _all: true },
    _sum: { total: true, listTotal: true },
  });
  return { count: r._count._all, amount: r._sum.total?.toFixed(2) ?? "0.00", listAmount: r._sum.listTotal?.toFixed(2) ?? "0.00" };
}

/** Approvals of the scope's orders decided in the range: how many, and the median and slowest time to decide. */
export async function approvalTimes(tx: Tx, scope: Scope, range: Range): Promise<{ decided: number; medianHours: number | null; maxHours: number | null }> {
  const rows = await tx.$queryRaw<{ n: number; median: number | null; max: number | null }[]>`
    SELECT count(*)::int AS n,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (a."decidedAt" - a."createdAt"))))::float8 / 3600 AS median,
           (max(EXTRACT(EPOCH FROM (a."decidedAt" - a."createdAt"))))::float8 / 3600 AS max
      FROM "Approval" a JOIN "Order" o ON o.id = a."orderId"
     WHERE a."decidedAt" >= ${range.from} AND a."decidedAt" < ${range.to}
       AND a.status::text IN ('approved', 'rejected')
       AND (${scope === null} OR o."repId" = ANY(${scope ?? []}::text[]))`;
  const r = rows[0];
  return { decided: r?.n ?? 0, medianHours: r?.median ?? null, maxHours: r?.max ?? null };
}

/** Approvals waiting for this person's decision now. */
export async function pendingApprovalCount(tx: Tx, approverId: string): Promise<number> {
  return tx.approval.count({ where: { status: "pending", steps: { some: { approverId, status: "pending" } } } });
}

/** Open follow-ups of the scope whose effective due time (snooze, else due) has passed. */
export async function overdueTaskCount(tx: Tx, scope: Scope, now: Date): Promise<number> {
  return tx.task.count({
    where: {
      status: "open",
      ...(scope ? { ownerId: inScope(scope) } : {}),
      OR: [{ snoozedUntil: null, dueAt: { lt: now } }, { snoozedUntil: { lt: now } }],
    },
  });
}

/** The scope's customers now, by stage (pool customers belong to nobody's funnel). */
export async function customersByStage(tx: Tx, scope: Scope): Promise<{ stage: string; count: number }[]> {
  const rows = await tx.customer.groupBy({
    by: ["stage"],
    where: { deletedAt: null, ownerId: scope ? { in: scope } : { not: null } },
    _count: { _all: true },
  });
  return rows.map((r) => ({ stage: r.stage, count: r._count._all }));
}

/**
 * Activities (visits, calls, messages; undone ones not counted) and live orders per local day of `timeZone` in the
 * range: two grouped queries, days without any left out (the caller fills the zeros).
 */
export async function dailyCounts(tx: Tx, scope: Scope, range: Range, timeZone: string): Promise<{ day: string; visits: number; orders: number }[]> {
  const visits = await tx.$queryRaw<{ day: string; n: number }[]>`
    SELECT to_char(a."occurredAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day, count(*)::int AS n
      FROM "Activity" a
     WHERE a."undoneAt" IS NULL AND a."occurredAt" >= ${range.from} AND a."occurredAt" < ${range.to}
       AND (${scope === null} OR a."userId" = ANY(${scope ?? []}::text[]))
     GROUP BY 1`;
  const orders = await tx.$queryRaw<{ day: string; n: number }[]>`
    SELECT to_char(o."createdAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day, count(*)::int AS n
      FROM "Order" o
     WHERE o.status::text NOT IN ('cancelled', 'rejected') AND o."createdAt" >= ${range.from} AND o."createdAt" < ${range.to}
       AND (${scope === null} OR o."repId" = ANY(${scope ?? []}::text[]))
     GROUP BY 1`;
  const days = new Map<string, { day: string; visits: number; orders: number }>();
  const at = (day: string) => days.get(day) ?? days.set(day, { day, visits: 0, orders: 0 }).get(day)!;
  for (const r of visits) at(r.day).visits = r.n;
  for (const r of orders) at(r.day).orders = r.n;
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}
