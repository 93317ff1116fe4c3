// Orders and discount approvals: place, decide, withdraw, history, and the reminder/escalation helpers for the
// job. Every function runs inside the caller's transaction; refusals are AppErrors (the handler rolls back, so a
// refused order or decision changes nothing). Decisions and withdrawals lock the order row first, then change
// state with conditional updates: of two people acting at once exactly one wins.
import { DISPATCH_ACTION_TEXT } from "../dispatch/dispatch.service.ts";
import { AppError } from "../../core/app-error.ts";
import { formatLocal, localDateKey } from "../../core/local-time.ts";
import { Decimal, formatCny, money, type Money } from "../../core/money.ts";
import { audit, auditTrail } from "../audit/audit.repo.ts";
import { getCustomer } from "../customers/customer.repo.ts";
import type { Rules } from "../org/org-file.ts";
import { listActiveProducts, priceListAt } from "../org/price-list.repo.ts";
import type { Tx } from "../tx.ts";
import { managementChain } from "../users/management-chain.ts";
import type { UserInfo } from "../users/user.repo.ts";
import { planApproval, ruleText, type ChainPerson } from "./approval-plan.ts";
import {
  activateStep,
  closeApproval,
  createApproval,
  decideStep,
  latestApproval,
  markEscalated,
  markReminded,
  pendingStepsFor,
  reassignStep,
  skipLaterStepsOf,
  skipOpenSteps,
  stepsPendingSince,
  type PendingStepRow,
  type StepRow,
} from "./approval.repo.ts";
import { checkPriced, checkRequest, checkUnits, flags, refusals, type ApprovalRules } from "./compliance.ts";
import { assertTransition, ORDER_STATUS_LABELS } from "./order-state.ts";
import {
  createOrder,
  customerOrderHistory,
  repriceOrder,
  findDuplicateOrder,
  findOrderById,
  findOrderByNumber,
  lockOrder,
  nextOrderSeq,
  openOrders,
  peopleByIds,
  recentOrdersOfRep,
  updateOrderStatus,
  userNames,
  type OrderRow,
} from "./order.repo.ts";
import type {
  ApprovalPlan,
  ComplianceFinding,
  CustomerHistory,
  DecisionResult,
  OrderHistory,
  OrderHistoryEntry,
  OrderRequest,
  OrderStatus,
  OrderView,
  PendingStepInfo,
  PlaceOrderResult,
  PlannedStep,
  PricedOrder,
  StepView,
  WithdrawResult,
} from "./order.types.ts";
import { orderDiscountOf, priceOrder, type PriceListEntry } from "./pricing.ts";

const DEFAULT_TZ = "Asia/Shanghai";
const DUPLICATE_WINDOW_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

// ───────────── views ─────────────

/** "SO-20261204-001" from the local day and the day's sequence number. */
export function formatOrderNumber(day: string, seq: number): string {
  return `SO-${day}-${String(seq).padStart(3, "0")}`;
}

export function toOrderView(row: OrderRow): OrderView {
  const lines = row.lines.map((l) => {
    const listPrice = money(l.listPrice);
    const unitPrice = money(l.unitPrice);
    return {
      sku: l.sku,
      name: l.product.name,
      unit: l.product.unit,
      quantity: l.quantity,
      listPrice,
      unitPrice,
      discount: new Decimal(1).minus(unitPrice.div(listPrice)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP),
      listTotal: listPrice.times(l.quantity),
      total: unitPrice.times(l.quantity),
    };
  });
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    customerId: row.customerId,
    customerName: row.customer.name,
    repId: row.repId,
    repName: row.rep.name,
    lines,
    listTotal: money(row.listTotal),
    total: money(row.total),
    discount: money(row.discount),
    flags: row.flags,
    reason: row.reason,
    createdAt: row.createdAt,
  };
}

const toStepView = (s: StepRow): StepView => ({
  seq: s.seq,
  approverId: s.approverId,
  approverName: s.approver.name,
  status: s.status,
  reason: s.reason,
  decidedAt: s.decidedAt,
  note: s.note,
});

async function loadOrder(tx: Tx, id: string): Promise<OrderView> {
  const row = await findOrderById(tx, id);
  if (!row) throw new Error(`order ${id} vanished inside its transaction`);
  return toOrderView(row);
}

const notFound = (number: string) => new AppError("order_not_found", `没有找到订单 ${number}，请检查单号。`);

// ───────────── placing ─────────────

