// Warehouse dispatch: the notice (approved → dispatched), shipments (whole or partial, → shipped when nothing
// remains), problems and their resumption, delivery (→ delivered), the warehouse's views, reminders and latency.
// Every function runs inside the caller's transaction; refusals are AppErrors, so a refused step changes nothing.
// Changes lock the order row first (then its lines), so two people acting at once take turns and the second
// sees what the first did: a tracking number ships once per order and quantities never pass what was ordered.
//
// Problems are fields on the order (problem, problemAt, problemById), not Shipment rows: an order has at most
// one open problem, it is what 待发货 and the manager's card show, and its history is in the audit log
// (shipment.problem / shipment.resume). A shipment confirmed while a problem is open clears it (the goods left).
import { AppError } from "../../core/app-error.ts";
import { audit } from "../audit/audit.repo.ts";
import { assertTransition } from "../orders/order-state.ts";
import { userNames } from "../orders/order.repo.ts";
import type { OrderStatus } from "../orders/order.types.ts";
import type { Tx } from "../tx.ts";
import type { UserInfo } from "../users/user.repo.ts";
import { OWN_DELIVERY, resolveCarrier } from "./carriers.ts";
import {
  addShipped,
  createShipment,
  dispatchedRows,
  findDispatchRow,
  findShipmentByTracking,
  latencyRows,
  lockDispatch,
  lockLines,
  managerOf,
  markReminded,
  markShipmentsDelivered,
  moveOrder,
  noticesDue,
  openCounts,
  setDelivery,
  setProblem,
  type DispatchRow,
  type LockedDispatch,
  type LockedLine,
} from "./dispatch.repo.ts";
import type { DeliveryResult, DispatchView, NoticeToRemind, ProblemResult, RemainingLine, ShipmentResult, ShipmentView, StartDispatchResult, DispatchLatency } from "./dispatch.types.ts";

const HOUR_MS = 3600_000;

/** What the order's history says for each dispatch action (orderHistory's ACTION_TEXT lacks them). */
export const DISPATCH_ACTION_TEXT: Readonly<Record<string, string>> = {
  "dispatch.start": "通知仓库发货",
  "dispatch.delivery_info": "填写收货信息",
  "shipment.confirm": "确认发货",
  "shipment.problem": "报告发货问题",
  "shipment.resume": "恢复发货",
  "order.deliver": "确认签收",
  "order.cancel": "取消订单",
};

// ───────────── views ─────────────

const notFound = (number: string) => new AppError("order_not_found", `没有找到订单 ${number}，请检查单号。`);
const isWarehouse = (u: UserInfo) => u.roles.includes("warehouse");

function requireWarehouse(by: UserInfo, what: string): void {
  if (!isWarehouse(by)) throw new AppError("not_warehouse", `只有仓库人员可以${what}；发送「订单 单号」可以查看发货进度。`);
}

function toShipmentView(s: DispatchRow["shipments"][number]): ShipmentView {
  return {
    id: s.id,
    carrier: s.carrier,
    trackingNo: s.trackingNo,
    status: s.status,
    createdAt: s.createdAt,
    createdById: s.createdById,
    createdByName: s.createdBy.name,
    lines: s.lines.map((l) => ({ sku: l.orderLine.sku, name: l.orderLine.product.name, unit: l.orderLine.product.unit, quantity: l.quantity })),
  };
}

