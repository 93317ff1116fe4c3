// Discount approvals: the approver's card (同意 / 驳回), its typed twins (同意 SO-… / 驳回 SO-… 理由), the
// question "why do you reject?", and showing each decision on every copy of the order's cards. Only the
// approver of the current step decides — on a click, a forwarded card or typed — anyone else changes nothing.
import { z } from "zod";
import { newCardRef } from "../../../cards/card-ref.ts";
import { approvalCard, approvalSpec } from "../../../cards/orders/approval.card.ts";
import { ORDER_STATUS_LABEL } from "../../../cards/orders/order-view.ts";
import { AppError } from "../../core/app-error.ts";
import { formatLocal } from "../../core/local-time.ts";
import type { Card } from "../../core/card.ts";
import { formatCny, formatDiscount } from "../../core/money.ts";
import type { CardRow } from "../../domain/cards/card.repo.ts";
import { earlierRound, latestApproval } from "../../domain/orders/approval.repo.ts";
import { customerHistory, decide, getOrder, pendingApprovalsFor } from "../../domain/orders/order.service.ts";
import type { DecisionResult, OrderView } from "../../domain/orders/order.types.ts";
import type { IntentOf } from "../../nlu/index.ts";
import { defineCardKind, type Guard } from "../engine/card-kind.ts";
import type { HandlerContext, UnitContext } from "../engine/handler-context.ts";
import { defineTextPending, openPending } from "../engine/pending.ts";
import { dispatchWhenReady, nextAfterApproval } from "../dispatch/delivery-info.handler.ts";
import { orderCardFor, renderDecided, threadOf, totalsOfPriced } from "./order-views.ts";

/** How the approver's card names a past contact with the customer. */
const CONTACT_WORD = { visit: "拜访", call: "电话", message: "消息" } as const;

const STEP_LEVEL: Record<number, string> = { 1: "第一步", 2: "第二步", 3: "第三步" };

/** The approval card for one step: the order against the list, the customer's history, the rule. */
async function approvalCardFor(ctx: UnitContext, order: OrderView, step: { seq: number }, totalSteps: number, rule: string): Promise<Card> {
  const h = await customerHistory(ctx.tx, order.customerId, order.id);
  const earlier = await earlierRound(ctx.tx, order.id);
  const history = [
    // A resubmitted order: the earlier rejection first (重新提交：上次被赵六驳回（价格太低），原金额 …), on every copy.
    ...(earlier ? [`重新提交${earlier.rejectedBy ? `：上次被${earlier.rejectedBy}驳回${earlier.reason ? `（${earlier.reason}）` : ""}` : ""}${earlier.total ? `，原金额 ${formatCny(earlier.total)}` : ""}`] : []),
    ...(h.orders.length ? [`近期订单：${h.orders.map((o) => `${o.number} ${formatDiscount(o.discount)}`).join("，")}`] : ["该客户此前没有订单。"]),
    ...(h.averageDiscount ? [`该客户平均折扣：${formatDiscount(h.averageDiscount)}`] : []),
    ...h.visits.map((v) => `${CONTACT_WORD[v.kind]} ${formatLocal(v.occurredAt, ctx.timeZone)} ${v.userName}：${v.summary.slice(0, 30)}`),
  ];
  return approvalCard({
    ref: newCardRef(),
    number: order.number,
    customer: order.customerName,
    repName: order.repName,
    rules: rule.split("；"),
    ...(order.reason ? { repReason: order.reason } : {}),
    step: totalSteps > 1 ? `${STEP_LEVEL[step.seq] ?? `第${step.seq}步`}，共${totalSteps}步` : "请审批",
    history,
    ...totalsOfPriced(order),
  });
}

/** Sends the approval card for one step to its approver, in the order's thread. */
export async function sendApprovalCard(ctx: UnitContext, order: OrderView, step: { approverId: string; seq: number }, totalSteps: number, rule: string): Promise<void> {
  const card = await approvalCardFor(ctx, order, step, totalSteps, rule);
  await ctx.out.sendCardTo(step.approverId, card, { thread: threadOf(order.number), subjectType: "order", subjectId: order.id });
}

/**
 * The current approver asks for an order's approval card again (审批 N on the 待审批 list, 审批 SO-…): the same
 * card kind, in the order's thread, so its 同意 / 驳回 go through the same guard and every copy shows the decision.
 * Anyone else, or an order no longer waiting, is refused and nothing changes.
 */
