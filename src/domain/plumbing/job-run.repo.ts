// One row per job, period and subject: whoever inserts it first does the work, so a schedule fires once
// across instances and a re-run of the same period never repeats a delivery.
import type { Tx } from "../tx.ts";

export async function claimJobRun(tx: Tx, job: string, period: string, subject = ""): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO "JobRun" (job, period, subject) VALUES (${job}, ${period}, ${subject})
    ON CONFLICT (job, period, subject) DO NOTHING RETURNING id`;
  return rows.length === 1;
}

export async function finishJobRun(tx: Tx, job: string, period: string, error?: string): Promise<void> {
  await tx.jobRun.updateMany({
    where: { job, period, subject: "" },
    data: { status: error ? "failed" : "done", finishedAt: new Date(), error: error?.slice(0, 2000) ?? null },
  });
}
