// The scheduled metrics cards: each active manager or director gets their team's numbers (evening: today so
// far; Monday: last week). Keyed (job, period, person) in the same transaction as the message, so a re-run of
// the same period never sends a second card.
import type { Range } from "../../domain/metrics/metrics.repo.ts";
import { isTeamLead } from "../../domain/metrics/metrics.service.ts";
import { getUser, listUsers } from "../../domain/users/user.repo.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { runJobUnit, skip } from "../engine/unit-of-work.ts";
import { buildMetricsCardWithChart } from "./show-metrics.handler.ts";

/** Active managers and directors: the people who get a team card. */
export async function teamLeads(deps: AppDeps): Promise<string[]> {
  return (await listUsers(deps.db)).filter(isTeamLead).map((u) => u.id);
}

/** Returns "sent", "nothing" (gone, or reachable nowhere) or "already" (this period's card went out before). */
export async function sendMetricsCard(
  deps: AppDeps,
  job: string,
  userId: string,
  period: string,
  periodLabel: string,
  range: Range,
  now: Date,
): Promise<"sent" | "nothing" | "already"> {
  const r = await runJobUnit(deps, { job, period, subject: userId, once: true }, async (ctx) => {
    const user = await getUser(ctx.tx, userId);
    if (!user || !isTeamLead(user)) skip();
    const { card, chart } = await buildMetricsCardWithChart(ctx.tx, user, periodLabel, range, now, ctx.timeZone, ctx.log);
    const key = `job:${job}:${period}:${userId}`;
    if (!(await ctx.out.sendCardTo(userId, card, {}, key))) {
      // Rolled back, claim included, so a later run (another platform up) can send it.
      ctx.log.warn("manager cannot be reached on any enabled platform", { job, userId });
      skip();
    }
    // Right after the card, to the same address (sendCardTo and notify pick the platform the same way).
    if (chart) await ctx.out.notify(userId, chart, `${key}:chart`);
  });
  return r.status === "done" ? "sent" : r.status === "already" ? "already" : "nothing";
}

/** One card per team lead, one failure does not stop the rest. */
export async function sendMetricsCards(deps: AppDeps, job: string, period: string, periodLabel: string, range: Range, now: Date) {
  const counts = { sent: 0, nothing: 0, already: 0, failed: 0 };
  for (const userId of await teamLeads(deps)) {
    try {
      counts[await sendMetricsCard(deps, job, userId, period, periodLabel, range, now)]++;
    } catch (err) {
      counts.failed++;
      deps.log.error("metrics card failed for one person", { err, job, userId });
    }
  }
  return counts;
}
