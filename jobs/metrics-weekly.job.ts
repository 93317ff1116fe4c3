import { sendMetricsCards } from "../src/handlers/metrics/metrics-cards.handler.ts";
import { addLocalDays, localIsoWeekKey, startOfLocalWeek } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";

/** Monday morning: each manager and director gets last week's numbers (Monday to Sunday) for their team. */
export const metricsWeeklyJob: JobDefinition = {
  name: "metrics-weekly",
  description: "Monday metrics card (last week, Monday to Sunday) for each manager and director's team",
  schedule: (deps) => deps.rules.schedule.weeklyMetrics,
  // The week reported on, e.g. 2026-W47 for a run on Monday 2026-11-23: a hand re-run later that week is the same period.
  period: (now, tz) => localIsoWeekKey(addLocalDays(startOfLocalWeek(now, tz), -7, 0, tz), tz),
  run: async (deps, now, period) => {
    const to = startOfLocalWeek(now, deps.timeZone);
    const range = { from: addLocalDays(to, -7, 0, deps.timeZone), to };
    return { ...(await sendMetricsCards(deps, "metrics-weekly", period, "上周", range, now)) };
  },
};
