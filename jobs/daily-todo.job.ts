import { everyone, sendDailyTodos } from "../src/handlers/tasks/daily-todo.handler.ts";
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
  // Everyone, a batch of people per unit of work (the handler's queries read the whole batch at once).
  run: async (deps, now, period) => ({ ...(await sendDailyTodos(deps, await everyone(deps), period, now)) }),
};
