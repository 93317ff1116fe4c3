// Warehouse dispatch in chat (the notice itself: notice.ts, its address: delivery-info.handler.ts): the warehouse
// confirms shipments (button, then carrier and number; or typed 发货 SO-… 顺丰 SF…), reports problems and
// resumes; the rep is told at every step and confirms delivery. The warehouse never sees a price.
import { z } from "zod";
import { dispatchNoticeSpec } from "../../../cards/dispatch/dispatch-notice.card.ts";
import { AppError } from "../../core/app-error.ts";
import { formatLocal } from "../../core/local-time.ts";
import { findCarrierIn, normalizeTrackingNo, OWN_DELIVERY_WORDS } from "../../domain/dispatch/carriers.ts";
import { cancelBeforeShipment, confirmDelivery, confirmShipment, dispatchView, openDispatches, reportProblem, resume } from "../../domain/dispatch/dispatch.service.ts";
import { unitAgrees } from "../../domain/orders/units.ts";
import { matchProductLine } from "../../domain/orders/product-match.ts";
import { latestOpenPending, resolvePendingAction } from "../../domain/pending/pending-action.repo.ts";
import { isWarehouse } from "../../domain/users/roles.ts";
import type { IntentOf } from "../../nlu/index.ts";
import { defineCardKind, type Guard } from "../engine/card-kind.ts";
import type { TextCommand } from "../engine/feature.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { defineTextPending, openPending, type TextPendingKind } from "../engine/pending.ts";
import { refreshNotices } from "./notice.ts";

const warehouseOnly: Guard = (ctx) => {
  if (!isWarehouse(ctx.user)) throw new AppError("not_warehouse", "只有仓库同事可以确认发货或报告问题；发送「订单 单号」可以查看发货进度。");
};

const numberOf = (thread: string | null) => (thread?.startsWith("dispatch:") ? thread.slice("dispatch:".length) : null);

// Loose on purpose (6+ digits): a number of the wrong form is then refused with the carrier's own form
// (德邦: DPK 加 9 到 15 位数字 …) by the dispatch service, instead of "no number seen".
const TRACKING = /\b([A-Za-z]{0,4}\d{6,20}[A-Za-z]{0,2})\b/;
const ANY_ORDER_NO = /SO-\d{8}-\d{3,4}/gi;

/**
 * A message naming an order number is not the answer to an open 确认发货 / 有问题 question (which is about one
 * order already): it is understood as usual (发货 SO-… 顺丰 SF…, SO-… 缺货), so it acts on the order it names.
 */
const namesNoOrder = (text: string) => !/SO-\d{8}-\d{3,4}/i.test(text);

