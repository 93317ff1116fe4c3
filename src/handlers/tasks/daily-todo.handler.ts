// The morning to-do card for one person: what is due today or overdue, approvals waiting for them and, for the
// warehouse, the dispatch notices still open. Keyed (job, date, person), so a
// re-run of the same morning never sends a second card.
import { newCardRef } from "../../../cards/card-ref.ts";
import { todoListCard } from "../../../cards/tasks/todo-list.card.ts";
import { atLocalHour } from "../../core/local-time.ts";
import { effectiveDue, numberedOpenTasks } from "../../domain/tasks/task.service.ts";
import { getUser, listUsers } from "../../domain/users/user.repo.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { runJobUnit, skip } from "../engine/unit-of-work.ts";
import { isWarehouse } from "../../domain/users/roles.ts";
import { openPending } from "../engine/pending.ts";
import { approvalsFor, dispatchesFor } from "./list-todos.handler.ts";
import { shownTodoListKind } from "./shown-list.ts";

export async function everyone(deps: AppDeps): Promise<string[]> {
  return (await listUsers(deps.db)).map((u) => u.id);
}

/** Returns "sent", "nothing" (no work today) or "already" (this morning's card went out before). */
export async function sendDailyTodo(deps: AppDeps, userId: string, period: string, now: Date): Promise<"sent" | "nothing" | "already"> {
  const r = await runJobUnit(deps, { job: "daily-todo", period, subject: userId, once: true }, async (ctx) => {
    const user = await getUser(ctx.tx, userId);
    if (!user) skip();
    const endOfDay = atLocalHour(now, 23, ctx.timeZone, 59);
    // The card lists every open task, numbered as in 我的待办 (so 完成 2 means the same thing), but it is only
    // sent when something is due today or overdue.
    const tasks = await numberedOpenTasks(ctx.tx, userId);
    const approvals = await approvalsFor(ctx.tx, userId);
    // A warehouse person's open dispatch notices count too: they get the card while any is open, follow-ups or not.
    const dispatches = await dispatchesFor(ctx.tx, user);
    if (!tasks.some((t) => effectiveDue(t) <= endOfDay) && !approvals.length && !dispatches.length) skip();
    const card = todoListCard({
      ref: newCardRef(),
      userName: user.name,
      now,
      tasks: tasks.map((t) => ({ title: t.title, customer: t.customer?.name ?? null, dueAt: effectiveDue(t) })),
      timeZone: ctx.timeZone,
      approvals,
      dispatches,
      warehouse: isWarehouse(user),
    });
    // With no follow-ups the card's own title says what waits ("待发货（2）"), not "今天的待办（0）".
    const title = tasks.length
      ? `早上好，今天的待办（${tasks.length}）${approvals.length ? `，待审批 ${approvals.length}` : ""}${dispatches.length ? `，待发货 ${dispatches.length}` : ""}`
      : `早上好，${card.title}`;
    // Its numbers are the ones 完成 N reads (shown-list.ts), as for 我的待办.
    const shown = tasks.length ? await openPending(ctx, shownTodoListKind, { taskIds: tasks.map((t) => t.id) }, userId) : null;
    await ctx.out.sendCardTo(userId, { ...card, title }, shown ? { subjectType: shownTodoListKind.kind, subjectId: shown.id } : {}, `job:daily-todo:${period}:${userId}`);
  });
  return r.status === "done" ? "sent" : r.status === "already" ? "already" : "nothing";
}
