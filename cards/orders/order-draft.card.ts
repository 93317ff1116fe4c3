// Free text the parser read as an order, without 下单: shown as a draft first, so a misunderstanding never
// becomes an order. 提交 places it exactly as shown; 取消 drops it.
import type { Card } from "../../src/core/card.ts";
import { defineCardSpec } from "../card-ref.ts";
import { lineText, totalText, type OrderTotalsView } from "./order-view.ts";

export const orderDraftSpec = defineCardSpec("order_draft", ["submit", "cancel"]);

export interface OrderDraftView extends OrderTotalsView {
  ref: string;
  customer: string;
  /** A finding the rep must confirm, e.g. a possible duplicate of SO-… */
  warning?: string;
  /** What the last edit changed beyond what was typed (a line now in another unit, at that unit's list price). */
  notes?: string[];
  /** Amending a rejected order: 提交 resubmits it under this number. */
  resubmitOf?: string;
}

export function orderDraftCard(v: OrderDraftView): Card {
  return {
    ref: v.ref,
    purpose: orderDraftSpec.purpose,
    title: v.resubmitOf ? `修改后重新提交 ${v.resubmitOf}？` : v.warning ? "可能重复下单，确认提交？" : "要提交这张订单吗？",
    subtitle: v.customer,
    tone: "warning",
    fields: [
      { label: "客户", value: v.customer },
      { label: "金额", value: totalText(v) },
    ],
    lines: [
      ...v.lines.map(lineText),
      ...(v.notes ?? []),
      ...(v.warning ? [v.warning] : []),
      v.resubmitOf ? "要改：回复「改 单价 4500」「改 数量 300」「改 折扣 9折」（几个产品时写明产品：改 电机A 单价 4500），改好后点「提交」" : "要改：回复「改 数量 300」「改 单价 4500」「改 折扣 9折」",
    ],
    buttons: [orderDraftSpec.button("submit", v.ref, "提交", { style: "primary" }), orderDraftSpec.button("cancel", v.ref, "取消", { style: "danger" })],
    textCommands: ["提交", "取消", "改 数量 300"],
  };
}
