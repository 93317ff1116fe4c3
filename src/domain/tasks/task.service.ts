// Completing and snoozing follow-ups, with the audit trail.
import { AppError } from "../../core/app-error.ts";
import { audit } from "../audit/audit.repo.ts";
import type { Tx } from "../tx.ts";
import type { UserInfo } from "../users/user.repo.ts";
import { openTasksOf, type OpenTask } from "./task.repo.ts";

/** When an open task is next due: its snooze time if snoozed, else its due time. */
export const effectiveDue = (t: { dueAt: Date; snoozedUntil: Date | null }) => t.snoozedUntil ?? t.dueAt;

/** The person's open tasks in the order the to-do list shows them (numbered from 1). */
export async function numberedOpenTasks(tx: Tx, ownerId: string): Promise<OpenTask[]> {
  const tasks = await openTasksOf(tx, ownerId, 50);
  return tasks.sort((a, b) => effectiveDue(a).getTime() - effectiveDue(b).getTime());
}

/**
 * Finds the task a person means by words: a word matches the customer or the title; nothing means their only
 * open task. A list number is not read here: it means the list the person was shown (handlers/tasks/shown-list.ts).
 */
export async function resolveTask(tx: Tx, ownerId: string, ref: string | undefined, normalize: (s: string) => string): Promise<OpenTask> {
  const tasks = await numberedOpenTasks(tx, ownerId);
  if (tasks.length === 0) throw new AppError("no_open_tasks", "你现在没有待办事项。");
  const wanted = ref?.trim();
  if (!wanted) {
    if (tasks.length === 1) return tasks[0]!;
    throw new AppError("which_task", `你有 ${tasks.length} 项待办，请说明是哪一项，例如：完成 1。发送「我的待办」查看编号。`);
  }
  const key = normalize(wanted);
  const hits = tasks.filter((t) => (t.customer && (normalize(t.customer.name).includes(key) || key.includes(normalize(t.customer.name)))) || t.title.includes(wanted));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new AppError("task_not_found", `没有找到和「${wanted}」有关的待办。发送「我的待办」查看列表。`);
  throw new AppError("task_ambiguous", `有 ${hits.length} 项待办和「${wanted}」有关，请用编号，例如：完成 1。发送「我的待办」查看编号。`);
}

/** A follow-up of a customer that another person owns now (reassigned, or claimed by someone else). */
function assertStillTheirs(task: OpenTask, actor: UserInfo, what: string): void {
  if (task.customer?.ownerId && task.customer.ownerId !== actor.id) {
    throw new AppError("task_customer_moved", `「${task.customer.name}」已不由你负责，这项待办不能再${what}。发送「我的待办」查看你现在的待办。`);
  }
}

export async function completeTask(tx: Tx, task: OpenTask, actor: UserInfo, now: Date, eventId: string | null) {
  assertStillTheirs(task, actor, "完成");
  if (task.ownerId !== actor.id) throw new AppError("task_not_yours", "只能完成自己的待办。发送「我的待办」查看你的待办。");
  const done = await tx.task.update({ where: { id: task.id }, data: { status: "done", completedAt: now } });
  await audit(tx, { actorId: actor.id, action: "task.complete", entityType: "task", entityId: task.id, before: { status: task.status }, after: { status: "done", completedAt: now }, eventId });
  return done;
}

export async function snoozeTask(tx: Tx, task: OpenTask, until: Date, actor: UserInfo, now: Date, eventId: string | null) {
  assertStillTheirs(task, actor, "推迟");
  if (task.ownerId !== actor.id) throw new AppError("task_not_yours", "只能推迟自己的待办。发送「我的待办」查看你的待办。");
  if (until.getTime() <= now.getTime()) throw new AppError("snooze_in_past", "推迟的时间需要晚于现在，例如：推迟 1 到明天上午10点");
  const updated = await tx.task.update({ where: { id: task.id }, data: { snoozedUntil: until, remindedAt: null, escalatedAt: null } });
  await audit(tx, { actorId: actor.id, action: "task.snooze", entityType: "task", entityId: task.id, before: { snoozedUntil: task.snoozedUntil }, after: { snoozedUntil: until }, eventId });
  return updated;
}
