// Places a resolved order through the order engine (prices and totals come from the price list, never from
// the message) and shows it: the rep's order card, and the first approver's card in the same thread.
import { money } from "../../core/money.ts";
import { placeOrder } from "../../domain/orders/order.service.ts";
import type { OrderRequest } from "../../domain/orders/order.types.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { dispatchWhenReady, nextAfterApproval } from "../dispatch/delivery-info.handler.ts";
import { sendApprovalCard } from "./approval.handler.ts";
import { orderCardFor, threadOf } from "./order-views.ts";
import type { OrderDraft } from "./place-order.handler.ts";

export function requestOf(customerId: string, draft: OrderDraft, eventId: string): OrderRequest {
  return {
    customerId,
    lines: draft.items.map((i) => ({ sku: i.sku, quantity: i.quantity, ...(i.unit ? { unit: i.unit } : {}), ...(i.unitPrice !== undefined ? { unitPrice: money(i.unitPrice) } : {}) })),
    ...(draft.discount !== undefined ? { discount: money(draft.discount) } : {}),
    ...(draft.reason ? { reason: draft.reason } : {}),
    sourceEventId: eventId,
  };
}

export async function submitOrder(ctx: HandlerContext, customerId: string, draft: OrderDraft, confirmDuplicate: boolean): Promise<{ kind: "placed" } | { kind: "duplicate"; warning: string }> {
  const r = await placeOrder(ctx.tx, {
    request: requestOf(customerId, draft, ctx.eventId),
    rep: ctx.user,
    now: ctx.now,
    timeZone: ctx.timeZone,
    rules: ctx.rules.approval,
    eventId: ctx.eventId,
    confirmDuplicate,
  });
  if (r.kind === "duplicate") return { kind: "duplicate", warning: `${r.message} 确认不是重复，请点「提交」。` };
  const order = r.order;
  const thread = threadOf(order.number);
  const meta = { thread, subjectType: "order", subjectId: order.id };
  if (r.plan.kind === "auto") {
    await ctx.out.replyCard(orderCardFor(newCardRef(), order, await nextAfterApproval(ctx, order.number, "已批准（在你的折扣权限内）")), meta);
    await dispatchWhenReady(ctx, order.number, ctx.user.id);
    return { kind: "placed" };
  }
  const first = r.plan.steps[0]!;
  await ctx.out.replyCard(orderCardFor(newCardRef(), order, `已提交${first.approverName}审批`), meta);
  await sendApprovalCard(ctx, order, first, r.plan.steps.length, r.plan.reasons.map((x) => x.text).join("；"));
  return { kind: "placed" };
}
