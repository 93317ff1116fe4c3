// "改 数量 300米" typed when there is no draft or visit to change, but the rep's most recent thing is an order of
// theirs: the answer speaks about that order (its number, its state and what really works to change it), instead of
// "没有可以修改的拜访记录". Nothing is stored: the caller throws the answer as a refusal.
//   待审批 → it cannot change while the approver decides: 撤回 (cancels it) and order again, or ask the approver to
//            驳回 and resubmit it amended (same number; price, quantity and discount of its own lines only).
//   已驳回 → 重新提交 SO-… with the change (or 重新提交 SO-… alone for the draft to amend); a change of unit: 撤回 and
//            order again.
//   已批准 / 已通知仓库, nothing shipped → 取消订单 SO-… and order again. Goods on their way, delivered: no change,
//            the warehouse and the manager; cancelled: order again.
import { AppError } from "../../core/app-error.ts";
import { formatCny, formatDiscount, type Money } from "../../core/money.ts";
import { auditTrail } from "../../domain/audit/audit.repo.ts";
import { latestCard } from "../../domain/cards/card.repo.ts";
import { dispatchView } from "../../domain/dispatch/dispatch.service.ts";
import { latestApproval } from "../../domain/orders/approval.repo.ts";
import { userNames } from "../../domain/orders/order.repo.ts";
import { getOrder } from "../../domain/orders/order.service.ts";
import type { OrderView } from "../../domain/orders/order.types.ts";
import { matchProduct } from "../../domain/orders/product-match.ts";
import { unitAgrees } from "../../domain/orders/units.ts";
import { looksLikeOrderCorrection, parseOrderCorrection, type OrderCorrection } from "../../nlu/index.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** An order counts as "just placed" for a day after its last move (placed, decided, resubmitted, withdrawn). */
const RECENT_MS = 24 * 3600_000;

/**
 * 改下数量 5卷, 改一下数量 5卷: the filler between 改 and the field word is no product (the draft's correction would read
 * 「下」 as one). Only directly before an order's field word; anything else is returned as it was.
 */
export function withoutEditFiller(text: string): string {
  return text.trim().replace(/^(修改|更正|改)\s*(?:一下|下)\s*(?=数量|单价|价格|折扣)/, "$1 ");
}

/**
 * Whether the text names a field an order has (数量, 单价, 价格, 折扣): then a newer order is what it is about. 需求数量
 * is the visit's word.
 */
export const aboutOrderFields = (text: string): boolean => !text.includes("需求数量") && looksLikeOrderCorrection(withoutEditFiller(text));

/**
 * The person's most recent thing, when it is an order of theirs: its latest order card (placed or resubmitted) newer
 * than their latest visit confirmation, and the order moved within the last 24 hours. Null otherwise.
 */
async function recentOrder(ctx: HandlerContext): Promise<OrderView | null> {
  const card = await latestCard(ctx.tx, ctx.user.id, "order");
  if (!card?.thread?.startsWith("order:")) return null;
  const visit = await latestCard(ctx.tx, ctx.user.id, "visit_confirm");
  if (visit && visit.createdAt > card.createdAt) return null;
  const order = await getOrder(ctx.tx, card.thread.slice("order:".length));
  if (!order || order.repId !== ctx.user.id) return null;
  // The clock's time (orders and the audit log are written with it), not the card row's.
  const moved = (await auditTrail(ctx.tx, "order", order.id)).reduce((t, e) => Math.max(t, e.createdAt.getTime()), order.createdAt.getTime());
  return ctx.now.getTime() - moved > RECENT_MS ? null : order;
}

/** The answer about the person's most recent order, or null when their most recent thing is no (recent) order. */
export async function recentOrderEditAnswer(ctx: HandlerContext, text: string): Promise<string | null> {
  const order = await recentOrder(ctx);
  if (!order) return null;
  const parsed = parseOrderCorrection(withoutEditFiller(text));
  const change = parsed.ok ? parsed.correction : null;
  const n = order.number;
  const head = `订单 ${n}（${order.customerName}，${formatCny(order.total)}）`;
  const prefix = aboutOrderFields(text) ? "" : "没有可以修改的拜访记录。你最近的";
  const again = reorderLine(order, change);
  const orderAgain = again ? `再重新下单，例如：${again}` : "再按新的数字重新下单";
  const unitChange = changesUnit(order, change);
  const resubmit = resubmitLine(n, order, change);

  switch (order.status) {
    case "pending_approval": {
      const approval = await latestApproval(ctx.tx, order.id);
      const who = approval?.steps.find((s) => s.status === "pending")?.approver.name ?? "审批人";
      return [
        `${prefix}${head}正在等${who}审批，审批期间不能修改。要改的话：`,
        `· 发送「撤回 ${n}」撤回（这张订单会取消），${orderAgain}`,
        unitChange
          ? `· 改单位（${unitChange}）只能撤回后重新下单：驳回后重新提交只能改原来各行的单价、数量和折扣`
          : `· 或请${who}驳回，驳回后${resubmit ? `发送「${resubmit}」修改后重新提交` : `发送「重新提交 ${n}」打开草稿，改好再提交`}（单号不变，再走一次审批）`,
      ].join("\n");
    }
    case "rejected": {
      const approval = await latestApproval(ctx.tx, order.id);
      const step = approval?.steps.filter((s) => s.status === "rejected").at(-1);
      const by = step ? `已被${step.approver.name}驳回${step.reason ? `（${step.reason}）` : ""}` : "已被驳回";
      if (unitChange) {
        return `${prefix}${head}${by}。重新提交只能改原来各行的单价、数量和折扣，不能改单位（${unitChange}）：发送「撤回 ${n}」撤回后，${orderAgain}`;
      }
      return [
        `${prefix}${head}${by}，要用重新提交来改（单号不变）：`,
        ...(resubmit ? [`· 发送「${resubmit}」`] : []),
        `· ${resubmit ? "或" : ""}发送「重新提交 ${n}」打开草稿，改好（改 数量 …、改 单价 …、改 折扣 …）后点提交`,
        `不要这张订单了：发送「撤回 ${n}」。`,
      ].join("\n");
    }
    case "approved":
    case "dispatched": {
      const state = order.status === "approved" ? "已批准" : "已批准并通知仓库发货";
      const shipped = order.status === "dispatched" ? (await dispatchView(ctx.tx, n)).shipments.length > 0 : false;
      if (shipped) return `${prefix}${head}已有发货，不能再修改，也不能整单取消。剩下的部分请联系仓库和${await managerText(ctx)}处理；要再订货，请重新下单。`;
      return `${prefix}${head}${state}，不能再修改。还没发货，要改的话：发送「取消订单 ${n} 原因」取消，${orderAgain}`;
    }
    case "shipped":
      return `${prefix}${head}已发货，不能再修改或取消。有问题请联系仓库和${await managerText(ctx)}；要再订货，请重新下单。`;
    case "delivered":
      return `${prefix}${head}客户已签收，不能再修改。要再订货，请重新下单${again ? `，例如：${again}` : "。"}`;
    case "cancelled":
      return `${prefix}${head}已取消，不能再修改。请${orderAgain.replace(/^再/, "")}`;
    default:
      return `${prefix}${head}现在不能修改。发送「订单 ${n}」查看它的状态。`;
  }
}

