// Shown right after a visit log: what was recorded, with correct (修改) and undo.
import type { Card } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";
import { formatCny, money, type MoneyInput } from "../../src/core/money.ts";
import { defineCardSpec } from "../card-ref.ts";

/** 修改 explains how to correct a field; 撤销 undoes the visit, its new customer/contact and its follow-up. */
export const visitConfirmSpec = defineCardSpec("visit_confirm", ["edit", "undo"]);

export interface VisitConfirmView {
  ref: string;
  customerName: string;
  newCustomer: boolean;
  inPool: boolean;
  contact?: string;
  summary: string;
  quantity?: number;
  /** yuan: a Decimal or its text (or a parsed number), shown exactly */
  amount?: MoneyInput;
  nextAction?: string;
  dueAt?: Date;
  /** How many older open follow-ups of this customer the new one replaced (closed). */
  replaced?: number;
  /** How the contact happened (the title says 拜访, 电话 or 消息); a visit when not said. */
  kind?: "visit" | "call" | "message";
  /** Set when the message said the contact happened earlier (昨天下午…): shown so a misread is caught. */
  occurredAt?: Date;
  timeZone: string;
}

/** A call logged as 已记录拜访 reads as a misunderstanding: the title names the kind the parser read. */
export const KIND_WORD = { visit: "拜访", call: "电话", message: "消息" } as const;

export function visitConfirmCard(v: VisitConfirmView): Card {
  const fields = [
    { label: "客户", value: v.newCustomer ? `${v.customerName}（新客户）` : v.customerName },
    ...(v.contact ? [{ label: "联系人", value: v.contact }] : []),
    { label: "纪要", value: truncate(v.summary, 60) },
    ...(v.quantity ? [{ label: "需求数量", value: String(v.quantity) }] : []),
    ...(v.amount != null && !money(v.amount).isZero() ? [{ label: "金额", value: formatCny(v.amount) }] : []),
    ...(v.dueAt ? [{ label: "下次跟进", value: `${formatLocal(v.dueAt, v.timeZone)}${v.nextAction ? ` ${truncate(v.nextAction, 20)}` : ""}` }] : []),
  ];
  return {
    ref: v.ref,
    purpose: visitConfirmSpec.purpose,
    title: `已记录${KIND_WORD[v.kind ?? "visit"]}`,
    subtitle: [v.occurredAt ? `发生在 ${formatLocal(v.occurredAt, v.timeZone)}` : "", v.dueAt ? "到时会提醒你跟进" : ""].filter(Boolean).join(" · ") || undefined,
    tone: "success",
    fields: fields.slice(0, 6),
    lines: lines(v),
    buttons: [
      visitConfirmSpec.button("edit", v.ref, "修改", { style: "default" }),
      visitConfirmSpec.button("undo", v.ref, "撤销", { style: "danger" }),
    ],
    textCommands: ["改 跟进 周五下午3点", "撤销"],
  };
}

function lines(v: VisitConfirmView): string[] | undefined {
  const out = [
    ...(v.replaced ? [`这次的下次跟进替代了之前 ${v.replaced} 个未完成的跟进（已关闭；撤销本次记录会恢复它们）。`] : []),
    ...(v.inPool ? [`「${v.customerName}」在公海中，发送「领取 ${v.customerName}」可认领。`] : []),
  ];
  return out.length ? out : undefined;
}

export function visitUndoneCard(previous: Card): Card {
  return { ...previous, tone: "info", buttons: [], textCommands: [], status: { text: "已撤销，本条记录及其提醒已删除", tone: "info" } };
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}
