// The warehouse's dispatch notice: sending it when the order is ready (approved, with where and to whom), and
// showing every copy the order's dispatch state after each step.
//
// Where it goes: the org file's warehouse.routes (first match by SKU — a product's SKU covering its other units'
// SKUs unless a route names them — and/or the customer's region:
// named people, a WeCom app group chat, a DingTalk group), else everyone with the warehouse role. A route whose
// targets cannot be reached here (its platform is not running, its people have no identity) falls back to the
// warehouse role, so an order never waits on a notice nobody received.
import { newCardRef } from "../../../cards/card-ref.ts";
import { dispatchNoticeCard } from "../../../cards/dispatch/dispatch-notice.card.ts";
import { decidedCard, type Card } from "../../core/card.ts";
import { cardsInThread } from "../../domain/cards/card.repo.ts";
import { startDispatch } from "../../domain/dispatch/dispatch.service.ts";
import type { DispatchView } from "../../domain/dispatch/dispatch.types.ts";
import { listProducts } from "../../domain/orders/order.service.ts";
import { productSkusOf } from "../../domain/orders/product-match.ts";
import { warehouseRouteFor } from "../../domain/org/org-file.ts";
import { isWarehouse } from "../../domain/users/roles.ts";
import { listUsers } from "../../domain/users/user.repo.ts";
import type { UnitContext } from "../engine/handler-context.ts";
import { showOrderProgress } from "./order-progress.ts";

export const dispatchThreadOf = (orderNumber: string) => `dispatch:${orderNumber}`;

/** What goes to the warehouse: the notice card (one copy per person or group), or a text (a reminder). */
export type WarehouseMessage = { card: (ref: string) => Card } | { text: string; dedupeKey: string };

/** Sends to each target of the order's route (else the warehouse role); returns who got it, in words. */
export async function toWarehouse(ctx: UnitContext, view: DispatchView, msg: WarehouseMessage): Promise<string[]> {
  const meta = { thread: dispatchThreadOf(view.number), subjectType: "order", subjectId: view.orderId };
  const person = (id: string) =>
    "card" in msg ? ctx.out.sendCardTo(id, msg.card(newCardRef()), meta) : ctx.out.notify(id, { type: "text", text: msg.text }, `${msg.dedupeKey}:${id}`);
  const group = async (platform: "wecom" | "dingtalk", chatId: string) =>
    "card" in msg ? ctx.out.sendCardToGroup(platform, chatId, msg.card(newCardRef()), meta) : ctx.out.notifyGroup(platform, chatId, { type: "text", text: msg.text }, `${msg.dedupeKey}:${chatId}`);
  // A route for a product covers each unit's SKU of it (电缆 by the 卷 and by the 米), unless a route names that SKU.
  const products = ctx.warehouseRoutes.some((r) => r.skus) ? await listProducts(ctx.tx) : [];
  const route = warehouseRouteFor(ctx.warehouseRoutes, { skus: view.lines.map((l) => l.sku), region: view.region }, (sku) => productSkusOf(sku, products));
  const reached: string[] = [];
  if (route) {
    for (const u of (await listUsers(ctx.tx)).filter((u) => route.users?.includes(u.id))) if (await person(u.id)) reached.push(u.name);
    if (route.wecomChat && (await group("wecom", route.wecomChat))) reached.push("仓库群（企业微信）");
    if (route.dingtalkGroup && (await group("dingtalk", route.dingtalkGroup))) reached.push("仓库群（钉钉）");
    if (reached.length) return reached;
    ctx.log.warn("the warehouse route matching this order reaches nobody here; using the warehouse role", { orderNumber: view.number });
  }
  for (const w of (await listUsers(ctx.tx)).filter(isWarehouse)) if (await person(w.id)) reached.push(w.name);
  if (!reached.length) ctx.log.warn("no warehouse person can be reached", { orderNumber: view.number });
  return reached;
}

export function noticeFor(ref: string, v: DispatchView, timeZone: string): Card {
  return dispatchNoticeCard({
    ref, number: v.number, customer: v.customerName, repName: v.repName,
    address: v.delivery.address, contact: v.delivery.contact, phone: v.delivery.phone, requestedDate: v.delivery.requestedDate,
    lines: v.lines.map((l) => ({ name: l.name, unit: l.unit, ordered: l.ordered, shipped: l.shipped, remaining: l.remaining })),
    problem: v.problem?.reason ?? null, timeZone,
  });
}

/**
 * approved → dispatched: the notice goes out and the rep is told who has it. `progress`: also move the rep's order
 * card on (not when the caller has just shown the approval on it in this same unit).
 */
export async function startNotice(ctx: UnitContext, orderNumber: string, actorId: string | null, progress = true): Promise<void> {
  const r = await startDispatch(ctx.tx, { orderNumber, now: ctx.now, eventId: ctx.eventId, actorId });
  if (r.already) return;
  const reached = await toWarehouse(ctx, r.view, { card: (ref) => noticeFor(ref, r.view, ctx.timeZone) });
  await ctx.out.notify(r.repId, { type: "text", text: `订单 ${orderNumber} 已通知仓库发货${reached.length ? `（${reached.join("、")}）` : ""}。` });
  if (progress) await showOrderProgress(ctx, r.view);
}

/** Every copy of the notice (people and groups) shows the order's dispatch state now; so does the rep's order card. */
export async function refreshNotices(ctx: UnitContext, v: DispatchView, decided: string | null): Promise<void> {
  for (const row of await cardsInThread(ctx.tx, dispatchThreadOf(v.number))) {
    if (row.status === "expired") continue;
    const card = noticeFor(row.ref, v, ctx.timeZone);
    await ctx.out.updateCard(row, decided ? decidedCard(card, decided) : card, decided ? "decided" : "active");
  }
  await showOrderProgress(ctx, v);
}
