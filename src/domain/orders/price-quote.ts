// What a rep may give on a list price without approval (価格表 look-up): the person's own discount limit from
// rules.approval.discountLimits (the highest of their roles', as planApproval judges it) and, per product, the
// lowest unit price within it. Pure and exact: the floor is rounded UP to the fen, so an order at the floor is
// never over the limit (planApproval compares the line's discount with the limit).
import { Decimal, lineTotal, money, sumMoney, type Money } from "../../core/money.ts";
import { authorityOf, type ChainPerson } from "./approval-plan.ts";
import type { ApprovalRules } from "./compliance.ts";

export interface QuotedProduct {
  sku: string;
  name: string;
  unit: string;
  listPrice: Money;
  /** The lowest unit price this person may ask without approval (= list price when their limit is 0). */
  floor: Money | null;
}

export interface Authority {
  /** The fraction the person may take off (0.05); null when none of their roles has a limit (an admin). */
  limit: Money | null;
  role: "rep" | "manager" | "director" | null;
  bigOrderAmount: Money;
}

export function authorityFor(person: ChainPerson, rules: ApprovalRules): Authority {
  const a = authorityOf(person, rules);
  return { limit: a.role ? a.limit : null, role: a.role, bigOrderAmount: money(rules.bigOrderAmount) };
}

/** list × (1 − limit), rounded up to the fen. */
export function floorPrice(listPrice: Money, limit: Money): Money {
  return listPrice.times(new Decimal(1).minus(limit)).toDecimalPlaces(2, Decimal.ROUND_UP);
}

export function quote(products: readonly { sku: string; name: string; unit: string; price: Money }[], authority: Authority): QuotedProduct[] {
  return products.map((p) => ({
    sku: p.sku,
    name: p.name,
    unit: p.unit,
    listPrice: p.price,
    floor: authority.limit ? floorPrice(p.price, authority.limit) : null,
  }));
}

export interface CountedLine {
  product: QuotedProduct;
  /** The count asked about, in the line's unit. */
  quantity: number;
  /** list price × quantity, exact. */
  listTotal: Money;
  /** floor × quantity: the lowest this person may total without approval (an order at the floor price); null for an admin. */
  floorTotal: Money | null;
}

export interface TotalQuote {
  lines: CountedLine[];
  listTotal: Money;
  floorTotal: Money | null;
  bigOrderAmount: Money;
  /** At list price the total reaches rules.approval.bigOrderAmount: an order of it needs the director (planApproval). */
  bigAtList: boolean;
  /** Even at the floor it does: no price within the person's limit keeps it below the big-order amount. */
  bigAtFloor: boolean;
}

/**
 * 电机A 200台多少钱: each line's list price × quantity and the sum, the same at the person's floor, and whether the
 * total reaches the big-order amount — judged as planApproval judges an order (total ≥ bigOrderAmount), so an order of
 * these lines at the floor prices totals exactly floorTotal and needs nobody unless bigAtFloor.
 */
export function quoteTotal(counted: readonly { product: QuotedProduct; quantity: number }[], authority: Authority): TotalQuote {
  const lines = counted.map(({ product, quantity }) => ({
    product,
    quantity,
    listTotal: lineTotal(quantity, product.listPrice),
    floorTotal: product.floor ? lineTotal(quantity, product.floor) : null,
  }));
  const listTotal = sumMoney(lines.map((l) => l.listTotal));
  const floorTotal = lines.every((l) => l.floorTotal) ? sumMoney(lines.map((l) => l.floorTotal!)) : null;
  const big = authority.bigOrderAmount;
  return { lines, listTotal, floorTotal, bigOrderAmount: big, bigAtList: listTotal.gte(big), bigAtFloor: (floorTotal ?? listTotal).gte(big) };
}
