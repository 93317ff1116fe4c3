// Dispatch rows: the order's dispatch fields, its lines' shipped quantities and its shipments. Selects never
// include a price column, so nothing read here can leak one to the warehouse. Quantities change only under the
// order's row lock (taken first) and the lines' row locks, with a conditional update as the last guard.
import type { OrderStatus } from "../orders/order.types.ts";
import { Prisma, type Tx } from "../tx.ts";

const viewSelect = {
  id: true,
  number: true,
  status: true,
  customerId: true,
  repId: true,
  deliveryAddress: true,
  deliveryContact: true,
  deliveryPhone: true,
  requestedDate: true,
  dispatchedAt: true,
  deliveredAt: true,
  problem: true,
  problemAt: true,
  problemById: true,
  createdAt: true,
  customer: {
    select: {
      name: true,
      region: true,
      address: true,
      contacts: { where: { deletedAt: null }, orderBy: { createdAt: "asc" }, select: { name: true, phone: true } },
    },
  },
  rep: { select: { name: true, managerId: true } },
  lines: { orderBy: { id: "asc" }, select: { id: true, sku: true, quantity: true, shippedQty: true, product: { select: { name: true, unit: true } } } },
  shipments: {
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      carrier: true,
      trackingNo: true,
      status: true,
      createdAt: true,
      createdById: true,
      createdBy: { select: { name: true } },
      lines: { orderBy: { id: "asc" }, select: { quantity: true, orderLine: { select: { sku: true, product: { select: { name: true, unit: true } } } } } },
    },
  },
} as const satisfies Prisma.OrderSelect;

export type DispatchRow = Prisma.OrderGetPayload<{ select: typeof viewSelect }>;

export async function findDispatchRow(tx: Tx, number: string): Promise<DispatchRow | null> {
  return tx.order.findUnique({ where: { number }, select: viewSelect });
}

/** Orders in dispatch (of these reps, if given), oldest notice first; only those with an open problem if asked. */
export async function dispatchedRows(tx: Tx, filter: { repIds?: readonly string[] | null; problemsOnly?: boolean } = {}, limit = 100): Promise<DispatchRow[]> {
  return tx.order.findMany({
    where: {
      status: "dispatched",
      ...(filter.repIds ? { repId: { in: [...filter.repIds] } } : {}),
      ...(filter.problemsOnly ? { problem: { not: null } } : {}),
    },
    orderBy: [{ dispatchedAt: "asc" }, { createdAt: "asc" }, { number: "asc" }],
    take: limit,
    select: viewSelect,
  });
}

/** The rep's manager (told of a problem with the rep), or null. */
export async function managerOf(tx: Tx, userId: string): Promise<string | null> {
  return (await tx.user.findUnique({ where: { id: userId }, select: { managerId: true } }))?.managerId ?? null;
}

export interface LockedDispatch {
  id: string;
  number: string;
  status: OrderStatus;
  repId: string;
  problem: string | null;
}

/** Locks the order row for the rest of the transaction and reads it fresh; null if there is no such order. */
export async function lockDispatch(tx: Tx, number: string): Promise<LockedDispatch | null> {
  const rows = await tx.$queryRaw<LockedDispatch[]>`
    SELECT id, number, status::text AS status, "repId", problem FROM "Order" WHERE number = ${number} FOR UPDATE`;
  return rows[0] ?? null;
}

export interface LockedLine {
  id: string;
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  shippedQty: number;
}

/** The order's lines, locked, in their order: what remains is read under the lock it is changed under. */
export async function lockLines(tx: Tx, orderId: string): Promise<LockedLine[]> {
  const rows = await tx.$queryRaw<LockedLine[]>`
    SELECT l.id, l.sku, p.name, p.unit, l.quantity, l."shippedQty"
      FROM "OrderLine" l JOIN "Product" p ON p.sku = l.sku
     WHERE l."orderId" = ${orderId}
     ORDER BY l.id
       FOR UPDATE OF l`;
  return rows.map((r) => ({ ...r, quantity: Number(r.quantity), shippedQty: Number(r.shippedQty) }));
}

/** Adds to a line's shipped quantity unless that would pass the ordered quantity; false = refused. */
export async function addShipped(tx: Tx, lineId: string, quantity: number): Promise<boolean> {
  const n = await tx.$executeRaw`
    UPDATE "OrderLine" SET "shippedQty" = "shippedQty" + ${quantity}
     WHERE id = ${lineId} AND "shippedQty" + ${quantity} <= quantity`;
  return n === 1;
}

export async function findShipmentByTracking(tx: Tx, orderId: string, trackingNo: string): Promise<{ id: string } | null> {
  return tx.shipment.findUnique({ where: { orderId_trackingNo: { orderId, trackingNo } }, select: { id: true } });
}

