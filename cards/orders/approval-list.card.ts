// 待审批: the orders waiting for this approver's decision (oldest turn first), each with an 审批 N button that
// brings that order's approval card (同意 / 驳回) up again; or, for a rep, their own orders waiting for approval
// and whom each waits on. At most APPROVAL_PAGE_SIZE rows a card, 下一页 while more remain.
import type { Card, CardButton } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";
import { formatCny, formatDiscount } from "../../src/core/money.ts";
import { defineCardSpec } from "../card-ref.ts";

/** show:<order number> re-sends that order's approval card to the approver; more shows the next page. */
export const approvalListSpec = defineCardSpec("approval_list", ["show", "more"]);

export const APPROVAL_PAGE_SIZE = 10;

const STEP_WORD: Record<number, string> = { 1: "第一步", 2: "第二步", 3: "第三步", 4: "第四步", 5: "第五步" };

/** "第一步，共2步" as the approval card says it; one step alone: "一步审批". */
export function stepText(seq: number, steps: number): string {
  return steps > 1 ? `${STEP_WORD[seq] ?? `第${seq}步`}，共${steps}步` : "一步审批";
}

/** How long something has waited: 5分钟, 3小时, 2天. */
export function waitedText(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return `${Math.max(1, minutes)}分钟`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}小时`;
  return `${Math.floor(minutes / (24 * 60))}天`;
}

/** Amounts as exact decimal text ("46000.00"), formatted by the one money formatter. */
export interface AmountView {
  total: string;
  listTotal: string;
  /** Fraction taken off ("0.0800"). */
  discount: string;
}

const amountText = (a: AmountView) => (Number(a.discount) !== 0 ? `${formatCny(a.total)}（原价 ${formatCny(a.listTotal)}，${formatDiscount(a.discount)}）` : formatCny(a.total));

export interface ApproverRowView extends AmountView {
  number: string;
  customer: string;
  rep: string;
  rule: string;
  seq: number;
  steps: number;
  since: Date;
  /** An escalation's note (王五超过24小时未处理，已转交赵六。). */
  note?: string | null;
}

export interface RepRowView extends AmountView {
  number: string;
  customer: string;
  rule: string | null;
  /** Whose turn it is; null when no step is open (shown as 审批中). */
  approver: string | null;
  seq: number;
  steps: number;
  since: Date;
  note?: string | null;
}

interface ListBase {
  ref: string;
  /** Rows before this page. */
  offset: number;
  total: number;
  now: Date;
  timeZone: string;
  /**
   * With buttons (default). WeCom's button cards hold about four rows of text, so there the card goes without
   * buttons, as markdown with every row, and 审批 N / 下一页 are typed.
   */
  buttons?: boolean;
}

export type ApprovalListView = ListBase & ({ mode: "approver"; rows: ApproverRowView[]; /** The approver's own orders waiting for someone else (they also sell). */ ownWaiting?: number } | { mode: "rep"; rows: RepRowView[] });

export function approvalListCard(v: ApprovalListView): Card {
  const n = v.rows.length;
  const more = v.offset + n < v.total;
  const withButtons = v.buttons !== false;
  const range = n ? `，第 ${v.offset + 1}–${v.offset + n} 个` : "";
  if (v.mode === "approver") {
    const first = v.rows[0]?.number;
    const lines = v.rows.flatMap((r, i) => [
      `${i + 1}. ${r.number}｜${r.customer}｜${r.rep}｜${amountText(r)}`,
      `   ${r.rule}｜${stepText(r.seq, r.steps)}｜${formatLocal(r.since, v.timeZone)}起，已等${waitedText(r.since, v.now)}${r.note ? `｜${r.note}` : ""}`,
    ]);
    if (!n) lines.push("你现在没有待审批的订单。");
    else lines.push(`${withButtons ? "点「审批 N」或" : ""}发送「审批 N」调出第 N 个订单的审批卡片（同意 / 驳回）；也可以直接回复「同意 ${first}」或「驳回 ${first} 理由」。`);
    if (more) lines.push(`还有 ${v.total - v.offset - n} 个，${withButtons ? "点或" : ""}发送「下一页」继续。`);
    if (v.ownWaiting) lines.push(`你自己提交的订单有 ${v.ownWaiting} 个在等审批，发送「我的订单在等审批吗」查看。`);
    const buttons: CardButton[] = withButtons ? v.rows.map((r, i) => approvalListSpec.button("show", v.ref, `审批 ${i + 1}`, { arg: r.number, style: "primary" })) : [];
    if (more && withButtons) buttons.push(approvalListSpec.button("more", v.ref, "下一页"));
    return {
      ref: v.ref,
      purpose: approvalListSpec.purpose,
      title: n ? `待你审批（${v.total}）` : "没有待你审批的订单",
      subtitle: n ? `最早的在前${range}` : undefined,
      tone: n ? "warning" : "info",
      fields: [],
      lines,
      buttons,
      textCommands: n ? [...v.rows.map((_, i) => `审批 ${i + 1}`), `同意 ${first}`, `驳回 ${first} 理由`, ...(more ? ["下一页"] : [])] : [],
    };
  }
  const lines = v.rows.flatMap((r, i) => [
    `${i + 1}. ${r.number}｜${r.customer}｜${amountText(r)}`,
    `   ${r.approver ? `等${r.approver}审批（${stepText(r.seq, r.steps)}）` : "审批中"}｜${formatLocal(r.since, v.timeZone)}起，已等${waitedText(r.since, v.now)}${r.rule ? `｜${r.rule}` : ""}${r.note ? `｜${r.note}` : ""}`,
  ]);
  if (!n) lines.push("你没有在等审批的订单。");
  else lines.push(`发送「订单 ${v.rows[0]!.number}」查看审批记录，「撤回 ${v.rows[0]!.number}」撤回。`);
  if (more) lines.push(`还有 ${v.total - v.offset - n} 个，${withButtons ? "点或" : ""}发送「下一页」继续。`);
  return {
    ref: v.ref,
    purpose: approvalListSpec.purpose,
    title: n ? `你的订单在等审批（${v.total}）` : "你没有在等审批的订单",
    subtitle: n ? `最早的在前${range}` : undefined,
    tone: "info",
    fields: [],
    lines,
    buttons: more && withButtons ? [approvalListSpec.button("more", v.ref, "下一页")] : [],
    textCommands: more ? ["下一页"] : [],
  };
}
