// The parts of an order every order card shows the same way: its lines with list vs asked price and the totals.
// Amounts arrive as exact decimal text and are formatted by the one money formatter.
import { formatCny, formatDiscount } from "../../src/core/money.ts";

export interface OrderLineView {
  name: string;
  unit: string;
  quantity: number;
  /** Exact yuan text ("5000.00"). */
  listPrice: string;
  unitPrice: string;
  /** Fraction taken off ("0.1000"). */
  discount: string;
  total: string;
}

export interface OrderTotalsView {
  lines: OrderLineView[];
  listTotal: string;
  total: string;
  discount: string;
}

export const ORDER_STATUS_LABEL: Record<string, string> = {
  draft: "草稿", pending_approval: "待审批", approved: "已批准", rejected: "已驳回", dispatched: "待发货",
  shipped: "已发货", delivered: "已签收", cancelled: "已取消",
};

/** "电机A 200台 × ¥4,500（标价 ¥5,000，9折）= ¥900,000" */
export function lineText(l: OrderLineView): string {
  const off = Number(l.discount) !== 0 ? `（标价 ${formatCny(l.listPrice)}，${formatDiscount(l.discount)}）` : "（标价）";
  return `${l.name} ${l.quantity}${l.unit} × ${formatCny(l.unitPrice)}${off}= ${formatCny(l.total)}`;
}

export function totalText(v: OrderTotalsView): string {
  return Number(v.discount) !== 0 ? `${formatCny(v.total)}（原价 ${formatCny(v.listTotal)}，${formatDiscount(v.discount)}）` : formatCny(v.total);
}
