// 规则: the rules in force (approval limits, big orders, pool, working and quiet hours, reminders, schedules).
import { rulesCard } from "../../../cards/admin/rules.card.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { assertAdmin } from "./admin-guard.ts";

export async function handleShowRules(ctx: HandlerContext): Promise<void> {
  assertAdmin(ctx.user, "查看规则");
  const r = ctx.rules;
  const d = r.directory;
  await ctx.out.replyCard(
    rulesCard(newCardRef(), {
      discountLimits: r.approval.discountLimits,
      bigOrderAmount: r.approval.bigOrderAmount,
      director: r.approval.director,
      approvalRemindAfterHours: r.approval.remindAfterHours,
      approvalEscalateAfterHours: r.approval.escalateAfterHours,
      allowAboveList: r.approval.allowAboveList,
      dispatchRemindAfterHours: r.dispatch.remindAfterHours,
      followUp: r.followUp,
      pool: r.pool,
      workingHours: r.workingHours,
      quietHours: r.quietHours,
      schedule: r.schedule,
      calendar: { extraHolidays: r.calendar?.extraHolidays ?? [], extraWorkdays: r.calendar?.extraWorkdays ?? [] },
      directory: d ? { schedule: d.schedule, platforms: (d.platforms ?? ["wecom", "dingtalk"]).map((p) => (p === "wecom" ? "企业微信" : "钉钉")).join("、"), fallbackManager: d.fallbackManager } : null,
    }),
  );
}
