// "完成 2" / "搞定了华东机电的跟进" / "推迟 2 到明天下午": act on the to-do list by number or by customer.
import { AppError } from "../../core/app-error.ts";
import { formatLocal } from "../../core/local-time.ts";
import { completeTask, resolveTask, snoozeTask } from "../../domain/tasks/task.service.ts";
import { normalizeCompanyName, type IntentOf } from "../../nlu/index.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

export async function handleCompleteTask(ctx: HandlerContext, intent: IntentOf<"complete_task">): Promise<void> {
  const task = await resolveTask(ctx.tx, ctx.user.id, intent.task, normalizeCompanyName);
  await completeTask(ctx.tx, task, ctx.user, ctx.now, ctx.eventId);
  ctx.out.replyText(`已完成：${task.customer ? `【${task.customer.name}】` : ""}${task.title} ✅`);
}

export async function handleSnoozeTask(ctx: HandlerContext, intent: IntentOf<"snooze_task">): Promise<void> {
  const until = new Date(intent.until);
  if (Number.isNaN(until.getTime())) throw new AppError("bad_until", "没看懂推迟到什么时候，例如：推迟 1 到明天上午10点");
  const task = await resolveTask(ctx.tx, ctx.user.id, intent.task, normalizeCompanyName);
  await snoozeTask(ctx.tx, task, until, ctx.user, ctx.now, ctx.eventId);
  ctx.out.replyText(`已推迟到 ${formatLocal(until, ctx.timeZone)}：${task.customer ? `【${task.customer.name}】` : ""}${task.title}`);
}