function toView(row: DispatchRow, names: ReadonlyMap<string, string>): DispatchView {
  // The customer's first contact with a phone stands in when the order names none.
  const contact = row.customer.contacts.find((c) => c.phone) ?? row.customer.contacts[0] ?? null;
  return {
    orderId: row.id,
    number: row.number,
    status: row.status,
    customerId: row.customerId,
    customerName: row.customer.name,
    region: row.customer.region,
    repId: row.repId,
    repName: row.rep.name,
    delivery: {
      address: row.deliveryAddress ?? row.customer.address,
      contact: row.deliveryContact ?? contact?.name ?? null,
      phone: row.deliveryPhone ?? (row.deliveryContact ? null : (contact?.phone ?? null)),
      requestedDate: row.requestedDate,
    },
    dispatchedAt: row.dispatchedAt,
    deliveredAt: row.deliveredAt,
    lines: row.lines.map((l) => ({ sku: l.sku, name: l.product.name, unit: l.product.unit, ordered: l.quantity, shipped: l.shippedQty, remaining: l.quantity - l.shippedQty })),
    problem:
      row.problem && row.problemAt
        ? { reason: row.problem, at: row.problemAt, byId: row.problemById, byName: row.problemById ? (names.get(row.problemById) ?? row.problemById) : null }
        : null,
    shipments: row.shipments.map(toShipmentView),
  };
}

async function viewsOf(tx: Tx, rows: DispatchRow[]): Promise<DispatchView[]> {
  const names = await userNames(tx, rows.flatMap((r) => (r.problemById ? [r.problemById] : [])));
  return rows.map((r) => toView(r, names));
}

async function loadView(tx: Tx, number: string): Promise<DispatchView> {
  const row = await findDispatchRow(tx, number);
  if (!row) throw notFound(number);
  return (await viewsOf(tx, [row]))[0]!;
}

/** 订单 SO-… for the warehouse: customer, delivery, quantities ordered/shipped/remaining, shipments, problem. No prices. */
export async function dispatchView(tx: Tx, orderNumber: string): Promise<DispatchView> {
  return loadView(tx, orderNumber);
}

/**
 * 待发货: orders in dispatch, oldest notice first, with what remains and any open problem. `repIds` narrows to
 * a rep's or a team's orders (null = all, the warehouse's view); `problemsOnly` gives the manager's "problems
 * waiting". Lines fully shipped stay in `lines` with remaining 0.
 */
export async function openDispatches(tx: Tx, filter: { repIds?: readonly string[] | null; problemsOnly?: boolean } = {}): Promise<DispatchView[]> {
  return viewsOf(tx, await dispatchedRows(tx, filter));
}

/** What the notice still lacks before it goes out: ask the rep for these (issue: address and contact). */
export function missingDelivery(view: DispatchView): ("address" | "contact")[] {
  const missing: ("address" | "contact")[] = [];
  if (!view.delivery.address) missing.push("address");
  if (!view.delivery.contact && !view.delivery.phone) missing.push("contact");
  return missing;
}

const remainingOf = (view: DispatchView): RemainingLine[] =>
  view.lines.filter((l) => l.remaining > 0).map((l) => ({ sku: l.sku, name: l.name, unit: l.unit, remaining: l.remaining }));

// ───────────── the notice ─────────────

export interface StartDispatchInput {
  orderNumber: string;
  now: Date;
  eventId: string | null;
  /** Who caused it (the approver, or the rep for an order within authority); null = the system. */
  actorId?: string | null;
}

/** approved → dispatched when the notice goes to the warehouse. Already dispatched: nothing changes (already). */
export async function startDispatch(tx: Tx, input: StartDispatchInput): Promise<StartDispatchResult> {
  const locked = await lockDispatch(tx, input.orderNumber);
  if (!locked) throw notFound(input.orderNumber);
  if (locked.status === "dispatched") return { view: await loadView(tx, locked.number), repId: locked.repId, already: true };
  assertTransition(locked.status, "dispatched", locked.number);
  if (!(await moveOrder(tx, locked.id, locked.status, "dispatched", { dispatchedAt: input.now }))) throw raced(locked.number);
  await audit(tx, {
    actorId: input.actorId ?? null,
    action: "dispatch.start",
    entityType: "order",
    entityId: locked.id,
    before: { status: locked.status },
    after: { status: "dispatched" },
    eventId: input.eventId,
    at: input.now,
  });
  return { view: await loadView(tx, locked.number), repId: locked.repId, already: false };
}

