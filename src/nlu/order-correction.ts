/**
 * Corrections to an order draft, typed after the draft card ("修改 by reply", like visits):
 *   改 数量 300 (or 300米: the unit goes with it) · 改 单价 4500 · 改 价格 1.2万 · 改 折扣 9折 · 改 电机A 数量 300 (several items: name the product)
 * The field word must be followed by a separator or the value, so ordinary messages are not taken for one.
 */
import { z } from "zod";
import { findDiscount } from "./rules/discounts.ts";
import { findMoney } from "./rules/money.ts";
import { parseNumber } from "./rules/numbers.ts";
import { UNITS } from "./rules/quantities.ts";

export const OrderCorrectionSchema = z.discriminatedUnion("field", [
  z.object({ field: z.literal("quantity"), product: z.string().optional(), value: z.number().int().positive().max(1e9), unit: z.string().min(1).max(10).optional() }),
  z.object({ field: z.literal("unit_price"), product: z.string().optional(), value: z.number().positive().max(1e12) }),
  z.object({ field: z.literal("discount"), value: z.number().gt(0).lt(1) }),
]);
export type OrderCorrection = z.infer<typeof OrderCorrectionSchema>;

// The value must start like a number (300, 4.5千, 一千二, ¥4500, 九五折), so "修改价格后再报价" is no correction.
const COMMAND = /^(?:修改|更正|改)\s*(?:(\S+?)\s*(?:的\s*)?)?(数量|单价|价格|折扣)\s*(?:改?为|改?成|是|[:：=])?\s*([\d０-９.零〇一二两三四五六七八九十百千万¥￥打].*)$/s;

const UNIT_AFTER = new RegExp(`^\\s*(${UNITS.join("|")})(?![A-Za-z0-9])`);

export function looksLikeOrderCorrection(text: string): boolean {
  return COMMAND.test(text.trim());
}

export type OrderCorrectionResult = { ok: true; correction: OrderCorrection } | { ok: false; problem: "bad_number" | "bad_money" | "bad_discount" | "not_a_correction" };

export function parseOrderCorrection(text: string): OrderCorrectionResult {
  const m = COMMAND.exec(text.trim());
  if (!m) return { ok: false, problem: "not_a_correction" };
  const product = m[1]?.trim() || undefined;
  const word = m[2]!;
  const raw = m[3]!.trim();
  if (word === "数量") {
    const n = /^([\d,.]+|[零〇一二两三四五六七八九十百千万]+)\s*(万|千|百)?/.exec(raw);
    const value = n ? parseNumber(n[1]!, n[2]) : NaN;
    // 改 数量 300米: the unit typed with the number, checked against the list's like an order's.
    const unit = n ? UNIT_AFTER.exec(raw.slice(n[0].length))?.[1] : undefined;
    const r = OrderCorrectionSchema.safeParse({ field: "quantity", product, value, ...(unit ? { unit } : {}) });
    return r.success ? { ok: true, correction: r.data } : { ok: false, problem: "bad_number" };
  }
  if (word === "折扣") {
    const d = findDiscount(raw);
    const r = OrderCorrectionSchema.safeParse({ field: "discount", value: d?.value });
    return r.success ? { ok: true, correction: r.data } : { ok: false, problem: "bad_discount" };
  }
  const value = findMoney(raw)[0]?.value ?? parseNumber(raw.replace(/[元块¥￥\s]/g, ""));
  const r = OrderCorrectionSchema.safeParse({ field: "unit_price", product, value });
  return r.success ? { ok: true, correction: r.data } : { ok: false, problem: "bad_money" };
}
