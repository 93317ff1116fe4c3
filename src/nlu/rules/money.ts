/**
 * Money in yuan: 4500元, ¥4,500, 50万, 1.2亿, 4.5k, 单价4500, 每台1.2万, 预算150万.
 * kind: "unit" for a price per item (单价, 每台, 4500元一台, 6500元/吨), "total" for 预算/金额/总价/…,
 * "plain" for an amount with a money unit but no keyword (50万左右).
 */
import { MULT_SRC, NUM_SRC, parseNumber } from "./numbers.ts";

export interface MoneyMention { value: number; kind: "unit" | "total" | "plain"; index: number; end: number }

const UNIT_KEY = "单价|价格|报价|售价|每[台套个件吨只箱条片组辆米块根支卷包桶盒公里千米平米方]|一[台套个件吨只箱条片组辆]";
const TOTAL_KEY = "预算|金额|总价|总额|合同额|合同金额|采购额|额度|总共|一共|总计|合计|货款|大概|大约|约";
const LINK = "(?:是|为|在|大概|大约|约|压到|降到|给到|报到|谈到|要|了)?";
const CURRENCY = "(?:¥|￥|RMB|rmb|人民币)";
const MONEY_UNIT = "(?:元|块钱|块(?!\\s*[一二两三四五六七八九十\\d])|圆)";

const KEYED_RE = new RegExp(`(${UNIT_KEY}|${TOTAL_KEY})\\s*${LINK}\\s*${CURRENCY}?\\s*(${NUM_SRC})\\s*(${MULT_SRC})?\\s*(?:${MONEY_UNIT})?`, "g");
const MARKED_RE = new RegExp(`(${CURRENCY})\\s*(${NUM_SRC})\\s*(${MULT_SRC})?\\s*(?:${MONEY_UNIT})?|(${NUM_SRC})\\s*(${MULT_SRC})?\\s*(元|块钱|圆)|(?<![\\d.])(\\d+(?:\\.\\d+)?|[一二两三四五六七八九十百千]+)\\s*(万元?|亿元?)(?![\\s]*(?:台|套|件|个|只|箱|吨|条|片|米|块|辆|组|根|支|卷|包|袋|盒|公里|公斤|人|次|多))`, "g");
/** "/台", "一台", "每台" right after a price makes it a unit price. */
const PER_UNIT_AFTER = /^\s*(?:\/|每|一)\s*[台套个件吨只箱条片组辆米块根支卷包桶盒]/;

export function findMoney(text: string): MoneyMention[] {
  const out: MoneyMention[] = [];
  const taken: [number, number][] = [];
  const overlaps = (a: number, b: number) => taken.some(([x, y]) => a < y && b > x);
  for (const m of text.matchAll(KEYED_RE)) {
    const numStart = m.index + m[0].indexOf(m[2]!, m[1]!.length);
    const end = m.index + m[0].length;
    const value = parseNumber(m[2]!, m[3]);
    if (!Number.isFinite(value) || value <= 0) continue;
    const key = m[1]!;
    // A bare number after a loose word (大概/约) needs a money unit to count.
    if (/^(?:大概|大约|约)$/.test(key) && !m[3] && !/[元块圆]$/.test(m[0].trim())) continue;
    // 约20台 is a quantity, not money.
    if (/^\s*[台套个件只箱吨条片米块辆组根支卷包袋盒]/.test(text.slice(end)) && !/[元块圆]$/.test(m[0].trim())) continue;
    const kind = new RegExp(`^(?:${UNIT_KEY})$`).test(key) || PER_UNIT_AFTER.test(text.slice(end)) ? "unit" : "total";
    out.push({ value, kind, index: numStart, end });
    taken.push([m.index, end]);
  }
  for (const m of text.matchAll(MARKED_RE)) {
    const end = m.index + m[0].length;
    if (overlaps(m.index, end)) continue;
    const value = m[2] !== undefined ? parseNumber(m[2], m[3]) : m[4] !== undefined ? parseNumber(m[4], m[5]) : parseNumber(m[7]!, m[8]![0]);
    if (!Number.isFinite(value) || value <= 0) continue;
    const kind = PER_UNIT_AFTER.test(text.slice(end)) ? "unit" : "plain";
    out.push({ value, kind, index: m.index, end });
    taken.push([m.index, end]);
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A deal's total value, if the text states one (not a unit price). */
export function pickAmount(mentions: MoneyMention[]): number | undefined {
  return (mentions.find((m) => m.kind === "total") ?? mentions.find((m) => m.kind === "plain"))?.value;
}