const raced = (number: string) => new AppError("order_changed", `订单 ${number} 刚被其他人处理过，请重新查看。`);

export interface DeliveryInfoInput {
  orderNumber: string;
  by: UserInfo;
  address?: string | null;
  contact?: string | null;
  phone?: string | null;
  requestedDate?: Date | null;
  now: Date;
  eventId: string | null;
}

/** The rep gives the delivery address/contact (asked before the notice when the customer has none). */
export async function setDeliveryInfo(tx: Tx, input: DeliveryInfoInput): Promise<DispatchView> {
  const locked = await lockDispatch(tx, input.orderNumber);
  if (!locked) throw notFound(input.orderNumber);
  if (locked.repId !== input.by.id) throw new AppError("not_order_rep", `只有订单 ${locked.number} 的销售可以填写收货信息。`);
  if (!["pending_approval", "approved", "dispatched"].includes(locked.status)) {
    throw new AppError("delivery_info_closed", `订单 ${locked.number} 已发货或已结束，不能再改收货信息。`);
  }
  const clean = (s: string | null | undefined) => (s === undefined ? undefined : s?.trim() || null);
  const data = {
    ...(input.address !== undefined ? { deliveryAddress: clean(input.address) } : {}),
    ...(input.contact !== undefined ? { deliveryContact: clean(input.contact) } : {}),
    ...(input.phone !== undefined ? { deliveryPhone: clean(input.phone) } : {}),
    ...(input.requestedDate !== undefined ? { requestedDate: input.requestedDate } : {}),
  };
  await setDelivery(tx, locked.id, data);
  await audit(tx, { actorId: input.by.id, action: "dispatch.delivery_info", entityType: "order", entityId: locked.id, after: data, eventId: input.eventId, at: input.now });
  return loadView(tx, locked.number);
}

// ───────────── shipments ─────────────

export interface ConfirmShipmentInput {
  orderNumber: string;
  by: UserInfo;
  /** As typed (any alias); absent = inferred from the tracking number's form. */
  carrier?: string | null;
  /** null: delivered by the company's own truck (自送), no carrier or number. */
  trackingNo: string | null;
  /** A partial shipment; absent = everything that remains. */
  lines?: { sku: string; quantity: number }[];
  now: Date;
  eventId: string | null;
}

/**
 * The warehouse confirms goods leaving: a Shipment with its lines, the lines' shipped quantities raised, and
 * dispatched → shipped when nothing remains. A tracking number already confirmed for this order returns that
 * shipment with `already` and ships nothing. Quantities above what remains are refused naming the product.
 */
