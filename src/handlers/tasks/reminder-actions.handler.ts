// Clicks on a reminder card: done, or remind me again later.
import { AppError } from "../../core/app-error.ts";
import { addLocalDays, atLocalHour, formatLocal, localHour } from "../../core/local-time.ts";
import { reminderDoneCard, reminderSpec } from "../../../cards/tasks/reminder.card.ts";
import type { CardRow } from "../../domain/cards/card.repo.ts";
import { getTask } from "../../domain/tasks/task.repo.ts";
import { completeTask, snoozeTask } from "../../domain/tasks/task.service.ts";
import { defineCardKind } from "../engine/card-kind.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** The reminder card (typed twins are 完成 N / 推迟 N …, handled as to-do commands by number). */
export const reminderKind = defineCardKind(reminderSpec, {
  actions: {
    done: { run: (ctx, card) => handleReminderDone(ctx, card) },
    snooze: { run: (ctx, card, arg) => handleReminderSnooze(ctx, card, arg) },
  },
});

/** The card's task if still open; otherwise the card is brought up to date (committed) and null returned. */
async function openTaskOf(ctx: HandlerContext, card: CardRow) {
  const task = card.subjectId ? await getTask(ctx.tx, card.subjectId) : null;
  if (!task) throw new AppError("task_missing", "没有找到这项待办，可能已被删除。");
  if (task.status !== "open") {
    await ctx.out.updateCard(card, reminderDoneCard(card.view, task.status === "done" ? "已完成" : "已取消"), "decided");
    ctx.out.replyText("这项待办已经处理过了。");
    return null;
  }
  return task;
}

export async function handleReminderDone(ctx: HandlerContext, card: CardRow): Promise<void> {
  const task = await openTaskOf(ctx, card);
  if (!task) return;
  await completeTask(ctx.tx, task, ctx.user, ctx.now, ctx.eventId);
  await ctx.out.updateCard(card, reminderDoneCard(card.view, `${ctx.user.name} 已完成 ✅`), "decided");
}

export async function handleReminderSnooze(ctx: HandlerContext, card: CardRow, arg: string | undefined): Promise<void> {
  const days = arg === "3d" ? 3 : arg === "1d" ? 1 : null;
  if (!days) throw new AppError("snooze_option", "这个推迟选项无效。可以发送「推迟 客户名 到明天上午10点」。");
  const task = await openTaskOf(ctx, card);
  if (!task) return;
  const hour = localHour(task.dueAt, ctx.timeZone);
  const until = addLocalDays(atLocalHour(ctx.now, hour, ctx.timeZone), days, hour, ctx.timeZone);
  await snoozeTask(ctx.tx, task, until, ctx.user, ctx.now, ctx.eventId);
  await ctx.out.updateCard(card, reminderDoneCard(card.view, `已推迟到 ${formatLocal(until, ctx.timeZone)}`), "decided");
}
