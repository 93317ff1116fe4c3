// The morning to-do card: what is due today or overdue, approvals waiting for the person and, for the warehouse,
// the dispatch notices still open. Keyed (job, date, person), so a re-run of the same morning never sends a second
// card. People are served a batch at a time (runJobBatchUnit): one query per kind of thing for the whole batch,
// the cards and their numbered lists written with one insert each, so 10,000 people take seconds, not minutes.
import { newCardRef } from "../../../cards/card-ref.ts";
import { todoListCard } from "../../../cards/tasks/todo-list.card.ts";
import type { Card } from "../../core/card.ts";
import { atLocalHour } from "../../core/local-time.ts";
import { effectiveDue } from "../../domain/tasks/task.service.ts";
import { openTasksOfMany, pendingApprovalsOfMany, type BatchApproval, type BatchOpenTask } from "../../domain/tasks/todo-batch.repo.ts";
import { isWarehouse } from "../../domain/users/roles.ts";
import { getUsers, listUsers, type UserInfo } from "../../domain/users/user.repo.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import type { UnitContext } from "../engine/handler-context.ts";
import { openPendingMany } from "../engine/pending.ts";
import { runJobBatchUnit } from "../engine/unit-of-work.ts";
import { dispatchesFor } from "./list-todos.handler.ts";
import { shownTodoListKind } from "./shown-list.ts";
import { inBatches, type BatchCounts } from "../engine/batches.ts";

/** People per unit of work: big enough that per-batch queries are cheap per person, small enough to keep a short transaction. */
export const TODO_BATCH_SIZE = 250;

export async function everyone(deps: AppDeps): Promise<string[]> {
  return (await listUsers(deps.db)).map((u) => u.id);
}

export type TodoCounts = BatchCounts;

/**
 * Every person's card, a batch at a time. A batch that fails (one person's data unreadable) is retried one person
 * at a time, so the others still get their card and only that person counts as failed (the run is then recorded
 * as failed and may be run again: who got their card is not sent it twice).
 */
export async function sendDailyTodos(deps: AppDeps, userIds: string[], period: string, now: Date, batchSize = TODO_BATCH_SIZE): Promise<TodoCounts> {
  return inBatches(userIds, batchSize, (batch) => sendDailyTodoBatch(deps, batch, period, now), deps.log, "daily to-do");
}

/** One person's card: "sent", "nothing" (no work today) or "already" (this morning's card went out before). */
export async function sendDailyTodo(deps: AppDeps, userId: string, period: string, now: Date): Promise<"sent" | "nothing" | "already"> {
  const c = await sendDailyTodoBatch(deps, [userId], period, now);
  return c.sent ? "sent" : c.already ? "already" : "nothing";
}

interface TodoContent {
  user: UserInfo;
  tasks: BatchOpenTask[];
  approvals: BatchApproval[];
  dispatches: Awaited<ReturnType<typeof dispatchesFor>>;
}

export async function sendDailyTodoBatch(deps: AppDeps, userIds: string[], period: string, now: Date): Promise<Omit<TodoCounts, "failed">> {
  let claimedCount = 0;
  let sentCount = 0;
  const r = await runJobBatchUnit(deps, { job: "daily-todo", period, subjects: userIds }, async (ctx, claimed) => {
    claimedCount = claimed.length;
    const sent = await composeAndSend(ctx, claimed, period, now);
    sentCount = sent.length;
    return { sent };
  });
  if (r.status !== "done") return { sent: 0, nothing: 0, already: r.status === "already" ? userIds.length : 0 };
  return { sent: sentCount, nothing: claimedCount - sentCount, already: userIds.length - claimedCount };
}

async function composeAndSend(ctx: UnitContext, userIds: string[], period: string, now: Date): Promise<string[]> {
  const users = await getUsers(ctx.tx, userIds);
  const ids = userIds.filter((id) => users.has(id));
  const tasksOf = await openTasksOfMany(ctx.tx, ids);
  const approvalsOf = await pendingApprovalsOfMany(ctx.tx, ids);
  // The open dispatch notices are everyone's in the warehouse: read once for the batch, if anyone needs them.
  let openNotices: Awaited<ReturnType<typeof dispatchesFor>> | null = null;
  const endOfDay = atLocalHour(now, 23, ctx.timeZone, 59);
  const due: TodoContent[] = [];
  for (const id of ids) {
    const user = users.get(id)!;
    // Numbered as 我的待办 numbers them (so 完成 2 means the same thing): by when each is next due.
    const tasks = (tasksOf.get(id) ?? []).sort((a, b) => effectiveDue(a).getTime() - effectiveDue(b).getTime());
    const approvals = approvalsOf.get(id) ?? [];
    // A warehouse person's open dispatch notices count too: they get the card while any is open, follow-ups or not.
    const dispatches = isWarehouse(user) ? (openNotices ??= await dispatchesFor(ctx.tx, user)) : [];
    // The card lists every open task but is only sent when something is due today or overdue.
    if (tasks.some((t) => effectiveDue(t) <= endOfDay) || approvals.length || dispatches.length) due.push({ user, tasks, approvals, dispatches });
  }
  // Its numbers are the ones 完成 N reads (shown-list.ts), as for 我的待办: one numbered list per card with tasks.
  const withTasks = due.filter((d) => d.tasks.length);
  const listIds = await openPendingMany(ctx, shownTodoListKind, withTasks.map((d) => ({ userId: d.user.id, data: { taskIds: d.tasks.map((t) => t.id) } })));
  const listOf = new Map(withTasks.map((d, i) => [d.user.id, listIds[i]!]));
  const reached = await ctx.out.sendCardsTo(
    due.map((d) => {
      const list = listOf.get(d.user.id);
      return { userId: d.user.id, card: cardOf(d, now, ctx.timeZone), meta: list ? { subjectType: shownTodoListKind.kind, subjectId: list } : {}, dedupeKey: `job:daily-todo:${period}:${d.user.id}` };
    }),
  );
  return [...reached];
}

function cardOf({ user, tasks, approvals, dispatches }: TodoContent, now: Date, timeZone: string): Card {
  const card = todoListCard({
    ref: newCardRef(),
    userName: user.name,
    now,
    tasks: tasks.map((t) => ({ title: t.title, customer: t.customer?.name ?? null, dueAt: effectiveDue(t) })),
    timeZone,
    approvals,
    dispatches,
    warehouse: isWarehouse(user),
  });
  // With no follow-ups the card's own title says what waits ("待发货（2）"), not "今天的待办（0）".
  const title = tasks.length
    ? `早上好，今天的待办（${tasks.length}）${approvals.length ? `，待审批 ${approvals.length}` : ""}${dispatches.length ? `，待发货 ${dispatches.length}` : ""}`
    : `早上好，${card.title}`;
  return { ...card, title };
}
