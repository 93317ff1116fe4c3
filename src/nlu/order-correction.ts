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

// ───────────── resubmitting a rejected order ─────────────
// SO-20261205-0003 单价改成7500 重新提交 · 重新提交 SO-… 电机A单价4800 · 重新提交 SO-… 9折 理由：客户量大 · 重新提交 SO-…
// (no change: the amendable draft is shown) · 重新提交 (no number: the rep's one rejected order). The changes are the
// draft corrections' (单价/价格, 数量, 折扣), each optionally naming a product; anything else left in the message is
// refused (adding or removing goods, another customer), never guessed.

const RESUBMIT = /重新提交|再次提交|重新提审|重新送审|重新申请|重新报批|再提交一次|再提一次|重提/;
const ORDER_NO_IN = /(?<![A-Za-z0-9])SO[-_ ]?(\d{8})[-_ ]?(\d{3,4})(?!\d)/i;

/**
 * An approver's decision or request that mentions resubmitting (驳回 SO-… 价格太低 请重新提交, 让张三改价后重新提交) is
 * not the rep's command: it goes on to the parser (驳回 …).
 */
const SAID_TO_THE_REP = /^(?:驳回|不同意|同意|批准|打回|拒绝|不批|否决)|(?:请|让|叫|要求|需要)\S{0,6}(?:重新提交|再次提交|重新提审|重新送审|重提)/;

/** A resubmission: the word and an order number, or the word alone (重新提交 / 重新提交吧). */
export function looksLikeResubmission(text: string): boolean {
  const t = text.trim();
  if (!RESUBMIT.test(t) || SAID_TO_THE_REP.test(t)) return false;
  return ORDER_NO_IN.test(t) || /^(?:请|帮我)?(?:修改后)?(?:重新提交|再次提交|重提)(?:一下|吧|订单)?[。.!！]?$/.test(t);
}

const NUM = "[¥￥]?\\s*[\\d０-９][\\d０-９,.]*\\s*(?:万|千|百|k|K|w|W)?|[零〇一二两三四五六七八九十百千万点]+";
const VALUE_AFTER = `(?:改为|改成|调为|调成|调到|改到|降到|降为|提到|提高到|变成|为|是|[:：=])?\\s*(${NUM})\\s*(?:元|块)?(?:\\s*(${UNITS.join("|")})(?![A-Za-z0-9]))?`;
const FIELD_CLAUSE = new RegExp(`([^\\s\\d，,；;。、:：=]{1,20}?)?\\s*的?\\s*(数量|单价|价格|折扣)\\s*${VALUE_AFTER}`, "gi");
/** 9折 / 九五折 / 打个9折 / 整单9折 / 折扣 9折 alone (no product). */
const DISCOUNT_CLAUSE = /(?:改成|改为|打个?|整单|全部)?\s*((?:\d{1,2}(?:\.\d)?|[一二三四五六七八九]{1,2}(?:点[一二三四五六七八九])?)折)/g;
const REASON_CLAUSE = /(?:理由|原因|说明|备注)\s*[:：]?\s*(.+)$/s;
/** Words around the changes that say nothing more. */
const FILLER = /修改后|修改|更正|改一下|改下|然后|并且|并|再|把|将|一下|订单|单子|这单|请|帮我|麻烦|吧|了|的|改|[，,；;。.!！、\s]/g;

export type Resubmission =
  | { ok: true; order?: string; changes: OrderCorrection[]; reason?: string }
  | { ok: false; problem: "not_understood"; leftover: string }
  | { ok: false; problem: "bad_value"; message: string };

export function parseResubmission(text: string): Resubmission {
  let rest = text.trim();
  const no = ORDER_NO_IN.exec(rest);
  const order = no ? `SO-${no[1]}-${no[2]}` : undefined;
  if (no) rest = rest.slice(0, no.index) + " " + rest.slice(no.index + no[0].length);
  rest = rest.replace(new RegExp(RESUBMIT.source, "g"), " ");
  let reason: string | undefined;
  const r = REASON_CLAUSE.exec(rest);
  if (r) {
    reason = r[1]!.trim().slice(0, 300) || undefined;
    rest = rest.slice(0, r.index);
  }
  const changes: OrderCorrection[] = [];
  const take = (re: RegExp, each: (m: RegExpExecArray) => Resubmission | null): Resubmission | null => {
    for (const m of rest.matchAll(re)) {
      const bad = each(m as RegExpExecArray);
      if (bad) return bad;
    }
    rest = rest.replace(re, " ");
    return null;
  };
  let named = "";
  const fields = take(FIELD_CLAUSE, (m) => {
    // 电机A 单价4800 数量20台: a clause without a product is about the one named before it.
    const product = (m[1] ?? "").replace(/^(?:修改|更正|然后|并且|把|将|再|改|并)+/, "").trim() || named;
    named = product;
    const parsed = parseOrderCorrection(`改 ${product ? `${product} ` : ""}${m[2]} ${m[3]}${m[4] ?? ""}`);
    if (!parsed.ok) return { ok: false, problem: "bad_value", message: `没看懂「${m[0].trim()}」` };
    changes.push(parsed.correction);
    return null;
  });
  if (fields) return fields;
  const discounts = take(DISCOUNT_CLAUSE, (m) => {
    const d = findDiscount(m[1]!);
    const parsed = OrderCorrectionSchema.safeParse({ field: "discount", value: d?.value });
    if (!parsed.success) return { ok: false, problem: "bad_value", message: `没看懂折扣「${m[1]}」` };
    changes.push(parsed.data);
    return null;
  });
  if (discounts) return discounts;
  if (rest.replace(FILLER, "")) return { ok: false, problem: "not_understood", leftover: rest.replace(/[，,；;。\s]+/g, " ").trim().slice(0, 30) };
  return { ok: true, ...(order ? { order } : {}), changes, ...(reason ? { reason } : {}) };
}
