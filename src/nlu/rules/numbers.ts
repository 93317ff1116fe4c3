/**
 * Numbers as reps write them: 200, 4,500, 1.2, 两百, 四千五 (=4500), 一百五 (=150), 1.2万, 3千, 2k, 50w.
 */
const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 幺: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

/** Characters that may make up a Chinese numeral. */
export const CN_NUM_CHARS = "零〇一二两俩三四五六七八九十百千万亿";
/** Regex source for one number as written: Arabic (with commas/decimals) or Chinese numerals. */
export const NUM_SRC = `(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|[${CN_NUM_CHARS}]+)`;
/** Regex source for a multiplier suffix written after a number. */
export const MULT_SRC = "(?:万|亿|千|百|[kKwW](?![a-zA-Z]))";

/** Parse a pure Chinese numeral ("两百", "四千五", "一万二千", "十五"); NaN if not one. */
export function parseChineseNumeral(s: string): number {
  if (!s || ![...s].every((c) => c in DIGITS || c in SMALL_UNITS || c in BIG_UNITS)) return NaN;
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  let lastUnit = 0;
  for (const c of s) {
    if (c in DIGITS) {
      digit = digit === null ? DIGITS[c]! : digit * 10 + DIGITS[c]!; // "二零二六" style
    } else if (c in SMALL_UNITS) {
      const u = SMALL_UNITS[c]!;
      section += (digit ?? 1) * u;
      digit = null;
      lastUnit = u;
    } else {
      const u = BIG_UNITS[c]!;
      section += digit ?? 0;
      total += (section || 1) * u;
      section = 0;
      digit = null;
      lastUnit = u;
    }
  }
  if (digit !== null) {
    // 四千五 = 4500, 一百五 = 150, 两万五 = 25000: a trailing lone digit counts in the next lower unit.
    const trailingAlone = lastUnit >= 100 && digit < 10 && !/[零〇]/.test(s.slice(-2, -1));
    section += trailingAlone ? digit * (lastUnit / 10) : digit;
  }
  return total + section;
}

/** Parse a number with optional multiplier suffix: "4,500", "1.2万", "两百", "3千", "2k", "50w". */
export function parseNumber(raw: string, multiplier?: string): number {
  const s = raw.trim().replace(/,/g, "");
  const power = multiplier ? Math.round(Math.log10(multiplierValue(multiplier))) : 0;
  if (/^\d+(?:\.\d+)?$/.test(s)) return shiftDecimal(s, power);
  // Mixed: "1.2万" when the caller did not split the multiplier.
  const m = /^(\d+(?:\.\d+)?)([万亿千百])$/.exec(s);
  if (m) return shiftDecimal(m[1]!, power + Math.round(Math.log10(multiplierValue(m[2]!))));
  const n = parseChineseNumeral(s);
  return Number.isNaN(n) ? NaN : roundTidy(n * 10 ** power);
}

/**
 * "1.15" × 10^4 computed on the digit string (→ "11500"), so the result is the double nearest the
 * decimal as written: 1.15 * 10000 in floating point would be 11499.999999999998.
 */
export function shiftDecimal(digits: string, power: number): number {
  const [int = "0", frac = ""] = digits.split(".");
  const all = int + frac;
  const point = int.length + power;
  if (point <= 0) return Number(`0.${"0".repeat(-point)}${all}`);
  if (point >= all.length) return Number(all + "0".repeat(point - all.length));
  return Number(`${all.slice(0, point)}.${all.slice(point)}`);
}

export function multiplierValue(m: string): number {
  switch (m) {
    case "万": case "w": case "W": return 1e4;
    case "亿": return 1e8;
    case "千": case "k": case "K": return 1e3;
    case "百": return 100;
    default: return 1;
  }
}

/** Drop binary floating-point noise (1.2 * 10000 = 12000.000000000002). */
export function roundTidy(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * One-character classifiers that count goods (台, 把, 颗, 本 …). Prices and counts share them: "420一把"
 * is a unit price and "0.45元一颗" is 0.45 per piece, not 0.45 + 一 jiao, whatever the classifier.
 */
export const CLASSIFIER_CHARS = "台套个件吨只箱条片组辆米块根支卷包桶盒袋瓶把颗粒本册副双张份捆枚罐筒打盏位架盘株棵幅顶扎樘扇斤提";
export const CLASSIFIER_CLASS = `[${CLASSIFIER_CHARS}]`;
/**
 * Measures written with more than one character (公斤, 平米, 立方): with the classifiers, what may follow a
 * price as "per unit" (二十六块一公斤, 85元每平米) — the 一 before them opens "per", it is no jiao.
 */
export const MEASURE_SRC = "(?:公斤|千克|平方米|立方米|平米|平方|立方|公里|千米|延米|毫升|公升)";
export const PER_UNIT_SRC = `(?:${MEASURE_SRC}|${CLASSIFIER_CLASS}|平|方|升|克)`;
