// Money is exact: yuan amounts travel as Decimal (or their decimal string) from the price list to the card,
// never as a JS float, so 0.1 + 0.2 style errors cannot reach a total. The database columns are
// Decimal(14,2) (discounts Decimal(6,4)); values are parsed from their text (Prisma's Decimal via toString()).
// formatCny is the one way an amount is shown to a person.
import { Decimal as DecimalJs } from "decimal.js";

/** Our own Decimal constructor, so nobody else's global decimal.js settings change ours (and vice versa). */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Decimal = DecimalJs;
/** An exact amount in yuan. */
export type Money = DecimalJs;

/** Anything an amount may come as: a Decimal (ours or Prisma's), its decimal string, or a number from a parser. */
export type MoneyInput = DecimalJs | string | number | { toString(): string };

const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The exact value of `x`. A number is read through its shortest decimal text (String(0.1) is "0.1"), never
 * through arithmetic, so a value a parser wrote as 11500 or 0.1 stays exactly that. Throws on NaN, ±Infinity
 * and text that is not a plain decimal number.
 */
export function money(x: MoneyInput): Money {
  if (x instanceof Decimal) return x;
  if (typeof x === "number" && !Number.isFinite(x)) throw new RangeError(`not an amount: ${x}`);
  const text = String(x).trim().replace(/,/g, "");
  if (!DECIMAL_TEXT.test(text)) throw new RangeError(`not an amount: ${JSON.stringify(String(x))}`);
  return new Decimal(text);
}

/** True when `x` is a valid amount with at most `places` decimals (the columns hold two). */
export function hasAtMostDecimals(x: MoneyInput, places = 2): boolean {
  try {
    return money(x).decimalPlaces() <= places;
  } catch {
    return false;
  }
}

/** Rounded to fen (half up), as the Decimal(14,2) columns store it. */
export function toFen(x: MoneyInput): Money {
  return money(x).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** "11500.00": the exact text to store or to hand to a card (Prisma accepts it for a Decimal column). */
export function moneyText(x: MoneyInput): string {
  return toFen(x).toFixed(2);
}

/** qty × unit price, exact. */
export function lineTotal(quantity: number | MoneyInput, unitPrice: MoneyInput): Money {
  return money(quantity).times(money(unitPrice));
}

/** The exact sum of amounts (0 for none). */
export function sumMoney(amounts: Iterable<MoneyInput>): Money {
  let total = new Decimal(0);
  for (const a of amounts) total = total.plus(money(a));
  return total;
}

/** Fraction taken off the list price: 1 − asked/list, rounded half up to 4 decimals (the column is Decimal(6,4)). */
export function discountFraction(asked: MoneyInput, list: MoneyInput): Decimal {
  const l = money(list);
  if (l.lte(0)) throw new RangeError("list price must be positive");
  return new Decimal(1).minus(money(asked).div(l)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
}

/**
 * "¥123,456,789,012.35": yuan with thousands separators and at most two decimals, trailing zero fen left
 * out ("¥50,000", "¥20,000.5") as the cards have always shown it. Rounds half up to the fen; exact for any size.
 */
export function formatCny(x: MoneyInput): string {
  const v = toFen(x);
  const [int = "0", frac = ""] = v.abs().toFixed(2).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fen = frac.replace(/0+$/, "");
  return `${v.isNegative() && !v.isZero() ? "-" : ""}¥${grouped}${fen ? `.${fen}` : ""}`;
}

/**
 * A discount as people say it. "zhe" (default): 0.1 → "9折", 0.05 → "95折", 0.125 → "87.5折", 0 → "原价";
 * "percent": 0.1 → "10%". A negative fraction (a price above the list) reads "高于原价5%".
 */
export function formatDiscount(fraction: MoneyInput, style: "zhe" | "percent" = "zhe"): string {
  const f = money(fraction);
  if (f.isNegative() && !f.isZero()) return `高于原价${f.neg().times(100).toDecimalPlaces(2).toString()}%`;
  if (style === "percent") return `${f.times(100).toDecimalPlaces(2).toString()}%`;
  if (f.isZero()) return "原价";
  const tenths = new Decimal(1).minus(f).times(10);
  // 9折 for a whole tenth; otherwise the two digits people write (95折, 87.5折).
  const shown = tenths.isInteger() ? tenths : tenths.times(10);
  return `${shown.toDecimalPlaces(2).toString()}折`;
}
