/**
 * Money in yuan: 4500元, ¥4,500, 50万, 1.2亿, 3.5个亿, 二十来万, 三万五, 十二块五, 4.5k, 单价4500, 每台1.2万,
 * 预算150万, 6800一吨.
 * kind: "unit" for a price per item (单价, 每台, 4500元一台, 6500元/吨), "total" for 预算/金额/总价/…,
 * "plain" for an amount with a money unit but no keyword (50万左右).
 */
import { MULT_SRC, multiplierValue, NUM_SRC, parseChineseNumeral, parseNumber, PER_UNIT_SRC } from "./numbers.ts";

export interface MoneyMention { value: number; kind: "unit" | "total" | "plain"; index: number; end: number }

// 含税2350, 不含税价3400: the price with or without VAT is a unit price all the same.
const UNIT_KEY = `单价|价格|报价|售价|不?含税价?|未税价?|每${PER_UNIT_SRC}|一${PER_UNIT_SRC}|@`;
const TOTAL_KEY = "预算|金额|总价|总额|合同额|合同金额|采购额|额度|总共|一共|总计|合计|货款|大概|大约|约";
const LINK = "(?:(?:就|都|还)?(?:按照?|是)|是|为|在|大概|大约|约|压到|降到|给到|报到|谈到|要|了|还剩|剩下?|还有|只有|有|不到|超过|差不多|控制在)?";
const CURRENCY = "(?:¥|￥|RMB|rmb|人民币)";
const KEY_RE = new RegExp(`(${UNIT_KEY}|${TOTAL_KEY})\\s*${LINK}\\s*${CURRENCY}?\\s*`, "g");
const CURRENCY_RE = new RegExp(`${CURRENCY}\\s*`, "g");
const NUMBER_RE = new RegExp(NUM_SRC, "g");
const UNIT_WORD = PER_UNIT_SRC;
/** "/台", "一台", "每台" right after a price makes it a unit price. */
const PER_UNIT_AFTER = new RegExp(`^\\s*(?:\\/|每|一)\\s*${UNIT_WORD}`);
/** A unit word right after a figure (五毛一只: the 一 opens "per piece"); or 十/百/千/万 there (the figure goes on). */
const UNIT_WORD_AT = new RegExp(`^\\s*${UNIT_WORD}`);
const UNIT_WORD_OR_TENS_AT = new RegExp(`^\\s*${UNIT_WORD}|^[十百千万]`);
/** A unit-price word ending the text before an amount (每根十一块), or standing for the whole key found (单价, 每台). */
const UNIT_KEY_BEFORE = new RegExp(`(?:${UNIT_KEY})\\s*$`);
const UNIT_KEY_ONLY = new RegExp(`^(?:${UNIT_KEY})$`);
/** After a number, these make it a count or something else, not money (200万条, 50万人, 1万多). */
// Classifiers that are also common words (把 as in 把合同发过去, 本 as in 本周) count only right after the number.
const NOT_MONEY_AFTER = /^\s*(?:台|套|件|个|只|箱|吨|条|片|米|块|辆|组|根|支|卷|包|袋|盒|桶|盏|公里|公斤|千克|平米|平方|立方|人|次|多)|^(?:[颗粒册副双张份捆枚罐筒瓶架盘株棵幅顶扎斤]|本(?![周月年])|[把位](?![\u4e00-\u9fa5]))/;
const WHOLE_DEAL_BEFORE = /(?:打包|总|整体|整套|全部|一共|合计|项目|合同)(?:的)?$/;

/**
 * One amount as written: a number, 来/多 (about), 个 before 万/亿, a multiplier, a digit after 万 (3万五),
 * a money unit, and a digit after 块/元 (十二块五 = 12.5).
 */
const AMOUNT_RE = new RegExp(
  `(${NUM_SRC})\\s*(?:来|多|余)?\\s*(?:个(?=\\s*[万亿]))?\\s*(${MULT_SRC})?([一二两三四五六七八九]千?)?\\s*(元|块钱|块|圆)?([一二三四五六七八九]|\\d(?![\\d.]))?(?:\\s*[毛角](?:([一二三四五六七八九]|\\d(?![\\d.]))分?)?)?`,
  "dy",
);

