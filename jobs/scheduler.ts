// Runs the jobs on their cron schedules (node-cron, in the bot's time zone). Every instance may schedule them;
// runOncePerPeriod lets exactly one of them do each run.
import cron, { type ScheduledTask } from "node-cron";
import { runOncePerPeriod } from "../src/handlers/engine/job-run.ts";
import type { AppDeps } from "../src/handlers/engine/app-deps.ts";
import type { JobDefinition } from "./job.ts";

export interface JobRunAnswer {
  ran: boolean;
  period: string;
  result?: Record<string, number>;
  /** Why the job did nothing at this time ("not a working day"); the period is not claimed. */
  skipped?: string;
}

export async function runJob(deps: AppDeps, job: JobDefinition, now: Date): Promise<JobRunAnswer> {
  const period = job.period(now, deps.timeZone);
  const log = deps.log.child({ job: job.name, period });
  const skipped = job.skipReason?.(deps, now) ?? null;
  if (skipped) {
    log.info("job skipped", { reason: skipped });
    return { ran: false, period, skipped };
  }
  const r = await runOncePerPeriod(deps, job.name, period, () => job.run(deps, now, period));
  if (r.ran) log.info("job ran", r.result);
  else log.debug("job already ran for this period");
  return { ran: r.ran, period, ...(r.ran ? { result: r.result } : {}) };
}

export class JobScheduler {
  private tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  constructor(
    private readonly deps: AppDeps,
    private readonly jobs: JobDefinition[],
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const expr = job.cron?.(this.deps) ?? job.schedule(this.deps);
      if (!cron.validate(expr)) throw new Error(`Job ${job.name}: invalid cron expression "${expr}" (check rules.schedule in ORG_FILE)`);
      const task = cron.schedule(
        expr,
        async () => {
          const run = runJob(this.deps, job, this.deps.clock.now()).catch((err) => this.deps.log.error("job failed", { err, job: job.name }));
          this.inFlight.add(run);
          await run.finally(() => this.inFlight.delete(run));
        },
        { timezone: this.deps.timeZone, noOverlap: true, name: job.name },
      );
      this.tasks.push(task);
    }
  }

  /** Stops scheduling and waits for runs in progress, so the database is not closed under them. */
  async stop(): Promise<void> {
    for (const t of this.tasks) await t.destroy();
    this.tasks = [];
    await Promise.allSettled([...this.inFlight]);
  }
}
