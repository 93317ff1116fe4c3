// What the morning to-do cards of many people need, read with one query per kind of thing for the whole batch
// (a few hundred people) instead of one per person: the job reaches 10,000 people in seconds this way.
import { money } from "../../core/money.ts";
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

export interface BatchApproval {
  number: string;
  customer: string;
  rep: string;
  /** Yuan, exact (two places). */
  total: string;
  /** Exact, four places (0.1000 = 10 %). */
  discount: string;
  /** When the step became the approver's turn. */
  since: Date;
}

/**
 * What waits for each of these approvers' decision, oldest turn first: what pendingApprovalsFor reads for one
 * approver, in one query for the whole batch. Uses ApprovalStep(approverId, status).
 */
export async function pendingApprovalsOfMany(tx: Tx, approverIds: readonly string[]): Promise<Map<string, BatchApproval[]>> {
  const out = new Map<string, BatchApproval[]>();
  if (approverIds.length === 0) return out;
  const rows = await tx.$queryRaw<{ approverId: string; number: string; customer: string; rep: string; total: string; discount: string; since: Date | null }[]>`
    SELECT s."approverId", o.number, c.name AS customer, u.name AS rep, o.total::text AS total, o.discount::text AS discount,
           COALESCE(s."activatedAt", s."decidedAt") AS since
      FROM "ApprovalStep" s
      JOIN "Approval" a ON a.id = s."approvalId"
      JOIN "Order" o ON o.id = a."orderId"
      JOIN "Customer" c ON c.id = o."customerId"
      JOIN "User" u ON u.id = o."repId"
     WHERE s.status = 'pending' AND s."approverId" = ANY(${[...approverIds]}::text[])
     ORDER BY s."approverId", s."activatedAt" ASC, s.id`;
  for (const r of rows) {
    const a: BatchApproval = { number: r.number, customer: r.customer, rep: r.rep, total: money(r.total).toFixed(2), discount: money(r.discount).toFixed(4), since: r.since ? new Date(r.since) : new Date(0) };
    (out.get(r.approverId) ?? out.set(r.approverId, []).get(r.approverId)!).push(a);
  }
  return out;
}