interface Amount {
  value: number;
  index: number;
  end: number;
  /** The money unit as written (元, 块, 块钱, 圆); 块 alone may also count pieces. */
  unit?: string;
  /** Written with 元/块钱/圆 or as 十二块五: money whatever the context. */
  marked: boolean;
  /** Written with 万 or 亿 (50万, 三十万, 1.2亿): money even without 元. */
  big: boolean;
}

interface AmountParts { num: string; mult?: string; tail?: string; unit?: string; jiao?: string; fen?: string; index: number; end: number }

const digitValue = (c: string) => (/\d/.test(c) ? Number(c) : parseChineseNumeral(c));

/** One amount under a yuan at `at` (JIAO_RE anchored there): 1毛2 = 0.12, 七毛五 = 0.75, 八毛 = 0.8. */
function jiaoAt(text: string, at: number): Amount | undefined {
  JIAO_AT_RE.lastIndex = at;
  const j = JIAO_AT_RE.exec(text);
  if (!j) return undefined;
  const perUnit = !!j[2] && !/[毛角钱分]$/.test(j[0]) && UNIT_WORD_AT.test(text.slice(at + j[0].length));
  const fen = digitValue(j[1]!) * 10 + (j[2] && !perUnit ? digitValue(j[2]) : 0);
  if (!(fen > 0)) return undefined;
  return { value: fen / 100, index: at, end: at + j[0].length - (perUnit ? j[2]!.length : 0), marked: true, big: false };
}

/**
 * 单价五分, 八分钱, 五分一颗: hundredths of a yuan (0.05), after a price word, with 钱 or before "per piece" — not
 * 五分钟, 五分之一, 打了五分 or 满分 (no digit), 部分发货.
 */
const FEN_AT_RE = /([一二两三四五六七八九]|\d)\s*分(钱)?(?![钟之半期批开配类析别享店厂公司])/y;
const PRICE_KEY_BEFORE = new RegExp(`(?:${UNIT_KEY})\\s*${LINK}\\s*$`);

function fenAt(text: string, at: number): Amount | undefined {
  if (/[\d.十百千万亿]/.test(text[at - 1] ?? "")) return undefined;
  FEN_AT_RE.lastIndex = at;
  const f = FEN_AT_RE.exec(text);
  if (!f) return undefined;
  const after = text.slice(at + f[0].length);
  const keyed = PRICE_KEY_BEFORE.test(text.slice(0, at)) && (/^(?![\u4e00-\u9fa5])/.test(after) || PER_UNIT_AFTER.test(after));
  if (!f[2] && !keyed && !PER_UNIT_AFTER.test(after)) return undefined;
  return { value: digitValue(f[1]!) / 100, index: at, end: at + f[0].length, marked: true, big: false };
}

