/** Quantities with units: 200台, 3箱, 两百台, 20万条, 1.5吨, 10 pcs. */
import { findEnglishQuantities } from "./english.ts";
import { CLASSIFIER_CLASS, MULT_SRC, NUM_SRC, parseNumber, PER_UNIT_SRC } from "./numbers.ts";

/**
 * The measure words goods are counted or weighed in: machines (台, 部, 架), furniture and lamps (把, 张, 组, 盏,
 * 位 for workstations), containers (桶, 罐, 箱, 托), lengths, areas, volumes and weights (米, 平米, 立方, 公斤, 斤, 克).
 * Longest first, so 平方米 wins over 平.
 */
export const UNITS = [
  "平方米", "立方米", "公斤", "千克", "公里", "千米", "延米", "毫升", "公升", "平米", "平方", "立方", "平", "面", "台", "套", "件", "个",
  "只", "箱", "吨", "米", "卷", "把", "瓶", "桶", "包", "袋", "盒", "片", "块", "根", "条", "支", "组", "托", "柜", "辆", "张", "副",
  "对", "双", "颗", "粒", "份", "樘", "扇", "部", "方", "升", "本", "册", "捆", "枚", "罐", "筒", "打", "盏", "位", "架", "盘", "株",
  "棵", "幅", "顶", "扎", "斤", "克", "提", "kg", "KG", "pcs", "PCS", "Pcs", "㎡", "m",
];
/** What may follow a unit without turning it into something else (个月, 个点, 块钱, 台风 …). */
const NOT_AFTER_UNIT = /^(?:分|门|月|项目|人|点|工作日|小时|星期|礼拜|多月|方面|问题|客户|供应商|时间|钱|式|案|面(?![粉条包膜料板漆砖])|便|向|法|批准|左右的人)/;
/** 平 and 面 are also words (平台, 平均, 面谈, 见一面): a count only when none of these follows. */
const NOT_AFTER_FLAT = /^(?:台|安|均|时|衡|稳|价|常|静|板|谈|试|议|临|向|对|前|子|料|上|下|里)/;
/** 打 (a dozen) is also a verb (打9折, 打电话, 打款): a count only when no such word follows. */
const NOT_AFTER_DA = /^(?:\s*[\d一二三四五六七八九.]+\s*折|折|电话|个|了|过|款|算|包|印|车|听|扰|给|开|到|完|通)/;
/** 位 counts seats and workstations (工位 80位), but 三位领导 / 两位数 count people and digits. */
const NOT_AFTER_WEI = /^(?![单每一价])[\u4e00-\u9fa5A-Za-z]/;
/** 500克装, 12瓶装: a pack size, not a count; 3克拉 is a carat. */
const NOT_AFTER_PACK = /^(?:装|拉)/;
/** 200m is metres only standing alone or before a price (200m 单价12): 10mm, 5m卷尺, 3m胶带 are sizes and names. */
const M_ENDS = /^(?:$|[\s,，、;；。!！?？@×*]|单价|价格|每|的)/;
/** 提 counts packs (卫生纸 120提) but is also a verb (提货, 提价, 两提一下): a count only when no such word follows. */
const NOT_AFTER_TI = /^(?:货|价|前|出|醒|交|供|高|升|到|了|过|成|议|案|单|现|款|取|示|问|起|速|一下|及|拔|名|意|请|炼|纯|倡|携|心|成)/;
/** 四件套, 三件套: a set's name (床品四件套), not four pieces. */
const NOT_AFTER_JIAN = /^套/;
/** 本 also means "this/own" (一本正经, 两本地仓): a count only when no such word follows. */
const NOT_AFTER_BEN = /^(?:周|月|季|年|地|身|来|人|部|厂|公司|次|批|单)/;

/** What a cross-section (平方) is glued to when it names goods: a word that is no unit, price or filler. */
const CROSS_SECTION_GOODS = /^(?![的每一左单价米])[\u4e00-\u9fa5A-Za-z]/;

/** 200台, 两百来台 (about 200), 20多箱, 1.5万条. */
const QTY_RE = new RegExp(`(?<![\\d.\\-第/])(${NUM_SRC})\\s*(${MULT_SRC}(?!克))?\\s*(?:来|多|余)?\\s*(${UNITS.join("|")})`, "g");

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
/** After 块: 十二块一个, 三块五 — yuan with "per piece" or the jiao after it, not pieces. */
const YUAN_THEN = new RegExp(`^(?:[一二三四五六七八九](?![\\u4e00-\\u9fa5])|\\d(?![\\d.])(?![\\u4e00-\\u9fa5])|[一每]\\s*${PER_UNIT_SRC})`);
/** After 一台/一只: a price in words (一台一万二, 一只五毛), not a count. */
const PRICE_IN_WORDS = new RegExp(`^[一二两三四五六七八九十]+[百千万毛角块](?!${CLASSIFIER_CLASS})`);
const TIMES_RE = /(?<=[\u4e00-\u9fa5A-Za-z0-9)\s])[×xX*]\s*(\d{1,7})(?![\d.])/g;

