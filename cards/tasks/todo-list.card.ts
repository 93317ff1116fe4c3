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
  if (!approvals.length) return card;
  // Approvals come first: someone is waiting on them.
  const first = approvals[0]!.number;
  return {
    ...card,
    title: v.tasks.length ? `${card.title}，待审批 ${approvals.length}` : `待你审批（${approvals.length}）`,
    tone: "warning",
    lines: [...approvalLines, ...(v.tasks.length ? (card.lines ?? []) : [])],
    textCommands: [`同意 ${first}`, `驳回 ${first} 理由`, ...(card.textCommands ?? [])],
  };
}
