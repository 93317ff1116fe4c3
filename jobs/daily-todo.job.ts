import { everyone, sendDailyTodo } from "../src/handlers/tasks/daily-todo.handler.ts";
import { localDateKey } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";
import { workingDayOnly } from "./working-days.ts";

/** Every working morning: each person's to-do card, if they have something due. */
export const dailyTodoJob: JobDefinition = {
  name: "daily-todo",
  description: "morning to-do list card for each person with follow-ups due",
  schedule: (deps) => deps.rules.schedule.dailyTodo,
  period: (now, tz) => localDateKey(now, tz),
  // Working days only (official calendar with 调休, plus the org file's company days).
  skipReason: workingDayOnly,
  run: async (deps, now, period) => {
    const counts = { sent: 0, nothing: 0, already: 0, failed: 0 };
    for (const userId of await everyone(deps)) {
      try {
        counts[await sendDailyTodo(deps, userId, period, now)]++;
      } catch (err) {
        counts.failed++;
        deps.log.error("daily to-do failed for one person", { err, userId });
      }
    }
    return counts;
  },
};
