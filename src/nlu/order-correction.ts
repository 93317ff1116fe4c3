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

/**
 * 重新提交 / 再次提交 / 再提交一次 / 重新提交审批 / 重提审批 / 重新走审批 / 再走审批 / 再报一次审批 / 重新提交下: resubmitting in the
 * words reps use. 走 / 报 / 提 / 送 need 审批 after them (再走 alone is no command).
 */
const RESUBMIT = /(?:重新|再次|再)(?:提交|提审|送审)(?:一次|一下|一遍|下)?(?:审批)?|(?:重新|再次|再)(?:走|报|提|送)(?:一次|一下|一遍|个|下)?审批|重新申请|重新报批|再提一次|重提(?:审批)?/;
const ORDER_NO_IN = /(?<![A-Za-z0-9])SO[-_ ]?(\d{8})[-_ ]?(\d{3,4})(?!\d)/i;

/**
 * An approver's decision or request that mentions resubmitting (驳回 SO-… 价格太低 请重新提交, 让张三改价后重新提交) is
 * not the rep's command: it goes on to the parser (驳回 …). The rep reporting the rejection (驳回了 SO-…, 被驳了, 经理驳回的
 * 那个) is no decision: 了 / 的 / 过 after the word says it happened.
 */
const SAID_TO_THE_REP = new RegExp(`^(?:驳回|不同意|同意|批准|打回|拒绝|不批|否决)(?![了的过])|(?:请|让|叫|要求|需要)\\S{0,6}(?:${RESUBMIT.source})`);

/** The rep telling that the order was rejected (经理驳回了, 被驳了, 老板驳回的那个, 驳回了 说折扣太大): says nothing to change. */
const APPROVER = "(?:[\\u4e00-\\u9fa5]?(?:经理|总监|主管)|老板|领导|上级|上面|[\\u4e00-\\u9fa5]总)";
const REJECTION_REPORT = new RegExp(`(?:已经|已)?(?:被)?${APPROVER}?(?:给)?(?:驳回|驳|打回|拒)(?:了|的|掉了|回来了)(?:那个|那单|这单|单子)?(?:[\\s,，]*(?:说|理由是|原因是|嫌)[^\\s,，。;；]*)?|${APPROVER}(?:说|嫌|觉得)[^\\s,，。;；]*`, "g");

/** Full-width digits and signs as ASCII (３１００ → 3100), thousands separators dropped (7,600 → 7600). */
const plainDigits = (text: string) => text.normalize("NFKC").replace(/(\d),(?=\d{3}(?!\d))/g, "$1");

/** A resubmission: the word and an order number, or the word alone (重新提交 / 重新提交吧). */
export function looksLikeResubmission(text: string): boolean {
  const t = plainDigits(text).trim();
  if (!RESUBMIT.test(t) || SAID_TO_THE_REP.test(t)) return false;
  return ORDER_NO_IN.test(t) || new RegExp(`^(?:请|帮我|麻烦)?(?:修改后)?(?:${RESUBMIT.source})(?:一下|吧|订单)?[。.!！]?$`).test(t);
}

