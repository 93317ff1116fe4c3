// Builds the order cards' view models from the order engine's results: amounts as exact text, the same lines
// on every card.
import { orderCard } from "../../../cards/orders/order.card.ts";
import type { OrderTotalsView } from "../../../cards/orders/order-view.ts";
import { decidedCard, type Card } from "../../core/card.ts";
import type { CardRow } from "../../domain/cards/card.repo.ts";
import type { OrderView, PricedOrder } from "../../domain/orders/order.types.ts";

/** The deliveries of one order's cards (the rep's order card, each approver's card) are one thread. */
export const threadOf = (orderNumber: string) => `order:${orderNumber}`;

export function totalsOfPriced(p: PricedOrder): OrderTotalsView {
  return {
    lines: p.lines.map((l) => ({ name: l.name, unit: l.unit, quantity: l.quantity, listPrice: l.listPrice.toFixed(2), unitPrice: l.unitPrice.toFixed(2), discount: l.discount.toFixed(4), total: l.total.toFixed(2) })),
    listTotal: p.listTotal.toFixed(2),
    total: p.total.toFixed(2),
    discount: p.discount.toFixed(4),
  };
}

export function orderCardFor(ref: string, o: OrderView, next: string): Card {
  return orderCard({ ref, number: o.number, customer: o.customerName, status: o.status, next, ...totalsOfPriced(o), ...(o.reason ? { reason: o.reason } : {}) });
}

/**
 * Every copy of an order's thread after a decision: the rep's order card rebuilt (carrying the decision as its
 * status once it has no buttons left, so a platform that can only relabel a button still says it), approval
 * cards closed with who decided.
 */
export function renderDecided(o: OrderView, next: string, text: string, tone: "success" | "danger" | "info") {
  return (row: CardRow): Card => {
    if (row.purpose !== "order") return decidedCard(row.view, text, tone);
    const card = orderCardFor(row.ref, o, next);
    return card.buttons.length ? card : { ...card, status: { text, tone } };
  };
}