function amountAt(text: string, at: number): Amount | undefined {
  // 1毛2, 七毛五, 八毛 after 单价 or alone: tenths and hundredths of a yuan, not 1 or 7.
  const under = jiaoAt(text, at) ?? fenAt(text, at);
  if (under) return under;
  AMOUNT_RE.lastIndex = at;
  const m = AMOUNT_RE.exec(text);
  if (!m?.indices) return undefined;
  const endOf = (i: number) => m.indices![i]![1];
  const unitAfter = (i: number) => UNIT_WORD_AT.test(text.slice(endOf(i)));
  const num = m[1]!;
  const mult = m[2];
  const numEnd = mult ? endOf(2) : endOf(1);
  // 两万一台 is 20,000 per unit: the 一 belongs to the unit.
  // 一万二一套 is 12,000 per set: after a digit that follows a unit (万二, 千五) 一 cannot be a count's last digit.
  // …but 每根十一块 is 11 yuan: after a per-unit key, 块 is the money word.
  const yuanAfterKey = /^\s*块/.test(text.slice(endOf(1))) && UNIT_KEY_BEFORE.test(text.slice(0, at));
  if ((/[十百千万亿]一$/.test(num) || /[十百千万亿][一二两三四五六七八九]一$/.test(num)) && unitAfter(1) && !yuanAfterKey) {
    return finish({ num: num.slice(0, -1), index: at, end: endOf(1) - 1 });
  }
  // A digit after 万/亿 counts one order lower (3万五 = 35,000), unless it starts "per unit" (1.8万一台).
  const tail = m[3] && mult && /[万亿]/.test(mult) && !unitAfter(3) ? m[3] : undefined;
  if (m[3] && !tail) return finish({ num, mult, index: at, end: numEnd });
  const unit = m[4];
  // 十二块五 = 12.5, but not 3块2000 or 5块一箱.
  const jiao = unit && m[5] && !UNIT_WORD_OR_TENS_AT.test(text.slice(endOf(5))) ? m[5] : undefined;
  // 两块八毛五 = 2.85, 3块5毛 = 3.5: 毛/角 after the tenths, the hundredths after it (not 八毛一个, per piece).
  const fen = jiao && m[6] && !unitAfter(6) ? m[6] : undefined;
  const mao = jiao ? /^\s*[毛角]/.exec(text.slice(endOf(5)))?.[0].length ?? 0 : 0;
  const end = fen ? endOf(6) : jiao ? endOf(5) + mao : unit ? endOf(4) : tail ? endOf(3) : numEnd;
  return finish({ num, mult, tail, unit, jiao, fen, index: at, end });
}

function finish(a: AmountParts): Amount | undefined {
  let value: number;
  if (a.tail) {
    value = /^\d/.test(a.num)
      ? parseNumber(a.num, a.mult![0]) + (a.tail.length === 1 ? parseChineseNumeral(a.tail) * multiplierValue(a.mult![0]!) / 10 : parseChineseNumeral(a.tail))
      : parseChineseNumeral(a.num + a.mult + a.tail);
  } else {
    value = parseNumber(a.num, a.mult);
  }
  // In fen (integers), divided once: 2 + 0.8 + 0.05 in floating point is not 2.85.
  if (a.jiao) value = (Math.round(value * 100) + digitValue(a.jiao) * 10 + (a.fen ? digitValue(a.fen) : 0)) / 100;
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return {
    value: Math.round(value * 1e6) / 1e6, index: a.index, end: a.end,
    ...(a.unit && { unit: a.unit }),
    marked: (!!a.unit && a.unit !== "块") || !!a.jiao,
    big: /[万亿wW]/.test(a.num + (a.mult ?? "")),
  };
}

/**
 * Prices under one yuan in words: 五毛 (0.5), 三毛五 (0.35), 一毛二 (0.12), 8毛 — 毛/角 are tenths, the digit
 * after them hundredths (not 三角带 or 五毛巾: a word goes on after them). Computed in fen (integers) and divided once, so the value is the nearest double.
 */
const JIAO_SRC = String.raw`([一二两三四五六七八九]|\d)\s*[毛角](?=钱|分|[一二三四五六七八九\d\s,，。;；、/]|$)(?:钱)?([一二三四五六七八九]|\d(?![\d.]))?(?:分)?`;
const JIAO_RE = new RegExp(`(?<![\\d.一二两三四五六七八九十百千万亿块元圆])${JIAO_SRC}`, "g");
/** The same, anchored where an amount starts (after 单价, or a number the loops found). */
const JIAO_AT_RE = new RegExp(JIAO_SRC, "y");

