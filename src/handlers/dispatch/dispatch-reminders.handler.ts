// Dispatch notices the warehouse has not acted on: once a notice has waited rules.dispatch.remindAfterHours
// working hours (China's official calendar with the org file's company days, rules.workingHours; src/core/working-time.ts) with no shipment and no
// open problem, the warehouse is reminded where the notice went (its route's people or group chats, else everyone with the warehouse role) — and again after as many working hours more, until
// it is handled. Reminders go out only during working hours. Each notice is its own unit of work, its mark
// (noticeRemindedAt, conditional on the previous one) set in the same commit as the messages, so two runs or two
// instances remind once. Quiet hours (rules.quietHours, where they overlap the working hours) hold them too, as
// follow-up reminders are held: the first run after they end sends it, naming the time it was due (原定 21:30).
import { heldSinceNote, holdForQuietHours, isWorkingTime, workingDeadline, workingHoursBetween } from "../../core/working-time.ts";
import { dispatchView, markNoticeReminded, noticesToRemind } from "../../domain/dispatch/dispatch.service.ts";
import type { NoticeToRemind } from "../../domain/dispatch/dispatch.types.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { runJobUnit, skip } from "../engine/unit-of-work.ts";
import { toWarehouse } from "./notice.ts";

export interface DispatchReminderResult {
  reminded: number;
  /** Due but nobody with the warehouse role could be reached: tried again on the next run. */
  unreachable: number;
  failed: number;
  /** 1 when the run fell outside working hours and sent nothing. */
  outsideWorkingHours: number;
  /** 1 when the run fell inside quiet hours and sent nothing. */
  quietHours?: number;
}

/** The reminder's words: how long the notice has waited, in whole working hours, and what to answer. */
export function dispatchReminderText(n: Pick<NoticeToRemind, "number" | "customerName">, workingHours: number, held: string | null = null): string {
  const h = Math.max(1, Math.floor(workingHours));
  return `提醒${held ? `（${held}）` : ""}：${n.number}（${n.customerName}）已通知仓库 ${h} 个工作小时还未发货。回复「发货 ${n.number} 承运商 单号」或「${n.number} 有问题 原因」。`;
}

export async function runDispatchReminders(deps: AppDeps, now: Date, period: string): Promise<DispatchReminderResult> {
  const result: DispatchReminderResult = { reminded: 0, unreachable: 0, failed: 0, outsideWorkingHours: 0 };
  const hours = deps.rules.workingHours;
  if (!isWorkingTime(now, deps.timeZone, hours, deps.rules.calendar)) {
    result.outsideWorkingHours = 1;
    return result;
  }
  if (holdForQuietHours(now, deps.timeZone, deps.rules.quietHours)) return { ...result, quietHours: 1 };
  const after = deps.rules.dispatch.remindAfterHours;
  // Working hours never exceed clock hours, so the clock-hour candidates include every notice due.
  const due = (await noticesToRemind(deps.db, now, after)).filter((n) => workingHoursBetween(n.remindedAt ?? n.dispatchedAt, now, deps.timeZone, hours, deps.rules.calendar) >= after);
  for (const notice of due) {
    let unreachable = false;
    try {
      const r = await runJobUnit(deps, { job: "dispatch-reminders", period, subject: notice.orderId }, async (ctx) => {
        if (!(await markNoticeReminded(ctx.tx, notice, now))) return false; // another run reminded it first
        // Read again after the mark (which holds the order's row): a shipment or a problem since the list was read ends it.
        const view = await dispatchView(ctx.tx, notice.number);
        if (view.status !== "dispatched" || view.shipments.length > 0 || view.problem) skip();
        // Held by quiet hours: said when it came due.
        const dueAt = workingDeadline(notice.remindedAt ?? notice.dispatchedAt, after, now, ctx.timeZone, hours, ctx.rules.calendar);
        const held = heldSinceNote(dueAt, ctx.timeZone, ctx.rules.quietHours);
        const text = dispatchReminderText(notice, workingHoursBetween(notice.dispatchedAt, now, ctx.timeZone, hours, ctx.rules.calendar), held);
        // The same people or group chats the notice went to (warehouse.routes, else the warehouse role).
        const reached = (await toWarehouse(ctx, view, { text, dedupeKey: `dispatch-reminder:${notice.orderId}:${now.toISOString()}` })).length;
        if (!reached) {
          unreachable = true;
          ctx.log.warn("no warehouse person can be reached for a dispatch reminder", { orderNumber: notice.number });
          skip(); // rolled back, mark included: a later run tries again
        }
        return true;
      });
      if (r.status === "done" && r.value) result.reminded++;
      else if (r.status === "skipped" && unreachable) result.unreachable++;
    } catch (err) {
      result.failed++;
      deps.log.error("dispatch reminder failed", { err, orderNumber: notice.number });
    }
  }
  return result;
}