export async function createShipment(
  tx: Tx,
  s: { orderId: string; carrier: string; trackingNo: string | null; createdById: string; createdAt: Date; lines: { orderLineId: string; quantity: number }[] },
): Promise<{ id: string }> {
  return tx.shipment.create({
    data: {
      orderId: s.orderId,
      carrier: s.carrier,
      trackingNo: s.trackingNo,
      createdById: s.createdById,
      createdAt: s.createdAt,
      lines: { create: s.lines },
    },
    select: { id: true },
  });
}

/** Conditional status move with the dispatch fields that go with it; false when the order was no longer in `from`. */
export async function moveOrder(tx: Tx, id: string, from: OrderStatus, to: OrderStatus, data: Prisma.OrderUpdateManyMutationInput = {}): Promise<boolean> {
  const r = await tx.order.updateMany({ where: { id, status: from }, data: { ...data, status: to } });
  return r.count === 1;
}

export async function setProblem(tx: Tx, id: string, problem: { reason: string; at: Date; byId: string } | null): Promise<void> {
  await tx.order.update({
    where: { id },
    data: problem ? { problem: problem.reason, problemAt: problem.at, problemById: problem.byId } : { problem: null, problemAt: null, problemById: null },
  });
}

export async function setDelivery(tx: Tx, id: string, data: { deliveryAddress?: string | null; deliveryContact?: string | null; deliveryPhone?: string | null; requestedDate?: Date | null }): Promise<void> {
  await tx.order.update({ where: { id }, data });
}

export async function markShipmentsDelivered(tx: Tx, orderId: string): Promise<void> {
  await tx.shipment.updateMany({ where: { orderId, status: "shipped" }, data: { status: "delivered" } });
}

/** Dispatched orders with no shipment and no open problem, told before `before` and not reminded since. */
export async function noticesDue(tx: Tx, before: Date) {
  return tx.order.findMany({
    where: {
      status: "dispatched",
      problem: null,
      shipments: { none: {} },
      dispatchedAt: { lte: before },
      OR: [{ noticeRemindedAt: null }, { noticeRemindedAt: { lte: before } }],
    },
    orderBy: [{ dispatchedAt: "asc" }, { number: "asc" }],
    select: {
      id: true,
      number: true,
      repId: true,
      dispatchedAt: true,
      noticeRemindedAt: true,
      customer: { select: { name: true, region: true } },
      lines: { select: { sku: true } },
    },
  });
}

/** Marks a reminder sent, only if nobody marked it since `previous` was read; false = another run did it. */
export async function markReminded(tx: Tx, orderId: string, previous: Date | null, now: Date): Promise<boolean> {
  const r = await tx.order.updateMany({ where: { id: orderId, status: "dispatched", noticeRemindedAt: previous }, data: { noticeRemindedAt: now } });
  return r.count === 1;
}

/** Approval → first shipment for orders whose first shipment is in [from, to), of the scope's reps (null = all). */
export async function latencyRows(tx: Tx, scope: readonly string[] | null, from: Date, to: Date) {
  const rows = await tx.$queryRaw<{ n: number; median: number | null; max: number | null }[]>`
    WITH firsts AS (
      SELECT o.id,
             min(s."createdAt") AS shipped_at,
             COALESCE((SELECT min(a."createdAt") FROM "AuditLog" a
                        WHERE a."entityType" = 'order' AND a."entityId" = o.id AND a.action = 'order.approve'),
                      o."dispatchedAt") AS approved_at
        FROM "Order" o JOIN "Shipment" s ON s."orderId" = o.id
       WHERE (${scope === null} OR o."repId" = ANY(${scope ? [...scope] : []}::text[]))
       GROUP BY o.id)
    SELECT count(*)::int AS n,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (shipped_at - approved_at))))::float8 / 3600 AS median,
           (max(EXTRACT(EPOCH FROM (shipped_at - approved_at))))::float8 / 3600 AS max
      FROM firsts
     WHERE shipped_at >= ${from} AND shipped_at < ${to} AND approved_at IS NOT NULL`;
  const r = rows[0];
  return { n: r?.n ?? 0, median: r?.median ?? null, max: r?.max ?? null };
}

export async function openCounts(tx: Tx, scope: readonly string[] | null): Promise<{ open: number; problems: number }> {
  const where: Prisma.OrderWhereInput = { status: "dispatched", ...(scope ? { repId: { in: [...scope] } } : {}) };
  const open = await tx.order.count({ where });
  const problems = await tx.order.count({ where: { ...where, problem: { not: null } } });
  return { open, problems };
}
