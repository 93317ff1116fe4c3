// 订单 SO-… (the order with its whole history), 我的订单 (recent orders), 撤回 SO-… / 撤销 SO-… (withdraw while
// pending, or a rejected order for good), 重新提交 SO-… (resubmit-order.handler.ts), and the order card's 撤回 and
// 修改后重新提交 buttons.
import { orderSpec } from "../../../cards/orders/order.card.ts";
import { ORDER_STATUS_LABEL } from "../../../cards/orders/order-view.ts";
import { AppError } from "../../core/app-error.ts";
import { formatLocal } from "../../core/local-time.ts";
import { formatCny, formatDiscount } from "../../core/money.ts";
import { myOrders, orderHistory, withdraw } from "../../domain/orders/order.service.ts";
import { managementChain } from "../../domain/users/management-chain.ts";
import { isSalesSide } from "../../domain/users/roles.ts";
import { showOrderToWarehouse } from "../dispatch/dispatch.handler.ts";
import { defineCardKind } from "../engine/card-kind.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import type { TextCommand } from "../engine/feature.ts";
import { renderDecided, threadOf } from "./order-views.ts";
import { openResubmitDraft, resubmitCommand } from "./resubmit-order.handler.ts";
import { cardsInThread, updateCardView } from "../../domain/cards/card.repo.ts";
import { looksLikeResubmission } from "../../nlu/index.ts";

const ORDER_NO = "(SO-\\d{8}-\\d{3,4})";
const SHOW = new RegExp(`^(?:订单|查订单|查询订单|查一下订单)\\s*${ORDER_NO}$`, "i");
const WITHDRAW = new RegExp(`^(?:撤回(?:订单)?|撤销)\\s*${ORDER_NO}$`, "i");

async function showOrder(ctx: HandlerContext, text: string): Promise<void> {
  const number = SHOW.exec(text)![1]!.toUpperCase();
  if (!isSalesSide(ctx.user)) return showOrderToWarehouse(ctx, number); // the warehouse never sees prices
  const h = await orderHistory(ctx.tx, number);
  const o = h.order;
  // The rep, anyone on its approval, the managers above the rep, directors and admins.
  const chain = await managementChain(ctx.tx, o.repId);
  const allowed = o.repId === ctx.user.id || chain.includes(ctx.user.id) || h.steps.some((s) => s.approverId === ctx.user.id) || ctx.user.roles.some((r) => r === "director" || r === "admin");
  if (!allowed) throw new AppError("order_not_visible", `订单 ${number} 不是你的订单，你没有查看权限。`);
  const lines = [
    `订单 ${o.number} · ${o.customerName} · ${ORDER_STATUS_LABEL[o.status] ?? o.status}`,
    `销售：${o.repName}；金额 ${formatCny(o.total)}（原价 ${formatCny(o.listTotal)}，${formatDiscount(o.discount)}）`,
    ...o.lines.map((l) => `· ${l.name} ${l.quantity}${l.unit} × ${formatCny(l.unitPrice)}（标价 ${formatCny(l.listPrice)}）`),
    ...(h.rule ? [`审批原因：${h.rule}`] : []),
    "记录：",
    ...h.trail.map((t) => `· ${formatLocal(t.at, ctx.timeZone)} ${t.text}`),
  ];
  ctx.out.replyText(lines.join("\n"));
}

async function listMyOrders(ctx: HandlerContext): Promise<void> {
  const orders = await myOrders(ctx.tx, ctx.user.id, 10);
  if (!orders.length) {
    ctx.out.replyText("你还没有订单。下单例如：下单 华东机电 电机A 200台 单价4500");
    return;
  }
  ctx.out.replyText(["最近的订单：", ...orders.map((o) => `· ${o.number} ${o.customerName} ${formatCny(o.total)} ${ORDER_STATUS_LABEL[o.status] ?? o.status}`), "发送「订单 单号」查看详情。"].join("\n"));
}

async function withdrawOrder(ctx: HandlerContext, number: string): Promise<void> {
  const r = await withdraw(ctx.tx, { orderNumber: number, rep: ctx.user, now: ctx.now, eventId: ctx.eventId });
  const render = renderDecided(r.order, "已撤回", `${ctx.user.name} 已撤回订单（${formatLocal(ctx.now, ctx.timeZone)}）`, "info");
  if (r.from === "rejected") {
    // Withdrawn after a rejection: the approvers' cards keep showing their decision; only the rep's cards change.
    for (const row of await cardsInThread(ctx.tx, threadOf(number))) {
      if (row.purpose !== "order" || row.status === "expired") continue;
      if (ctx.out.canUpdateInPlace(row)) await ctx.out.updateCard(row, render(row), "decided");
      else await updateCardView(ctx.tx, row.ref, render(row), "decided");
    }
    ctx.out.replyText(`已撤回订单 ${number}（已驳回的订单不再提交）。`);
    return;
  }
  await ctx.out.updateThread(threadOf(number), render, "decided");
  for (const id of r.approverIds) await ctx.out.notify(id, { type: "text", text: `${ctx.user.name} 已撤回订单 ${number}（${r.order.customerName}），无需再审批。` });
  ctx.out.replyText(`已撤回订单 ${number}。`);
}

export const orderCommands: TextCommand[] = [
  { matches: (t) => SHOW.test(t), run: showOrder },
  { matches: (t) => /^(我的订单|我的单子|查我的订单)$/.test(t), run: listMyOrders },
  { matches: (t) => WITHDRAW.test(t), run: (ctx, t) => withdrawOrder(ctx, WITHDRAW.exec(t)![1]!.toUpperCase()) },
  { matches: looksLikeResubmission, run: resubmitCommand },
];

/** The rep's order card: 撤回 while approval is pending, 修改后重新提交 once rejected (only the rep it was sent to). */
export const orderKind = defineCardKind(orderSpec, {
  actions: {
    withdraw: { run: (ctx, card) => withdrawOrder(ctx, card.thread!.slice("order:".length)) },
    resubmit: { run: (ctx, card) => openResubmitDraft(ctx, card.thread!.slice("order:".length)) },
  },
});
