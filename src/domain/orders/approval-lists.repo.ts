// Read-only pages for 待审批: the steps waiting for one approver's decision (oldest turn first), and one rep's
// orders waiting for approval (oldest first) with whose turn it is. One count and one paged query each, in a
// stable order (ties broken by id), so the next page continues exactly where the last one ended.
import { money, type Money } from "../../core/money.ts";
import type { Tx } from "../tx.ts";

export interface ApprovalQueueRow {
  orderNumber: string;
  customerName: string;
  repName: string;
  total: Money;
  listTotal: Money;
  discount: Money;
  rule: string;
  seq: number;
  /** Every step of the approval (as the approval card counts them: 第一步，共2步). */
  steps: number;
  /** When this step became the approver's turn. */
  since: Date;
  /** Why it came to this approver late (王五超过24小时未处理，已转交赵六。), else null. */
  note: string | null;
}

const orderSelect = { number: true, total: true, listTotal: true, discount: true, createdAt: true, customer: { select: { name: true } }, rep: { select: { name: true } } } as const;

/** The pending steps of one approver (the same ones 我的待办 counts), the oldest turn first. */
export async function approverQueuePage(tx: Tx, approverId: string, offset: number, limit: number): Promise<{ total: number; rows: ApprovalQueueRow[] }> {
  const where = { approverId, status: "pending" as const };
  // One statement after the other: a transaction is one connection.
  const total = await tx.approvalStep.count({ where });
  const steps = await tx.approvalStep.findMany({
    where,
    orderBy: [{ activatedAt: "asc" }, { id: "asc" }],
    skip: offset,
    take: limit,
    select: { seq: true, activatedAt: true, note: true, approval: { select: { rule: true, createdAt: true, _count: { select: { steps: true } }, order: { select: orderSelect } } } },
  });
  return {
    total,
    rows: steps.map((s) => {
      const o = s.approval.order;
      return {
        orderNumber: o.number,
        customerName: o.customer.name,
        repName: o.rep.name,
        total: money(o.total),
        listTotal: money(o.listTotal),
        discount: money(o.discount),
        rule: s.approval.rule,
        seq: s.seq,
        steps: s.approval._count.steps,
        since: s.activatedAt ?? s.approval.createdAt,
        note: s.note,
      };
    }),
  };
}

export interface RepWaitingRow {
  orderNumber: string;
  customerName: string;
  total: Money;
  listTotal: Money;
  discount: Money;
  rule: string | null;
  submittedAt: Date;
  /** Whose turn it is now (null: no pending step, which a pending order should not have). */
  current: { approverName: string; seq: number; since: Date; note: string | null } | null;
  steps: number;
}

/** One rep's orders waiting for approval, the oldest first, each with the step whose turn it is. */
export async function repWaitingPage(tx: Tx, repId: string, offset: number, limit: number): Promise<{ total: number; rows: RepWaitingRow[] }> {
  const where = { repId, status: "pending_approval" as const };
  const total = await tx.order.count({ where });
  const orders = await tx.order.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    skip: offset,
    take: limit,
    select: {
      ...orderSelect,
      approvals: {
        // A resubmitted order has several; the newest is the one in force (as latestApproval reads it).
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 1,
        select: { rule: true, createdAt: true, steps: { orderBy: { seq: "asc" }, select: { seq: true, status: true, activatedAt: true, note: true, approver: { select: { name: true } } } } },
      },
    },
  });
  return {
    total,
    rows: orders.map((o) => {
      const a = o.approvals[0];
      const step = a?.steps.find((s) => s.status === "pending");
      return {
        orderNumber: o.number,
        customerName: o.customer.name,
        total: money(o.total),
        listTotal: money(o.listTotal),
        discount: money(o.discount),
        rule: a?.rule ?? null,
        submittedAt: a?.createdAt ?? o.createdAt,
        current: step ? { approverName: step.approver.name, seq: step.seq, since: step.activatedAt ?? a!.createdAt, note: step.note } : null,
        steps: a?.steps.length ?? 0,
      };
    }),
  };
}
