import type { Card } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";
import { formatCny, formatDiscount } from "../../src/core/money.ts";

export interface TodoListView {
  ref: string;
  userName: string;
  now: Date;
  tasks: { title: string; customer: string | null; dueAt: Date }[];
  /** Discount approvals waiting for this person (amounts as exact text). */
  approvals?: { number: string; customer: string; rep: string; total: string; discount: string; since: Date }[];
  /** For the warehouse: orders in dispatch, oldest notice first, with what remains (never a price) and any open problem. */
  dispatches?: { number: string; customer: string; remaining: string; problem: string | null; since: Date | null }[];
  /** A warehouse person (no visits to log): the empty list says where their work comes from. */
  warehouse?: boolean;
  timeZone: string;
}

export function todoListCard(v: TodoListView): Card {
  const overdue = v.tasks.filter((t) => t.dueAt < v.now).length;
  const approvals = v.approvals ?? [];
  const approvalLines = approvals.length
    ? [`待你审批（${approvals.length}）：`, ...approvals.map((a) => `· ${a.number} ${a.customer} ${formatCny(a.total)}（${formatDiscount(a.discount)}）${a.rep}，${formatLocal(a.since, v.timeZone)}提交`)]
    : [];
  const card: Card = {
    ref: v.ref,
    purpose: "todo_list",
    title: v.tasks.length ? `${v.userName}的待办（${v.tasks.length}）` : "没有待办事项",
    subtitle: v.tasks.length ? `${overdue ? `其中 ${overdue} 项已逾期。` : ""}回复「完成 1」或「推迟 1 到明天上午10点」处理` : undefined,
    tone: overdue ? "warning" : "info",
    fields: [],
    lines: v.tasks.length
      ? v.tasks.map((t, i) => `${i + 1}. ${t.dueAt < v.now ? "⚠️" : ""}${formatLocal(t.dueAt, v.timeZone)} ${t.customer ? `【${t.customer}】` : ""}${t.title}`)
      : ["全部处理完了 👍 记录拜访后，跟进提醒会出现在这里。"],
    buttons: [],
    textCommands: v.tasks.length ? ["完成 1", "推迟 1 到明天上午10点"] : [],
  };
  const dispatches = v.dispatches ?? [];
  if (!approvals.length && !dispatches.length) return v.warehouse && !v.tasks.length ? { ...card, lines: ["全部处理完了 👍 新的发货通知会出现在这里。"] } : card;
  const problems = dispatches.filter((d) => d.problem).length;
  const dispatchLines = dispatches.length
    ? [
        `待发货（${dispatches.length}${problems ? `，其中 ${problems} 个有问题` : ""}），最早的在前：`,
        ...dispatches.map((d) => `· ${d.problem ? "⚠️" : ""}${d.number} ${d.customer}：还剩 ${d.remaining}${d.since ? `，${formatLocal(d.since, v.timeZone)}通知` : ""}${d.problem ? `（问题：${d.problem}）` : ""}`),
      ]
    : [];
  // What others wait on comes first: approvals, then goods to ship, then one's own follow-ups.
  const extras = [...(approvals.length ? [`待审批 ${approvals.length}`] : []), ...(dispatches.length ? [`待发货 ${dispatches.length}`] : [])];
  const alone = approvals.length ? [`待你审批（${approvals.length}）`, ...(dispatches.length ? [`待发货 ${dispatches.length}`] : [])] : [`待发货（${dispatches.length}）`];
  const firstApproval = approvals[0]?.number;
  const firstOpen = dispatches.find((d) => !d.problem)?.number ?? dispatches[0]?.number;
  // Approvals alone: the title already says 待你审批（N）, so the list starts with the orders (no repeated heading).
  const onlyApprovals = !v.tasks.length && !dispatches.length;
  return {
    ...card,
    title: v.tasks.length ? `${card.title}，${extras.join("，")}` : alone.join("，"),
    subtitle: onlyApprovals ? "最早的在前；发送「待审批」可逐个调出审批卡片" : card.subtitle,
    tone: "warning",
    lines: [...(onlyApprovals ? approvalLines.slice(1) : approvalLines), ...dispatchLines, ...(v.tasks.length ? (card.lines ?? []) : [])],
    textCommands: [
      ...(firstApproval ? [`同意 ${firstApproval}`, `驳回 ${firstApproval} 理由`] : []),
      ...(firstOpen ? [`发货 ${firstOpen} 承运商 单号`, `${firstOpen} 有问题 原因`] : []),
      ...(card.textCommands ?? []),
    ],
  };
}
