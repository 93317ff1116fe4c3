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
  /** Orders whose first shipment fell in the period: the rep and the hours from approval to that shipment. */
  dispatchTimes: { userId: string; hours: number }[];
  /** Orders waiting in dispatch now, by rep, and how many of them have an open problem. */
  dispatchOpen: { userId: string; open: number; problems: number }[];
  /** Every open dispatch problem, oldest notice first (as openDispatches lists them). */
  dispatchProblems: { userId: string; number: string; customer: string; rep: string; reason: string; since: Date }[];
}

/** Uses Activity(occurredAt), Customer(createdAt), Order(createdAt), Order(status), Task(status, dueAt), Customer(ownerId, stage). */
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
  // Dispatch, as dispatchLatency and openDispatches read it for one scope (dispatch.repo.ts): approval → first
  // shipment of the orders first shipped in the period (only orders with a shipment in the period can be).
  const dispatchTimes = await tx.$queryRaw<{ userId: string; hours: number }[]>`
    WITH firsts AS (
      SELECT o.id, o."repId",
             min(s."createdAt") AS shipped_at,
             COALESCE((SELECT min(a."createdAt") FROM "AuditLog" a
                        WHERE a."entityType" = 'order' AND a."entityId" = o.id AND a.action = 'order.approve'),
                      o."dispatchedAt") AS approved_at
        FROM "Order" o JOIN "Shipment" s ON s."orderId" = o.id
       WHERE o.id IN (SELECT "orderId" FROM "Shipment" WHERE "createdAt" >= ${range.from} AND "createdAt" < ${range.to})
       GROUP BY o.id)
    SELECT "repId" AS "userId", EXTRACT(EPOCH FROM (shipped_at - approved_at))::float8 / 3600 AS hours
      FROM firsts
     WHERE shipped_at >= ${range.from} AND shipped_at < ${range.to} AND approved_at IS NOT NULL`;
  const dispatchOpen = await tx.$queryRaw<{ userId: string; open: number; problems: number }[]>`
    SELECT "repId" AS "userId", count(*)::int AS open, (count(*) FILTER (WHERE problem IS NOT NULL))::int AS problems
      FROM "Order" WHERE status = 'dispatched' GROUP BY 1`;
  const dispatchProblems = await tx.$queryRaw<{ userId: string; number: string; customer: string; rep: string; reason: string; since: Date }[]>`
    SELECT o."repId" AS "userId", o.number, c.name AS customer, u.name AS rep, o.problem AS reason, o."problemAt" AS since
      FROM "Order" o JOIN "Customer" c ON c.id = o."customerId" JOIN "User" u ON u.id = o."repId"
     WHERE o.status = 'dispatched' AND o.problem IS NOT NULL AND o."problemAt" IS NOT NULL
     ORDER BY o."dispatchedAt" ASC, o."createdAt" ASC, o.number ASC`;
  return {
    range,
    now,
    trendRange,
    activities,
    newCustomers,
    orders,
    approvals,
    pendingApprovals,
    overdue,
    stages,
    trendVisits,
    trendOrders,
    dispatchTimes,
    dispatchOpen,
    dispatchProblems: dispatchProblems.map((r) => ({ ...r, since: new Date(r.since) })),
  };
}
