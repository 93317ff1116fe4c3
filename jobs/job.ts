// A scheduled job holds no logic: it picks recipients and calls a handler per person or per item.
import type { AppDeps } from "../src/handlers/engine/app-deps.ts";

export interface JobDefinition {
  name: string;
  description: string;
  /** Cron expression in the bot's time zone. */
  schedule: (deps: AppDeps) => string;
  /**
   * The expression actually handed to cron when it differs from `schedule` (the weekly card names Monday but is
   * tried each day at that time, so a holiday Monday moves it to the week's first working day; see skipReason).
   */
  cron?: (deps: AppDeps) => string;
  /** The period one run covers ("2026-11-23" for a daily job): at most one run per period across instances. */
  period: (now: Date, timeZone: string) => string;
  run: (deps: AppDeps, now: Date, period: string) => Promise<Record<string, number>>;
  /**
   * Why this run should not happen at all at `now` ("not a working day"), or null. Checked before the period is
   * claimed, so a skipped day leaves no trace and a later run (a working day) is not blocked.
   */
  skipReason?: (deps: AppDeps, now: Date) => string | null;
}
