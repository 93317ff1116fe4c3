// The address books a directory sync reads: one per configured platform, each with its own token cache. Shared by
// the server (main.ts) and `npm run sync`, which does not load the whole app.
import { createDingtalkDirectory } from "../channels/dingtalk/directory.ts";
import { createWecomDirectory } from "../channels/wecom/directory.ts";
import type { Clock } from "../core/clock.ts";
import type { DirectorySource } from "../core/directory-port.ts";
import type { Logger } from "../core/logger.ts";
import type { Metrics } from "../core/metrics.ts";
import type { Env } from "../env.ts";

export function directorySources(env: Env, log: Logger, clock: Clock, metrics?: Metrics): DirectorySource[] {
  const sources: DirectorySource[] = [];
  if (env.wecom) sources.push(createWecomDirectory(env.wecom, { log, observe: metrics?.apiObserver("wecom") }));
  if (env.dingtalk) sources.push(createDingtalkDirectory(env.dingtalk, { log, clock, observe: metrics?.apiObserver("dingtalk"), pageSize: env.DIRECTORY_PAGE_SIZE }));
  return sources;
}
