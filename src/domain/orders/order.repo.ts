// Orders and their lines. Status changes are conditional (where status = from), so of two transactions acting
// on one order only one can win; decisions lock the row first (FOR UPDATE) and read it fresh.
import { moneyText } from "../../core/money.ts";
import { Prisma, type Tx } from "../tx.ts";
import type { OrderStatus, PricedOrder } from "./order.types.ts";

/** Allocates the day's next sequence number (1, 2, …). The upsert locks the day's row until commit, so concurrent
 * orders on one day take turns; a rolled-back order gives its number back, a committed one never repeats it. */
export async function nextOrderSeq(tx: Tx, day: string): Promise<number> {
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO "OrderNumberSeq" ("day", "last") VALUES (${day}, 1)
    ON CONFLICT ("day") DO UPDATE SET "last" = "OrderNumberSeq"."last" + 1
    RETURNING "last"`;
  return Number(rows[0]!.last);
}

export interface NewOrder {
  number: string;
  customerId: string;
  repId: string;
  status: Extract<OrderStatus, "pending_approval" | "approved">;
  priced: PricedOrder;
  flags: string[];
  reason: string | null;
  sourceEventId: string | null;
  createdAt: Date;
}

export async function createOrder(tx: Tx, o: NewOrder): Promise<{ id: string }> {
  return tx.order.create({
    data: {
      number: o.number,
      customerId: o.customerId,
      repId: o.repId,
      status: o.status,
      listTotal: moneyText(o.priced.listTotal),
      total: moneyText(o.priced.total),
      discount: o.priced.discount.toFixed(4),
      flags: o.flags,
      reason: o.reason,
      sourceEventId: o.sourceEventId,
      createdAt: o.createdAt,
      lines: {
        create: o.priced.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, listPrice: moneyText(l.listPrice), unitPrice: moneyText(l.unitPrice) })),
      },
    },
    select: { id: true },
  });
}

/**
 * A rejected order amended and resubmitted: its lines replaced by the new priced ones (nothing was shipped: only an
 * approved order reaches the warehouse), totals, flags and reason rewritten, the status moved from `from` — false
 * when it was no longer in `from` (then nothing is written).
 */
export async function repriceOrder(tx: Tx, id: string, from: OrderStatus, o: { status: Extract<OrderStatus, "pending_approval" | "approved">; priced: PricedOrder; flags: string[]; reason: string | null }): Promise<boolean> {
  const r = await tx.order.updateMany({
    where: { id, status: from },
    data: { status: o.status, listTotal: moneyText(o.priced.listTotal), total: moneyText(o.priced.total), discount: o.priced.discount.toFixed(4), flags: o.flags, reason: o.reason },
  });
  if (r.count !== 1) return false;
  await tx.orderLine.deleteMany({ where: { orderId: id } });
  await tx.orderLine.createMany({ data: o.priced.lines.map((l) => ({ orderId: id, sku: l.sku, quantity: l.quantity, listPrice: moneyText(l.listPrice), unitPrice: moneyText(l.unitPrice) })) });
  return true;
}

const orderInclude = {
  customer: { select: { name: true } },
  rep: { select: { name: true } },
  lines: { orderBy: { id: "asc" }, include: { product: { select: { name: true, unit: true } } } },
} as const satisfies Prisma.OrderInclude;

export type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

export async function findOrderByNumber(tx: Tx, number: string): Promise<OrderRow | null> {
  return tx.order.findUnique({ where: { number }, include: orderInclude });
}

export async function findOrderById(tx: Tx, id: string): Promise<OrderRow | null> {
  return tx.order.findUnique({ where: { id }, include: orderInclude });
}

export interface LockedOrder {
  id: string;
  number: string;
  status: OrderStatus;
  repId: string;
  customerId: string;
}

/** Locks the order row for the rest of the transaction (decisions, withdrawal) and reads it fresh; null if none. */
export async function lockOrder(tx: Tx, number: string): Promise<LockedOrder | null> {
  const rows = await tx.$queryRaw<LockedOrder[]>`
    SELECT id, number, status::text AS status, "repId", "customerId" FROM "Order" WHERE number = ${number} FOR UPDATE`;
  return rows[0] ?? null;
}

/** Moves the order from `from` to `to`; false when it was no longer in `from` (someone else acted first). */
export async function updateOrderStatus(tx: Tx, id: string, from: OrderStatus, to: OrderStatus): Promise<boolean> {
  const r = await tx.order.updateMany({ where: { id, status: from }, data: { status: to } });
  return r.count === 1;
}

/** The newest order of the customer since `since`, not cancelled or rejected, sharing a sku with `skus`. */
export async function findDuplicateOrder(tx: Tx, customerId: string, skus: readonly string[], since: Date) {
  const rows = await tx.order.findMany({
    where: { customerId, createdAt: { gte: since }, status: { notIn: ["cancelled", "rejected"] }, lines: { some: { sku: { in: [...skus] } } } },
    orderBy: { createdAt: "desc" },
    take: 1,
    select: { number: true, status: true, createdAt: true, lines: { select: { sku: true, product: { select: { name: true } } } } },
  });
  const row = rows[0];
  if (!row) return null;
  const overlap = row.lines.filter((l) => skus.includes(l.sku));
  return { number: row.number, status: row.status, createdAt: row.createdAt, overlappingSkus: [...new Set(overlap.map((l) => l.sku))], overlappingNames: [...new Set(overlap.map((l) => l.product.name))] };
}

/** A rep's latest orders, newest first (我的订单). */
export async function recentOrdersOfRep(tx: Tx, repId: string, limit = 10): Promise<OrderRow[]> {
  return tx.order.findMany({ where: { repId }, orderBy: [{ createdAt: "desc" }, { number: "desc" }], take: limit, include: orderInclude });
}

const OPEN: OrderStatus[] = ["draft", "pending_approval", "approved", "dispatched", "shipped"];

/** Orders still under way (not delivered, rejected or cancelled), of one rep or customer if given, oldest first. */
export async function openOrders(tx: Tx, filter: { repId?: string; customerId?: string } = {}, limit = 50): Promise<OrderRow[]> {
  return tx.order.findMany({ where: { status: { in: OPEN }, ...filter }, orderBy: { createdAt: "asc" }, take: limit, include: orderInclude });
}

const GIVEN: OrderStatus[] = ["approved", "dispatched", "shipped", "delivered"];

/** For the approver's card: the customer's last 3 other orders, last 3 visits, and the discount given to it so far. */
export async function customerOrderHistory(tx: Tx, customerId: string, excludeOrderId?: string) {
  const notThis = excludeOrderId ? { id: { not: excludeOrderId } } : {};
  const orders = await tx.order.findMany({
    where: { customerId, ...notThis },
    orderBy: { createdAt: "desc" },
    take: 3,
    select: { number: true, createdAt: true, status: true, total: true, discount: true },
  });
  const visits = await tx.activity.findMany({
    where: { customerId, undoneAt: null },
    orderBy: { occurredAt: "desc" },
    take: 3,
    select: { occurredAt: true, kind: true, summary: true, user: { select: { name: true } } },
  });
  const sums = await tx.order.aggregate({ where: { customerId, status: { in: GIVEN }, ...notThis }, _sum: { total: true, listTotal: true }, _count: true });
  return { orders, visits, sums: { total: sums._sum.total, listTotal: sums._sum.listTotal, count: sums._count } };
}

/** Names of people by id, deactivated ones included (history keeps who acted). */
export async function userNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The people above (chain ids) as the approval plan needs them, in the chain's order; unknown ids are left out. */
export async function peopleByIds(tx: Tx, ids: readonly string[]): Promise<{ id: string; name: string; roles: string[]; active: boolean }[]> {
  const rows = await tx.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, roles: true, active: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [r] : [];
  });
}
