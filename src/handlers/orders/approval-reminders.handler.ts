// Approvals that wait too long: after rules.approval.remindAfterHours the approver is reminded once; after
// escalateAfterHours the step goes one level up with a note (the new approver gets the card, the old copy says
// where it went, the rep is told). Each step is its own unit of work, marked in the same commit as its messages.
// Quiet hours (rules.quietHours, as for follow-up reminders; src/core/working-time.ts): nothing is claimed or sent
// inside them; the first run after they end sends what came due, a reminder naming the time it was due (原定 22:00).
import { decidedCard } from "../../core/card.ts";
import { formatCny, formatDiscount } from "../../core/money.ts";
import { cardsInThread } from "../../domain/cards/card.repo.ts";
import { latestApproval } from "../../domain/orders/approval.repo.ts";
import { escalateStep, escalationDue, getOrder, markStepReminded, remindDue } from "../../domain/orders/order.service.ts";
import { heldSinceNote, holdForQuietHours } from "../../core/working-time.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { runJobUnit } from "../engine/unit-of-work.ts";
import { sendApprovalCard } from "./approval.handler.ts";
import { threadOf } from "./order-views.ts";

export interface ApprovalReminderResult {
  reminded: number;
  escalated: number;
  failed: number;
  /** 1 when the run fell inside quiet hours and sent nothing (what came due waits for the morning). */
  quietHours?: number;
}

export async function runApprovalReminders(deps: AppDeps, now: Date, period: string): Promise<ApprovalReminderResult> {
  const result: ApprovalReminderResult = { reminded: 0, escalated: 0, failed: 0 };
  if (holdForQuietHours(now, deps.timeZone, deps.rules.quietHours)) return { ...result, quietHours: 1 };
  // Escalations first: a step due for both is handed up, not reminded.
  for (const step of await escalationDue(deps.db, now, deps.rules)) {
    try {
      const r = await runJobUnit(deps, { job: "approval-reminders", period, subject: step.stepId }, async (ctx) => {
        const e = await escalateStep(ctx.tx, step, now, ctx.rules, ctx.eventId);
        if (!e) return false;
        const order = await getOrder(ctx.tx, step.orderNumber);
        if (!order) return false;
        // Only the previous approver's copy changes: it says where the approval went.
        for (const row of await cardsInThread(ctx.tx, threadOf(order.number))) {
          if (row.purpose === "approval" && row.recipientId === e.from.id && row.status === "active") await ctx.out.updateCard(row, decidedCard(row.view, e.note, "info"), "decided");
        }
        if (e.to) {
          const approval = await latestApproval(ctx.tx, order.id);
          await sendApprovalCard(ctx, order, { approverId: e.to.id, seq: step.seq }, approval?.steps.length ?? 1, approval?.rule ?? "");
          await ctx.out.notify(e.to.id, { type: "text", text: `${e.note}请审批 ${order.number}。` });
        }
        await ctx.out.notify(step.repId, { type: "text", text: `订单 ${order.number}：${e.note}` });
        return true;
      });
      if (r.status === "done" && r.value) result.escalated++;
    } catch (err) {
      result.failed++;
      deps.log.error("approval escalation failed", { err, stepId: step.stepId });
    }
  }
  for (const step of await remindDue(deps.db, now, deps.rules)) {
    try {
      const r = await runJobUnit(deps, { job: "approval-reminders", period, subject: step.stepId }, async (ctx) => {
        if (!(await markStepReminded(ctx.tx, step.stepId, now))) return false;
        const hours = Math.floor((now.getTime() - step.since.getTime()) / 3600_000);
        // Held by quiet hours: said when it was due.
        const held = heldSinceNote(new Date(step.since.getTime() + ctx.rules.approval.remindAfterHours * 3600_000), ctx.timeZone, ctx.rules.quietHours);
        const text = `提醒${held ? `（${held}）` : ""}：${step.orderNumber}（${step.customerName}，${formatCny(step.total)}，${formatDiscount(step.discount)}）已等你审批 ${hours} 小时。回复「同意 ${step.orderNumber}」或「驳回 ${step.orderNumber} 理由」。`;
        return ctx.out.notify(step.approverId, { type: "text", text });
      });
      if (r.status === "done" && r.value) result.reminded++;
    } catch (err) {
      result.failed++;
      deps.log.error("approval reminder failed", { err, stepId: step.stepId });
    }
  }
  return result;
}
