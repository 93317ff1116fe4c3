/**
 * The rep asks for list prices: the whole list (价格表, 报价单, 有哪些产品) or named goods (电机A多少钱, 电机a 现在什么价,
 * 变频器 单价). The goods are returned as written; the handler matches them to the price list (nlu knows no products).
 */
import type { Intent, PriceItem } from "../intent.ts";
import { CN_NUM_CHARS, parseNumber } from "./numbers.ts";
import { findQuantities, type QuantityMention } from "./quantities.ts";
import { blank } from "./text.ts";

const squash = (s: string) => s.normalize("NFKC").replace(/\s+/g, "").toLowerCase();

/** The whole list asked for, and nothing else said (环氧地坪漆的价格表发我一份 names goods: see PRICE_OF). */
const LIST_WORDS = "(?:产品)?(?:价格表|价目表|报价单|报价表|价格清单|价格单|价目单|价格目录|产品价格|产品清单|产品列表|产品目录|所有产品的?价格|全部产品的?价格|产品报价)";
const LEAD = "(?:请问|问一下|问下|麻烦|帮我|帮忙|给我|我要|我想要?|能不能|可以)?(?:查|看|发|拉|调|来|出)?(?:一下|下|看|查|个|一份|一个|份)?(?:最新的?|现在的?|目前的?|公司的?|我们的?|咱们的?)?";
const TAIL = "\\s*(?:发我|给我|发一下|发一份|来一份|看看|看一下|一下|一份|是多少|多少|(?:报|列|发|拉)(?:一下|下|个|出来)){0,2}(?:吧|呢|呀|啊|吗|嘛|哈)?[?？!！。]*";
export const PRICE_LIST_ASK = new RegExp(`^${LEAD}${LIST_WORDS}${TAIL}$`);
/** 有哪些产品, 都有什么产品, 我们卖什么, 能卖哪些货. */
export const PRODUCTS_ASK = /^(?:我们|咱们|公司|现在)?(?:都|能|可以)?(?:有|卖|在卖)(?:哪些|什么|啥)(?:产品|货|东西)(?:可以卖|能卖|呢|啊)?[?？]*$|^(?:产品|货品)(?:都)?有(?:哪些|什么|啥)[?？]*$/;

/** A price asked for named goods: 多少钱, 什么价, 啥价, 单价多少, 报价多少 (行情 and 涨价了吗 ask about the market, not the list). */
export const PRICE_QUESTION = new RegExp(
  [
    // 几钱 (几块钱 typed short), 报个总价 / 报总价 (the total asked for).
    "多少钱|多钱|几钱|什么价|啥价|几块钱|怎么卖|咋卖|卖多少(?!台|个|套|件|只)|报(?:个|一下|下)?总价",
    // 200台电机A总价多少, plc控制器5套 电缆10卷 一共多少: a total asked.
    "(?:总价|总额|总计|合计|一共|总共|加起来|算下来)(?:是|要|得|大概)?(?:多少|几)",
    // 变频器现价, 水泵现在报多少, 报个价给我看看 减速机, 电机A 电机B 各是多少.
    "现价(?:是)?(?:多少)?(?:钱)?[?？]*$|报(?:个|一下|下)价|(?:现在|目前)?报多少(?:钱)?[?？]*$|(?:各|分别)(?:是|要)?多少(?:钱)?",
    "(?:单价|价格|价钱|售价|报价|标价|牌价)(?:是|大概|现在|一般|目前)?(?:多少|几|啥|什么|怎么算)",
    // 最新价格 变频器 电缆, 单价 电机A: the price word opening the ask, the goods after it.
    "^(?:查一?下|看一?下)?(?:最新|现在|目前)?的?(?:单价|价格|价钱)(?=\\s+[\\u4e00-\\u9fa5A-Za-z])",
    `(?:一|每)${"[台个套件只盒卷米吨箱把张根条桶袋包瓶支块组对]"}(?:是)?多少(?:钱)?$|多少(?:钱)?(?:一|每)${"[台个套件只盒卷米吨箱把张根条桶袋包瓶支块组对]"}$`,
  ].join("|"),
);
/**
 * What the asker may give: 我的折扣权限是多少, 最多能给客户打几折, 电机A最低能给到多少, 电机A的底价 — answered by the same
 * look-up (the floor per product and the limit).
 */