export async function showApprovalCardAgain(ctx: HandlerContext, number: string): Promise<void> {
  const order = await getOrder(ctx.tx, number);
  if (!order) throw new AppError("order_not_found", `没有找到订单 ${number}，请检查单号。`);
  const approval = order.status === "pending_approval" ? await latestApproval(ctx.tx, order.id) : null;
  const step = approval?.status === "pending" ? approval.steps.find((s) => s.status === "pending") : undefined;
  if (!approval || !step) {
    throw new AppError("approval_not_pending", `${order.number} 已不在审批中（${ORDER_STATUS_LABEL[order.status] ?? order.status}）。发送「订单 ${order.number}」查看记录，「待审批」查看现在等你审批的订单。`);
  }
  await assertCurrentApprover(ctx, order.id, order.number);
  const card = await approvalCardFor(ctx, order, step, approval.steps.length, approval.rule);
  await ctx.out.replyCard(card, { thread: threadOf(order.number), subjectType: "order", subjectId: order.id });
}

/** Who may press 同意 / 驳回: the approver of the step whose turn it is (a decided approval: the action says so). */
export async function assertCurrentApprover(ctx: HandlerContext, orderId: string, orderNumber: string): Promise<void> {
  const approval = await latestApproval(ctx.tx, orderId);
  const current = approval?.steps.find((s) => s.status === "pending");
  if (current && current.approverId !== ctx.user.id) {
    throw new AppError("not_the_approver", `只有当前审批人${current.approver.name}可以审批 ${orderNumber}；发送「订单 ${orderNumber}」可以查看审批进度。`);
  }
  if (!current && !approval?.steps.some((s) => s.approverId === ctx.user.id)) {
    throw new AppError("not_the_approver", `你不是 ${orderNumber} 的审批人。`);
  }
}

const numberOfCard = (card: CardRow) => (card.thread?.startsWith("order:") ? card.thread.slice(6) : null);

const approverGuard: Guard = async (ctx, card) => {
  const number = numberOfCard(card);
  if (!number || !card.subjectId) throw new AppError("card_broken", "这张卡片缺少订单信息。");
  await assertCurrentApprover(ctx, card.subjectId, number);
};

/** Shows a decision everywhere: every copy of the order's cards, the rep told, the next approver asked. */
async function showDecision(ctx: HandlerContext, r: DecisionResult): Promise<void> {
  const who = r.decidedBy.name;
  const when = formatLocal(r.decidedAt, ctx.timeZone);
  const thread = threadOf(r.order.number);
  const o = r.outcome;
  if (o.kind === "approved") {
    await ctx.out.updateThread(thread, renderDecided(r.order, await nextAfterApproval(ctx, r.order.number, "已批准"), `${who} 已同意（${when}）`, "success"), "decided");
    await ctx.out.notify(r.repId, { type: "text", text: `订单 ${r.order.number}（${r.order.customerName}）已批准：${who} 同意。` });
    await dispatchWhenReady(ctx, r.order.number, ctx.user.id);
  } else if (o.kind === "next") {
    const next = o.step;
    await ctx.out.updateThread(thread, renderDecided(r.order, `${who}已同意，等待${next.approverName}审批`, `${who} 已同意（${when}），转${next.approverName}审批`, "success"), (row) =>
      row.purpose === "order" ? "active" : "decided",
    );
    const rule = (await latestApproval(ctx.tx, r.order.id))?.rule ?? "";
    await sendApprovalCard(ctx, r.order, next, r.steps.length, rule);
    await ctx.out.notify(r.repId, { type: "text", text: `订单 ${r.order.number}：${who} 已同意，等待${next.approverName}审批。` });
  } else {
    const why = o.reason ? `：${o.reason}` : "";
    // The rep's order card stays open: its 修改后重新提交 opens the amendable draft.
    await ctx.out.updateThread(thread, renderDecided(r.order, `已驳回${why}`, `${who} 已驳回（${when}）${why}`, "danger"), (row) => (row.purpose === "order" ? "active" : "decided"));
    await ctx.out.notify(r.repId, {
      type: "text",
      text: `订单 ${r.order.number}（${r.order.customerName}）被${who}驳回${o.reason ? `，理由：${o.reason}` : "（未填写理由）"}。可以点订单卡片上的「修改后重新提交」，或回复「重新提交 ${r.order.number} 单价…」；不再需要就回复「撤回 ${r.order.number}」。`,
    });
  }
}

