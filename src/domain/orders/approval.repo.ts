// Approvals and their steps. Only one step is `pending` at a time (the others `waiting` for their turn, or
// finished); every decision is a conditional update on status = pending, so a second click changes nothing.
import { z } from "zod";
import type { Tx } from "../tx.ts";

export interface NewApproval {
  orderId: string;
  rule: string;
  requestedById: string;
  approverIds: readonly string[];
  now: Date;
}

/** Creates the approval with its steps in order: the first `pending` (its turn starts now), the others `waiting`. */
export async function createApproval(tx: Tx, a: NewApproval): Promise<{ id: string }> {
  return tx.approval.create({
    data: {
      orderId: a.orderId,
      rule: a.rule,
      requestedById: a.requestedById,
      createdAt: a.now,
      steps: {
        create: a.approverIds.map((approverId, i) => ({
          seq: i + 1,
          approverId,
          status: i === 0 ? ("pending" as const) : ("waiting" as const),
          activatedAt: i === 0 ? a.now : null,
        })),
      },
    },
    select: { id: true },
  });
}

const stepSelect = {
  id: true,
  seq: true,
  approverId: true,
  status: true,
  reason: true,
  decidedAt: true,
  activatedAt: true,
  remindedAt: true,
  escalatedAt: true,
  note: true,
  approver: { select: { name: true } },
} as const;

/** The order's latest approval with its steps in order (null when it was approved at once or never needed one). */
export async function latestApproval(tx: Tx, orderId: string) {
  return tx.approval.findFirst({
    where: { orderId },
    // A resubmitted order has several; the newest is the one in force (the id breaks a tie within one millisecond).
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, status: true, rule: true, requestedById: true, createdAt: true, decidedAt: true, steps: { orderBy: { seq: "asc" }, select: stepSelect } },
  });
}
export type ApprovalRow = NonNullable<Awaited<ReturnType<typeof latestApproval>>>;
export type StepRow = ApprovalRow["steps"][number];

/** Records a decision on a pending step; false when it was no longer pending (decided already). */
export async function decideStep(tx: Tx, stepId: string, status: "approved" | "rejected", reason: string | null, now: Date): Promise<boolean> {
  const r = await tx.approvalStep.updateMany({ where: { id: stepId, status: "pending" }, data: { status, reason, decidedAt: now } });
  return r.count === 1;
}

/** Makes a waiting step the approver's turn. */
export async function activateStep(tx: Tx, stepId: string, now: Date): Promise<boolean> {
  const r = await tx.approvalStep.updateMany({ where: { id: stepId, status: "waiting" }, data: { status: "pending", activatedAt: now } });
  return r.count === 1;
}

/** Steps that will never come (after a rejection or withdrawal): pending or waiting → skipped. */
export async function skipOpenSteps(tx: Tx, approvalId: string): Promise<number> {
  const r = await tx.approvalStep.updateMany({ where: { approvalId, status: { in: ["pending", "waiting"] } }, data: { status: "skipped" } });
  return r.count;
}

/** Finishes the approval; false when it was no longer pending. */
export async function closeApproval(tx: Tx, approvalId: string, status: "approved" | "rejected" | "cancelled", now: Date): Promise<boolean> {
  const r = await tx.approval.updateMany({ where: { id: approvalId, status: "pending" }, data: { status, decidedAt: now } });
  return r.count === 1;
}

const pendingSelect = {
  ...stepSelect,
  approval: {
    select: {
      id: true,
      rule: true,
      order: { select: { id: true, number: true, repId: true, rep: { select: { name: true } }, total: true, discount: true, customer: { select: { name: true } } } },
    },
  },
} as const;

/** What waits for one approver's decision, oldest first (我的待办, the morning card). */
export async function pendingStepsFor(tx: Tx, approverId: string) {
  return tx.approvalStep.findMany({ where: { approverId, status: "pending" }, orderBy: { activatedAt: "asc" }, select: pendingSelect });
}

/**
 * Pending steps whose turn began at or before `cutoff` and that were not yet reminded (or escalated), oldest
 * first: what the reminder/escalation job acts on.
 */
export async function stepsPendingSince(tx: Tx, cutoff: Date, mark: "remindedAt" | "escalatedAt", limit = 200) {
  return tx.approvalStep.findMany({
    where: { status: "pending", activatedAt: { lte: cutoff }, [mark]: null },
    orderBy: { activatedAt: "asc" },
    take: limit,
    select: pendingSelect,
  });
}
export type PendingStepRow = Awaited<ReturnType<typeof pendingStepsFor>>[number];

/** Marks a step reminded; false when it was reminded already or is no longer pending (another run was first). */
export async function markReminded(tx: Tx, stepId: string, now: Date): Promise<boolean> {
  const r = await tx.approvalStep.updateMany({ where: { id: stepId, status: "pending", remindedAt: null }, data: { remindedAt: now } });
  return r.count === 1;
}

/**
 * Hands a pending step to `toApproverId` with a note; its turn starts again now (so the new approver gets a
 * reminder later, but it is escalated only once). False when it was decided, or escalated, meanwhile.
 */
export async function reassignStep(tx: Tx, stepId: string, fromApproverId: string, toApproverId: string, note: string, now: Date): Promise<boolean> {
  const r = await tx.approvalStep.updateMany({
    where: { id: stepId, status: "pending", approverId: fromApproverId, escalatedAt: null },
    data: { approverId: toApproverId, note, escalatedAt: now, activatedAt: now, remindedAt: null },
  });
  return r.count === 1;
}

/** Marks a step escalated when nobody is above its approver (so the job does not pick it again). */
export async function markEscalated(tx: Tx, stepId: string, note: string, now: Date): Promise<boolean> {
  const r = await tx.approvalStep.updateMany({ where: { id: stepId, status: "pending", escalatedAt: null }, data: { escalatedAt: now, note } });
  return r.count === 1;
}

/** Later waiting steps of the same approver become redundant when an escalation hands them an earlier step. */
export async function skipLaterStepsOf(tx: Tx, approvalId: string, afterSeq: number, approverId: string, note: string): Promise<number> {
  const r = await tx.approvalStep.updateMany({ where: { approvalId, seq: { gt: afterSeq }, approverId, status: "waiting" }, data: { status: "skipped", note } });
  return r.count;
}

const ResubmitBefore = z.object({ total: z.string() });

/**
 * What an approver of a resubmitted order is told first: the round before (who rejected it, why) and the amount it
 * was then, from the order's earlier approval and its order.resubmit audit entry. Null for an order never
 * resubmitted. Read for every copy of the approval card (the first, the next step's, one brought up from 待审批), so
 * they all say it.
 */
export async function earlierRound(tx: Tx, orderId: string): Promise<{ rejectedBy: string | null; reason: string | null; total: string | null } | null> {
  const [, earlier] = await tx.approval.findMany({
    where: { orderId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 2,
    select: { steps: { where: { status: "rejected" }, orderBy: { seq: "desc" }, take: 1, select: { reason: true, approver: { select: { name: true } } } } },
  });
  if (!earlier) return null;
  const entry = await tx.auditLog.findFirst({ where: { entityType: "order", entityId: orderId, action: "order.resubmit" }, orderBy: { id: "desc" }, select: { before: true } });
  const before = ResubmitBefore.safeParse(entry?.before);
  const step = earlier.steps[0];
  return { rejectedBy: step?.approver.name ?? null, reason: step?.reason ?? null, total: before.success ? before.data.total : null };
}
