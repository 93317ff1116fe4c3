// Runs a scheduled job at most once per period across all instances: the first to record the run wins.
import { claimJobRun, doneSubjects, finishJobRun } from "../../domain/plumbing/job-run.repo.ts";
import type { AppDeps } from "./app-deps.ts";

/** A run whose result counts failures (some people not served) is recorded as failed, so it can run again. */
export async function runOncePerPeriod<T extends Record<string, number>>(deps: AppDeps, job: string, period: string, fn: () => Promise<T>): Promise<{ ran: false } | { ran: true; result: T }> {
  if (!(await claimJobRun(deps.db, job, period))) return { ran: false };
  try {
    const result = await fn();
    await finishJobRun(deps.db, job, period, result.failed ? `${result.failed} item(s) failed; run again to retry them` : undefined);
    return { ran: true, result };
  } catch (err) {
    await finishJobRun(deps.db, job, period, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/**
 * The subjects of a run still to be served, read before a batch's expensive preparation (the metrics pictures) so
 * a re-run does not draw what went out already. Only a hint: the unit of work's claim decides.
 */
export async function subjectsNotDone(deps: AppDeps, job: string, period: string, subjects: string[]): Promise<string[]> {
  const done = await doneSubjects(deps.db, job, period, subjects);
  return subjects.filter((s) => !done.has(s));
}
