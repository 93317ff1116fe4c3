// The rep's order card: what was ordered at which price, the status and what happens next. Withdraw (撤回)
// while it waits for approval; 修改后重新提交 once rejected (opens the amendable draft); every decision updates this
// card too (it shares the approval's thread).
import type { Card } from "../../src/core/card.ts";
import { defineCardSpec } from "../card-ref.ts";
import { lineText, ORDER_STATUS_LABEL, totalText, type OrderTotalsView } from "./order-view.ts";

export const orderSpec = defineCardSpec("order", ["withdraw", "resubmit"]);

export interface OrderCardView extends OrderTotalsView {
  ref: string;
  number: string;
  customer: string;
  status: string;
  /** "已提交王五审批" / "已批准，已通知仓库" */
  next: string;
  reason?: string;
}

export function orderCard(v: OrderCardView): Card {
  const pending = v.status === "pending_approval";
  const rejected = v.status === "rejected";
  return {
    ref: v.ref,
    purpose: orderSpec.purpose,
    title: `订单 ${v.number}`,
    subtitle: `${v.customer} · ${ORDER_STATUS_LABEL[v.status] ?? v.status}`,
    tone: v.status === "rejected" || v.status === "cancelled" ? "danger" : pending ? "warning" : "success",
    fields: [
      { label: "客户", value: v.customer },
      { label: "金额", value: totalText(v) },
      { label: "状态", value: ORDER_STATUS_LABEL[v.status] ?? v.status },
      ...(v.reason ? [{ label: "理由", value: v.reason.slice(0, 40) }] : []),
    ],
    lines: [...v.lines.map(lineText), `下一步：${v.next}`],
    buttons: pending
      ? [orderSpec.button("withdraw", v.ref, "撤回", { style: "danger" })]
      : rejected
        ? [orderSpec.button("resubmit", v.ref, "修改后重新提交", { style: "primary" })]
        : [],
    textCommands: pending
      ? [`撤回 ${v.number}`, `订单 ${v.number}`]
      : rejected
        ? [`重新提交 ${v.number}`, `撤回 ${v.number}`, `订单 ${v.number}`]
        : [`订单 ${v.number}`],
  };
}
