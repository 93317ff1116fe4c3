// A rejected order amended and resubmitted by its rep, under its own number:
//   SO-… 单价改成7500 重新提交 · 重新提交 SO-… 电机A单价4800 · 重新提交 SO-… 9折 理由：… → at once;
//   重新提交 SO-… (or the order card's 修改后重新提交, or 重新提交 alone with one rejected order) → the order as an
//   amendable draft (改 单价 4500 …, then 提交).
// The order engine runs again (order.service.ts resubmitOrder): approved at once, or a new approval card naming the
// rule to the right approver. The earlier round's cards are retired from the thread (their stored view keeps the
// rejection), so the new round's decisions never overwrite them.
import { newCardRef } from "../../../cards/card-ref.ts";
import { AppError } from "../../core/app-error.ts";
import { decidedCard } from "../../core/card.ts";
import { formatCny, money } from "../../core/money.ts";
import { cardsInThread, updateCardView } from "../../domain/cards/card.repo.ts";
import { assertResubmittable, myOrders, resubmitOrder } from "../../domain/orders/order.service.ts";
import type { OrderView } from "../../domain/orders/order.types.ts";
import { parseResubmission } from "../../nlu/index.ts";
import { dispatchWhenReady, nextAfterApproval } from "../dispatch/delivery-info.handler.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { sendApprovalCard } from "./approval.handler.ts";
import { orderCardFor, threadOf } from "./order-views.ts";
import { applyCorrections, showDraft, type OrderDraft } from "./place-order.handler.ts";

const EXAMPLE = (n: string) => `例如：重新提交 ${n} 单价4800、重新提交 ${n} 电机A 数量20、重新提交 ${n} 9折 理由：客户量大`;

/** The order's lines as a draft (each line at the price it was rejected with), to amend and resubmit. */
function draftOf(order: OrderView): OrderDraft {
  return {
    items: order.lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice.toFixed(2) })),
    ...(order.reason ? { reason: order.reason } : {}),
    explicit: true,
    resubmitOf: order.number,
  };
}

/** The order card's 修改后重新提交 and typed 重新提交 SO-… with nothing to change: the amendable draft. */
export async function openResubmitDraft(ctx: HandlerContext, number: string): Promise<void> {
  const order = await assertResubmittable(ctx.tx, number, ctx.user);
  await showDraft(ctx, order.customerId, draftOf(order));
}

/** 重新提交 without a number: the rep's one rejected order among the recent ones; several are listed, none said. */
async function impliedRejected(ctx: HandlerContext): Promise<string> {
  const rejected = (await myOrders(ctx.tx, ctx.user.id, 30)).filter((o) => o.status === "rejected");
  if (rejected.length === 1) return rejected[0]!.number;
  if (!rejected.length) throw new AppError("no_rejected_order", "你没有被驳回的订单可以重新提交。发送「我的订单」查看最近的订单。");
  throw new AppError("which_rejected_order", [
    `你有 ${rejected.length} 个被驳回的订单，请带上单号，例如「重新提交 ${rejected[0]!.number} 单价4800」：`,
    ...rejected.slice(0, 10).map((o) => `· ${o.number} ${o.customerName} ${formatCny(o.total)}`),
  ].join("\n"));
}

/** The typed command (recognised before the parser: looksLikeResubmission). */
export async function resubmitCommand(ctx: HandlerContext, text: string): Promise<void> {
  const parsed = parseResubmission(text);
  if (!parsed.ok) {
    const what = parsed.problem === "bad_value" ? parsed.message : `没看懂「${parsed.leftover}」`;
    const named = /SO-\d{8}-\d{3,4}/i.exec(text)?.[0].toUpperCase() ?? "SO-…";
    throw new AppError("bad_resubmission", `${what}。重新提交只能改订单里产品的单价、数量和折扣（可以加「理由：…」）；要换产品或客户，请撤回后重新下单。${EXAMPLE(named)}`);
  }
  const number = parsed.order ?? (await impliedRejected(ctx));
  const order = await assertResubmittable(ctx.tx, number, ctx.user);
  if (!parsed.changes.length && !parsed.reason) return showDraft(ctx, order.customerId, draftOf(order));
  const { draft } = await applyCorrections(ctx, draftOf(order), parsed.changes, `订单 ${number} `);
  await resubmitWith(ctx, number, { ...draft, ...(parsed.reason ? { reason: parsed.reason } : {}) });
}

/** Resubmits the amended order and shows the new round: the rep's order card, the approver's card (or dispatch). */
export async function resubmitWith(ctx: HandlerContext, number: string, draft: OrderDraft): Promise<void> {
  const r = await resubmitOrder(ctx.tx, {
    orderNumber: number,
    rep: ctx.user,
    lines: draft.items.map((i) => ({ sku: i.sku, quantity: i.quantity, ...(i.unit ? { unit: i.unit } : {}), ...(i.unitPrice !== undefined ? { unitPrice: money(i.unitPrice) } : {}) })),
    ...(draft.discount !== undefined ? { discount: money(draft.discount) } : {}),
    ...(draft.reason ? { reason: draft.reason } : {}),
    now: ctx.now,
    rules: ctx.rules.approval,
    eventId: ctx.eventId,
  });
  await retireEarlierRound(ctx, number);
  const order = r.order;
  const meta = { thread: threadOf(number), subjectType: "order", subjectId: order.id };
  const was = `（原金额 ${formatCny(r.before.total)}）`;
  if (r.plan.kind === "auto") {
    await ctx.out.replyCard(orderCardFor(newCardRef(), order, await nextAfterApproval(ctx, number, `已修改并重新提交，在你的折扣权限内已批准${was}`)), meta);
    await dispatchWhenReady(ctx, number, ctx.user.id);
    return;
  }
  const first = r.plan.steps[0]!;
  await ctx.out.replyCard(orderCardFor(newCardRef(), order, `已修改并重新提交，待${first.approverName}审批${was}`), meta);
  await sendApprovalCard(ctx, order, first, r.plan.steps.length, r.plan.reasons.map((x) => x.text).join("；"));
}

/**
 * The earlier round's copies leave the thread (status expired: updateThread and the dispatch progress skip them):
 * approval cards keep their stored view, which shows the rejection; the rep's old order card says it was resubmitted.
 */
async function retireEarlierRound(ctx: HandlerContext, number: string): Promise<void> {
  for (const row of await cardsInThread(ctx.tx, threadOf(number))) {
    if (row.status === "expired") continue;
    if (row.purpose !== "order") {
      await updateCardView(ctx.tx, row.ref, row.view, "expired");
      continue;
    }
    const card = decidedCard(row.view, "已修改并重新提交，见新的订单卡片", "info");
    if (ctx.out.canUpdateInPlace(row)) await ctx.out.updateCard(row, card, "expired");
    else await updateCardView(ctx.tx, row.ref, card, "expired");
  }
}