export interface PlaceOrderInput {
  request: OrderRequest;
  rep: UserInfo;
  now: Date;
  /** The bot's time zone: the order number's date is the local date. */
  timeZone: string;
  /** The org file's rules (or just rules.approval). */
  rules: Rules | ApprovalRules;
  eventId: string | null;
  /** The rep confirmed a likely duplicate: place it anyway. */
  confirmDuplicate?: boolean;
}

/**
 * Prices the order from the price list in force at `now`, runs the compliance rules (refusals throw AppError,
 * flags are kept on the order), checks for a duplicate (returned instead of created unless confirmed), plans the
 * approval and creates the order (approved at once, or pending with its approval and steps), all audited.
 */
export async function placeOrder(tx: Tx, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const { request, rep, now } = input;
  const rules = approvalRules(input.rules);
  const customer = await getCustomer(tx, request.customerId);
  if (!customer) throw new AppError("customer_not_found", "没有找到这个客户，可能已被删除。");
  if (customer.ownerId !== rep.id) {
    throw new AppError(
      "customer_not_owned",
      customer.ownerId === null ? `「${customer.name}」在公海，请先「领取 ${customer.name}」再下单。` : `「${customer.name}」不是你的客户，只能给自己负责的客户下单。`,
    );
  }
  const { priced, findings } = await priceChecked(tx, request, now, rules, customer.name);
  const skus = [...new Set(request.lines.map((l) => l.sku))];

  const plan = await planFor(tx, rep, priced, rules);

  // Allocating first takes the day's sequence row lock, so two identical orders at once see each other below.
  // A duplicate found after it leaves a gap in the day's numbers, which is allowed.
  const day = localDateKey(now, input.timeZone).replace(/-/g, "");
  const number = formatOrderNumber(day, await nextOrderSeq(tx, day));
  if (!input.confirmDuplicate) {
    const dup = await findDuplicateOrder(tx, customer.id, skus, new Date(now.getTime() - DUPLICATE_WINDOW_MS));
    if (dup) {
      return {
        kind: "duplicate",
        duplicateOf: dup.number,
        duplicate: { number: dup.number, status: dup.status, createdAt: dup.createdAt, overlappingSkus: dup.overlappingSkus },
        message: `24小时内已有「${customer.name}」的订单 ${dup.number}（${dup.overlappingNames.join("、")}，${ORDER_STATUS_LABELS[dup.status]}），确认要再下一单吗？`,
      };
    }
  }

  const status = plan.kind === "auto" ? "approved" : "pending_approval";
  assertTransition("draft", status);
  const flagged = flags(findings);
  const { id } = await createOrder(tx, {
    number,
    customerId: customer.id,
    repId: rep.id,
    status,
    priced,
    flags: [...new Set(flagged.map((f) => f.code))],
    reason: request.reason ?? null,
    sourceEventId: request.sourceEventId ?? input.eventId,
    createdAt: now,
  });
  const order = await loadOrder(tx, id);
  await audit(tx, {
    actorId: rep.id,
    action: "order.create",
    entityType: "order",
    entityId: id,
    after: { number, status, customerId: customer.id, lines: auditLines(order), listTotal: order.listTotal.toFixed(2), total: order.total.toFixed(2), discount: order.discount.toFixed(4), flags: order.flags, reason: order.reason },
    eventId: input.eventId,
    at: now,
  });

  if (plan.kind === "auto") {
    await audit(tx, { actorId: rep.id, action: "order.approve", entityType: "order", entityId: id, after: { status: "approved", auto: true }, eventId: input.eventId, at: now });
    return { kind: "placed", order, plan, findings: flagged, firstApprover: null };
  }
  const rule = ruleText(plan.reasons);
  const approval = await createApproval(tx, { orderId: id, rule, requestedById: rep.id, approverIds: plan.steps.map((s) => s.approverId), now });
  await audit(tx, {
    actorId: rep.id,
    action: "approval.request",
    entityType: "order",
    entityId: id,
    after: { approvalId: approval.id, rule, reasons: plan.reasons.map((r) => r.code), steps: plan.steps.map((s) => ({ seq: s.seq, approverId: s.approverId, level: s.level })) },
    eventId: input.eventId,
    at: now,
  });
  const first = plan.steps[0]!;
  return { kind: "placed", order, plan, findings: flagged, firstApprover: { id: first.approverId, name: first.approverName } };
}

