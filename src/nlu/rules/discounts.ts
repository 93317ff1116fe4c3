/**
 * Discounts as the fraction taken off: 9折 → 0.1, 九五折 → 0.05, 打八五折 → 0.15, 9.5折 → 0.05,
 * 88折 → 0.12, 降价10% → 0.1, 让利5个点 → 0.05, 优惠8% → 0.08.
 */
import { parseChineseNumeral } from "./numbers.ts";

const CN_DIGIT = "一二三四五六七八九";
const ZHE_RE = new RegExp(`(\\d(?:\\.\\d{1,2})?|\\d{2}|[${CN_DIGIT}][${CN_DIGIT}五]?)\\s*折(?!旧|叠|腾|返|算)`);
/** A percentage written with a sign, as 个点, or in words (百分之十, 百分之5). */
const PCT = "(?:(\\d+(?:\\.\\d+)?)\\s*(?:%|个点|个百分点|点)|百分之\\s*(\\d+(?:\\.\\d+)?|[一二两三四五六七八九十]+))";
const PERCENT_RE = new RegExp(`(?:降价|降|优惠|让利|便宜|折扣|少|下浮|打折)\\s*(?:了|个)?\\s*${PCT}`);
const PERCENT_AFTER_RE = new RegExp(`${PCT}\\s*(?:的)?(?:折扣|优惠|让利|降价)`);

function percentValue(m: RegExpExecArray): number {
  const raw = m[1] ?? m[2]!;
  return /^[\d.]+$/.test(raw) ? Number(raw) : parseChineseNumeral(raw);
}

export interface DiscountMention { value: number; index: number; end: number }

export function findDiscount(text: string): DiscountMention | undefined {
  const z = ZHE_RE.exec(text);
  if (z) {
    const raw = z[1]!;
    let price: number;
    if (/^\d\.\d+$/.test(raw)) price = Number(raw) / 10; // 9.5折
    else if (/^\d$/.test(raw)) price = Number(raw) / 10; // 9折
    else if (/^\d{2}$/.test(raw)) price = Number(raw) / 100; // 88折
    else {
      const digits = [...raw].map((c) => parseChineseNumeral(c));
      price = digits.length === 1 ? digits[0]! / 10 : (digits[0]! * 10 + digits[1]!) / 100; // 九 / 九五
    }
    const value = Math.round((1 - price) * 10000) / 10000;
    if (value > 0 && value < 1) return { value, index: z.index, end: z.index + z[0].length };
  }
  const p = PERCENT_RE.exec(text) ?? PERCENT_AFTER_RE.exec(text);
  if (p) {
    const value = Math.round(percentValue(p) * 100) / 10000;
    if (value > 0 && value < 1) return { value, index: p.index, end: p.index + p[0].length };
  }
  return undefined;
}
