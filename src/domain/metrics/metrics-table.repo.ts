// Everyone's figures for one period at once: each query groups by person over the whole company, so the evening
// job reads the database a dozen times for all its cards instead of a dozen times per card. A card's numbers are
// then sums over its scope's people (metrics-table.ts), the same numbers metrics.repo.ts counts for one scope.
import type { Range } from "./metrics.repo.ts";
import type { Tx } from "../tx.ts";

export interface MetricsRows {
  range: Range;
  now: Date;
  trendRange: Range;
  activities: { userId: string; kind: string; n: number }[];
  newCustomers: { userId: string; n: number }[];
  orders: { userId: string; n: number; total: string; listTotal: string }[];
  /** Decided approvals of the period: the order's rep and the hours it took (medians are not sums). */
  approvals: { userId: string; hours: number }[];
  pendingApprovals: { userId: string; n: number }[];
  overdue: { userId: string; n: number }[];
  stages: { userId: string; stage: string; n: number }[];
  trendVisits: { userId: string; day: string; n: number }[];
  trendOrders: { userId: string; day: string; n: number }[];
}

/** Uses Activity(occurredAt), Customer(createdAt), Order(createdAt), Task(status, dueAt), Customer(ownerId, stage). */
export async function loadMetricsRows(tx: Tx, range: Range, now: Date, trendRange: Range, timeZone: string): Promise<MetricsRows> {
  const activities = await tx.$queryRaw<{ userId: string; kind: string; n: number }[]>`
    SELECT "userId", kind::text AS kind, count(*)::int AS n FROM "Activity"
     WHERE "undoneAt" IS NULL AND "occurredAt" >= ${range.from} AND "occurredAt" < ${range.to} GROUP BY 1, 2`;
  const newCustomers = await tx.$queryRaw<{ userId: string; n: number }[]>`
    SELECT "createdById" AS "userId", count(*)::int AS n FROM "Customer"
     WHERE "deletedAt" IS NULL AND "createdAt" >= ${range.from} AND "createdAt" < ${range.to} AND "createdById" IS NOT NULL GROUP BY 1`;
  const orders = await tx.$queryRaw<{ userId: string; n: number; total: string; listTotal: string }[]>`
    SELECT "repId" AS "userId", count(*)::int AS n, sum(total)::text AS total, sum("listTotal")::text AS "listTotal" FROM "Order"
     WHERE status::text NOT IN ('cancelled', 'rejected') AND "createdAt" >= ${range.from} AND "createdAt" < ${range.to} GROUP BY 1`;
  const approvals = await tx.$queryRaw<{ userId: string; hours: number }[]>`
    SELECT o."repId" AS "userId", EXTRACT(EPOCH FROM (a."decidedAt" - a."createdAt"))::float8 / 3600 AS hours
      FROM "Approval" a JOIN "Order" o ON o.id = a."orderId"
     WHERE a."decidedAt" >= ${range.from} AND a."decidedAt" < ${range.to} AND a.status::text IN ('approved', 'rejected')`;
  // As pendingApprovalCount: approvals (not steps) with a step waiting for the person.
  const pendingApprovals = await tx.$queryRaw<{ userId: string; n: number }[]>`
    SELECT s."approverId" AS "userId", count(DISTINCT a.id)::int AS n FROM "Approval" a JOIN "ApprovalStep" s ON s."approvalId" = a.id
     WHERE a.status = 'pending' AND s.status = 'pending' GROUP BY 1`;
  const overdue = await tx.$queryRaw<{ userId: string; n: number }[]>`
    SELECT "ownerId" AS "userId", count(*)::int AS n FROM "Task"
     WHERE status = 'open' AND (("snoozedUntil" IS NULL AND "dueAt" < ${now}) OR "snoozedUntil" < ${now}) GROUP BY 1`;
  const stages = await tx.$queryRaw<{ userId: string; stage: string; n: number }[]>`
    SELECT "ownerId" AS "userId", stage::text AS stage, count(*)::int AS n FROM "Customer"
     WHERE "deletedAt" IS NULL AND "ownerId" IS NOT NULL GROUP BY 1, 2`;
  const trendVisits = await tx.$queryRaw<{ userId: string; day: string; n: number }[]>`
    SELECT "userId", to_char("occurredAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM "Activity"
     WHERE "undoneAt" IS NULL AND "occurredAt" >= ${trendRange.from} AND "occurredAt" < ${trendRange.to} GROUP BY 1, 2`;
  const trendOrders = await tx.$queryRaw<{ userId: string; day: string; n: number }[]>`
    SELECT "repId" AS "userId", to_char("createdAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM "Order"
     WHERE status::text NOT IN ('cancelled', 'rejected') AND "createdAt" >= ${trendRange.from} AND "createdAt" < ${trendRange.to} GROUP BY 1, 2`;
  return { range, now, trendRange, activities, newCustomers, orders, approvals, pendingApprovals, overdue, stages, trendVisits, trendOrders };
}