export async function confirmShipment(tx: Tx, input: ConfirmShipmentInput): Promise<ShipmentResult> {
  requireWarehouse(input.by, "确认发货");
  const resolved = input.trackingNo === null ? ({ ok: true, carrier: OWN_DELIVERY, trackingNo: null } as const) : resolveCarrier(input.carrier, input.trackingNo);
  if (!resolved.ok) throw new AppError("bad_tracking_no", resolved.message);
  const locked = await lockDispatch(tx, input.orderNumber);
  if (!locked) throw notFound(input.orderNumber);

  // After the lock, a confirmation committed meanwhile is visible: the retry finds it and ships nothing.
  // (An own-truck delivery has no number: quantities alone keep it from shipping more than remains.)
  const existing = resolved.trackingNo === null ? null : await findShipmentByTracking(tx, locked.id, resolved.trackingNo);
  if (existing) return shipmentResult(tx, locked, existing.id, true);

  if (locked.status === "shipped" || locked.status === "delivered") throw new AppError("nothing_remaining", `订单 ${locked.number} 已全部发货，没有剩余数量。`);
  if (locked.status !== "dispatched") assertTransition(locked.status, "shipped", locked.number);

  const lines = await lockLines(tx, locked.id);
  const plan = planShipment(locked.number, lines, input.lines);
  const shipment = await createShipment(tx, {
    orderId: locked.id,
    carrier: resolved.carrier,
    trackingNo: resolved.trackingNo,
    createdById: input.by.id,
    createdAt: input.now,
    lines: plan.map((p) => ({ orderLineId: p.line.id, quantity: p.quantity })),
  });
  for (const p of plan) {
    if (!(await addShipped(tx, p.line.id, p.quantity))) throw overQuantity(p.line, p.quantity); // the lock makes this unreachable; kept as the last guard
  }
  const left = lines.reduce((n, l) => n + l.quantity - l.shippedQty, 0) - plan.reduce((n, p) => n + p.quantity, 0);
  let status: OrderStatus = locked.status;
  if (left === 0) {
    assertTransition(locked.status, "shipped", locked.number);
    if (!(await moveOrder(tx, locked.id, locked.status, "shipped"))) throw raced(locked.number);
    status = "shipped";
  }
  if (locked.problem) await setProblem(tx, locked.id, null);
  await audit(tx, {
    actorId: input.by.id,
    action: "shipment.confirm",
    entityType: "order",
    entityId: locked.id,
    before: { status: locked.status, ...(locked.problem ? { problem: locked.problem } : {}) },
    after: {
      status,
      shipmentId: shipment.id,
      carrier: resolved.carrier,
      trackingNo: resolved.trackingNo,
      lines: plan.map((p) => ({ sku: p.line.sku, quantity: p.quantity })),
      partial: left > 0,
    },
    eventId: input.eventId,
    at: input.now,
  });
  return shipmentResult(tx, { ...locked, status }, shipment.id, false);
}

const overQuantity = (line: LockedLine, asked: number) =>
  new AppError("over_quantity", `${line.name}还剩 ${line.quantity - line.shippedQty}${line.unit} 未发，不能发 ${asked}${line.unit}。`, {
    sku: line.sku,
    remaining: line.quantity - line.shippedQty,
    asked,
  });

/** Which line ships how much: the asked quantities per product (spread over its lines in order), or all that remains. */
function planShipment(number: string, lines: LockedLine[], asked: ConfirmShipmentInput["lines"]): { line: LockedLine; quantity: number }[] {
  if (!asked || asked.length === 0) {
    const all = lines.filter((l) => l.quantity > l.shippedQty).map((line) => ({ line, quantity: line.quantity - line.shippedQty }));
    if (all.length === 0) throw new AppError("nothing_remaining", `订单 ${number} 已全部发货，没有剩余数量。`);
    return all;
  }
  const perSku = new Map<string, number>();
  for (const a of asked) {
    if (!Number.isInteger(a.quantity) || a.quantity <= 0) throw new AppError("bad_quantity", `发货数量应为正整数：${a.sku} ${a.quantity}`);
    perSku.set(a.sku, (perSku.get(a.sku) ?? 0) + a.quantity);
  }
  const out: { line: LockedLine; quantity: number }[] = [];
  for (const [sku, quantity] of perSku) {
    const mine = lines.filter((l) => l.sku === sku);
    if (mine.length === 0) throw new AppError("sku_not_in_order", `订单 ${number} 里没有 ${sku}。`);
    const remaining = mine.reduce((n, l) => n + l.quantity - l.shippedQty, 0);
    if (quantity > remaining) {
      const first = mine[0]!;
      throw new AppError("over_quantity", `${first.name}还剩 ${remaining}${first.unit} 未发，不能发 ${quantity}${first.unit}。`, { sku, remaining, asked: quantity });
    }
    let left = quantity;
    for (const line of mine) {
      const take = Math.min(left, line.quantity - line.shippedQty);
      if (take > 0) out.push({ line, quantity: take });
      left -= take;
    }
  }
  return out;
}

