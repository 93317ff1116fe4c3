import { sendMetricsCards } from "../src/handlers/metrics/metrics-cards.handler.ts";
import { addLocalDays, localIsoWeekKey, startOfLocalWeek } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";
import { firstWorkingDayOfWeek } from "./working-days.ts";

/**
 * rules.schedule.weeklyMetrics names one weekday ("0 9 * * 1"): the job is scheduled on every day at that time and
 * runs on the first working day from that weekday on, so a holiday Monday moves the card to the next working day
 * of the same week. Any other day-of-week field is used as written.
 */
export function weeklySchedule(expr: string): { cron: string; fromWeekday: number } {
  const fields = expr.trim().split(/\s+/);
  const dow = fields.length === 5 ? fields[4]! : "";
  if (!/^[0-7]$/.test(dow)) return { cron: expr, fromWeekday: 1 };
  return { cron: [...fields.slice(0, 4), "*"].join(" "), fromWeekday: Number(dow) === 0 ? 7 : Number(dow) };
}

/** Monday morning (or the week's first working day): each manager and director gets last week's numbers (Monday to Sunday) for their team. */
export const metricsWeeklyJob: JobDefinition = {
  name: "metrics-weekly",
  description: "weekly metrics card (last week, Monday to Sunday) for each manager and director's team, on the week's first working day",
  schedule: (deps) => deps.rules.schedule.weeklyMetrics,
  cron: (deps) => weeklySchedule(deps.rules.schedule.weeklyMetrics).cron,
  // The week reported on, e.g. 2026-W47 for a run on Monday 2026-11-23: a hand re-run later that week is the same period.
  period: (now, tz) => localIsoWeekKey(addLocalDays(startOfLocalWeek(now, tz), -7, 0, tz), tz),
  skipReason: (deps, now) => firstWorkingDayOfWeek(deps, now, weeklySchedule(deps.rules.schedule.weeklyMetrics).fromWeekday),
  run: async (deps, now, period) => {
    const to = startOfLocalWeek(now, deps.timeZone);
    const range = { from: addLocalDays(to, -7, 0, deps.timeZone), to };
    return { ...(await sendMetricsCards(deps, "metrics-weekly", period, "上周", range, now)) };
  },
};
