// The approver's card: the order against the list, the customer's history, the rep's reason and the rule that
// made approval necessary. 同意 / 驳回 (驳回 asks for a reason). After a decision every copy shows who decided.
import type { Card } from "../../src/core/card.ts";
import { defineCardSpec } from "../card-ref.ts";
import { lineText, totalText, type OrderTotalsView } from "./order-view.ts";

export const approvalSpec = defineCardSpec("approval", ["approve", "reject"]);

export interface ApprovalCardView extends OrderTotalsView {
  ref: string;
  number: string;
  customer: string;
  repName: string;
  /** The rules that required approval: 折扣 10% 超出销售权限 5% … */
  rules: string[];
  repReason?: string;
  /** "第1步，共2步（经理）" */
  step: string;
  history: string[];
}

export function approvalCard(v: ApprovalCardView): Card {
  return {
    ref: v.ref,
    purpose: approvalSpec.purpose,
    title: `折扣审批 ${v.number}`,
    subtitle: `${v.repName} 为「${v.customer}」下单，${v.step}`,
    tone: "warning",
    fields: [
      { label: "客户", value: v.customer },
      { label: "销售", value: v.repName },
      { label: "金额", value: totalText(v) },
      { label: "审批原因", value: v.rules.join("；").slice(0, 60) },
      ...(v.repReason ? [{ label: "销售说明", value: v.repReason.slice(0, 40) }] : []),
    ],
    lines: [...v.lines.map(lineText), ...v.history],
    buttons: [approvalSpec.button("approve", v.ref, "同意", { style: "primary" }), approvalSpec.button("reject", v.ref, "驳回", { style: "danger" })],
    textCommands: [`同意 ${v.number}`, `驳回 ${v.number} 理由`],
  };
}