async function shipmentResult(tx: Tx, locked: LockedDispatch, shipmentId: string, already: boolean): Promise<ShipmentResult> {
  const view = await loadView(tx, locked.number);
  const shipment = view.shipments.find((s) => s.id === shipmentId);
  if (!shipment) throw new Error(`shipment ${shipmentId} vanished inside its transaction`);
  return { orderNumber: locked.number, shipment, already, remaining: remainingOf(view), orderStatus: view.status, repId: locked.repId };
}

// ───────────── problems ─────────────

export interface ProblemInput {
  orderNumber: string;
  by: UserInfo;
  reason: string;
  now: Date;
  eventId: string | null;
}

/** 有问题: the warehouse records why it cannot ship (缺货, 地址不全 …); the order stays in dispatch. */
export async function reportProblem(tx: Tx, input: ProblemInput): Promise<ProblemResult> {
  requireWarehouse(input.by, "报告发货问题");
  const reason = input.reason.trim();
  if (!reason) throw new AppError("problem_reason_missing", "请说明是什么问题（如 缺货、地址不全）。");
  const locked = await lockDispatch(tx, input.orderNumber);
  if (!locked) throw notFound(input.orderNumber);
  if (locked.status !== "dispatched") throw notInDispatch(locked);
  await setProblem(tx, locked.id, { reason, at: input.now, byId: input.by.id });
  await audit(tx, {
    actorId: input.by.id,
    action: "shipment.problem",
    entityType: "order",
    entityId: locked.id,
    before: locked.problem ? { problem: locked.problem } : undefined,
    after: { problem: reason },
    eventId: input.eventId,
    at: input.now,
  });
  const view = await loadView(tx, locked.number);
  return { view, repId: locked.repId, repManagerId: await managerOf(tx, locked.repId) };
}

export interface CancelInput {
  orderNumber: string;
  by: UserInfo;
  reason: string | null;
  now: Date;
  eventId: string | null;
}

/**
 * The rep cancels an approved order before any goods leave (waiting for its address, or in dispatch with nothing
 * shipped — typically after a problem such as 缺货). Once a shipment is confirmed the goods are on their way:
 * refused, with who to talk to.
 */
export async function cancelBeforeShipment(tx: Tx, input: CancelInput): Promise<ProblemResult & { wasDispatched: boolean }> {
  const locked = await lockDispatch(tx, input.orderNumber);
  if (!locked) throw notFound(input.orderNumber);
  if (locked.repId !== input.by.id) throw new AppError("not_order_rep", `只有订单 ${locked.number} 的销售可以取消它。`);
  const view = await loadView(tx, locked.number);
  if (locked.status === "dispatched" && view.shipments.length > 0) {
    throw new AppError("already_shipping", `订单 ${locked.number} 已有发货，不能整单取消；剩余部分请联系仓库处理。`);
  }
  assertTransition(locked.status, "cancelled", locked.number);
  if (!(await moveOrder(tx, locked.id, locked.status, "cancelled"))) throw raced(locked.number);
  if (locked.problem) await setProblem(tx, locked.id, null);
  await audit(tx, {
    actorId: input.by.id,
    action: "order.cancel",
    entityType: "order",
    entityId: locked.id,
    before: { status: locked.status, ...(locked.problem ? { problem: locked.problem } : {}) },
    after: { status: "cancelled", ...(input.reason ? { reason: input.reason } : {}) },
    eventId: input.eventId,
    at: input.now,
  });
  return { view: await loadView(tx, locked.number), repId: locked.repId, repManagerId: await managerOf(tx, locked.repId), wasDispatched: locked.status === "dispatched" };
}

export interface ResumeInput {
  orderNumber: string;
  by: UserInfo;
  now: Date;
  eventId: string | null;
}