/** Who must approve this priced order of this rep: the active people above the rep, the named director. */
async function planFor(tx: Tx, rep: UserInfo, priced: PricedOrder, rules: ApprovalRules): Promise<ApprovalPlan> {
  const chainIds = await managementChain(tx, rep.id);
  const chain: ChainPerson[] = (await peopleByIds(tx, chainIds)).filter((p) => p.active);
  const namedDirector = rules.director ? ((await peopleByIds(tx, [rules.director])).find((p) => p.active) ?? null) : null;
  return planApproval(rep, chain, priced, rules, namedDirector);
}

/** The org file's approval rules, whichever of the two the caller has at hand. */
export const approvalRules = (rules: Rules | ApprovalRules): ApprovalRules => ("approval" in rules ? rules.approval : rules);

/** Prices a request by the list in force at `now` and runs the compliance rules; refusals throw AppError. */
async function priceChecked(tx: Tx, request: OrderRequest, now: Date, rules: ApprovalRules | null, customerName?: string) {
  const skus = [...new Set(request.lines.map((l) => l.sku))];
  const list = await priceListAt(tx, skus, now);
  const names = new Map(list.map((p) => [p.sku, p.name]));
  const missing = skus.filter((s) => !names.has(s));
  if (missing.length) throw new AppError("unknown_product", `价格表里没有这些产品：${missing.join("、")}。`);
  const inactive = list.filter((p) => !p.active);
  if (inactive.length) throw new AppError("product_inactive", `${inactive.map((p) => p.name).join("、")} 已停售，不能下单。`);
  throwRefusals(checkRequest(request, names));
  throwRefusals(checkUnits(request, list, customerName));
  const entries: PriceListEntry[] = list.map((p) => ({ sku: p.sku, name: p.name, unit: p.unit, listPrice: money(p.price) }));
  const priced = priceOrder(entries, request);
  const findings = rules ? checkPriced(priced, rules) : [];
  throwRefusals(findings);
  return { priced, findings };
}

/**
 * The priced order without creating anything (the draft card). With rules, the compliance rules run too (an
 * above-list price is refused here already); without, only the request checks.
 */
export async function previewOrder(tx: Tx, request: OrderRequest, now: Date, rules?: Rules | ApprovalRules): Promise<PricedOrder> {
  const customer = await getCustomer(tx, request.customerId);
  return (await priceChecked(tx, request, now, rules ? approvalRules(rules) : null, customer?.name)).priced;
}

/**
 * The price list in force at `now`: every active product with its list price and unit (a product without a price
 * in force is left out: it cannot be ordered either), by sku.
 */
export async function activePriceList(tx: Tx, now: Date): Promise<{ sku: string; name: string; aliases: string[]; unit: string; price: Money }[]> {
  const products = await listActiveProducts(tx);
  const prices = new Map((await priceListAt(tx, products.map((p) => p.sku), now)).map((p) => [p.sku, p]));
  return products.flatMap((p) => {
    const priced = prices.get(p.sku);
    return priced ? [{ sku: p.sku, name: p.name, aliases: p.aliases, unit: priced.unit, price: money(priced.price) }] : [];
  });
}

/** The active products with name, aliases, sku and unit: what matchProduct (product-match.ts) matches against. */
export async function listProducts(tx: Tx): Promise<{ sku: string; name: string; aliases: string[]; unit: string }[]> {
  return listActiveProducts(tx);
}

function throwRefusals(findings: readonly ComplianceFinding[]): void {
  const refused = refusals(findings);
  if (refused.length) throw new AppError(refused[0]!.code, refused.map((f) => f.message).join("\n"), { findings: refused });
}

const auditLines = (o: OrderView) => o.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, listPrice: l.listPrice.toFixed(2), unitPrice: l.unitPrice.toFixed(2) }));

// ───────────── deciding ─────────────

export interface DecideInput {
  orderNumber: string;
  approver: UserInfo;
  decision: "approve" | "reject";
  reason: string | null;
  now: Date;
  eventId: string | null;
  /** For the times named in refusals; default Asia/Shanghai. */
  timeZone?: string;
}

/**
 * One approver's decision on the current step. Only that step's approver decides; a second decision (a double
 * click, a typed 同意 after the click) is refused saying who decided when. Approving the last step approves the
 * order; approving an earlier one hands the turn to the next approver; rejecting ends the approval and the order.
 */