/** "顺丰 SF1234567890123", "德邦 DPK300123456789 电机A 60台", "数量 60 SF…": carrier, number and, for a partial shipment, quantities. */
async function ship(ctx: HandlerContext, orderNumber: string, written: string, quantity?: number): Promise<void> {
  // The order number's date (SO-20261123-…) is no tracking number.
  const text = written.replace(ANY_ORDER_NO, " ");
  const number = TRACKING.exec(text)?.[1] ?? null;
  const own = !number && OWN_DELIVERY_WORDS.test(text);
  if (!number && !own) throw new AppError("no_tracking_no", "没看到快递单号，请回复承运商和单号，例如：顺丰 SF1234567890123；自己车送的回复「自送」。");
  const carrier = number ? (findCarrierIn(text.replace(number, " "))?.carrier ?? null) : null;
  const view = await dispatchView(ctx.tx, orderNumber);
  const lines: { sku: string; quantity: number }[] = [];
  // Quantities in the order's own units (盏, 把, 桶 … as the price list says) and the usual ones.
  const units = [...new Set([...view.lines.map((l) => l.unit), "台", "个", "套", "卷", "件", "箱", "只", "吨", "米"])].map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  for (const m of text.matchAll(new RegExp(`(\\S+?)\\s*(\\d+)\\s*(${units.join("|")})`, "g"))) {
    // An order may hold one product in two units (电缆 by the 卷 and by the 米): the unit written says which line.
    const hit = matchProductLine(m[1]!, m[3], view.lines.map((l) => ({ sku: l.sku, name: l.name, aliases: [], unit: l.unit })));
    if (hit.kind === "unit_not_listed") {
      const units = hit.lines.map((l) => l.unit);
      throw new AppError("unit_mismatch", `${hit.name} 按${units.map((u) => `「${u}」`).join("或")}下单，您写的是「${m[3]!}」。请按${units.join("或")}写发货数量，例如：${hit.name} 2${units[0]!} 德邦 DPK300123456789`);
    }
    if (hit.kind !== "exact") continue;
    // 电缆 60米 of a line ordered in 卷 is not 60卷: refused, as when the order was placed (nothing converted).
    const unit = view.lines.find((l) => l.sku === hit.product.sku)!.unit;
    if (!unitAgrees(m[3], unit)) throw new AppError("unit_mismatch", `${hit.product.name} 按「${unit}」下单，您写的是「${m[3]!}」。请按${unit}写发货数量，例如：${hit.product.name} 2${unit} 德邦 DPK300123456789`);
    lines.push({ sku: hit.product.sku, quantity: Number(m[2]) });
  }
  const qty = quantity ?? (Number(/数量\s*(\d+)/.exec(text)?.[1]) || undefined);
  if (!lines.length && qty !== undefined) {
    const open = view.lines.filter((l) => l.remaining > 0);
    if (open.length !== 1) throw new AppError("which_line", `这张订单有 ${open.length} 个产品未发完，部分发货请写明产品和数量，例如：${open[0]?.name ?? "电机A"} 60台 德邦 DPK300123456789`);
    lines.push({ sku: open[0]!.sku, quantity: qty });
  }
  const r = await confirmShipment(ctx.tx, { orderNumber, by: ctx.user, carrier, trackingNo: number ? normalizeTrackingNo(number) : null, ...(lines.length ? { lines } : {}), now: ctx.now, eventId: ctx.eventId });
  if (r.already) {
    ctx.out.replyText(`单号 ${r.shipment.trackingNo} 已经确认过了，没有重复发货。`);
    return;
  }
  const after = await dispatchView(ctx.tx, orderNumber);
  const what = r.shipment.lines.map((l) => `${l.name} ${l.quantity}${l.unit}`).join("、");
  const rest = r.remaining.filter((l) => l.remaining > 0).map((l) => `${l.name} ${l.remaining}${l.unit}`).join("、");
  await refreshNotices(ctx, after, rest ? null : `${ctx.user.name} 已全部发货（${formatLocal(ctx.now, ctx.timeZone)}）`);
  const how = [r.shipment.carrier, r.shipment.trackingNo].filter(Boolean).join(" ");
  ctx.out.replyText(`已确认 ${orderNumber} 发货：${what}，${how}。${rest ? `还剩 ${rest} 未发。` : "已全部发出。"}`);
  await ctx.out.notify(r.repId, { type: "text", text: `订单 ${orderNumber}（${after.customerName}）已发货：${what}，${how}。${rest ? `还有 ${rest} 待发。` : `已全部发出，客户签收后回复「已签收 ${orderNumber}」。`}` });
}

/** 确认发货 waits for the carrier and the tracking number. */
export const shipDetails = defineTextPending({
  kind: "ship_details",
  schema: z.object({ orderNumber: z.string() }),
  ttlMs: 30 * 60_000,
  accepts: namesNoOrder,
  resume: (ctx, data, text) => ship(ctx, data.orderNumber, text),
  cancel: async (ctx, data) => ctx.out.replyText(`好的，${data.orderNumber} 暂未确认发货。`),
});

async function problem(ctx: HandlerContext, orderNumber: string, reason: string): Promise<void> {
  const r = await reportProblem(ctx.tx, { orderNumber, by: ctx.user, reason: reason.slice(0, 300), now: ctx.now, eventId: ctx.eventId });
  await refreshNotices(ctx, r.view, null);
  const text = `订单 ${orderNumber}（${r.view.customerName}）发货有问题：${reason}（${ctx.user.name}）。处理后仓库回复「恢复 ${orderNumber}」，或销售回复「取消订单 ${orderNumber}」。`;
  await ctx.out.notify(r.repId, { type: "text", text });
  if (r.repManagerId) await ctx.out.notify(r.repManagerId, { type: "text", text });
  ctx.out.replyText(`已记录 ${orderNumber} 的问题：${reason}，已通知销售${r.repManagerId ? "和经理" : ""}。`);
}

/** 有问题 waits for what is wrong (缺货, 地址不全 …). */
export const problemReason = defineTextPending({
  kind: "dispatch_problem",
  schema: z.object({ orderNumber: z.string() }),
  ttlMs: 30 * 60_000,
  accepts: namesNoOrder,
  resume: (ctx, data, text) => problem(ctx, data.orderNumber, text),
});

/**
 * Asks the one dispatch question this person has open: an earlier 确认发货 / 有问题 question (a double click, or
 * another notice's button pressed since) is closed, so it cannot take a later message (待发货, …) as its answer.
 */
