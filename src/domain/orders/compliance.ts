// The rules an order must pass before anyone is asked to approve it. A "refuse" finding stops the order with its
// message; a "flag" is stored on the order (Order.flags) and shown on the approver's card. Each message names the
// rule and the numbers. Unknown products are caught earlier, by product-match.ts; duplicates need the database
// (order.service.ts).
import { formatCny, formatDiscount, hasAtMostDecimals, money } from "../../core/money.ts";
import type { Rules } from "../org/org-file.ts";
import type { ComplianceFinding, OrderRequest, PricedOrder } from "./order.types.ts";
import { unitAgrees, unitMismatchText } from "./units.ts";

export type ApprovalRules = Rules["approval"];

export type Finding = ComplianceFinding;

/** Checks on what the rep asked, before pricing: whole positive quantities, sane prices and discount. */
export function checkRequest(request: OrderRequest, names: ReadonlyMap<string, string> = new Map()): Finding[] {
  const out: Finding[] = [];
  const label = (sku: string) => names.get(sku) ?? sku;
  if (request.lines.length === 0) out.push({ code: "empty_order", severity: "refuse", message: "订单里没有产品。" });
  for (const l of request.lines) {
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) {
      out.push({ code: "bad_quantity", severity: "refuse", sku: l.sku, message: `${label(l.sku)} 的数量 ${String(l.quantity)} 不对：数量必须是正整数。` });
    }
    if (l.unitPrice !== undefined) {
      const p = money(l.unitPrice);
      if (p.lte(0)) out.push({ code: "bad_price", severity: "refuse", sku: l.sku, message: `${label(l.sku)} 的单价 ${formatCny(p)} 不对：单价必须大于0。` });
      else if (!hasAtMostDecimals(p, 2)) out.push({ code: "bad_price", severity: "refuse", sku: l.sku, message: `${label(l.sku)} 的单价 ${p.toString()} 不对：单价最多精确到分（两位小数）。` });
    }
  }
  if (request.discount !== undefined) {
    const d = money(request.discount);
    if (d.lt(0) || d.gte(1)) out.push({ code: "bad_discount", severity: "refuse", message: `整单折扣 ${d.times(100).toString()}% 不对：折扣必须在0到100%之间。` });
  }
  return out;
}

/**
 * A typed unit against the list's unit in force (200米 of a product sold by the 卷 is refused, never booked as 200卷;
 * nothing is converted). `list` holds the products with their unit; `customer` names the order in the example.
 */
export function checkUnits(request: OrderRequest, list: readonly { sku: string; name: string; unit: string }[], customer?: string): Finding[] {
  const bySku = new Map(list.map((p) => [p.sku, p]));
  const out: Finding[] = [];
  for (const l of request.lines) {
    const p = bySku.get(l.sku);
    if (!p || l.unit === undefined || unitAgrees(l.unit, p.unit)) continue;
    out.push({ code: "unit_mismatch", severity: "refuse", sku: l.sku, message: unitMismatchText(p.name, p.unit, l.unit, customer) });
  }
  return out;
}

/** Checks on the priced order: above-list prices (refused unless allowAboveList, then flagged) and big orders (flagged). */
export function checkPriced(order: PricedOrder, rules: ApprovalRules): Finding[] {
  const out: Finding[] = [];
  for (const l of order.lines) {
    if (l.unitPrice.gt(l.listPrice)) {
      const what = `${l.name} 单价 ${formatCny(l.unitPrice)} 高于价格表 ${formatCny(l.listPrice)}（${formatDiscount(l.discount)}）`;
      out.push(
        rules.allowAboveList
          ? { code: "above_list", severity: "flag", sku: l.sku, message: `${what}，按规则允许，已标记。` }
          : { code: "above_list", severity: "refuse", sku: l.sku, message: `${what}：规则不允许高于价格表报价，请按价格表或更低的价格下单。` },
      );
    }
  }
  const big = money(rules.bigOrderAmount);
  if (order.total.gte(big)) {
    out.push({ code: "big_order", severity: "flag", message: bigOrderText(order, rules) + "，需要总监审批。" });
  }
  return out;
}

/** 订单金额 ¥620,000 ≥ 大单金额 ¥500,000 */
export function bigOrderText(order: PricedOrder, rules: ApprovalRules): string {
  return `订单金额 ${formatCny(order.total)} ≥ 大单金额 ${formatCny(rules.bigOrderAmount)}`;
}

export const refusals = (findings: readonly Finding[]) => findings.filter((f) => f.severity === "refuse");
export const flags = (findings: readonly Finding[]) => findings.filter((f) => f.severity === "flag");
