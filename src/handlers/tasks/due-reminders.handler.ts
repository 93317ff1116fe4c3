// Reminds each owner when a follow-up comes due, and tells the manager when it stays overdue.
// Each task is its own unit of work: one failure does not stop the rest, and the claim on the task
// (remindedAt / escalatedAt) commits with the message, so a re-run never sends twice.
// Quiet hours (rules.quietHours, default 21:00-08:00): nothing is claimed or sent inside them; the first run after
// they end finds the tasks still unreminded and sends them, the card naming the time it was due ("原定 22:00").
import { newCardRef } from "../../../cards/card-ref.ts";
import { escalationCard } from "../../../cards/tasks/escalation.card.ts";
import { reminderCard } from "../../../cards/tasks/reminder.card.ts";
import { audit } from "../../domain/audit/audit.repo.ts";
import { markReminded, tasksToEscalate, tasksToRemind } from "../../domain/tasks/task.repo.ts";
import { effectiveDue } from "../../domain/tasks/task.service.ts";
import { heldSinceNote, holdForQuietHours } from "../../core/working-time.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { runJobUnit } from "../engine/unit-of-work.ts";

export interface ReminderRunResult {
  reminded: number;
  escalated: number;
  failed: number;
  /** Inside quiet hours: the follow-ups due now that wait for the morning (nothing is claimed). */
  deferred?: number;
}

export async function sendDueReminders(deps: AppDeps, now: Date): Promise<ReminderRunResult> {
  const result: ReminderRunResult = { reminded: 0, escalated: 0, failed: 0 };
  const quiet = deps.rules.quietHours;
  if (holdForQuietHours(now, deps.timeZone, quiet)) return { ...result, deferred: (await tasksToRemind(deps.db, now)).length };
  for (const task of await tasksToRemind(deps.db, now)) {
    try {
      const r = await runJobUnit(deps, { job: "due-reminders", period: "", subject: task.id }, async (ctx) => {
        if (!(await markReminded(ctx.tx, task.id, "remindedAt", now))) return false;
        const due = effectiveDue(task);
        const base = reminderCard({ ref: newCardRef(), title: task.title, customer: task.customer?.name ?? null, dueAt: due, timeZone: ctx.timeZone });
        // Held back by quiet hours: the card says when it was due.
        const held = heldSinceNote(due, ctx.timeZone, quiet);
        const card = held ? { ...base, title: `${base.title}（${held}）` } : base;
        const reached = await ctx.out.sendCardTo(task.ownerId, card, { subjectType: "task", subjectId: task.id }, `reminder:${task.id}:${due.toISOString()}`);
        if (!reached) ctx.log.warn("task owner cannot be reached on any enabled platform", { taskId: task.id, ownerId: task.ownerId });
        await audit(ctx.tx, { actorId: null, action: "task.remind", entityType: "task", entityId: task.id, after: { remindedAt: now, reached }, eventId: "job:due-reminders" });
        return reached;
      });
      if (r.status === "done" && r.value) result.reminded++;
    } catch (err) {
      result.failed++;
      deps.log.error("reminder failed", { err, taskId: task.id });
    }
  }
  const cutoff = new Date(now.getTime() - deps.rules.followUp.escalateAfterHours * 3600_000);
  for (const task of await tasksToEscalate(deps.db, cutoff)) {
    try {
      const managerId = task.owner.managerId;
      const r = await runJobUnit(deps, { job: "due-reminders", period: "", subject: task.id }, async (ctx) => {
        if (!(await markReminded(ctx.tx, task.id, "escalatedAt", now))) return false;
        if (!managerId) return false;
        const due = effectiveDue(task);
        const card = escalationCard({
          ref: newCardRef(), repName: task.owner.name, title: task.title, customer: task.customer?.name ?? null,
          dueAt: due, hoursOverdue: Math.floor((now.getTime() - due.getTime()) / 3600_000), timeZone: ctx.timeZone,
        });
        await ctx.out.sendCardTo(managerId, card, { subjectType: "task", subjectId: task.id }, `escalation:${task.id}:${due.toISOString()}`);
        await audit(ctx.tx, { actorId: null, action: "task.escalate", entityType: "task", entityId: task.id, after: { escalatedAt: now, managerId }, eventId: "job:due-reminders" });
        return true;
      });
      if (r.status === "done" && r.value) result.escalated++;
    } catch (err) {
      result.failed++;
      deps.log.error("escalation failed", { err, taskId: task.id });
    }
  }
  return result;
}
