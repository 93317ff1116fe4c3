// Before a notice goes out the warehouse needs where and to whom: when neither the order nor the customer has a
// delivery address and a contact, the rep is asked (after approval, or at once for an order within authority)
// and the notice waits. The rep answers with the next message that looks like an address or phone
// ("上海市浦东新区张江路100号 王经理 13800138000"), or any time with 收货 SO-… <address contact phone>; other
// messages are understood as usual while the question stays open.
import { z } from "zod";
import { AppError } from "../../core/app-error.ts";
import { dispatchView, missingDelivery, setDeliveryInfo } from "../../domain/dispatch/dispatch.service.ts";
import type { DispatchView } from "../../domain/dispatch/dispatch.types.ts";
import { looksLikeDeliveryInfo, readDeliveryInfo } from "../../nlu/delivery-info.ts";
import type { TextCommand } from "../engine/feature.ts";
import type { HandlerContext, UnitContext } from "../engine/handler-context.ts";
import { defineTextPending, openPending } from "../engine/pending.ts";
import { refreshNotices, startNotice } from "./notice.ts";

const LABEL = { address: "收货地址", contact: "联系人和电话" } as const;
const example = (n: string) => `收货 ${n} 上海市浦东新区张江路100号 王经理 13800138000`;

/** Asks the rep for what the notice lacks; their next address-like message (or 收货 SO-… …) answers. */
export async function askDeliveryInfo(ctx: UnitContext, v: DispatchView, missing: readonly ("address" | "contact")[]): Promise<void> {
  await openPending(ctx, deliveryInfo, { orderNumber: v.number }, v.repId);
  const what = missing.map((m) => LABEL[m]).join("、");
  const head = v.status === "approved" ? `订单 ${v.number}（${v.customerName}）已批准，` : `订单 ${v.number}（${v.customerName}）`;
  await ctx.out.notify(v.repId, { type: "text", text: `${head}通知仓库前还缺${what}。请直接回复，例如：${example(v.number)}` });
}

async function takeDeliveryInfo(ctx: HandlerContext, orderNumber: string, text: string): Promise<void> {
  const info = readDeliveryInfo(text);
  if (!info.address && !info.contact && !info.phone) {
    throw new AppError("delivery_info_unread", `没有看出地址、联系人或电话，请这样写：${example(orderNumber)}`);
  }
  const v = await setDeliveryInfo(ctx.tx, {
    orderNumber, by: ctx.user, now: ctx.now, eventId: ctx.eventId,
    ...(info.address ? { address: info.address } : {}),
    ...(info.contact ? { contact: info.contact } : {}),
    ...(info.phone ? { phone: info.phone } : {}),
  });
  const saved = [v.delivery.address, v.delivery.contact, v.delivery.phone].filter(Boolean).join(" ");
  const missing = missingDelivery(v);
  if (missing.length) {
    await openPending(ctx, deliveryInfo, { orderNumber });
    ctx.out.replyText(`已记录 ${orderNumber} 的收货信息：${saved}。还缺${missing.map((m) => LABEL[m]).join("、")}，请再回复。`);
    return;
  }
  if (v.status === "approved") {
    ctx.out.replyText(`已记录 ${orderNumber} 的收货信息：${saved}，现在通知仓库。`);
    await startNotice(ctx, orderNumber, ctx.user.id);
  } else if (v.status === "dispatched") {
    ctx.out.replyText(`已更新 ${orderNumber} 的收货信息：${saved}，仓库的发货通知已同步。`);
    await refreshNotices(ctx, v, null);
  } else {
    ctx.out.replyText(`已记录 ${orderNumber} 的收货信息：${saved}，订单批准后通知仓库。`);
  }
}

/** Whether the warehouse would know where and to whom (else dispatchWhenReady asks the rep first). */
export async function deliveryKnown(ctx: UnitContext, orderNumber: string): Promise<boolean> {
  return missingDelivery(await dispatchView(ctx.tx, orderNumber)).length === 0;
}

/**
 * Called when an order is approved (by its last approver, or at once within the rep's authority): the notice
 * goes out, or, when the warehouse would not know where and to whom, the rep is asked first.
 */
export async function dispatchWhenReady(ctx: UnitContext, orderNumber: string, actorId: string | null): Promise<void> {
  const v = await dispatchView(ctx.tx, orderNumber);
  if (v.status !== "approved") return;
  const missing = missingDelivery(v);
  // The caller has just shown the approval on the rep's order card ("已批准，已通知仓库"): it stays as it is.
  if (missing.length) await askDeliveryInfo(ctx, v, missing);
  else await startNotice(ctx, orderNumber, actorId, false);
}

/** The order card's next step right after approval. */
export async function nextAfterApproval(ctx: UnitContext, orderNumber: string, approved: string): Promise<string> {
  return (await deliveryKnown(ctx, orderNumber)) ? `${approved}，已通知仓库` : `${approved}，补充收货信息后通知仓库`;
}

export const deliveryInfo = defineTextPending({
  kind: "delivery_info",
  schema: z.object({ orderNumber: z.string() }),
  ttlMs: 7 * 24 * 3600_000,
  accepts: looksLikeDeliveryInfo,
  resume: (ctx, data, text) => takeDeliveryInfo(ctx, data.orderNumber, text),
});

const TYPED = /^(?:收货信息|收货地址|收货|送货地址)\s*[:：]?\s*(SO-\d{8}-\d{3,4})[\s:：,，]*(.*)$/i;

export const deliveryInfoCommands: TextCommand[] = [
  {
    matches: (t) => TYPED.test(t),
    run: async (ctx, t) => {
      const m = TYPED.exec(t)!;
      const number = m[1]!.toUpperCase();
      if (!m[2]!.trim()) {
        const v = await dispatchView(ctx.tx, number);
        ctx.out.replyText(`${number} 的收货信息：${[v.delivery.address ?? "（无地址）", v.delivery.contact, v.delivery.phone].filter(Boolean).join(" ")}。修改请回复：${example(number)}`);
        return;
      }
      await takeDeliveryInfo(ctx, number, m[2]!);
    },
  },
];
