// The order engine's arithmetic: list prices in, priced lines and totals out, all exact Decimal (core/money.ts).
// The asked unit price (or the order-wide discount) is the only input a rep gives; everything else is computed.
import { AppError } from "../../core/app-error.ts";
import { Decimal, discountFraction, lineTotal, money, sumMoney, toFen, type Money } from "../../core/money.ts";
import type { OrderRequest, PricedLine, PricedOrder } from "./order.types.ts";

/** A product with the list price in force at the order's time. */
export interface PriceListEntry {
  sku: string;
  name: string;
  unit: string;
  listPrice: Money;
}

/**
 * Prices every line: the asked unit price if given, else list × (1 − order discount) rounded half up to the fen
 * (the column holds fen). Line discount = 1 − unit/list (4 dp); order discount = 1 − total/listTotal (4 dp).
 * Quantities and prices are not judged here (compliance.ts does that); an unknown sku is a programming error
 * upstream (matching happens before), still refused politely.
 */
export function priceOrder(products: readonly PriceListEntry[], request: OrderRequest): PricedOrder {
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const orderDiscount = request.discount ? money(request.discount) : new Decimal(0);
  const lines: PricedLine[] = request.lines.map((l) => {
    const p = bySku.get(l.sku);
    if (!p) throw new AppError("unknown_product", `价格表里没有产品 ${l.sku}。`);
    const listPrice = money(p.listPrice);
    const unitPrice = l.unitPrice !== undefined ? money(l.unitPrice) : toFen(listPrice.times(new Decimal(1).minus(orderDiscount)));
    return {
      sku: p.sku,
      name: p.name,
      unit: p.unit,
      quantity: l.quantity,
      listPrice,
      unitPrice,
      discount: discountFraction(unitPrice, listPrice),
      listTotal: lineTotal(l.quantity, listPrice),
      total: lineTotal(l.quantity, unitPrice),
    };
  });
  const listTotal = sumMoney(lines.map((l) => l.listTotal));
  const total = sumMoney(lines.map((l) => l.total));
  return { lines, listTotal, total, discount: orderDiscountOf(total, listTotal) };
}

/** 1 − total/listTotal, 4 dp half up; 0 for an empty (or free) list. */
export function orderDiscountOf(total: Money, listTotal: Money): Money {
  if (listTotal.lte(0)) return new Decimal(0);
  return new Decimal(1).minus(total.div(listTotal)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
}

/** The largest discount on any line (≥ the order's, which is their weighted mean): what approval authority is judged by. */
export function maxLineDiscount(order: PricedOrder): { discount: Money; line: PricedLine | null } {
  let best: PricedLine | null = null;
  for (const l of order.lines) if (!best || l.discount.gt(best.discount)) best = l;
  return { discount: best ? best.discount : new Decimal(0), line: best };
}