export const LIMIT_QUESTION = /(?:折扣|打折|优惠)?权限(?:是|有)?(?:多少|多大|几|怎么算)|最多(?:能|可以)?(?:给|打|让)(?:客户)?(?:打)?(?:几|多少)(?:折|个点)|最低(?:能|可以)?(?:给|卖|报|做)?到?多少|(?:底价|最低价|标准价|指导价|出厂价|目录价)(?:是|大概)?(?:多少|几)?(?:钱)?[?？]*$/;
/** 变频器 单价, 电机A的价格, 电缆报价: goods, then a price word closing the message. */
export const PRICE_OF = new RegExp(`^(?:${LEAD})?([^\\s，,。;；]{1,20}(?:[\\s、，,和及与跟/]+[^\\s，,。;；]{1,20}){0,5})\\s*的?\\s*(?:单价|价格|价钱|售价|标价|牌价|报价|价位|价格表|价目表|报价单|标准价|指导价|出厂价|目录价|底价|最低价|总价|总额)${TAIL}$`);

const COUNT_UNIT = "台|个|套|件|只|盒|卷|米|吨|箱|把|张|根|条|桶|袋|包|瓶|支|块|组|对|片|公斤|kg|pcs";

/**
 * 电缆 卷的和米的, 按卷和按米, 卷的米的, 按卷按米: two units of one product asked side by side (a joint between them, or
 * 按/的 marking each).
 */
const BOTH_SRC = `(?:按(${COUNT_UNIT})的?|(${COUNT_UNIT})的)\\s*(?:(?:和|跟|与|、|及|还有)\\s*(?:按)?(${COUNT_UNIT})的?|按(${COUNT_UNIT})的?|(${COUNT_UNIT})的)`;

/**
 * A total asked for once a count is written, in words that alone ask nothing (电机A 10台 电机B 5台 合计哈, 帮我算一下
 * 电机A 12台, 电机b 8 要多少): a sum word opening or closing the message, a request to work it out, a bare 多少 closing it.
 */
export const SUM_ASK = /^(?:合计|总共|一共|总价|总额|加起来)|(?:合计|总共|一共|总价|总额|加起来)(?:一下|下)?(?:是|要|得)?(?:多少)?钱?\s*[呢啊呀吧哈]*$|帮我算|帮忙算|(?<!回去|再)算(?:一下|下|算)|核算|(?:要|是|得|需要)?多少钱?\s*[呢啊呀吧哈]*$/;