export async function decide(tx: Tx, input: DecideInput): Promise<DecisionResult> {
  const { orderNumber, approver, now } = input;
  const tz = input.timeZone ?? DEFAULT_TZ;
  const locked = await lockOrder(tx, orderNumber);
  if (!locked) throw notFound(orderNumber);
  const approval = await latestApproval(tx, locked.id);
  if (!approval) throw new AppError("no_approval", `订单 ${orderNumber} 在权限内，已自动批准，不需要审批。`);
  const steps = approval.steps;
  const pending = steps.find((s) => s.status === "pending");
  const decidedByMe = steps.filter((s) => s.approverId === approver.id && (s.status === "approved" || s.status === "rejected")).at(-1);

  if (approval.status !== "pending" || locked.status !== "pending_approval" || !pending) {
    if (approval.status === "cancelled" || locked.status === "cancelled") throw new AppError("order_withdrawn", `订单 ${orderNumber} 已撤回，不需要再审批。`);
    const last = steps.filter((s) => s.decidedAt).sort((a, b) => a.decidedAt!.getTime() - b.decidedAt!.getTime()).at(-1);
    throw alreadyDecided(orderNumber, last ?? null, approver.id, tz);
  }
  if (pending.approverId !== approver.id) {
    if (decidedByMe) throw alreadyDecided(orderNumber, decidedByMe, approver.id, tz, pending.approver.name);
    throw new AppError("not_your_turn", `只有当前审批人${pending.approver.name}可以审批 ${orderNumber}；发送「订单 ${orderNumber}」可以查看审批进度。`);
  }
  const reason = input.reason?.trim() || null;
  if (!(await decideStep(tx, pending.id, input.decision === "approve" ? "approved" : "rejected", reason, now))) {
    throw alreadyDecided(orderNumber, null, approver.id, tz);
  }
  const base = { entityType: "order", entityId: locked.id, eventId: input.eventId, at: now, actorId: approver.id };
  let outcome: DecisionResult["outcome"];
  let nextApprover: DecisionResult["nextApprover"] = null;

  if (input.decision === "approve") {
    await audit(tx, { ...base, action: "approval.approve", after: { approvalId: approval.id, seq: pending.seq, reason } });
    const next = steps.find((s) => s.seq > pending.seq && s.status === "waiting");
    if (next) {
      await activateStep(tx, next.id, now);
      nextApprover = { id: next.approverId, name: next.approver.name };
      const step: PlannedStep = { seq: next.seq, approverId: next.approverId, approverName: next.approver.name, level: "next" };
      outcome = { kind: "next", step };
    } else {
      await finishOrder(tx, locked, approval.id, "approved", now);
      await audit(tx, { ...base, action: "order.approve", before: { status: "pending_approval" }, after: { status: "approved" } });
      outcome = { kind: "approved" };
    }
  } else {
    await audit(tx, { ...base, action: "approval.reject", after: { approvalId: approval.id, seq: pending.seq, reason } });
    await skipOpenSteps(tx, approval.id);
    await finishOrder(tx, locked, approval.id, "rejected", now);
    await audit(tx, { ...base, action: "order.reject", before: { status: "pending_approval" }, after: { status: "rejected", reason } });
    outcome = { kind: "rejected", reason };
  }
  const fresh = await latestApproval(tx, locked.id);
  return {
    outcome,
    order: await loadOrder(tx, locked.id),
    repId: locked.repId,
    decidedBy: { id: approver.id, name: approver.name },
    decidedAt: now,
    nextApprover,
    approverIds: [...new Set(steps.map((s) => s.approverId))],
    steps: (fresh?.steps ?? steps).map(toStepView),
  };
}

async function finishOrder(tx: Tx, order: { id: string; number: string; status: OrderStatus }, approvalId: string, to: "approved" | "rejected", now: Date): Promise<void> {
  assertTransition(order.status, to, order.number);
  // Both conditional; under the row lock they cannot lose, and if they ever did the transaction must not commit.
  if (!(await closeApproval(tx, approvalId, to, now)) || !(await updateOrderStatus(tx, order.id, order.status, to))) {
    throw new AppError("concurrent_change", `订单 ${order.number} 刚被其他人处理过，请刷新后再试。`);
  }
}

function alreadyDecided(number: string, step: StepRow | null, me: string, tz: string, waitingFor?: string): AppError {
  if (!step || !step.decidedAt) return new AppError("already_decided", `订单 ${number} 已经审批过了。`);
  const who = step.approverId === me ? "你" : step.approver.name;
  const what = step.status === "approved" ? "同意" : "驳回";
  const then = waitingFor ? `，现在等${waitingFor}审批` : "";
  return new AppError("already_decided", `订单 ${number} 已经审批过了：${who}在${formatLocal(step.decidedAt, tz)}已${what}${then}。`, {
    decidedBy: step.approverId,
    decidedAt: step.decidedAt.toISOString(),
  });
}

