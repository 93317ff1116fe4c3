import { newCardRef } from "../../../cards/card-ref.ts";
import { todoListCard } from "../../../cards/tasks/todo-list.card.ts";
import { effectiveDue, numberedOpenTasks } from "../../domain/tasks/task.service.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

export async function handleListTodos(ctx: HandlerContext): Promise<void> {
  const tasks = await numberedOpenTasks(ctx.tx, ctx.user.id);
  await ctx.out.replyCard(
    todoListCard({
      ref: newCardRef(),
      userName: ctx.user.name,
      now: ctx.now,
      tasks: tasks.map((t) => ({ title: t.title, customer: t.customer?.name ?? null, dueAt: effectiveDue(t) })),
      timeZone: ctx.timeZone,
    }),
  );
}
