import { runPoolRelease } from "../src/handlers/pool/pool-release.handler.ts";
import { localDateKey } from "../src/core/local-time.ts";
import type { JobDefinition } from "./job.ts";

/** Every night: warn owners of customers about to go to the public pool, release the ones idle too long. */
export const poolReleaseJob: JobDefinition = {
  name: "pool-release",
  description: "warn owners of idle customers, then release them to the public pool (rules.pool)",
  schedule: (deps) => deps.rules.schedule.poolRelease,
  period: (now, tz) => localDateKey(now, tz),
  run: async (deps, now, period) => ({ ...(await runPoolRelease(deps, now, period)) }),
};