// ───────────── resubmitting a rejected order ─────────────

export interface ResubmitInput {
  orderNumber: string;
  rep: UserInfo;
  /** The amended lines (the order's own products only) and order-wide discount; the customer is the order's. */
  lines: OrderRequest["lines"];
  discount?: Money;
  /** The rep's reason for the new price; absent = the order's reason stays. */
  reason?: string;
  now: Date;
  rules: Rules | ApprovalRules;
  eventId: string | null;
}

export interface ResubmitResult {
  order: OrderView;
  plan: ApprovalPlan;
  firstApprover: { id: string; name: string } | null;
  /** Who rejected it last time and why (shown to the new approver). */
  rejection: { approverName: string; reason: string | null } | null;
  /** The order before the amendment, for the audit and the messages. */
  before: { total: Money; discount: Money };
}

/** Why an order in this status cannot be resubmitted, and what to do instead. */
function notResubmittable(number: string, status: OrderStatus): AppError {
  const why: Partial<Record<OrderStatus, string>> = {
    pending_approval: `订单 ${number} 还在等审批，不能重新提交。要改价格或数量，先发送「撤回 ${number}」，再重新下单。`,
    approved: `订单 ${number} 已批准，不需要重新提交。要改单，先发送「取消订单 ${number} 原因」，再重新下单。`,
    dispatched: `订单 ${number} 已批准并通知仓库，不需要重新提交。还没发货的话，发送「取消订单 ${number} 原因」后重新下单。`,
    shipped: `订单 ${number} 已发货，不能重新提交。`,
    delivered: `订单 ${number} 已送达，不能重新提交。`,
    cancelled: `订单 ${number} 已取消，不能重新提交；请重新下单。`,
  };
  return new AppError("cannot_resubmit", why[status] ?? `订单 ${number} ${ORDER_STATUS_LABELS[status]}，只有被驳回的订单可以修改后重新提交。`, { status });
}

/**
 * Checks that `rep` may resubmit the order (its own rep, rejected, the customer still theirs) and returns it: the
 * button and the typed command ask before a draft is shown, and resubmitOrder asks again under the row lock.
 */
export async function assertResubmittable(tx: Tx, number: string, rep: UserInfo): Promise<OrderView> {
  const row = await findOrderByNumber(tx, number);
  if (!row) throw notFound(number);
  if (row.repId !== rep.id) throw new AppError("not_your_order", `只有下单的销售${row.rep.name}可以修改并重新提交订单 ${number}。`);
  if (row.status !== "rejected") throw notResubmittable(number, row.status);
  const customer = await getCustomer(tx, row.customerId);
  if (!customer || customer.ownerId !== rep.id) {
    throw new AppError("customer_not_owned", `「${row.customer.name}」已不由你负责，不能重新提交订单 ${number}。`);
  }
  return toOrderView(row);
}

/**
 * The order's rep amends a rejected order and submits it again, under its own number: the whole engine runs again
 * (prices from the list in force now, compliance, the approval rules and the rep's limit), the lines are replaced,
 * and it is approved at once or goes to a NEW approval (the rejected one stays, with its decision). Only the
 * order's products: changing the goods or the customer is a new order. Unchanged prices and quantities are refused
 * (the same order would be rejected again). Audited as order.resubmit with before and after.
 */