export function findQuantities(text: string): QuantityMention[] {
  const out: QuantityMention[] = [];
  for (const m of text.matchAll(TIMES_RE)) {
    if (/[A-Za-z]/.test(text[m.index - 1] ?? "") && /[xX]/.test(m[0][0]!)) continue; // "max5", "S7x2"
    if (/\d/.test(text[m.index - 1] ?? "")) continue; // H型钢200*200, 4×25: a size, not "× count"
    // A letter glued to the product and a number (控制器X200, YGC-3x2.5, 4x25) is a model code or a
    // dimension, not "× count": only a spaced x (R57 x 60) or ×/* counts.
    if (/[xX]/.test(m[0][0]!) && !/\s/.test(text[m.index - 1] ?? " ") && !/^[xX]\s/.test(m[0])) continue;
    out.push({ value: Number(m[1]), unit: "", index: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(QTY_RE)) {
    const end = m.index + m[0].length;
    let unit = m[3]!;
    let num = m[1]!;
    // 三十二块一千克: the 千 before 克 is the measure's (千克), not the number's.
    if (unit === "克" && /[\u4e00-\u9fa5]千$/.test(num)) {
      num = num.slice(0, -1);
      unit = "千克";
    } else if (unit === "克" && num === "千") continue;
    if (NOT_AFTER_UNIT.test(text.slice(end)) || (unit === "本" && NOT_AFTER_BEN.test(text.slice(end)))) continue;
    if (unit === "打" && NOT_AFTER_DA.test(text.slice(end))) continue;
    if (unit === "m" && (!M_ENDS.test(text.slice(end)) || m[2])) continue; // 5km is no 5000m
    if (unit === "提" && NOT_AFTER_TI.test(text.slice(end))) continue;
    // 10平方电缆, 4平方电线, 2.5平方线: a cross-section glued to the goods' word is part of their name (cables are named
    // by it), no count; 200平方 (standing alone) and 200平方米 are areas counted.
    if (unit === "平方" && CROSS_SECTION_GOODS.test(text.slice(end))) continue;
    if (unit === "件" && NOT_AFTER_JIAN.test(text.slice(end))) continue;
    if ((unit === "位" && NOT_AFTER_WEI.test(text.slice(end))) || NOT_AFTER_PACK.test(text.slice(end))) continue;
    // A lone 千/百/万 opens a word (千斤顶, 万向轮, 百叶窗), it counts nothing.
    if (/^[百千万亿]$/.test(num) && !m[2]) continue;
    if ((unit === "平" || unit === "面") && (NOT_AFTER_FLAT.test(text.slice(end)) || num === "一")) continue;
    // "一台"/"一吨" after a price is "per unit", not a quantity: 6500元一吨, 4500元一台.
    // …and so after a price in fen (五分一颗).
    if (/^[一每]$/.test(num) && /(?:[元块万毛角]|\d\s*[kKwW千]|(?<![十百千万亿\d.])[一二两三四五六七八九\d]分)\s*$/.test(text.slice(0, m.index))) continue;
    // 一套4800: "per set" glued to a price, not one set.
    if (/^[一每]$/.test(num) && /^[\d¥￥]/.test(text.slice(end))) continue;
    // 一张是九百五, 每把就是三百二: "per piece is" a price, not one piece.
    if (/^[一每]$/.test(num) && /^\s*(?:就|都|还)?(?:是|为|按|算)\s*(?:[\d¥￥]|[一二两三四五六七八九十]+[百千万块元])/.test(text.slice(end))) continue;
    // 十二块一个, 三块五: 块 as yuan, with "per piece" or the jiao after it, is a price, not pieces.
    if (unit === "块" && YUAN_THEN.test(text.slice(end))) continue;
    // 一台一万二, 一只五毛: "per piece" glued to a price in words.
    if (/^[一每]$/.test(num) && PRICE_IN_WORDS.test(text.slice(end))) continue;
    // 三百二一把 is 320 per piece: a digit after 百/千/万 followed by 一 is never one count.
    // So is 六十八一箱 (68 a box) and 一百一一套 (110 a set): two digits in a row after 十/百/千 is a price and its "per".
    if (/[十百千万亿][一二两三四五六七八九]一$/.test(num) && !/^[一二两三四五六七八九]?十一$/.test(num)) continue;
    let value = parseNumber(num, m[2]);
    if (!Number.isFinite(value) || value <= 0) continue;
    // 两打 said in words is 24 pieces; 150打 (or a price per 打 after it) sells by the dozen.
    // …so its unit is the piece (个), not 打: the count was converted, the unit with it.
    if (unit === "打" && !/\d/.test(num) && !m[2] && !/[每一/]\s*打/.test(text.slice(end))) {
      value *= 12;
      unit = "个";
    }
    out.push({ value, unit, index: m.index, end, ...(num === "一" && !m[2] && { weak: true }) });
  }
  for (const q of findEnglishQuantities(text)) {
    if (!out.some((o) => o.index < q.end && o.end > q.index)) out.push({ ...q, unit: "" });
  }
  return out.sort((a, b) => a.index - b.index);
}
