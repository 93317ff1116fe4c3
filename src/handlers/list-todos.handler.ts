import { newCardRef } from "../../cards/card-ref.ts";
import { todoListCard } from "../../cards/todo-list.card.ts";
import { openTasksOf } from "../domain/tasks/task.repo.ts";
import type { HandlerContext } from "./handler-context.ts";

export async function handleListTodos(ctx: HandlerContext): Promise<void> {
  const tasks = await openTasksOf(ctx.tx, ctx.user.id);
  await ctx.out.replyCard(
    todoListCard({
      ref: newCardRef(),
      userName: ctx.user.name,
      now: ctx.now,
      tasks: tasks.map((t) => ({ title: t.title, customer: t.customer?.name ?? null, dueAt: t.snoozedUntil ?? t.dueAt })),
      timeZone: ctx.timeZone,
    }),
  );
}