export async function resubmitOrder(tx: Tx, input: ResubmitInput): Promise<ResubmitResult> {
  const { orderNumber, rep, now } = input;
  const rules = approvalRules(input.rules);
  const locked = await lockOrder(tx, orderNumber);
  if (!locked) throw notFound(orderNumber);
  const before = await assertResubmittable(tx, orderNumber, rep);
  const had = new Set(before.lines.map((l) => l.sku));
  if (input.lines.some((l) => !had.has(l.sku)) || input.lines.length !== before.lines.length) {
    throw new AppError("resubmit_lines", `重新提交只能改订单 ${orderNumber} 里产品的单价、数量和折扣，不能加减或更换产品；要换产品请重新下单。`);
  }
  const request: OrderRequest = { customerId: before.customerId, lines: input.lines, ...(input.discount ? { discount: input.discount } : {}) };
  const { priced, findings } = await priceChecked(tx, request, now, rules, before.customerName);
  const same = priced.lines.every((l, i) => {
    const b = before.lines[i]!;
    return b.sku === l.sku && b.quantity === l.quantity && b.unitPrice.eq(l.unitPrice);
  });
  const reason = input.reason?.trim() || before.reason;
  if (same && reason === before.reason) {
    throw new AppError("resubmit_unchanged", `订单 ${orderNumber} 没有改动：原样再提交还会被驳回。请写明改什么，例如：重新提交 ${orderNumber} ${before.lines[0]!.name} 单价${before.lines[0]!.listPrice.toDecimalPlaces(2).toString()}`);
  }
  const plan = await planFor(tx, rep, priced, rules);
  const status = plan.kind === "auto" ? "approved" : "pending_approval";
  assertTransition("rejected", status, orderNumber);
  const flagged = flags(findings);
  const last = await latestApproval(tx, locked.id);
  const rejectedStep = last?.steps.filter((s) => s.status === "rejected").at(-1);
  if (!(await repriceOrder(tx, locked.id, "rejected", { status, priced, flags: [...new Set(flagged.map((f) => f.code))], reason: reason ?? null }))) {
    throw new AppError("concurrent_change", `订单 ${orderNumber} 刚被其他人处理过，请刷新后再试。`);
  }
  const order = await loadOrder(tx, locked.id);
  const base = { actorId: rep.id, entityType: "order", entityId: locked.id, eventId: input.eventId, at: now };
  await audit(tx, {
    ...base,
    action: "order.resubmit",
    before: { status: "rejected", lines: auditLines(before), listTotal: before.listTotal.toFixed(2), total: before.total.toFixed(2), discount: before.discount.toFixed(4), reason: before.reason },
    after: { status, lines: auditLines(order), listTotal: order.listTotal.toFixed(2), total: order.total.toFixed(2), discount: order.discount.toFixed(4), flags: order.flags, reason: order.reason },
  });
  const rejection = rejectedStep ? { approverName: rejectedStep.approver.name, reason: rejectedStep.reason } : null;
  const result = { order, plan, rejection, before: { total: before.total, discount: before.discount } };
  if (plan.kind === "auto") {
    await audit(tx, { ...base, action: "order.approve", after: { status: "approved", auto: true } });
    return { ...result, firstApprover: null };
  }
  const rule = ruleText(plan.reasons);
  const approval = await createApproval(tx, { orderId: locked.id, rule, requestedById: rep.id, approverIds: plan.steps.map((s) => s.approverId), now });
  await audit(tx, {
    ...base,
    action: "approval.request",
    after: { approvalId: approval.id, rule, reasons: plan.reasons.map((r) => r.code), steps: plan.steps.map((s) => ({ seq: s.seq, approverId: s.approverId, level: s.level })), resubmit: true },
  });
  const first = plan.steps[0]!;
  return { ...result, firstApprover: { id: first.approverId, name: first.approverName } };
}

// ───────────── withdrawing ─────────────

export interface WithdrawInput {
  orderNumber: string;
  rep: UserInfo;
  now: Date;
  eventId: string | null;
}

/** The order's own rep takes it back while approval is pending: order cancelled, approval cancelled, open steps skipped. */
export async function withdraw(tx: Tx, input: WithdrawInput): Promise<WithdrawResult> {
  const { orderNumber, rep, now } = input;
  const locked = await lockOrder(tx, orderNumber);
  if (!locked) throw notFound(orderNumber);
  if (locked.repId !== rep.id) throw new AppError("not_your_order", `只有下单的销售可以撤回订单 ${orderNumber}。`);
  // A rejected order is withdrawn for good (it will not be resubmitted); its approval stays as decided.
  if (locked.status !== "pending_approval" && locked.status !== "rejected") {
    const instead = locked.status === "approved" || locked.status === "dispatched" ? `还没发货的话，发送「取消订单 ${orderNumber}」。` : "";
    throw new AppError("cannot_withdraw", `订单 ${orderNumber} ${ORDER_STATUS_LABELS[locked.status]}，只有待审批或被驳回的订单可以撤回。${instead}`, { status: locked.status });
  }
  const from = locked.status;
  assertTransition(from, "cancelled", orderNumber);
  const approval = from === "pending_approval" ? await latestApproval(tx, locked.id) : null;
  if (!(await updateOrderStatus(tx, locked.id, from, "cancelled"))) {
    throw new AppError("concurrent_change", `订单 ${orderNumber} 刚被其他人处理过，请刷新后再试。`);
  }
  if (approval) {
    await skipOpenSteps(tx, approval.id);
    await closeApproval(tx, approval.id, "cancelled", now);
  }
  await audit(tx, {
    actorId: rep.id,
    action: "order.withdraw",
    entityType: "order",
    entityId: locked.id,
    before: { status: from },
    after: { status: "cancelled", approvalId: approval?.id ?? null },
    eventId: input.eventId,
    at: now,
  });
  const reached = approval?.steps.filter((s) => s.status !== "waiting").map((s) => s.approverId) ?? [];
  return { order: await loadOrder(tx, locked.id), approverIds: [...new Set(reached)], from };
}

