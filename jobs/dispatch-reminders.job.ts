import { runDispatchReminders } from "../src/handlers/dispatch/dispatch-reminders.handler.ts";
import { localDateKey } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";

/** Every 5 minutes: remind the warehouse of dispatch notices unconfirmed for rules.dispatch.remindAfterHours working hours. */
export const dispatchRemindersJob: JobDefinition = {
  name: "dispatch-reminders",
  description: "remind the warehouse of dispatch notices not acted on within the working hours allowed",
  schedule: () => "*/5 * * * *",
  period: (now, tz) => `${localDateKey(now, tz)}T${now.toISOString().slice(11, 16)}`,
  run: async (deps, now, period) => ({ ...(await runDispatchReminders(deps, now, period)) }),
};