/** What is said around the goods: fillers, the question, a per-unit (一台, 每套). */
const NOT_GOODS = new RegExp(
  [
    // 价格表上电缆什么价, 产品价格表里电机A多少钱: the list as the place to look.
    "(?:产品)?(?:价格表|价目表|报价单|报价表|价格清单|价格单)(?:里面?|上面?|中)?的?", "(?:要|是|得|需要)?多少钱(?:一|每)?[\\u4e00-\\u9fa5]?", "多钱", "几钱", "现价", "(?:现在|目前)?报多少(?:钱)?",
    // 报个总价给我, 帮我算下总价, 帮忙算算, 算一下: the ask, never goods (报 and 算下 came out as products).
    "(?:帮我|帮忙|麻烦|给我)?报(?:个|一下|下)?(?:总价|价)(?:给我|发我)?(?:看看|看下|看一下|瞧瞧)?", "(?:帮我|帮忙|麻烦|你)?(?:算一下|算下|算算|核算一下|核算|估一下)(?:总价|总额)?(?:多少钱?)?",
    "(?:各|分别)(?:是|要)?多少(?:钱)?", "(?:要|是|得|需要)多少(?:钱)?",
    // 电缆 卷的和米的 分别多少: the units asked in (see BOTH_UNITS).
    BOTH_SRC,
    // 客户问 …, 客户要30台电机A: the customer's question passed on, the asker no goods; 都什么价: 都 asks over them all.
    "^[\\u4e00-\\u9fa5]{0,8}?(?:客户|对方|他们|她们|人家|采购|老板|[\\u4e00-\\u9fa5](?:总|经理|工))(?:那边)?(?:想|还|也|又)?(?:问|询问|咨询|要|需要|知道)(?:一下|下)?(?:个|一个)?(?:报价|价格)?", "^(?:问|想问)(?:一下|下)?(?=\\s)", "的话(?=[\\s、]|$)", "(?:^|\\s)(?:都|各|全部|一起)(?=\\s*$|什么|啥|多少)",
    // 电机A 200台多少钱: the count is no part of the goods (taken out before, see COUNT); 电缆按米多少钱: nor the unit asked in.
    `(?:按|论)(?:${COUNT_UNIT})(?:算|卖|计|报)?`, "(?:总价|总额|总计|合计|一共|总共|加起来|算下来)(?:一下|下)?(?:是|要|得|大概)?(?:多少|几)?(?:钱)?", "什么价(?:格|钱|位)?", "啥价(?:格|钱|位)?", "几块钱(?:一|每)?[\\u4e00-\\u9fa5]?", "怎么卖|咋卖|卖多少(?:钱)?",
    "(?:我的?)?(?:折扣|打折|优惠)?权限(?:是|有)?(?:多少|多大|几|怎么算)?", "(?:我)?最多(?:能|可以)?(?:给|打|让)(?:客户)?(?:打)?(?:几|多少)(?:折|个点)",
    "最低(?:能|可以)?(?:给|卖|报|做)?到?多少", "(?:底价|最低价|标准价|指导价|出厂价|目录价|价位)(?:是|大概)?(?:多少|几)?(?:钱)?", "多少(?:钱)?",
    "(?:单价|价格|价钱|售价|报价|标价|牌价)(?:是|大概|现在|一般|目前)?(?:多少|几|啥|什么|怎么算)?", "^(?:查一?下|看一?下)?(?:最新|现在|目前)?的?(?=单价|价格|价钱)",
    "(?:一|每)[台个套件只盒卷米吨箱把张根条桶袋包瓶支块组对]", "^(?:请问|问一下|问下|麻烦|帮我|帮忙|给我|我想知道|想问下?|查一下|查下|查查|查|看一下|看下|看看)?(?:算一下|算下|算算|核算一下|估一下)?",
    "现在|目前|最新的?|大概|一般|来着|(?:发我|给我|来)(?:一份|一下)?|发一份", "[吗呢嘛啊呀吧哈]+(?=\\s|$)",
  ].join("|"),
  "g",
);

const COUNT_UNITS = new Set(COUNT_UNIT.split("|"));
/** 买/要/订/拿/来 (如果要 …) right before a count: no part of the goods. */
const COUNT_VERB = /(?:要是|如果|假如|若是)?\s*(?:买|要|订|拿|进|来|采购|订购|拿货)?\s*$/;
/** 算一下 … 多少钱: the ask, no part of the goods. */
const RECKON = /^(?:帮我|帮忙|麻烦)?(?:算一下|算下|算算|核算一下|估一下)/;

/**
 * Whether a name the company finder guessed from its position (电机A买200台多少钱 → 电机A买, 算一下电机A 200台多少钱 →
 * 算一下电机A, 电缆×20多少钱 → 电缆×) is one of the goods asked about, with the verb or the ask glued to it: then the count is the goods', no
 * customer's order.
 */