async function approve(ctx: HandlerContext, orderNumber: string): Promise<void> {
  const r = await decide(ctx.tx, { orderNumber, approver: ctx.user, decision: "approve", reason: null, now: ctx.now, eventId: ctx.eventId, timeZone: ctx.timeZone });
  await showDecision(ctx, r);
  ctx.out.replyText(r.outcome.kind === "next" ? `已同意 ${orderNumber}，已转${r.outcome.step.approverName}审批。` : `已同意 ${orderNumber}。`);
}

async function reject(ctx: HandlerContext, orderNumber: string, reason: string | null): Promise<void> {
  const r = await decide(ctx.tx, { orderNumber, approver: ctx.user, decision: "reject", reason, now: ctx.now, eventId: ctx.eventId, timeZone: ctx.timeZone });
  await showDecision(ctx, r);
  ctx.out.replyText(`已驳回 ${orderNumber}${reason ? `，理由：${reason}` : ""}，已通知${r.order.repName}。`);
}

/** 驳回 waits for the reason: the approver's next message within 10 minutes, or 跳过. */
export const rejectReason = defineTextPending({
  kind: "reject_reason",
  schema: z.object({ orderNumber: z.string() }),
  ttlMs: 10 * 60_000,
  resume: async (ctx, data, text) => reject(ctx, data.orderNumber, /^(跳过|不填|无)$/.test(text) ? null : text.slice(0, 300)),
  cancel: async (ctx, data) => ctx.out.replyText(`好的，${data.orderNumber} 暂不驳回，仍在等你审批。`),
});

async function askRejectReason(ctx: HandlerContext, orderNumber: string): Promise<void> {
  await openPending(ctx, rejectReason, { orderNumber });
  ctx.out.replyText(`请回复驳回 ${orderNumber} 的理由（10分钟内），会转告销售；不想写就回复「跳过」，回复「取消」则不驳回。`);
}

export const approvalKind = defineCardKind(approvalSpec, {
  actions: {
    approve: { guard: approverGuard, run: (ctx, card) => approve(ctx, numberOfCard(card)!) },
    reject: { guard: approverGuard, run: (ctx, card) => askRejectReason(ctx, numberOfCard(card)!) },
  },
});

/** 同意 SO-… / 驳回 SO-… 理由, typed on any channel: the same guard as the buttons. */
export async function handleDecideApproval(ctx: HandlerContext, intent: IntentOf<"decide_approval">): Promise<void> {
  const number = intent.order ?? (await impliedApproval(ctx, intent.decision));
  const order = await getOrder(ctx.tx, number);
  if (!order) throw new AppError("order_not_found", `没有找到订单 ${number}，请检查单号。`);
  await assertCurrentApprover(ctx, order.id, order.number);
  if (intent.decision === "approve") return approve(ctx, order.number);
  if (intent.reason) return reject(ctx, order.number, intent.reason);
  return askRejectReason(ctx, order.number);
}

/**
 * 同意 / 驳回 价格太低 typed without a number: managers answer the card they just read. The one order waiting for
 * this approver is meant; with none or several, say so (listing them) and change nothing.
 */
async function impliedApproval(ctx: HandlerContext, decision: "approve" | "reject"): Promise<string> {
  const waiting = await pendingApprovalsFor(ctx.tx, ctx.user.id);
  if (waiting.length === 1) return waiting[0]!.orderNumber;
  if (!waiting.length) throw new AppError("no_pending_approval", "你现在没有待审批的订单。");
  const word = decision === "approve" ? "同意" : "驳回";
  throw new AppError("which_approval", [
    `你有 ${waiting.length} 个订单待审批，请带上单号，例如「${word} ${waiting[0]!.orderNumber}」：`,
    ...waiting.slice(0, 10).map((s) => `· ${s.orderNumber} ${s.customerName}（${s.repName}）${formatCny(s.total)}`),
    "发送「待审批」可以逐个调出审批卡片。",
  ].join("\n"));
}

export { orderCardFor };
