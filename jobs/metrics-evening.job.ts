import { sendMetricsCards } from "../src/handlers/metrics/metrics-cards.handler.ts";
import { atLocalHour, localDateKey } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";
import { workingDayOnly } from "./working-days.ts";

/** Every working evening: each manager and director gets today's numbers for their team. */
export const metricsEveningJob: JobDefinition = {
  name: "metrics-evening",
  description: "evening metrics card (today so far) for each manager and director's team",
  schedule: (deps) => deps.rules.schedule.dailyMetrics,
  period: (now, tz) => localDateKey(now, tz),
  // Working days only (official calendar with 调休, plus the org file's company days).
  skipReason: workingDayOnly,
  run: async (deps, now, period) => ({ ...(await sendMetricsCards(deps, "metrics-evening", period, "今天", { from: atLocalHour(now, 0, deps.timeZone), to: now }, now)) }),
};
