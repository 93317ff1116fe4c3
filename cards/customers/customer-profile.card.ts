import type { Card } from "../../src/core/card.ts";
import { formatLocal, formatLocalDate } from "../../src/core/local-time.ts";
import { formatCny } from "../../src/core/money.ts";

export const STAGES: Record<string, string> = {
  lead: "线索", contacted: "已接触", qualified: "已确认需求", proposal: "方案报价", negotiation: "商务谈判", won: "成交", lost: "输单",
};
const ORDER_STATUS: Record<string, string> = {
  pending_approval: "待审批", approved: "已批准", dispatched: "待发货", shipped: "已发货",
};

export interface CustomerProfileView {
  ref: string;
  name: string;
  ownerName: string | null;
  level: string | null;
  stage: string;
  contacts: string[];
  lastVisits: { at: Date; by: string; summary: string }[];
  /** total: yuan as exact text ("12345.50") */
  openOrders: { number: string; status: string; total: string }[];
  nextTask: { title: string; dueAt: Date } | null;
  timeZone: string;
}

export function customerProfileCard(v: CustomerProfileView): Card {
  const lines = [
    ...(v.lastVisits.length
      ? ["最近拜访：", ...v.lastVisits.map((a) => `· ${formatLocalDate(a.at, v.timeZone)} ${a.by}：${a.summary.slice(0, 40)}`)]
      : ["还没有拜访记录。"]),
    ...(v.openOrders.length ? ["进行中的订单：", ...v.openOrders.map((o) => `· ${o.number} ${ORDER_STATUS[o.status] ?? o.status} ${formatCny(o.total)}`)] : []),
  ];
  return {
    ref: v.ref,
    purpose: "customer_profile",
    title: v.name,
    subtitle: v.ownerName ? `负责人：${v.ownerName}` : "公海客户（可领取）",
    tone: "info",
    fields: [
      { label: "阶段", value: STAGES[v.stage] ?? v.stage },
      { label: "级别", value: v.level ?? "未分级" },
      { label: "联系人", value: v.contacts.length ? v.contacts.join("、") : "—" },
      { label: "下一步", value: v.nextTask ? `${formatLocal(v.nextTask.dueAt, v.timeZone)} ${v.nextTask.title}` : "暂无待办" },
    ],
    lines,
    buttons: [],
  };
}