export function namesAskedGoods(name: string, products: readonly string[]): boolean {
  // 电缆×20: the times sign is the count's.
  const goods = name.replace(RECKON, "").replace(/\s*[×*]\s*$/, "").replace(COUNT_VERB, "");
  // 如果要200台电机A: nothing but the words around the count.
  if (goods === "" || products.includes(goods)) return true;
  // 电机A十台, PLC控制器两套多少钱, 三百台电机A多少钱: the guess ran into the count or the question, and what is left is the
  // goods; vfd- (of vfd-1 15台) was cut inside one.
  const left = priceProducts(name);
  const own = (g: string) => products.some((p) => squash(p) === squash(g));
  // 总共多少 电机A 7台: nothing but the ask.
  if (!left.length || (left.join("") !== name.trim() && left.every(own))) return true;
  return /[-_]$/.test(name) && products.some((p) => squash(p).startsWith(squash(name)));
}

/** What may close a count written with no measure word: a space, the end, a sum word or the question (电机A 50 一共多少). */
const BARE_END = "(?=\\s|$|一共|合计|总共|总价|总额|加起来|(?:要|是|得)?多少|多钱|几钱|的话|的总价|的价格)";
/**
 * 电机A 50 电机B 20 一共多少, 变频器 30 合计多少钱, 电机B一百五 总共多少: a count with no measure word after the goods — a number
 * standing alone after them, or a numeral with 十/百/千/万 glued to them —; the unit is the product's (the handler's to
 * find). Not a number glued to the goods in digits (电机A50, S7-1200: a model) nor a lone 一 (二合一).
 */
const BARE_COUNT = new RegExp(
  `(?<=[\\u4e00-\\u9fa5A-Za-z0-9)]\\s+)(\\d{1,7}(?:\\.\\d+)?|[${CN_NUM_CHARS}]+)${BARE_END}|(?<=[\\u4e00-\\u9fa5A-Za-z])([${CN_NUM_CHARS}]*[十百千万][${CN_NUM_CHARS}]*)${BARE_END}|(?<=[\\u4e00-\\u9fa5])(\\d{1,7})${BARE_END}`,
  "g",
);

function bareCounts(text: string): QuantityMention[] {
  const out: QuantityMention[] = [];
  for (const m of text.matchAll(BARE_COUNT)) {
    const raw = m[1] ?? m[2] ?? m[3]!;
    // The goods before it: words, not another count or figure (电机A 200台 4500 is a price, no count).
    const before = text.slice(0, m.index).trimEnd();
    if (!/[\u4e00-\u9fa5A-Za-z)]$/.test(before) || /(?:单价|价格|价|元|块|台|套|个|件|卷|米|[xX×*])$/.test(before)) continue;
    const value = parseNumber(raw);
    if (!Number.isFinite(value) || value <= 1 || value > 1e7) continue;
    out.push({ value, unit: "", index: m.index, end: m.index + raw.length });
  }
  return out;
}

/**
 * The counts in a price question (200台, 两百台, 电机A ×5, 电机A 50 合计): not a per-unit 一台, not a size (10平方电缆).
 */
export function countsIn(text: string): QuantityMention[] {
  const qs = findQuantities(text).filter((q) => !q.weak && (q.unit === "" || COUNT_UNITS.has(q.unit)));
  // 10平方电缆 20: the number inside a size (10平方) or a count already read is no bare count.
  const all = findQuantities(text);
  const bare = bareCounts(text).filter((b) => !all.some((q) => q.index < b.end && q.end > b.index));
  return [...qs, ...bare].sort((a, b) => a.index - b.index);
}

/**
 * 电机A 电机B 变频器 都什么价: goods separated by spaces only are each one; a part with no Chinese and a digit in it (伺服电机
 * 750W, PLC S7-1200) is the spec of the goods before it.
 */
function spacedGoods(s: string): string[] {
  const out: string[] = [];
  for (const w of s.trim().split(/\s+/)) {
    if (out.length && !/[\u4e00-\u9fa5]/.test(w) && /\d/.test(w)) out[out.length - 1] += ` ${w}`;
    else out.push(w);
  }
  return out;
}

