// A scheduled job holds no logic: it picks recipients and calls a handler per person or per item.
import type { AppDeps } from "../src/handlers/engine/app-deps.ts";

export interface JobDefinition {
  name: string;
  description: string;
  /** Cron expression in the bot's time zone. */
  schedule: (deps: AppDeps) => string;
  /** The period one run covers ("2026-11-23" for a daily job): at most one run per period across instances. */
  period: (now: Date, timeZone: string) => string;
  run: (deps: AppDeps, now: Date, period: string) => Promise<Record<string, number>>;
}
