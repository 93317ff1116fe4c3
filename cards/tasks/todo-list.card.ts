import type { Card } from "../../src/core/card.ts";
import { formatLocal } from "../../src/core/local-time.ts";

export interface TodoListView {
  ref: string;
  userName: string;
  now: Date;
  tasks: { title: string; customer: string | null; dueAt: Date }[];
  timeZone: string;
}

export function todoListCard(v: TodoListView): Card {
  const overdue = v.tasks.filter((t) => t.dueAt < v.now).length;
  return {
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
}
