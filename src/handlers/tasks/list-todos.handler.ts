import { newCardRef } from "../../../cards/card-ref.ts";
import { todoListCard } from "../../../cards/tasks/todo-list.card.ts";
import { openDispatches } from "../../domain/dispatch/dispatch.service.ts";
import { effectiveDue, numberedOpenTasks } from "../../domain/tasks/task.service.ts";
import { pendingApprovalsFor } from "../../domain/orders/order.service.ts";
import { isWarehouse } from "../../domain/users/roles.ts";
import type { UserInfo } from "../../domain/users/user.repo.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { openPending } from "../engine/pending.ts";
import { shownTodoListKind } from "./shown-list.ts";

/** Discount approvals waiting for this person, as the to-do card lists them. */
export async function approvalsFor(tx: HandlerContext["tx"], userId: string) {
  return (await pendingApprovalsFor(tx, userId)).map((a) => ({ number: a.orderNumber, customer: a.customerName, rep: a.repName, total: a.total.toFixed(2), discount: a.discount.toFixed(4), since: a.since }));
}

/**
 * For a warehouse person: every order in dispatch (as 待发货 lists them: oldest notice first, what remains, any
 * open problem), until it is fully shipped. Nobody else gets this section.
 */
export async function dispatchesFor(tx: HandlerContext["tx"], user: UserInfo) {
  if (!isWarehouse(user)) return [];
  return (await openDispatches(tx)).map((v) => ({
    number: v.number,
    customer: v.customerName,
    remaining: v.lines.filter((l) => l.remaining > 0).map((l) => `${l.name} ${l.remaining}${l.unit}`).join("、"),
    problem: v.problem?.reason ?? null,
    since: v.dispatchedAt,
  }));
}

export async function handleListTodos(ctx: HandlerContext): Promise<void> {
  await showTodoList(ctx);
}

/**
 * Replies with the person's to-do card and records the ids it numbered (see shown-list.ts), so 完成 N / 推迟 N
 * mean what this card shows until a newer list is shown. `note` goes above it (why the list is shown again).
 */
export async function showTodoList(ctx: HandlerContext, note?: string): Promise<void> {
  const tasks = await numberedOpenTasks(ctx.tx, ctx.user.id);
  const approvals = await approvalsFor(ctx.tx, ctx.user.id);
  const dispatches = await dispatchesFor(ctx.tx, ctx.user);
  if (note) ctx.out.replyText(note);
  const shown = tasks.length ? await openPending(ctx, shownTodoListKind, { taskIds: tasks.map((t) => t.id) }) : null;
  await ctx.out.replyCard(
    todoListCard({
      ref: newCardRef(),
      userName: ctx.user.name,
      now: ctx.now,
      tasks: tasks.map((t) => ({ title: t.title, customer: t.customer?.name ?? null, dueAt: effectiveDue(t) })),
      timeZone: ctx.timeZone,
      approvals,
      dispatches,
      warehouse: isWarehouse(ctx.user),
    }),
    shown ? { subjectType: shownTodoListKind.kind, subjectId: shown.id } : {},
  );
}