const NUM = "[¥￥]?\\s*\\d[\\d.]*\\s*(?:万|千|百|k|K|w|W)?|[零〇一二两三四五六七八九十百千万点]+";
const UNIT = `(?:${UNITS.join("|")})(?![A-Za-z0-9])`;
const SET_TO = "改为|改成|调为|调成|调到|调整为|调整到|调整成|改到|改至|降到|降为|降至|涨到|提到|提高到|变成|→|->|=>|改";
/** 从5000降到 / 10台→: the old value before the new one (the new value is the last). */
const OLD_VALUE = `(?:[从由]\\s*)?(?:${NUM})\\s*(?:元|块)?\\s*${UNIT.replace("(?![A-Za-z0-9])", "")}?\\s*(?:${SET_TO}|到)\\s*`;
const VALUE_AFTER = `(?:${OLD_VALUE}|${SET_TO}|按|为|是|[:：=])?\\s*(${NUM})\\s*(?:元|块钱|块)?(?:\\s*[/每]?\\s*(${UNITS.join("|")})(?![A-Za-z0-9]))?(?:\\s*(?:报|算|走))?`;
const FIELD_CLAUSE = new RegExp(`([^\\s\\d，,；;。、:：=]{1,20}?)?\\s*的?\\s*(数量|单价|价格|折扣)\\s*${VALUE_AFTER}`, "gi");
/** 电缆改成50卷 (a count: the unit), 电机A改成4800元 (a price: 元/块): a change without a field word. */
const BARE_CLAUSE = new RegExp(`(?<![\\d.])([^\\s\\d，,；;。、:：=]{1,20}?)\\s*的?\\s*(?<!数量|单价|价格|折扣)(?:${SET_TO})\\s*(${NUM})\\s*(?:(元|块钱|块)|(${UNITS.join("|")})(?![A-Za-z0-9]))`, "gi");
/** 9折 / 九五折 / 打个9折 / 整单9折 / 折扣 9折 alone (no product). */
const DISCOUNT_CLAUSE = /(?:改成|改为|打个?|整单|全部)?\s*((?:\d{1,2}(?:\.\d)?|[一二三四五六七八九]{1,2}(?:点[一二三四五六七八九])?)折)/g;
const REASON_CLAUSE = /(?:理由|原因|说明|备注)\s*[:：]?\s*(.+)$/s;
/** Words around the changes that say nothing more (数量不变: what stays as it was). */
const FILLER = /(?:数量|单价|价格|折扣|其他|其它|别的|其余)(?:都)?不变|谢谢|多谢|感谢|辛苦了?|修改后|修改|更正|改一下|改下|然后|并且|麻烦|帮忙|一次|那个|那单|并|再|把|将|一下|订单|单子|这单|请|帮我|我|吧|了|下|的|改|[，,；;。.!！、\s]/g;
/** 数量不变, 改一下: nothing to change, taken out before the changes so no product is read from them. */
const UNCHANGED = /(?:数量|单价|价格|折扣|其他|其它|别的|其余)(?:都)?不变|改一下|改下/g;
/** What opens a product capture but is no product (我把电机B → 电机B). */
const NOT_PRODUCT_START = /^(?:修改|更正|然后|并且|我|把|将|再|改|并|帮我|麻烦)+/;

export type Resubmission =
  | { ok: true; order?: string; changes: OrderCorrection[]; reason?: string }
  | { ok: false; problem: "not_understood"; leftover: string }
  | { ok: false; problem: "bad_value"; message: string };

export function parseResubmission(text: string): Resubmission {
  let rest = plainDigits(text).trim();
  const no = ORDER_NO_IN.exec(rest);
  const order = no ? `SO-${no[1]}-${no[2]}` : undefined;
  if (no) rest = rest.slice(0, no.index) + " " + rest.slice(no.index + no[0].length);
  rest = rest.replace(new RegExp(RESUBMIT.source, "g"), " ").replace(REJECTION_REPORT, " ").replace(UNCHANGED, " ");
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
  const bare = take(BARE_CLAUSE, (m) => {
    const product = (m[1] ?? "").replace(NOT_PRODUCT_START, "").trim();
    if (!product) return { ok: false, problem: "bad_value", message: `没看懂「${m[0].trim()}」：请写明是单价还是数量` };
    const parsed = parseOrderCorrection(m[3] ? `改 ${product} 单价 ${m[2]}` : `改 ${product} 数量 ${m[2]}${m[4]}`);
    if (!parsed.ok) return { ok: false, problem: "bad_value", message: `没看懂「${m[0].trim()}」` };
    changes.push(parsed.correction);
    return null;
  });
  if (bare) return bare;
  let named = "";
  const fields = take(FIELD_CLAUSE, (m) => {
    // 电机A 单价4800 数量20台: a clause without a product is about the one named before it.
    // 20卷 单价540: a unit left before the field word is the count's, not a product.
    const written = (m[1] ?? "").replace(NOT_PRODUCT_START, "").trim();
    const product = (UNITS.includes(written) ? "" : written) || named;
    named = product;
    // 单价4800元/台: the unit after a price is the price's, not a count's.
    const unit = m[2] === "数量" ? (m[4] ?? "") : "";
    const parsed = parseOrderCorrection(`改 ${product ? `${product} ` : ""}${m[2]} ${m[3]}${unit}`);
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