// ───────────── reading ─────────────

export async function getOrder(tx: Tx, number: string): Promise<OrderView | null> {
  const row = await findOrderByNumber(tx, number);
  return row ? toOrderView(row) : null;
}

/** 我的订单: the rep's latest orders, newest first. */
export async function myOrders(tx: Tx, repId: string, limit = 10): Promise<OrderView[]> {
  return (await recentOrdersOfRep(tx, repId, limit)).map(toOrderView);
}

/** Orders still under way, of one rep or one customer if given. */
export async function listOpenOrders(tx: Tx, filter: { repId?: string; customerId?: string } = {}): Promise<OrderView[]> {
  return (await openOrders(tx, filter)).map(toOrderView);
}

const ACTION_TEXT: Record<string, string> = {
  "order.create": "提交订单",
  "approval.request": "提交审批",
  "approval.approve": "同意",
  "approval.reject": "驳回",
  "approval.escalate": "审批超时转交",
  "order.approve": "订单批准",
  "order.reject": "订单驳回",
  "order.withdraw": "撤回订单",
  "order.resubmit": "修改后重新提交",
  // The goods' side of the same timeline (src/domain/dispatch).
  ...DISPATCH_ACTION_TEXT,
};

/** 订单 SO-…: the order, its lines, its approval steps and who did what when (the audit trail). */
export async function orderHistory(tx: Tx, number: string): Promise<OrderHistory> {
  const row = await findOrderByNumber(tx, number);
  if (!row) throw notFound(number);
  const order = toOrderView(row);
  const approval = await latestApproval(tx, row.id);
  const trail = await auditTrail(tx, "order", row.id);
  const names = await userNames(tx, trail.flatMap((t) => (t.actorId ? [t.actorId] : [])));
  const entries: OrderHistoryEntry[] = trail.map((t) => {
    const actorName = t.actorId ? (names.get(t.actorId) ?? t.actorId) : null;
    const after = (t.after ?? {}) as Record<string, unknown>;
    let text = ACTION_TEXT[t.action] ?? t.action;
    if (t.action === "order.approve" && after.auto === true) text = "在权限内，自动批准";
    if (t.action === "approval.request" && typeof after.rule === "string") text += `（${after.rule}）`;
    if ((t.action === "approval.reject" || t.action === "approval.approve") && typeof after.reason === "string" && after.reason) text += `：${after.reason}`;
    if (t.action === "approval.escalate" && typeof after.note === "string") text = after.note;
    const was = (t.before ?? {}) as Record<string, unknown>;
    if (t.action === "order.resubmit" && typeof was.total === "string" && typeof after.total === "string") text += `（金额 ${formatCny(was.total)} → ${formatCny(after.total)}）`;
    if (t.action === "shipment.confirm") text = `${after.partial === true ? "确认部分发货" : "确认发货"}${[after.carrier, after.trackingNo].filter((x) => typeof x === "string" && x).map((x) => ` ${String(x)}`).join("")}`;
    if (t.action === "shipment.problem" && typeof after.problem === "string") text += `：${after.problem}`;
    return { at: t.createdAt, actorId: t.actorId, actorName, action: t.action, text: actorName ? `${actorName} ${text}` : text };
  });
  return { order, rule: approval?.rule ?? null, steps: approval?.steps.map(toStepView) ?? [], trail: entries };
}

/** For the approver's card: the customer's last 3 other orders, last 3 visits, average discount given to it. */
export async function customerHistory(tx: Tx, customerId: string, excludeOrderId?: string): Promise<CustomerHistory> {
  const h = await customerOrderHistory(tx, customerId, excludeOrderId);
  const listTotal = h.sums.listTotal ? money(h.sums.listTotal) : null;
  return {
    orders: h.orders.map((o) => ({ number: o.number, createdAt: o.createdAt, status: o.status, total: money(o.total), discount: money(o.discount) })),
    visits: h.visits.map((v) => ({ occurredAt: v.occurredAt, kind: v.kind, summary: v.summary, userName: v.user.name })),
    averageDiscount: listTotal && listTotal.gt(0) && h.sums.total ? orderDiscountOf(money(h.sums.total), listTotal) : null,
  };
}

