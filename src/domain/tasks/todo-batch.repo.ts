// What the morning to-do cards of many people need, read with one query per kind of thing for the whole batch
// (a few hundred people) instead of one per person: the job reaches 10,000 people in seconds this way.
import type { Tx } from "../tx.ts";

export interface BatchOpenTask {
  id: string;
  ownerId: string;
  title: string;
  dueAt: Date;
  snoozedUntil: Date | null;
  customer: { name: string } | null;
}

/**
 * Each person's open follow-ups as openTasksOf reads them (at most `limit` each, earliest due first; a follow-up of
 * a customer now owned by someone else is not theirs), for many people at once. Uses Task(ownerId, status, dueAt).
 */
export async function openTasksOfMany(tx: Tx, ownerIds: readonly string[], limit = 50): Promise<Map<string, BatchOpenTask[]>> {
  const rows = await tx.$queryRaw<{ id: string; ownerId: string; title: string; dueAt: Date; snoozedUntil: Date | null; customerName: string | null }[]>`
    SELECT x.id, x."ownerId", x.title, x."dueAt", x."snoozedUntil", x."customerName" FROM (
      SELECT t.id, t."ownerId", t.title, t."dueAt", t."snoozedUntil", c.name AS "customerName",
             row_number() OVER (PARTITION BY t."ownerId" ORDER BY t."dueAt", t.id) AS rn
        FROM "Task" t LEFT JOIN "Customer" c ON c.id = t."customerId"
       WHERE t."ownerId" = ANY(${[...ownerIds]}::text[]) AND t.status = 'open'
         AND (t."customerId" IS NULL OR c."ownerId" IS NULL OR c."ownerId" = t."ownerId")) x
     WHERE x.rn <= ${limit}
     ORDER BY x."ownerId", x.rn`;
  const out = new Map<string, BatchOpenTask[]>();
  for (const r of rows) {
    const task: BatchOpenTask = { id: r.id, ownerId: r.ownerId, title: r.title, dueAt: new Date(r.dueAt), snoozedUntil: r.snoozedUntil ? new Date(r.snoozedUntil) : null, customer: r.customerName === null ? null : { name: r.customerName } };
    (out.get(r.ownerId) ?? out.set(r.ownerId, []).get(r.ownerId)!).push(task);
  }
  return out;
}

/** Which of these people have an approval step waiting for them (only they need their approvals read). */
export async function approversWithPendingSteps(tx: Tx, userIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.$queryRaw<{ approverId: string }[]>`
    SELECT DISTINCT "approverId" FROM "ApprovalStep" WHERE status = 'pending' AND "approverId" = ANY(${[...userIds]}::text[])`;
  return new Set(rows.map((r) => r.approverId));
}
