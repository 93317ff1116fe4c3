// The orders domain's contract with the handlers: what goes in, what comes out. Amounts are exact Money
// (core/money.ts); discounts are fractions taken off (0.1 = 9折) as Money with 4 decimals.
import type { Money } from "../../core/money.ts";

export type OrderStatus = "draft" | "pending_approval" | "approved" | "rejected" | "dispatched" | "shipped" | "delivered" | "cancelled";

/** One line as the rep asked for it, products already matched to the price list. */
export interface OrderLineRequest {
  sku: string;
  quantity: number;
  /** The asked unit price; absent = list price (less the order-wide discount, if any). */
  unitPrice?: Money;
  /** The unit the rep typed (200米); absent = the list's unit. A unit that is not the list's is refused (units.ts). */
  unit?: string;
}

export interface OrderRequest {
  customerId: string;
  lines: OrderLineRequest[];
  /** Order-wide discount (整单9折 → 0.1), applied to lines without an asked price. */
  discount?: Money;
  /** The rep's reason for the discount (客户量大，竞品报价4300). */
  reason?: string;
  /** Text that produced it, for the audit log. */
  sourceEventId?: string;
}

export interface PricedLine {
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  listPrice: Money;
  unitPrice: Money;
  /** 1 − unitPrice/listPrice, 4 decimals; negative when above list. */
  discount: Money;
  listTotal: Money;
  total: Money;
}

export interface PricedOrder {
  lines: PricedLine[];
  listTotal: Money;
  total: Money;
  /** 1 − total/listTotal, 4 decimals. */
  discount: Money;
}

/** Why approval is needed, shown on the approver's card: 折扣 10% 超出销售权限 5% / 订单金额 ¥620,000 ≥ 大单金额 ¥500,000. */
export interface ApprovalReason {
  code: "discount_over_limit" | "big_order" | "above_list";
  text: string;
}

export interface PlannedStep {
  seq: number;
  approverId: string;
  approverName: string;
  /** The level deciding at this step (manager, director). */
  level: string;
}

export type ApprovalPlan = { kind: "auto" } | { kind: "steps"; steps: PlannedStep[]; reasons: ApprovalReason[] };

export type DecisionOutcome =
  | { kind: "approved" } // the last step approved: the order is approved
  | { kind: "next"; step: PlannedStep } // this step approved, the next approver decides now
  | { kind: "rejected"; reason: string | null };

// ── Added by the domain layer (order.service.ts returns these) ──

/** A compliance finding: "refuse" stops the order with its message, "flag" is kept on the order (Order.flags). */
export interface ComplianceFinding {
  code: "bad_quantity" | "bad_price" | "bad_discount" | "unit_mismatch" | "above_list" | "big_order" | "empty_order";
  severity: "refuse" | "flag";
  message: string;
  sku?: string;
}

export interface PersonRef {
  id: string;
  name: string;
}

/** An order as stored, priced lines included (what the order card shows). */
export interface OrderView extends PricedOrder {
  id: string;
  number: string;
  status: OrderStatus;
  customerId: string;
  customerName: string;
  repId: string;
  repName: string;
  /** Compliance flags kept on the order (big_order, above_list). */
  flags: string[];
  /** The rep's reason for the discount. */
  reason: string | null;
  createdAt: Date;
}

export type PlaceOrderResult =
  | {
      kind: "placed";
      order: OrderView;
      plan: ApprovalPlan;
      /** The flags found (the refusals were thrown as AppError). */
      findings: ComplianceFinding[];
      /** Who decides now (plan.kind "steps"), for the approval card; null when approved at once. */
      firstApprover: PersonRef | null;
    }
  | {
      /** Nothing created: the same customer has an open order with some of these products from the last 24 h. */
      kind: "duplicate";
      /** The other order's number. */
      duplicateOf: string;
      duplicate: { number: string; status: OrderStatus; createdAt: Date; overlappingSkus: string[] };
      /** 24小时内已有华东机电的订单 SO-…（电机A），确认要再下一单吗？ */
      message: string;
    };

export interface StepView {
  seq: number;
  approverId: string;
  approverName: string;
  status: "waiting" | "pending" | "approved" | "rejected" | "skipped";
  reason: string | null;
  decidedAt: Date | null;
  /** Escalation note (王五超过48小时未处理，已转交赵六). */
  note: string | null;
}

export interface DecisionResult {
  outcome: DecisionOutcome;
  order: OrderView;
  repId: string;
  decidedBy: PersonRef;
  decidedAt: Date;
  /** Who decides next (outcome "next"), else null. */
  nextApprover: PersonRef | null;
  /** Everyone on the approval, in step order: whose copies of the card to update. */
  approverIds: string[];
  steps: StepView[];
}

export interface WithdrawResult {
  order: OrderView;
  /** What it was: pending approval (its approvers are told) or rejected (withdrawn for good). */
  from: "pending_approval" | "rejected";
  /** Whose approval card to update (the approver of the step that was pending, and earlier ones). */
  approverIds: string[];
}

export interface OrderHistoryEntry {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  /** 张三 提交订单 / 王五 同意 / 赵六 驳回：价格太低 … */
  text: string;
}

export interface OrderHistory {
  order: OrderView;
  /** Approval.rule: why approval was needed; null when approved at once. */
  rule: string | null;
  steps: StepView[];
  trail: OrderHistoryEntry[];
}

/** A pending step as the reminder/escalation job and the approver's to-do list see it. */
export interface PendingStepInfo {
  stepId: string;
  approvalId: string;
  seq: number;
  approverId: string;
  approverName: string;
  orderId: string;
  orderNumber: string;
  repId: string;
  repName: string;
  customerName: string;
  total: Money;
  discount: Money;
  rule: string;
  /** When this step became the approver's turn. */
  since: Date;
}

/** What the approver's card shows about the customer. */
export interface CustomerHistory {
  orders: { number: string; createdAt: Date; status: OrderStatus; total: Money; discount: Money }[];
  visits: { occurredAt: Date; kind: "visit" | "call" | "message"; summary: string; userName: string }[];
  /** 1 − Σtotal/ΣlistTotal over the customer's approved (and later) orders; null when none. */
  averageDiscount: Money | null;
}
