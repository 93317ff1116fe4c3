import { newCardRef } from "../../../cards/card-ref.ts";
import { todoListCard } from "../../../cards/tasks/todo-list.card.ts";
import { effectiveDue, numberedOpenTasks } from "../../domain/tasks/task.service.ts";
import { pendingApprovalsFor } from "../../domain/orders/order.service.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

/** Discount approvals waiting for this person, as the to-do card lists them. */
export async function approvalsFor(tx: HandlerContext["tx"], userId: string) {
  return (await pendingApprovalsFor(tx, userId)).map((a) => ({ number: a.orderNumber, customer: a.customerName, rep: a.repName, total: a.total.toFixed(2), discount: a.discount.toFixed(4), since: a.since }));
}

export async function handleListTodos(ctx: HandlerContext): Promise<void> {
  const tasks = await numberedOpenTasks(ctx.tx, ctx.user.id);
  const approvals = await approvalsFor(ctx.tx, ctx.user.id);
  await ctx.out.replyCard(
    todoListCard({
      ref: newCardRef(),
      userName: ctx.user.name,
      now: ctx.now,
      tasks: tasks.map((t) => ({ title: t.title, customer: t.customer?.name ?? null, dueAt: effectiveDue(t) })),
      timeZone: ctx.timeZone,
      approvals,
    }),
  );
}
