// The warehouse's dispatch notice: what to send where, and never a price, a discount or a total.
// 确认发货 asks for the carrier and tracking number; 有问题 asks what is wrong.
import type { Card } from "../../src/core/card.ts";
import { formatLocalDate } from "../../src/core/local-time.ts";
import { defineCardSpec } from "../card-ref.ts";

export const dispatchNoticeSpec = defineCardSpec("dispatch_notice", ["ship", "problem"]);

export interface DispatchNoticeView {
  ref: string;
  number: string;
  customer: string;
  repName: string;
  address: string | null;
  contact: string | null;
  phone: string | null;
  requestedDate: Date | null;
  lines: { name: string; unit: string; ordered: number; shipped: number; remaining: number }[];
  problem: string | null;
  timeZone: string;
}

export function dispatchNoticeCard(v: DispatchNoticeView): Card {
  const open = v.lines.some((l) => l.remaining > 0);
  return {
    ref: v.ref,
    purpose: dispatchNoticeSpec.purpose,
    title: `发货通知 ${v.number}`,
    subtitle: `${v.customer} · 销售 ${v.repName}`,
    tone: v.problem ? "danger" : "warning",
    fields: [
      { label: "客户", value: v.customer },
      { label: "收货地址", value: v.address ?? "（未提供，请联系销售）" },
      { label: "联系人", value: [v.contact, v.phone].filter(Boolean).join(" ") || "（未提供）" },
      ...(v.requestedDate ? [{ label: "要求日期", value: formatLocalDate(v.requestedDate, v.timeZone) }] : []),
      { label: "销售", value: v.repName },
      ...(v.problem ? [{ label: "问题", value: v.problem }] : []),
    ],
    lines: v.lines.map((l) => `${l.name} ${l.ordered}${l.unit}${l.shipped ? `（已发 ${l.shipped}，还剩 ${l.remaining}）` : ""}`),
    buttons: open ? [dispatchNoticeSpec.button("ship", v.ref, "确认发货", { style: "primary" }), dispatchNoticeSpec.button("problem", v.ref, "有问题", { style: "danger" })] : [],
    textCommands: open ? [`发货 ${v.number} 顺丰 SF1234567890123`, `${v.number} 缺货`] : [],
  };
}