/** The goods named in a price question, as written: split on 、，和 … and at a count (plc控制器5套 电缆10卷); empty for none. */
export function priceProducts(text: string): string[] {
  let rest = text.replace(/[?？!！。]+/g, " ").trim();
  // 电机A 200台多少钱: the count is no part of the goods, and it ends them; so is the verb before it (电机A买200台,
  // 要200台电机A) and 的话 after it.
  for (const q of countsIn(rest).reverse()) {
    const start = q.index - (COUNT_VERB.exec(rest.slice(0, q.index))?.[0].length ?? 0);
    rest = `${rest.slice(0, start)}、${rest.slice(q.end).replace(/^\s*的话/, "")}`;
  }
  for (let i = 0; i < 3; i++) rest = rest.replace(NOT_GOODS, " ").trim();
  return rest
    // 三十台变频器 加 两套PLC: 加 spaced off is a joint too (加湿器 glued is a name).
    .split(/[、，,;；/+＋&]|(?<=\S)\s*(?:和|及|与|跟|还有)\s*(?=\S)|\s+(?:再)?加上?\s+/)
    .flatMap(spacedGoods)
    .map((s) => s.replace(/^\s*的|的\s*$/g, "").replace(/\s+/g, " ").trim())
    // 咱们都卖啥 各: a question word is never part of a product's name.
    // …nor the joints, the asker or the verb left alone (加, 客户, 问, 要).
    // …nor the rep's own remark after the question (我这边要填出库单, 我登记一下).
    .filter((s) => s.length > 0 && !/^(?:的|是|有|产品|东西|货|钱|加|加上|再加|还有|问|要|客户|对方|他们|她们|人家)$/.test(s) && !/^(?:我|咱)/.test(s) && !/啥|什么|哪些|哪个|多少|几[台个套件种样]/.test(s))
    .slice(0, 20)
    .map((s) => s.slice(0, 100));
}

/** 电缆 卷的和米的 分别多少, 电缆按卷和按米各多少: two units of one product asked side by side. */
const BOTH_UNITS = new RegExp(BOTH_SRC);

/** 电缆按米多少钱, 电缆每米多少钱, 电缆一米多少钱, 电缆多少钱一米: the unit asked in, no count. */
const PER_UNIT = new RegExp(`(?:按|论|每|(?<![\\d一二两三四五六七八九十百千万])一)(${COUNT_UNIT})(?![\\u4e00-\\u9fa5]*?[\\d¥￥])`);

/**
 * The goods asked with a count (电机A 200台多少钱, 200台电机A总价多少, plc控制器5套 电缆10卷 一共多少钱) or in a unit
 * (电缆按米多少钱: one product named). Each count goes with the goods before it, or, when the message opens with a count,
 * with the goods after it. Empty when none.
 */
export function priceItems(text: string): PriceItem[] {
  const t = text.replace(/[?？!！。]+/g, " ");
  const qs = countsIn(t);
  if (!qs.length) {
    const products = priceProducts(t);
    // 电缆 卷的和米的 分别多少: both lines of the one product.
    const both = BOTH_UNITS.exec(t);
    const [first, second] = both ? both.slice(1).filter(Boolean) : [];
    if (first && second && products.length === 1) return [{ product: products[0]!, unit: first }, { product: products[0]!, unit: second }];
    const unit = PER_UNIT.exec(t)?.[1];
    return unit && products.length === 1 ? [{ product: products[0]!, unit }] : [];
  }
  // Where each count starts, with the verb before it (电机A买200台, 要200台电机A).
  const starts = qs.map((q) => q.index - (COUNT_VERB.exec(t.slice(0, q.index))?.[0].length ?? 0));
  const countFirst = priceProducts(t.slice(0, starts[0])).length === 0;
  const items: PriceItem[] = [];
  qs.forEach((q, i) => {
    const goods = countFirst ? priceProducts(t.slice(q.end, starts[i + 1] ?? t.length))[0] : priceProducts(t.slice(i === 0 ? 0 : qs[i - 1]!.end, starts[i])).at(-1);
    if (goods) items.push({ product: goods, quantity: q.value, ...(q.unit ? { unit: q.unit } : {}) });
  });
  return items.slice(0, 20);
}
/**
 * What may stand around a list's name when the whole list is asked for (价目表发下, 最新价格表发我下, 报价单有没有 发一份,
 * 完整价格清单拉出来我看下, 价格清单更新了没 发我看看, 把价目表发到群里).
 */