const toPendingInfo = (s: PendingStepRow): PendingStepInfo => ({
  stepId: s.id,
  approvalId: s.approval.id,
  seq: s.seq,
  approverId: s.approverId,
  approverName: s.approver.name,
  orderId: s.approval.order.id,
  orderNumber: s.approval.order.number,
  repId: s.approval.order.repId,
  repName: s.approval.order.rep.name,
  customerName: s.approval.order.customer.name,
  total: money(s.approval.order.total),
  discount: money(s.approval.order.discount),
  rule: s.approval.rule,
  since: s.activatedAt ?? s.decidedAt ?? new Date(0),
});

/** What waits for this approver (我的待办, the morning card), oldest first. */
export async function pendingApprovalsFor(tx: Tx, approverId: string): Promise<PendingStepInfo[]> {
  return (await pendingStepsFor(tx, approverId)).map(toPendingInfo);
}

// ───────────── reminders and escalation (the job) ─────────────

/** Pending steps older than rules.remindAfterHours that were not reminded yet. Mark each with markStepReminded when sent. */
export async function remindDue(tx: Tx, now: Date, allRules: Rules | ApprovalRules): Promise<PendingStepInfo[]> {
  const rules = approvalRules(allRules);
  return (await stepsPendingSince(tx, new Date(now.getTime() - rules.remindAfterHours * HOUR_MS), "remindedAt")).map(toPendingInfo);
}

/** Marks one reminder sent; false when another run did it first (then send nothing). */
export async function markStepReminded(tx: Tx, stepId: string, now: Date): Promise<boolean> {
  return markReminded(tx, stepId, now);
}

/** Pending steps older than rules.escalateAfterHours that were not escalated yet. */
export async function escalationDue(tx: Tx, now: Date, allRules: Rules | ApprovalRules): Promise<PendingStepInfo[]> {
  const rules = approvalRules(allRules);
  return (await stepsPendingSince(tx, new Date(now.getTime() - rules.escalateAfterHours * HOUR_MS), "escalatedAt")).map(toPendingInfo);
}

export interface EscalationResult {
  step: PendingStepInfo;
  from: { id: string; name: string };
  /** The new approver; null when nobody is above (the step stays, marked, and is not picked again). */
  to: { id: string; name: string } | null;
  note: string;
}

/**
 * Hands a step that waited too long to the next level up: the approver's manager, else the named director. The
 * step keeps its place; later steps of the new approver become redundant and are skipped (they decide once). A
 * step decided or escalated meanwhile is left alone (null). Audited as the system.
 */
export async function escalateStep(tx: Tx, step: PendingStepInfo, now: Date, allRules: Rules | ApprovalRules, eventId: string | null = null): Promise<EscalationResult | null> {
  const rules = approvalRules(allRules);
  const chain = await managementChain(tx, step.approverId);
  const aboveIds = [...chain, ...(rules.director ? [rules.director] : [])].filter((id) => id !== step.approverId);
  const above = (await peopleByIds(tx, aboveIds)).find((p) => p.active) ?? null;
  const hours = rules.escalateAfterHours;
  const from = { id: step.approverId, name: step.approverName };
  if (!above) {
    const note = `${step.approverName}超过${hours}小时未处理，已没有更高一级可以转交。`;
    if (!(await markEscalated(tx, step.stepId, note, now))) return null;
    await audit(tx, { actorId: null, action: "approval.escalate", entityType: "order", entityId: step.orderId, after: { seq: step.seq, from: from.id, to: null, note }, eventId, at: now });
    return { step, from, to: null, note };
  }
  const note = `${step.approverName}超过${hours}小时未处理，已转交${above.name}。`;
  if (!(await reassignStep(tx, step.stepId, step.approverId, above.id, note, now))) return null;
  await skipLaterStepsOf(tx, step.approvalId, step.seq, above.id, `已在第${step.seq}步由${above.name}审批`);
  await audit(tx, { actorId: null, action: "approval.escalate", entityType: "order", entityId: step.orderId, after: { seq: step.seq, from: from.id, to: above.id, note }, eventId, at: now });
  return { step: { ...step, approverId: above.id, approverName: above.name, since: now }, from, to: { id: above.id, name: above.name }, note };
}

