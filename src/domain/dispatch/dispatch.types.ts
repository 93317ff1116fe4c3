// The dispatch domain's contract with the handlers. What the warehouse sees carries no price, amount or discount:
// these types have no such field, and the repo never selects one (test/dispatch asserts it on the objects).
import type { OrderStatus } from "../orders/order.types.ts";
import type { CarrierName } from "./carriers.ts";

export interface DispatchLine {
  sku: string;
  name: string;
  unit: string;
  ordered: number;
  shipped: number;
  remaining: number;
}

/** What is still to ship of one product (the shipment card's "还有 … 未发"). */
export interface RemainingLine {
  sku: string;
  name: string;
  unit: string;
  remaining: number;
}

/** The open problem reported by the warehouse (缺货, 地址不全 …); cleared by 恢复 or by the next shipment. */
export interface DispatchProblem {
  reason: string;
  at: Date;
  byId: string | null;
  byName: string | null;
}

export interface Delivery {
  /** The order's own address, else the customer's; null when neither is known (ask the rep). */
  address: string | null;
  /** The order's contact, else the customer's first contact. */
  contact: string | null;
  phone: string | null;
  requestedDate: Date | null;
}

export interface ShipmentView {
  id: string;
  carrier: string | null;
  trackingNo: string | null;
  status: "shipped" | "problem" | "delivered";
  createdAt: Date;
  createdById: string;
  createdByName: string;
  lines: { sku: string; name: string; unit: string; quantity: number }[];
}

/** One order as the warehouse sees it (待发货 rows and 订单 SO-… for the warehouse): never a price. */
export interface DispatchView {
  orderId: string;
  number: string;
  status: OrderStatus;
  customerId: string;
  customerName: string;
  region: string | null;
  repId: string;
  repName: string;
  delivery: Delivery;
  /** When the notice went to the warehouse. */
  dispatchedAt: Date | null;
  deliveredAt: Date | null;
  lines: DispatchLine[];
  problem: DispatchProblem | null;
  shipments: ShipmentView[];
}

export interface StartDispatchResult {
  view: DispatchView;
  repId: string;
  /** The order was dispatched already (a retried notice): nothing changed. */
  already: boolean;
}

export interface ShipmentResult {
  orderNumber: string;
  shipment: ShipmentView;
  /** This tracking number had been confirmed for the order before: nothing shipped now, the first one returned. */
  already: boolean;
  remaining: RemainingLine[];
  orderStatus: OrderStatus;
  repId: string;
}

export interface ProblemResult {
  view: DispatchView;
  repId: string;
  /** The rep's manager, told too; null when the rep has none. */
  repManagerId: string | null;
}

export interface DeliveryResult {
  view: DispatchView;
  repId: string;
  /** Delivered already: nothing changed. */
  already: boolean;
}

/** An unconfirmed notice due for a reminder (no shipment, no open problem). Pass it back to markNoticeReminded. */
export interface NoticeToRemind {
  orderId: string;
  number: string;
  customerName: string;
  region: string | null;
  repId: string;
  skus: string[];
  dispatchedAt: Date;
  /** The previous reminder, if any (the mark is conditional on it, so two runs remind once). */
  remindedAt: Date | null;
}

export interface DispatchLatency {
  /** Orders whose first shipment fell in the range. */
  shipped: number;
  /** Approval → first shipment, hours. */
  medianHours: number | null;
  maxHours: number | null;
  /** Orders waiting in dispatch now, and how many of them have an open problem. */
  open: number;
  problems: number;
}

export type { CarrierName };