const LIST_FILLER = /都|在哪里?|在哪儿|哪里有|哪有|去哪(?:里)?(?:看|找|查)|请问|问一下|问下|麻烦|帮我|帮忙|给我|发我|我要|我想要?|能不能|可以|有没有|有吗|更新了?没有?|更新了吗|最新的?|新的|现在的?|目前的?|公司的?|我们的?|咱们的?|完整的?|全部的?|整个的?|所有的?|一整份|一份|一个|一下|拉出来|调出来|发出来|发到群里?|发群里|发个|发一下|发下|发来|发过来|发给我|发|拉|调|来|出|查|看看|看下|看一下|瞅瞅|看|份|个|下|我|把|群里|吧|呢|呀|啊|吗|嘛|的|没|[?？!！。，,、\s]/g;
const LIST_NOUN = new RegExp(LIST_WORDS, "g");
const LIST_WORD = new RegExp(LIST_WORDS);
/** The whole list asked for, in a list's name and words that carry nothing else. */
export function isWholeListAsk(text: string): boolean {
  const t = text.trim();
  if (PRICE_LIST_ASK.test(t) || PRODUCTS_ASK.test(t)) return true;
  if (!LIST_WORD.test(t)) return false;
  return t.replace(LIST_NOUN, " ").replace(LIST_FILLER, "").replace(LIST_FILLER, "") === "";
}
/**
 * The whole range asked about (咱们都卖啥 各多少钱, 我们有哪些产品 分别多少钱, 公司卖的东西都啥价, 所有产品都多少钱, 全部产品的
 * 报个价): the whole list, never products made of the question's words.
 */
export const RANGE_ASK = /(?:都|能|可以|在)?(?:卖|有)的?(?:哪些|什么|啥)(?:产品|货|东西)?|(?:所有|全部|全)的?(?:产品|货品?|东西)|(?:卖|有)的(?:东西|产品|货)|(?:产品|货品?|东西)(?:都)?有?(?:哪些|什么|啥)/;

/** 东方轴承要80台电机B …, 华东机电 问 电机A …, 蓝天环保那边要…: the customer who wants or asks, before the goods. */
const CUSTOMER_GLUE = /^\s*(?:的[\u4e00-\u9fa5]{1,4}?)?(?:那边|这边|他们|她们)?\s*(?:(?:想)?问(?:一下|下)?|想要|要|需要|想订|订)/;
/** 东方轴承 电机B 30台 帮我算下总价: a customer's name opening the ask, spaced off goods that are no count. */
const CUSTOMER_SPACED = /^\s+(?![\d一二两三四五六七八九十百千万])[^\s\d]/;

/**
 * The price look-up; `customer`, where the message names one (a customer's ask passed on to the bot), is taken out
 * when it stands before the goods as the one who wants or asks — and goods are left.
 */
export function buildPriceList(raw: string, customer?: { index: number; end: number; spaced?: boolean }): Intent {
  let text = raw;
  const after = customer ? raw.slice(customer.end) : "";
  const glue = CUSTOMER_GLUE.exec(after)?.[0].length ?? (customer?.spaced && CUSTOMER_SPACED.test(after) ? 0 : undefined);
  if (customer && glue !== undefined) {
    const rest = blank(raw, [{ index: customer.index, end: customer.end + glue }]);
    if (priceProducts(rest).length) text = rest;
  }
  if (isWholeListAsk(text) || RANGE_ASK.test(text)) return { intent: "price_list" };
  const items = priceItems(text);
  // Every good counted is also named (one list of the goods, as the LLM's schema has it).
  const products = [...priceProducts(text)];
  for (const i of items) if (!products.some((p) => squash(p) === squash(i.product))) products.push(i.product);
  if (!products.length) return { intent: "price_list" };
  return { intent: "price_list", products: products.slice(0, 20), ...(items.length ? { items } : {}) };
}
