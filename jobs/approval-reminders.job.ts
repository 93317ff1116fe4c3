import { runApprovalReminders } from "../src/handlers/orders/approval-reminders.handler.ts";
import { localDateKey } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";

/** Every 5 minutes: remind approvers of discount approvals waiting too long; hand stale ones one level up. */
export const approvalRemindersJob: JobDefinition = {
  name: "approval-reminders",
  description: "remind approvers of waiting discount approvals; escalate those waiting too long",
  schedule: () => "*/5 * * * *",
  period: (now, tz) => `${localDateKey(now, tz)}T${now.toISOString().slice(11, 16)}`,
  run: async (deps, now, period) => ({ ...(await runApprovalReminders(deps, now, period)) }),
};
