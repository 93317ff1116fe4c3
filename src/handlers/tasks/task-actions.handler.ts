// "完成 2" / "搞定了华东机电的跟进" / "推迟 2 到明天下午": act on the to-do list by number or by customer.
// A number is read against the list the person was shown (shown-list.ts), never against today's order.
import { AppError } from "../../core/app-error.ts";
import { formatLocal } from "../../core/local-time.ts";
import { getTask, type OpenTask } from "../../domain/tasks/task.repo.ts";
import { completeTask, numberedOpenTasks, resolveTask, snoozeTask } from "../../domain/tasks/task.service.ts";
import { normalizeCompanyName, type IntentOf } from "../../nlu/index.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { showTodoList } from "./list-todos.handler.ts";
import { newestShownList, SHOWN_LIST_TTL_MS } from "./shown-list.ts";

const label = (t: { title: string; customer: { name: string } | null }) => `${t.customer ? `【${t.customer.name}】` : ""}${t.title}`;

/**
 * The follow-up the person means, or null when the number cannot be read against a list they were shown: then
 * they are told why and the current list is shown again (with new numbers), and nothing changes.
 */
async function taskMeant(ctx: HandlerContext, ref: string | undefined, verb: string): Promise<OpenTask | null> {
  const wanted = ref?.trim();
  if (!wanted || !/^\d{1,3}$/.test(wanted)) return resolveTask(ctx.tx, ctx.user.id, wanted, normalizeCompanyName);
  if (!(await numberedOpenTasks(ctx.tx, ctx.user.id)).length) throw new AppError("no_open_tasks", "你现在没有待办事项。");
  const n = Number(wanted);
  const shown = await newestShownList(ctx.tx, ctx.user.id, ctx.now);
  if (!shown) {
    await showTodoList(ctx, `「${verb} ${n}」的编号要对应发给你的待办列表，但最近 ${SHOWN_LIST_TTL_MS / 3600_000} 小时没有发给你的列表。下面是你现在的待办，请按这里的编号再说一次。`);
    return null;
  }
  const id = shown.taskIds[n - 1];
  if (!id) {
    await showTodoList(ctx, `你最近看到的待办列表里没有第 ${n} 项（共 ${shown.taskIds.length} 项），没有做任何改动。下面是你现在的待办，请按这里的编号再说一次。`);
    return null;
  }
  const task = await getTask(ctx.tx, id);
  if (!task) throw new AppError("task_missing", `第 ${n} 项待办已不存在。发送「我的待办」查看现在的编号。`);
  if (task.status !== "open") {
    await showTodoList(ctx, `你看到的第 ${n} 项「${label(task)}」${task.status === "done" ? "已经完成了" : "已关闭"}，没有做任何改动。下面是你现在的待办。`);
    return null;
  }
  return task;
}

export async function handleCompleteTask(ctx: HandlerContext, intent: IntentOf<"complete_task">): Promise<void> {
  const task = await taskMeant(ctx, intent.task, "完成");
  if (!task) return;
  await completeTask(ctx.tx, task, ctx.user, ctx.now, ctx.eventId);
  ctx.out.replyText(`已完成：${label(task)} ✅`);
}

export async function handleSnoozeTask(ctx: HandlerContext, intent: IntentOf<"snooze_task">): Promise<void> {
  const until = new Date(intent.until);
  if (Number.isNaN(until.getTime())) throw new AppError("bad_until", "没看懂推迟到什么时候，例如：推迟 1 到明天上午10点");
  const task = await taskMeant(ctx, intent.task, "推迟");
  if (!task) return;
  await snoozeTask(ctx.tx, task, until, ctx.user, ctx.now, ctx.eventId);
  ctx.out.replyText(`已推迟到 ${formatLocal(until, ctx.timeZone)}：${label(task)}`);
}
