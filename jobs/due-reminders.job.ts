import { sendDueReminders } from "../src/handlers/tasks/due-reminders.handler.ts";
import { localDateKey } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";

/** Every minute: reminder cards for follow-ups that came due, escalations for those long overdue. */
export const dueRemindersJob: JobDefinition = {
  name: "due-reminders",
  description: "remind owners of due follow-ups; tell managers about overdue ones",
  schedule: () => "* * * * *",
  period: (now, tz) => `${localDateKey(now, tz)}T${now.toISOString().slice(11, 16)}`,
  run: async (deps, now) => ({ ...(await sendDueReminders(deps, now)) }),
};