/** Throws the answer about the most recent order when there is one (a refusal: nothing is stored). */
export async function refuseForRecentOrder(ctx: HandlerContext, text: string): Promise<void> {
  const answer = await recentOrderEditAnswer(ctx, text);
  if (answer) throw new AppError("order_not_editable", answer);
}

async function managerText(ctx: HandlerContext): Promise<string> {
  const id = ctx.user.managerId;
  const name = id ? (await userNames(ctx.tx, [id])).get(id) : undefined;
  return name ? `你的经理${name}` : "你的经理";
}

/** The order line a correction is about: the product it names, else the only line; null when unclear. */
function lineIndex(order: OrderView, c: OrderCorrection): number | null {
  if (c.field === "discount") return null;
  if (!c.product) return order.lines.length === 1 ? 0 : null;
  const m = matchProduct(c.product, order.lines.map((l) => ({ sku: l.sku, name: l.name, aliases: [] as string[] })));
  return m.kind === "exact" ? order.lines.findIndex((l) => l.sku === m.product.sku) : null;
}

/** 「卷 → 米」 when the correction's count is in a unit the line is not (a resubmission keeps the lines' units). */
function changesUnit(order: OrderView, c: OrderCorrection | null): string | null {
  if (!c || c.field !== "quantity" || !c.unit) return null;
  const i = lineIndex(order, c);
  const line = i === null ? undefined : order.lines[i];
  return line && !unitAgrees(c.unit, line.unit) ? `${line.unit} → ${c.unit}` : null;
}

const price = (m: Money) => m.toDecimalPlaces(2).toString();

/**
 * 下单 南通鑫源泵业 电缆 300米: the order written again with the change, when the change is clear. A count in another
 * unit drops the line's unit price (written for the old unit, never carried over); a discount replaces the prices.
 */
function reorderLine(order: OrderView, c: OrderCorrection | null): string | null {
  const index = c && c.field !== "discount" ? lineIndex(order, c) : null;
  if (c && c.field !== "discount" && index === null) return null;
  const items = order.lines.map((l, i) => {
    let quantity = `${l.quantity}${l.unit}`;
    let unitPrice: string | null = c?.field === "discount" ? null : price(l.unitPrice);
    if (c && i === index && c.field === "quantity") {
      quantity = `${c.value}${c.unit ?? l.unit}`;
      if (c.unit && !unitAgrees(c.unit, l.unit)) unitPrice = null;
    }
    if (c && i === index && c.field === "unit_price") unitPrice = String(c.value);
    const listed = unitPrice !== null && price(l.listPrice) === unitPrice;
    return `${l.name} ${quantity}${unitPrice !== null && !listed ? ` 单价${unitPrice}` : ""}`;
  });
  const discount = c?.field === "discount" ? ` ${formatDiscount(c.value)}` : "";
  return `下单 ${order.customerName} ${items.join(" ")}${discount}`;
}

/**
 * 重新提交 SO-… 数量5卷 (the product named when the order has several lines): the change as the resubmission reads it;
 * null when the line is unclear (several lines and none named, or one the order does not have): the draft then.
 */
function resubmitLine(n: string, order: OrderView, c: OrderCorrection | null): string | null {
  if (!c) return null;
  if (c.field === "discount") return `重新提交 ${n} ${formatDiscount(c.value)}`;
  const i = lineIndex(order, c);
  if (i === null) return null;
  const named = order.lines.length > 1 ? `${order.lines[i]!.name} ` : "";
  return c.field === "quantity" ? `重新提交 ${n} ${named}数量${c.value}${c.unit ?? ""}` : `重新提交 ${n} ${named}单价${c.value}`;
}
