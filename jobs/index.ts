import { dailyTodoJob } from "./daily-todo.job.ts";
import { dueRemindersJob } from "./due-reminders.job.ts";
import type { JobDefinition } from "./job.ts";
import { poolReleaseJob } from "./pool-release.job.ts";

export const ALL_JOBS: JobDefinition[] = [dueRemindersJob, dailyTodoJob, poolReleaseJob];
export type { JobDefinition };
