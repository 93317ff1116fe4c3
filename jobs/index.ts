import { approvalRemindersJob } from "./approval-reminders.job.ts";
import { dailyTodoJob } from "./daily-todo.job.ts";
import { directorySyncJob } from "./directory-sync.job.ts";
import { dispatchRemindersJob } from "./dispatch-reminders.job.ts";
import { dueRemindersJob } from "./due-reminders.job.ts";
import type { JobDefinition } from "./job.ts";
import { metricsEveningJob } from "./metrics-evening.job.ts";
import { metricsWeeklyJob } from "./metrics-weekly.job.ts";
import { poolReleaseJob } from "./pool-release.job.ts";

export const ALL_JOBS: JobDefinition[] = [dueRemindersJob, approvalRemindersJob, dispatchRemindersJob, dailyTodoJob, poolReleaseJob, metricsEveningJob, metricsWeeklyJob, directorySyncJob];
export type { JobDefinition };
