// The order's life, as one table of legal moves. Everything that changes an order's status asks
// assertTransition first and then updates conditionally (where status = from), so an illegal or raced move
// changes nothing.
import { AppError } from "../../core/app-error.ts";
import type { OrderStatus } from "./order.types.ts";

export const ORDER_STATUSES: readonly OrderStatus[] = ["draft", "pending_approval", "approved", "rejected", "dispatched", "shipped", "delivered", "cancelled"];

/**
 * from → the statuses it may move to. Cancelling is possible until the goods leave (dispatched, not yet shipped).
 * A rejected order may be amended and resubmitted by its rep (priced and planned again: approved at once or back to
 * approval), or withdrawn for good (cancelled).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  draft: ["pending_approval", "approved", "cancelled"],
  pending_approval: ["approved", "rejected", "cancelled"],
  approved: ["dispatched", "cancelled"],
  dispatched: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  rejected: ["pending_approval", "approved", "cancelled"],
  cancelled: [],
};

export const ORDER_STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  draft: "草稿",
  pending_approval: "待审批",
  approved: "已批准",
  rejected: "已驳回",
  dispatched: "已通知仓库",
  shipped: "已发货",
  delivered: "已送达",
  cancelled: "已取消",
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Throws AppError("illegal_transition") saying why the move is not allowed. */
export function assertTransition(from: OrderStatus, to: OrderStatus, orderNumber?: string): void {
  if (canTransition(from, to)) return;
  const what = orderNumber ? `订单 ${orderNumber} ` : "订单";
  const why = whyNot(from, to);
  throw new AppError("illegal_transition", `${what}${ORDER_STATUS_LABELS[from]}，不能改为${ORDER_STATUS_LABELS[to]}：${why}`, { from, to });
}

function whyNot(from: OrderStatus, to: OrderStatus): string {
  if (from === to) return "状态没有变化。";
  if (from === "delivered" || from === "cancelled") return "订单已结束。";
  if (from === "rejected") return to === "draft" ? "已提交的订单不能退回草稿。" : "被驳回的订单只能修改后重新提交，或撤回。";
  if (to === "cancelled" && from === "shipped") return "货已发出，不能取消。";
  if (to === "approved" || to === "rejected") return from === "draft" ? "请先提交审批。" : "审批已经结束。";
  if (to === "dispatched") return "只有已批准的订单才能通知仓库。";
  if (to === "shipped") return "仓库还没有收到发货通知。";
  if (to === "delivered") return "订单还没有发货。";
  if (to === "draft") return "已提交的订单不能退回草稿。";
  if (to === "pending_approval") return "订单已经提交过了。";
  return "不允许这样的状态变化。";
}
