// The rep's order card follows the goods: after the notice, each shipment, a problem and delivery, its status line
// says where the order is. Only where the platform can change the card in place (DingTalk, the playground, WeCom
// while it holds a response code); elsewhere the stored card changes (what 订单 SO-… shows) and the rep has the
// text message of that step anyway, so no second copy of the card is sent.
import type { DispatchView } from "../../domain/dispatch/dispatch.types.ts";
import { cardsInThread, updateCardView } from "../../domain/cards/card.repo.ts";
import { getOrder } from "../../domain/orders/order.service.ts";
import type { UnitContext } from "../engine/handler-context.ts";
import { orderCardFor, threadOf } from "../orders/order-views.ts";

/** "已发 电机A 30台，还剩 电机A 20台、变频器 10台" and the like, from the dispatch view. */
export function progressText(v: DispatchView): string {
  if (v.status === "delivered") return "客户已签收";
  if (v.status === "cancelled") return "订单已取消";
  const rest = v.lines.filter((l) => l.remaining > 0).map((l) => `${l.name} ${l.remaining}${l.unit}`).join("、");
  if (v.status === "shipped") return `已全部发出，签收后回复「已签收 ${v.number}」`;
  if (v.problem) return `发货有问题：${v.problem.reason}`;
  const shipped = v.lines.filter((l) => l.shipped > 0).map((l) => `${l.name} ${l.shipped}${l.unit}`).join("、");
  return shipped ? `已发 ${shipped}，还剩 ${rest}` : "已通知仓库，等待发货";
}

export async function showOrderProgress(ctx: UnitContext, v: DispatchView): Promise<void> {
  const order = await getOrder(ctx.tx, v.number);
  if (!order) return;
  for (const row of await cardsInThread(ctx.tx, threadOf(v.number))) {
    if (row.purpose !== "order" || row.status === "expired") continue;
    const card = orderCardFor(row.ref, order, progressText(v));
    if (ctx.out.canUpdateInPlace(row)) await ctx.out.updateCard(row, card, row.status);
    else await updateCardView(ctx.tx, row.ref, card, row.status);
  }
}