async function askAnew(ctx: HandlerContext, kind: TextPendingKind<{ orderNumber: string }>, orderNumber: string): Promise<void> {
  for (let open = await openQuestion(ctx); open; open = await openQuestion(ctx)) {
    if (!(await resolvePendingAction(ctx.tx, open.id, "cancelled", ctx.now))) break;
  }
  await openPending(ctx, kind, { orderNumber });
}

const openQuestion = (ctx: HandlerContext) => latestOpenPending(ctx.tx, ctx.user.id, [shipDetails.kind, problemReason.kind], ctx.now);

/**
 * The step was typed in full (发货 SO-… 顺丰 SF…, SO-… 缺货) while a button's question about the same order was
 * open: that question is answered, it must not take the next message.
 */
async function closeQuestionAbout(ctx: HandlerContext, orderNumber: string): Promise<void> {
  const open = await openQuestion(ctx);
  if (open && shipDetails.schema.safeParse(open.payload).data?.orderNumber === orderNumber) await resolvePendingAction(ctx.tx, open.id, "confirmed", ctx.now);
}

export const dispatchNoticeKind = defineCardKind(dispatchNoticeSpec, {
  actions: {
    ship: {
      guard: warehouseOnly,
      run: async (ctx, card) => {
        const n = numberOf(card.thread)!;
        await askAnew(ctx, shipDetails, n);
        ctx.out.replyText(`请回复 ${n} 的承运商和单号，例如：顺丰 SF1234567890123；部分发货加上产品和数量，例如：电机A 60台 德邦 DPK300123456789`);
      },
    },
    problem: {
      guard: warehouseOnly,
      run: async (ctx, card) => {
        const n = numberOf(card.thread)!;
        await askAnew(ctx, problemReason, n);
        ctx.out.replyText(`${n} 有什么问题？请回复原因，例如：缺货、地址不全。`);
      },
    },
  },
});

export async function handleConfirmShipment(ctx: HandlerContext, intent: IntentOf<"confirm_shipment">, text: string): Promise<void> {
  if (!isWarehouse(ctx.user)) throw new AppError("not_warehouse", "只有仓库同事可以确认发货。客户签收后请回复「已签收 单号」。");
  const n = intent.order ?? (await impliedDispatch(ctx, "发货"));
  await ship(ctx, n, intent.tracking_no ? `${intent.carrier ?? ""} ${intent.tracking_no} ${text}` : text, intent.quantity);
  await closeQuestionAbout(ctx, n);
}

/**
 * 缺货 电机A只有10台 / 发了 顺丰 SF… typed without a number: the one order waiting to ship (without an open problem)
 * is meant; with none or several, say so (listing them) and change nothing.
 */
async function impliedDispatch(ctx: HandlerContext, word: string): Promise<string> {
  const open = (await openDispatches(ctx.tx)).filter((v) => !v.problem);
  if (open.length === 1) return open[0]!.number;
  if (!open.length) throw new AppError("no_open_dispatch", "现在没有待发货的订单。");
  throw new AppError("which_dispatch", [
    `有 ${open.length} 个订单待发货，请带上单号，例如「${word} ${open[0]!.number} …」：`,
    ...open.slice(0, 10).map((v) => `· ${v.number} ${v.customerName}：${v.lines.filter((l) => l.remaining > 0).map((l) => `${l.name} ${l.remaining}${l.unit}`).join("、")}`),
  ].join("\n"));
}

export async function handleShipmentProblem(ctx: HandlerContext, intent: IntentOf<"report_shipment_problem">, text: string): Promise<void> {
  if (!isWarehouse(ctx.user)) throw new AppError("not_warehouse", "只有仓库同事可以报告发货问题；客户那边的问题请直接联系仓库或经理。");
  // The whole message after the order number is the reason as the warehouse wrote it (缺货 变频器下周到), not only
  // the part the parser picked out.
  const written = text.replace(/SO-\d{8}-\d{3,4}/i, " ").replace(/^[\s,，:：]+|[\s。]+$/g, "").replace(/\s+/g, " ");
  const n = intent.order ?? (await impliedDispatch(ctx, "缺货"));
  await problem(ctx, n, written.length >= intent.reason.length ? written : intent.reason);
  await closeQuestionAbout(ctx, n);
}

const ORDER_NO = "(SO-\\d{8}-\\d{3,4})";
const RESUME = new RegExp(`^恢复\\s*${ORDER_NO}$`, "i");
const DELIVERED = new RegExp(`^(?:已签收|签收了?|客户已签收)\\s*${ORDER_NO}$`, "i");
const CANCEL = new RegExp(`^(?:取消订单|取消|撤销订单)\\s*${ORDER_NO}[\\s,，:：]*(.*)$`, "i");

