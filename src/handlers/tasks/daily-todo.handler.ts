// The morning to-do card for one person: what is due today or overdue. Keyed (job, date, person), so a
// re-run of the same morning never sends a second card.
import { newCardRef } from "../../../cards/card-ref.ts";
import { todoListCard } from "../../../cards/tasks/todo-list.card.ts";
import { atLocalHour } from "../../core/local-time.ts";
import { enqueueMessages } from "../../domain/plumbing/outbox.repo.ts";
import { claimJobRun } from "../../domain/plumbing/job-run.repo.ts";
import { effectiveDue, numberedOpenTasks } from "../../domain/tasks/task.service.ts";
import { getUser, listUsers } from "../../domain/users/user.repo.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { OutboxCollector } from "../engine/outbox-collector.ts";

export async function everyone(deps: AppDeps): Promise<string[]> {
  return (await listUsers(deps.db)).map((u) => u.id);
}

/** Returns "sent", "nothing" (no work today) or "already" (this morning's card went out before). */
export async function sendDailyTodo(deps: AppDeps, userId: string, period: string, now: Date): Promise<"sent" | "nothing" | "already"> {
  return deps.db.$transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (!user) return "nothing";
    const endOfDay = atLocalHour(now, 23, deps.timeZone, 59);
    // The card lists every open task, numbered as in 我的待办 (so 完成 2 means the same thing), but it is only
    // sent when something is due today or overdue.
    const tasks = await numberedOpenTasks(tx, userId);
    if (!tasks.some((t) => effectiveDue(t) <= endOfDay)) return "nothing";
    if (!(await claimJobRun(tx, "daily-todo", period, userId))) return "already";
    const out = new OutboxCollector(tx, null, null, deps.enabledPlatforms());
    const card = todoListCard({
      ref: newCardRef(),
      userName: user.name,
      now,
      tasks: tasks.map((t) => ({ title: t.title, customer: t.customer?.name ?? null, dueAt: effectiveDue(t) })),
      timeZone: deps.timeZone,
    });
    await out.sendCardTo(userId, { ...card, title: `早上好，今天的待办（${tasks.length}）` }, {}, `job:daily-todo:${period}:${userId}`);
    await enqueueMessages(tx, out.messages);
    return "sent";
  });
}