/** 恢复 SO-…: the warehouse clears the open problem; the notice is open again. */
export async function resume(tx: Tx, input: ResumeInput): Promise<ProblemResult> {
  requireWarehouse(input.by, "恢复发货");
  const locked = await lockDispatch(tx, input.orderNumber);
  if (!locked) throw notFound(input.orderNumber);
  if (locked.status !== "dispatched") throw notInDispatch(locked);
  if (!locked.problem) throw new AppError("no_problem", `订单 ${locked.number} 没有待处理的问题。`);
  await setProblem(tx, locked.id, null);
  await audit(tx, { actorId: input.by.id, action: "shipment.resume", entityType: "order", entityId: locked.id, before: { problem: locked.problem }, after: { problem: null }, eventId: input.eventId, at: input.now });
  const view = await loadView(tx, locked.number);
  return { view, repId: locked.repId, repManagerId: await managerOf(tx, locked.repId) };
}

const notInDispatch = (o: LockedDispatch) =>
  new AppError("not_in_dispatch", o.status === "approved" ? `订单 ${o.number} 还没有通知仓库。` : `订单 ${o.number} 不在待发货中。`, { status: o.status });

// ───────────── delivery ─────────────

export interface ConfirmDeliveryInput {
  orderNumber: string;
  by: UserInfo;
  now: Date;
  eventId: string | null;
}

/** 已签收 SO-…: the order's rep or the warehouse; shipped → delivered. Delivered already: nothing changes. */
export async function confirmDelivery(tx: Tx, input: ConfirmDeliveryInput): Promise<DeliveryResult> {
  const locked = await lockDispatch(tx, input.orderNumber);
  if (!locked) throw notFound(input.orderNumber);
  if (locked.repId !== input.by.id && !isWarehouse(input.by)) throw new AppError("not_allowed", `只有订单 ${locked.number} 的销售或仓库可以确认签收。`);
  if (locked.status === "delivered") return { view: await loadView(tx, locked.number), repId: locked.repId, already: true };
  assertTransition(locked.status, "delivered", locked.number);
  if (!(await moveOrder(tx, locked.id, locked.status, "delivered", { deliveredAt: input.now }))) throw raced(locked.number);
  await markShipmentsDelivered(tx, locked.id);
  await audit(tx, { actorId: input.by.id, action: "order.deliver", entityType: "order", entityId: locked.id, before: { status: locked.status }, after: { status: "delivered" }, eventId: input.eventId, at: input.now });
  return { view: await loadView(tx, locked.number), repId: locked.repId, already: false };
}

// ───────────── reminders and metrics ─────────────

/**
 * Notices dispatched at least `remindAfterHours` ago with no shipment and no open problem, not reminded in the
 * last `remindAfterHours`. Plain hours: the job decides whether now is within working hours.
 */
export async function noticesToRemind(tx: Tx, now: Date, remindAfterHours: number): Promise<NoticeToRemind[]> {
  const rows = await noticesDue(tx, new Date(now.getTime() - remindAfterHours * HOUR_MS));
  return rows.map((r) => ({
    orderId: r.id,
    number: r.number,
    customerName: r.customer.name,
    region: r.customer.region,
    repId: r.repId,
    skus: [...new Set(r.lines.map((l) => l.sku))],
    dispatchedAt: r.dispatchedAt!,
    remindedAt: r.noticeRemindedAt,
  }));
}

/** Marks one reminder sent; false when another run marked it first (then send nothing). */
export async function markNoticeReminded(tx: Tx, notice: Pick<NoticeToRemind, "orderId" | "remindedAt">, now: Date): Promise<boolean> {
  return markReminded(tx, notice.orderId, notice.remindedAt, now);
}

/** Approval → first shipment (median, slowest, hours) for first shipments in the range; open dispatches now. */
export async function dispatchLatency(tx: Tx, scope: readonly string[] | null, range: { from: Date; to: Date }): Promise<DispatchLatency> {
  const l = await latencyRows(tx, scope, range.from, range.to);
  const c = await openCounts(tx, scope);
  return { shipped: l.n, medianHours: l.median, maxHours: l.max, open: c.open, problems: c.problems };
}
