// One row per job, period and subject: whoever inserts it first does the work, so a schedule fires once
// across instances and a re-run of the same period never repeats a delivery.
import type { JobRunStatus } from "../../generated/prisma/client.ts";
import type { Tx } from "../tx.ts";

/**
 * A run (subject "") can be taken again when it failed or its instance died mid-run (running for over an hour).
 * A per-person delivery (subject = user id) is claimed in the same transaction as its message, so it is
 * recorded as done at once and never taken again.
 */
export async function claimJobRun(tx: Tx, job: string, period: string, subject = ""): Promise<boolean> {
  const status: JobRunStatus = subject === "" ? "running" : "done";
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO "JobRun" (job, period, subject, status) VALUES (${job}, ${period}, ${subject}, ${status}::"JobRunStatus")
    ON CONFLICT (job, period, subject) DO UPDATE SET status = 'running', "startedAt" = now(), "finishedAt" = NULL, error = NULL
      WHERE "JobRun".subject = '' AND ("JobRun".status = 'failed' OR ("JobRun".status = 'running' AND "JobRun"."startedAt" < now() - interval '1 hour'))
    RETURNING id`;
  return rows.length === 1;
}

/**
 * Claims many per-person deliveries of one run at once (done at once, like claimJobRun with a subject); returns the
 * subjects this transaction won. A subject another transaction holds uncommitted makes this one wait, then lose it.
 */
export async function claimJobRuns(tx: Tx, job: string, period: string, subjects: string[]): Promise<string[]> {
  if (subjects.length === 0) return [];
  const rows = await tx.$queryRaw<{ subject: string }[]>`
    INSERT INTO "JobRun" (job, period, subject, status)
    SELECT ${job}, ${period}, s, 'done'::"JobRunStatus" FROM unnest(${subjects}::text[]) AS s WHERE s <> ''
    ON CONFLICT (job, period, subject) DO NOTHING
    RETURNING subject`;
  return rows.map((r) => r.subject);
}

/** Which of these subjects' deliveries of the run are already done (read before expensive work; the claim decides). */
export async function doneSubjects(tx: Tx, job: string, period: string, subjects: string[]): Promise<Set<string>> {
  if (subjects.length === 0) return new Set();
  const rows = await tx.jobRun.findMany({ where: { job, period, subject: { in: subjects } }, select: { subject: true } });
  return new Set(rows.map((r) => r.subject));
}

/** Gives back claimed deliveries that sent nothing, inside the claiming transaction. */
export async function releaseJobRuns(tx: Tx, job: string, period: string, subjects: string[]): Promise<void> {
  if (subjects.length === 0) return;
  await tx.$executeRaw`DELETE FROM "JobRun" WHERE job = ${job} AND period = ${period} AND subject = ANY(${subjects}::text[])`;
}

export async function finishJobRun(tx: Tx, job: string, period: string, error?: string): Promise<void> {
  await tx.jobRun.updateMany({
    where: { job, period, subject: "" },
    data: { status: error ? "failed" : "done", finishedAt: new Date(), error: error?.slice(0, 2000) ?? null },
  });
}