export function findMoney(text: string): MoneyMention[] {
  const out: MoneyMention[] = [];
  const taken: [number, number][] = [];
  const free = (a: number, b: number) => !taken.some(([x, y]) => a < y && b > x);
  const push = (m: MoneyMention, from = m.index) => {
    out.push(m);
    taken.push([from, m.end]);
  };
  for (const k of text.matchAll(KEY_RE)) {
    const a = amountAt(text, k.index + k[0].length);
    if (!a || !free(k.index, a.end)) continue;
    const key = k[1]!;
    const after = text.slice(a.end);
    // 合计一下, 总共算一下: 一下 after a sum word asks to work it out, it is no yuan.
    if (/^一$/.test(text.slice(a.index, a.end).trim()) && /^下/.test(after)) continue;
    // A bare number after a loose word (大概/约) needs a money unit or multiplier to count.
    if (/^(?:大概|大约|约)$/.test(key) && !a.big && !a.unit && !/[kKwW千]/.test(text.slice(a.index, a.end))) continue;
    // 约20台 is a quantity, not money; but 单价0.85瓶盖 (glued, the next product after it) is a price.
    if (!a.unit && NOT_MONEY_AFTER.test(after) && !/^\s*多/.test(after) && key !== "单价") continue;
    const kind = PER_UNIT_AFTER.test(after) ? "unit"
      // A quote is per item (报价4500元) unless it covers the whole deal (打包报价68万, 总报价).
      : key === "报价" && WHOLE_DEAL_BEFORE.test(text.slice(0, k.index)) ? "total"
      : UNIT_KEY_ONLY.test(key) ? "unit" : "total";
    push({ value: a.value, kind, index: a.index, end: a.end }, k.index);
  }
  for (const j of text.matchAll(JIAO_RE)) {
    // 五毛一只: the 一 after 毛 opens "per piece", it is no hundredth.
    const perUnit = !!j[2] && !/[毛角钱分]$/.test(j[0]) && UNIT_WORD_AT.test(text.slice(j.index + j[0].length));
    const end = j.index + j[0].length - (perUnit ? j[2]!.length : 0);
    if (!free(j.index, end)) continue;
    const fen = digitValue(j[1]!) * 10 + (j[2] && !perUnit ? digitValue(j[2]) : 0);
    if (!(fen > 0)) continue;
    push({ value: fen / 100, kind: PER_UNIT_AFTER.test(text.slice(end)) ? "unit" : "plain", index: j.index, end });
  }
  for (const c of text.matchAll(CURRENCY_RE)) {
    const a = amountAt(text, c.index + c[0].length);
    if (!a || !free(c.index, a.end)) continue;
    push({ value: a.value, kind: PER_UNIT_AFTER.test(text.slice(a.end)) ? "unit" : "plain", index: c.index, end: a.end });
  }
  for (const n of text.matchAll(NUMBER_RE)) {
    if (/[\d.]/.test(text[n.index - 1] ?? "")) continue;
    const a = amountAt(text, n.index);
    if (!a || !free(a.index, a.end)) continue;
    const after = text.slice(a.end);
    const perUnit = PER_UNIT_AFTER.test(after);
    const big = a.big && !NOT_MONEY_AFTER.test(after) && (perUnit || !/^[一二两三四五六七八九十百千]/.test(after));
    // 6800一吨: a bare figure before "per unit" is a price too.
    // 6块一双, 八块一个: 块 before "per unit" is yuan, not pieces.
    // 两百八一箱, 六十八一瓶: a figure in words with a digit after 十/百/千 before "per unit" is a price too.
    const barePrice = perUnit && (a.unit === "块" || (!a.unit && (/^\d/.test(n[0]) || /[十百千万亿][一二两三四五六七八九]$/.test(text.slice(a.index, a.end).trim()))));
    // A lone 万/千/百 with no count before it (万嘉, 千禾, 百达) opens a word, not an amount.
    if (!a.unit && /^[十百千万亿]+$/.test(text.slice(a.index, a.end).trim())) continue;
    if (!a.marked && !big && !barePrice) continue;
    push({ value: a.value, kind: perUnit ? "unit" : "plain", index: a.index, end: a.end });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A deal's total value, if the text states one (not a unit price). */
export function pickAmount(mentions: MoneyMention[]): number | undefined {
  return (mentions.find((m) => m.kind === "total") ?? mentions.find((m) => m.kind === "plain"))?.value;
}
