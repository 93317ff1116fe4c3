/** Quantities with units: 200台, 3箱, 两百台, 20万条, 1.5吨, 10 pcs. */
import { findEnglishQuantities } from "./english.ts";
import { MULT_SRC, NUM_SRC, parseNumber } from "./numbers.ts";

export const UNITS = [
  "平方米", "立方米", "公斤", "千克", "公里", "千米", "平米", "平方", "平", "面", "台", "套", "件", "个", "只", "箱", "吨", "米", "卷",
  "把", "瓶", "桶", "包", "袋", "盒", "片", "块", "根", "条", "支", "组", "托", "柜", "辆", "张", "副", "对", "双", "颗",
  "粒", "份", "樘", "扇", "部", "方", "升", "本", "册", "捆", "枚", "罐", "筒", "打", "kg", "KG", "pcs", "PCS", "Pcs",
];
/** What may follow a unit without turning it into something else (个月, 个点, 块钱, 台风 …). */
const NOT_AFTER_UNIT = /^(?:分|门|月|项目|人|点|工作日|小时|星期|礼拜|多月|方面|问题|客户|供应商|时间|钱|式|案|面|便|向|法|批准|左右的人)/;
/** 平 and 面 are also words (平台, 平均, 面谈, 见一面): a count only when none of these follows. */
const NOT_AFTER_FLAT = /^(?:台|安|均|时|衡|稳|价|常|静|板|谈|试|议|临|向|对|前|子|料|上|下|里)/;
/** 打 (a dozen) is also a verb (打9折, 打电话, 打款): a count only when no such word follows. */
const NOT_AFTER_DA = /^(?:\s*[\d一二三四五六七八九.]+\s*折|折|电话|个|了|过|款|算|包|印|车|听|扰|给|开|到|完|通)/;
/** 本 also means "this/own" (一本正经, 两本地仓): a count only when no such word follows. */
const NOT_AFTER_BEN = /^(?:周|月|季|年|地|身|来|人|部|厂|公司|次|批|单)/;

/** 200台, 两百来台 (about 200), 20多箱, 1.5万条. */
const QTY_RE = new RegExp(`(?<![\\d.\\-第/])(${NUM_SRC})\\s*(${MULT_SRC})?\\s*(?:来|多|余)?\\s*(${UNITS.join("|")})`, "g");

export interface QuantityMention {
  value: number;
  unit: string;
  index: number;
  end: number;
  /** A bare 一 before a unit is mostly an article or idiom (冲一把, 一批货, 跑一趟), not a count. */
  weak?: boolean;
}

/** The count a message states: the first explicit one, a bare "一…" only when nothing else is there. */
export function pickQuantity(qs: QuantityMention[]): QuantityMention | undefined {
  return qs.find((q) => !q.weak) ?? qs[0];
}

/** 伺服驱动器×20, 电机A x 5, 配件*100: a count with no unit word. */
const TIMES_RE = /(?<=[\u4e00-\u9fa5A-Za-z0-9)\s])[×xX*]\s*(\d{1,7})(?![\d.])/g;

export function findQuantities(text: string): QuantityMention[] {
  const out: QuantityMention[] = [];
  for (const m of text.matchAll(TIMES_RE)) {
    if (/[A-Za-z]/.test(text[m.index - 1] ?? "") && /[xX]/.test(m[0][0]!)) continue; // "max5", "S7x2"
    // A letter glued to the product and a number (控制器X200, YGC-3x2.5, 4x25) is a model code or a
    // dimension, not "× count": only a spaced x (R57 x 60) or ×/* counts.
    if (/[xX]/.test(m[0][0]!) && !/\s/.test(text[m.index - 1] ?? " ") && !/^[xX]\s/.test(m[0])) continue;
    out.push({ value: Number(m[1]), unit: "", index: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(QTY_RE)) {
    const end = m.index + m[0].length;
    const unit = m[3]!;
    if (NOT_AFTER_UNIT.test(text.slice(end)) || (unit === "本" && NOT_AFTER_BEN.test(text.slice(end)))) continue;
    if (unit === "打" && NOT_AFTER_DA.test(text.slice(end))) continue;
    if ((unit === "平" || unit === "面") && (NOT_AFTER_FLAT.test(text.slice(end)) || m[1] === "一")) continue;
    // "一台"/"一吨" after a price is "per unit", not a quantity: 6500元一吨, 4500元一台.
    if (/^[一每]$/.test(m[1]!) && /(?:[元块万毛角]|\d\s*[kKwW千])\s*$/.test(text.slice(0, m.index))) continue;
    // 一套4800: "per set" glued to a price, not one set.
    if (/^[一每]$/.test(m[1]!) && /^[\d¥￥]/.test(text.slice(end))) continue;
    // 十二块一个, 三块五: 块 as yuan, with "per piece" or the jiao after it, is a price, not pieces.
    if (unit === "块" && /^(?:[一二三四五六七八九](?![\u4e00-\u9fa5])|\d(?![\d.])(?![\u4e00-\u9fa5])|[一每]\s*(?:[台套件个只箱吨条片组根支卷包桶盒袋瓶把颗双副对张打米]|公斤|斤))/.test(text.slice(end))) continue;
    // 一台一万二, 一只五毛: "per piece" glued to a price in words.
    if (/^[一每]$/.test(m[1]!) && /^[一二两三四五六七八九十]+[百千万毛角块](?![台套件个只箱吨条片根支卷包桶盒袋瓶])/.test(text.slice(end))) continue;
    // 三百二一把 is 320 per piece: a digit after 百/千/万 followed by 一 is never one count.
    // So is 六十八一箱 (68 a box) and 一百一一套 (110 a set): two digits in a row after 十/百/千 is a price and its "per".
    if (/[十百千万亿][一二两三四五六七八九]一$/.test(m[1]!) && !/^[一二两三四五六七八九]?十一$/.test(m[1]!)) continue;
    const value = parseNumber(m[1]!, m[2]);
    if (!Number.isFinite(value) || value <= 0) continue;
    out.push({ value, unit, index: m.index, end, ...(m[1] === "一" && !m[2] && { weak: true }) });
  }
  for (const q of findEnglishQuantities(text)) {
    if (!out.some((o) => o.index < q.end && o.end > q.index)) out.push({ ...q, unit: "" });
  }
  return out.sort((a, b) => a.index - b.index);
}
