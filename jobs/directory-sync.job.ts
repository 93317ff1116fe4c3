import { directorySyncUnavailable, runDirectorySync, syncCounts } from "../src/handlers/admin/directory-sync.handler.ts";
import { localDateKey } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";

/** Daily: people and departments from the WeCom / DingTalk address book (the org file's directory section). */
export const directorySyncJob: JobDefinition = {
  name: "directory-sync",
  description: "read the WeCom / DingTalk address book: add, update and deactivate people; hand leavers' customers to their manager",
  schedule: (deps) => deps.rules.directory?.schedule ?? "30 2 * * *",
  period: (now, tz) => localDateKey(now, tz),
  skipReason: (deps) => directorySyncUnavailable(deps),
  run: async (deps, now, period) => syncCounts(await runDirectorySync(deps, now, period)),
};