/** 取消订单 SO-… [原因]: the rep calls off an approved order before anything ships; the warehouse's notices say so. */
async function cancelOrder(ctx: HandlerContext, t: string): Promise<void> {
  const m = CANCEL.exec(t)!;
  const n = m[1]!.toUpperCase();
  const reason = m[2]!.trim() || null;
  const r = await cancelBeforeShipment(ctx.tx, { orderNumber: n, by: ctx.user, reason, now: ctx.now, eventId: ctx.eventId });
  const why = reason ? `（${reason}）` : "";
  if (r.wasDispatched) await refreshNotices(ctx, r.view, `订单已取消，不用发货${why}（${ctx.user.name}，${formatLocal(ctx.now, ctx.timeZone)}）`);
  else await refreshNotices(ctx, r.view, null); // no notice yet: only the rep's order card changes
  if (r.repManagerId) await ctx.out.notify(r.repManagerId, { type: "text", text: `订单 ${n}（${r.view.customerName}）已被${ctx.user.name}取消${why}。` });
  ctx.out.replyText(`已取消订单 ${n}${why}。${r.wasDispatched ? "仓库的发货通知已撤回。" : ""}`);
}

async function listOpen(ctx: HandlerContext): Promise<void> {
  if (!isWarehouse(ctx.user)) throw new AppError("not_warehouse", "「待发货」是仓库的列表；查看自己的订单请发送「我的订单」。");
  const open = await openDispatches(ctx.tx);
  if (!open.length) {
    ctx.out.replyText("没有待发货的订单。");
    return;
  }
  const rows = open.map((v) => `· ${v.number} ${v.customerName}：${v.lines.filter((l) => l.remaining > 0).map((l) => `${l.name} ${l.remaining}${l.unit}`).join("、")}${v.problem ? `（问题：${v.problem.reason}）` : ""}`);
  ctx.out.replyText([`待发货（${open.length}），最早的在前：`, ...rows, "回复「发货 单号 承运商 快递单号」确认。"].join("\n"));
}

export const dispatchCommands: TextCommand[] = [
  { matches: (t) => CANCEL.test(t), run: cancelOrder },
  { matches: (t) => /^(待发货|待发货订单|发货列表)$/.test(t), run: listOpen },
  {
    matches: (t) => RESUME.test(t),
    run: async (ctx, t) => {
      const n = RESUME.exec(t)![1]!.toUpperCase();
      const r = await resume(ctx.tx, { orderNumber: n, by: ctx.user, now: ctx.now, eventId: ctx.eventId });
      await refreshNotices(ctx, r.view, null);
      await ctx.out.notify(r.repId, { type: "text", text: `订单 ${n} 的发货问题已解决，仓库继续发货。` });
      ctx.out.replyText(`已恢复 ${n}，可以继续发货。`);
    },
  },
  {
    matches: (t) => DELIVERED.test(t),
    run: async (ctx, t) => {
      const n = DELIVERED.exec(t)![1]!.toUpperCase();
      const r = await confirmDelivery(ctx.tx, { orderNumber: n, by: ctx.user, now: ctx.now, eventId: ctx.eventId });
      if (r.already) {
        ctx.out.replyText(`订单 ${n} 已经签收过了。`);
        return;
      }
      await refreshNotices(ctx, r.view, `客户已签收（${ctx.user.name}，${formatLocal(ctx.now, ctx.timeZone)}）`);
      if (r.repId !== ctx.user.id) await ctx.out.notify(r.repId, { type: "text", text: `订单 ${n}（${r.view.customerName}）客户已签收。` });
      ctx.out.replyText(`已记录 ${n} 客户签收。`);
    },
  },
];

/** 订单 SO-… for the warehouse: the order as the warehouse sees it, without any price. */
export async function showOrderToWarehouse(ctx: HandlerContext, number: string): Promise<void> {
  const v = await dispatchView(ctx.tx, number);
  ctx.out.replyText([
    `订单 ${v.number} · ${v.customerName} · 销售 ${v.repName}`,
    `收货：${v.delivery.address ?? "（未提供）"} ${[v.delivery.contact, v.delivery.phone].filter(Boolean).join(" ")}`,
    ...v.lines.map((l) => `· ${l.name} 订 ${l.ordered}${l.unit}，已发 ${l.shipped}，还剩 ${l.remaining}`),
    ...v.shipments.map((s) => `发货 ${formatLocal(s.createdAt, ctx.timeZone)} ${s.carrier ?? ""} ${s.trackingNo ?? ""}（${s.createdByName}）`),
    ...(v.problem ? [`问题：${v.problem.reason}`] : []),
  ].join("\n"));
}
