/** place_order: 下单 华东机电 电机A 200台 单价4500 电机B 50台 打9折. */
import type { IntentOf, OrderItem } from "../intent.ts";
import { cutName, findCompany, isPlausibleCompany } from "./companies.ts";
import { findDiscount, findReason } from "./discounts.ts";
import { findMoney } from "./money.ts";
import { CLASSIFIER_CLASS, CN_NUM_CHARS, MULT_SRC, NUM_SRC, parseNumber, PER_UNIT_SRC } from "./numbers.ts";
import { findQuantities } from "./quantities.ts";
import { blank, SEPARATOR_CLASS, tokens, trimSeparators } from "./text.ts";
import { ORG_SUFFIX } from "./company-words.ts";
import { normalizeCompanyName } from "../customer-match.ts";

/** An organisation's ending without its anchor, to find 订 glued to a name (海川船舶订液压软管). */
const SUFFIX_SRC = ORG_SUFFIX.source.replace(/\$$/, "");

/**
 * What opens an order: 下单/报单/订货…, a bare 订/订购/要货 between customer and items (X 订 产品…), 订 after
 * a wish (X要订, 想订, 再订), "the last/first order" (年前最后一单 X …), 订 glued to a name that ends in an
 * organisation word (X船舶订液压软管), and "X's order" ending its field (那个X的单子 产品…).
 */
const ORDER_TRIGGER_SRC = "(?:^|(?<=\\s))PO(?=\\s|[:：]|$)|有(?:个|一)单(?=\\s|$)|下一?个单子?|下了单|下单|新单|报单|补单|订单|开单|订货|(?:^|(?<=\\s))(?:订|订购|要货)(?=\\s|$)|(?<=要|想|再|又|来|准备|需要|确定|确认|继续)订(?:购|了)?|(?:最后|第一|新的?|又)一单(?=\\s|$)"
  // X再来 LED筒灯 200个, X 再来 办公椅 100把: the same goods again, said as its own field (not 下周再来, a visit).
  + "|(?:^|(?<=\\s)|(?<=[\\u4e00-\\u9fa5A-Za-z]{2}))(?<!下周|明天|后天|改天|下次|回头|过两天|过几天|以后|之后|有空|有时间|[周点号])再来(?:一批|一单|点)?(?=\\s|$)"
  + `|(?<=${SUFFIX_SRC})订(?:购|了)?(?![单货书的过])|(?<=[\\u4e00-\\u9fa5A-Za-z]{2})的单子?(?=\\s|$)`;
export const ORDER_TRIGGER = new RegExp(ORDER_TRIGGER_SRC);
/** Each of ORDER_TRIGGER's words holds one of these: without any, the long regex (tried at every position) cannot match. */
const ORDER_TRIGGER_HINT = /PO|单|订|要货|再来/;
/** ORDER_TRIGGER.test, with a cheap check first: most messages hold no order word at all. */
export function hasOrderTrigger(text: string): boolean {
  return ORDER_TRIGGER_HINT.test(text) && ORDER_TRIGGER.test(text);
}
/** The explicit order words a rep opens an order with (not 订 after a wish). */
export const ORDER_WORD = /(?:^|(?<=\s))PO(?=\s|[:：]|$)|有(?:个|一)单(?=\s|$)|下一?个单子?|下了单|下单|新单|报单|补单|订单|开单|订货/;
const TRIGGER = ORDER_TRIGGER;
const FIELD_RE = new RegExp(`[^${SEPARATOR_CLASS}]+`, "g");
// X帮我下个单 / X你帮我报单: the request before the order word is no part of the name.
const CUSTOMER_NOISE = /^(?:帮我|请|麻烦)?(?:给|帮|为)?(?:客户)?|(?:要|想|需要|来|再|又|准备|确定|确认|继续)?(?:你?帮我|帮忙|给我|麻烦你?|请)?$/g;
// 加 joins items ("…10台，再加电机B 5台") but also starts product names (加药装置, 加氯机, 加湿器, 加热器, 加压泵):
// before those morphemes it is part of the name.
// The deal's verb before the goods (签了合同 200台…, 追加 电机A…, 订了) is not part of a product either.
const PRODUCT_NOISE = /^(?:的|(?:要|需要|想|得|准备)(?:更换|换(?:成|个|一批|掉)?(?![热向气挡]))|(?:要|再|还|又)加(?![热湿药氯压工速密固料])|要了|要|各|补(?:个|点|一批)?货|(?:采购|购买|购进)(?:一批|些|点)?|更换|订(?:购|了)?(?!书)|共|(?:再|又|还)(?:来|要|拿)了?|然后|再|还有|另外|和|及|以及|加上|加(?![热湿药氯压工速密固料])|就是|(?:他们|她们|对方|人家|客户)(?:也|还|又)?(?:想要|需要|要)|(?:追加|加|再下|补)?一个?单子?|啊|呀|嗯|哦|追加|加订|签(?:了|下|好了)?(?:合同|单)?了?|订了|定了|成交了?|下单了?|买了?|拿了?|(?:又|还)要了?|那个|这个|[，,、+＋&\s])+|(?:各|共|要|的|数量|(?:再|又|还)(?:来|要|拿|订)了?)+$/g;
const FIRST_PRODUCT_NOISE = new RegExp(PRODUCT_NOISE.source.replace("|和|及|以及|加上|加(?![热湿药氯压工速密固料])", ""), "g");
/** Suffixes that stack on a name ending in a suffix (鑫源化工集团, 远航电子有限公司). */
const STACKED_SUFFIX = /^(?:集团|股份|有限|有限公司|有限责任公司|股份有限公司|公司|科技|(?:总|分|加工)?厂|(?:\(中国\)|（中国）))+$/;

/**
 * 华东机电电机A (no space between customer and product): the name ends where its organisation suffix
 * does, stacked suffixes included (鑫源化工集团液压泵 → 鑫源化工集团, 远航电子电子秤 → 远航电子).
 */
export function splitGluedName(s: string): string {
  let cut = 0;
  for (let i = 3; i < s.length - 1; i++) {
    if (!ORG_SUFFIX.test(s.slice(0, i))) continue;
    if (cut === 0 || STACKED_SUFFIX.test(s.slice(cut, i))) cut = i;
  }
  // 宏基建工瓷砖胶: a longer organisation word that runs on from the first (基建 → 建工) is the one.
  while (cut > 0 && cut < s.length - 1 && ORG_SUFFIX.test(s.slice(0, cut + 1))) cut++;
  return cut > 0 ? s.slice(0, cut) : s;
}

function cleanCustomer(s: string): string {
  // 海纳热力那边要订, 新城物业他们要订: the side or the pronoun after the name is no part of it.
  const clean = s.replace(CUSTOMER_NOISE, "").replace(/^客户/, "").replace(/(?:那边|这边|那里|这里|他们|她们)$/, "").trim();
  // A request alone (要, 帮我) is no name at all.
  if (!clean && !s.replace(CUSTOMER_NOISE, "").trim()) return "";
  // 蔚来 is a name, not 蔚 + 来: never cut a name down to one character.
  return [...clean].length >= 2 ? clean : s.replace(/^客户/, "").trim();
}

export function splitOrder(text: string): { customer?: string; itemsText: string; itemsOffset: number } {
  const fields = [...text.matchAll(FIELD_RE)].map((m) => ({ text: m[0], index: m.index }));
  const ti = fields.findIndex((f) => hasOrderTrigger(f.text));
  const f = fields[ti];
  if (!f) return noTrigger(text);
  const t = TRIGGER.exec(f.text)!;
  if (ti >= 2 || (ti === fields.length - 1 && ti > 0)) {
    // 华东机电要200台电机A 单价4400 帮我下个单: the order comes first, the request last.
    const company = findCompany(text.slice(0, f.index));
    // The items may stand before the customer (法兰DN50 三百片 …，客户嘉禾泵业，帮我下单): keep both sides.
    if (company && findQuantities(text.slice(0, f.index)).length > 0) {
      // …and the label before the name (客户绿源包装 要纸杯 …) goes with it.
      // …and so does 那边 after it (天衡检测那边 要三台pH计).
      const label = /客户\s*$/.exec(text.slice(0, company.index));
      const side = /^(?:那边|这边|那里|这里)/.exec(text.slice(company.end))?.[0].length ?? 0;
      return { customer: company.name, itemsText: blank(text.slice(0, f.index), [{ index: label ? label.index : company.index, end: company.end + side }]), itemsOffset: 0 };
    }
  }
  const rawBefore = cleanCustomer(f.text.slice(0, t.index));
  // 今天华东机电下单了: a time before the name is not part of it.
  const before = isPlausibleCompany(rawBefore, "strong") ? rawBefore : cleanCustomer(cutName(rawBefore));
  const afterStart = f.index + t.index + t[0].length;
  if (isPlausibleCompany(before, "strong")) return { customer: before, itemsText: text.slice(afterStart).replace(/^了/, " "), itemsOffset: afterStart };
  const prev = fields[ti - 1];
  // 帮我给 市第一医院 下个单: only the request stands before the name's field.
  const requestOnly = fields.slice(0, Math.max(0, ti - 1)).every((x) => REQUEST_FIELD.test(x.text));
  if (!before && prev && (ti === 1 || requestOnly) && isPlausibleCompany(cleanCustomer(prev.text), "strong")) {
    return { customer: cleanCustomer(prev.text), itemsText: text.slice(afterStart), itemsOffset: afterStart };
  }
  // 南湖水厂 PO号还没给 先下单 潜水泵 4台 …: the order word ends a field of its own (maybe after an adverb), the
  // message opened with the name and a remark, and the goods follow the order word.
  const restOfTrigger = f.text.slice(t.index + t[0].length);
  if (ti >= 1 && !restOfTrigger && [...before].length <= 2 && fields[ti + 1]) {
    const opener = findCompany(text.slice(0, f.index));
    if (opener && opener.index < fields[0]!.index + fields[0]!.text.length) {
      return { customer: opener.name, itemsText: text.slice(afterStart), itemsOffset: afterStart };
    }
  }
  // 下单 连接器D8 300个 … 远航电子的: the next field is a product (a count follows it), and the
  // trailing "X的" says whose order it is.
  const restOfField = f.text.slice(t.index + t[0].length).replace(/^(?:了|一下|下)/, "");
  const product = fields[ti + 1];
  const owner = fields.at(-1);
  const ownerName = owner?.text.replace(/的$/, "");
  if (!restOfField && product && owner && ownerName && owner.text.endsWith("的") && ti + 2 < fields.length - 1
    && findQuantities(fields[ti + 2]!.text).some((q) => q.index === 0) && isPlausibleCompany(ownerName, "strong")) {
    return { customer: ownerName, itemsText: text.slice(product.index, owner.index), itemsOffset: product.index };
  }
  let next = restOfField ? { text: restOfField, index: f.index + f.text.length - restOfField.length } : fields[ti + 1];
  // 报单：客户 金川五金 …, 订单来了 蓝天环保 …: a label or the order's arrival stands between trigger and name.
  for (let k = ti + 1; next && SKIP_AFTER_TRIGGER.test(next.text); k++) next = fields[k + (restOfField ? 0 : 1)];
  if (!next) return noTrigger(text);
  let name = cutName(cleanCustomer(next.text)) || cleanCustomer(next.text);
  const at = next.index + next.text.indexOf(name);
  // 下单华东机电电机A200台: the name runs into the product, cut it after its organisation suffix.
  // …or the whole run (下单博远日产4S店雨刮片一百五十对九五折) was read as the name: the count inside it ends the goods.
  if (!ORG_SUFFIX.test(name) && (/^\s*[\d一二两三四五六七八九十]/.test(text.slice(at + name.length)) || findQuantities(name).length > 0)) name = splitGluedName(name);
  // 下单东方轴承电缆200米, 中铁十局电缆YJV22: goods that are a trade word themselves (电缆, 轴承) glued between the name and
  // the count or model code: the name ends at the first organisation word, the goods keep theirs.
  else if (ORG_SUFFIX.test(name) && /^[\d一二两三四五六七八九十A-Za-z]/.test(text.slice(at + name.length))) {
    const cut = splitGluedName(name);
    if ([...name.slice(cut.length)].length >= 2) name = cut;
  }
  const end = at + name.length;
  return { customer: name, itemsText: text.slice(end), itemsOffset: end };
}

/** A field that only asks for the order to be placed for someone (帮我给, 麻烦你帮, 请): no name in it. */
const REQUEST_FIELD = /^(?:你|请|麻烦你?)?(?:帮我|帮忙)?(?:给|帮|为|替)?$/;

/** Fields between the order word and the name that are neither: a label (客户, 客户是) or the order's arrival (来了). */
const SKIP_AFTER_TRIGGER = /^(?:客户|客户名称?|客户是|买方|甲方)$|^(?:又)?(?:来了|来啦|到了|进来了|过来了)$/;

/**
 * 客户：青山纸业；产品：电机A；数量：100台；单价：4800元 — an order dictated as a form. The labels are no
 * part of a name or a product: 客户 stays as the word that introduces the name, the others go, and a count
 * given without a unit (数量：100) is marked as one (×100) so it reads as a count with no unit typed.
 */
const FORM_LABEL = /(?:客户(?:名称|名)?|公司(?:名称)?|产品(?:名称)?|品名|货品|商品|型号|规格型号|物料|数量|单价|价格|折扣)\s*[:：]/g;

export function isOrderForm(text: string): boolean {
  const labels = new Set([...text.matchAll(FORM_LABEL)].map((m) => m[0].replace(/\s*[:：]$/, "")));
  return labels.size >= 2 || (labels.size === 1 && ORDER_WORD.test(text));
}

/** 数量：40 in a form: the count, with no unit after it. */
const FORM_COUNT = new RegExp(`数量\\s*[:：]\\s*(${NUM_SRC})(?!\\d|[.,]\\d|(?:${MULT_SRC})?[\\u4e00-\\u9fa5A-Za-z])`, "g");

export function readOrderForm(text: string): string {
  if (!isOrderForm(text)) return text;
  return text
    .replace(/(?:客户|公司)(?:名称|名)?\s*[:：]\s*/g, "客户 ")
    // …written as ×N (a count with no unit), not N个: the rep typed no unit, so the list's unit stands.
    .replace(FORM_COUNT, (_, n: string) => {
      const v = parseNumber(n);
      return Number.isSafeInteger(v) && v > 0 && v < 1e7 ? ` ×${v}` : `${n}个`;
    })
    .replace(/(?:产品(?:名称)?|品名|货品|商品|型号|规格型号|物料|数量)\s*[:：]\s*/g, " ")
    .replace(/(单价|价格|折扣)\s*[:：]\s*/g, "$1");
}

/**
 * 球阀DN50 数量40, 托盘1210 共300, 轴承6205 数量 500: a count labelled 数量 (without a colon, outside a form) or
 * closing the goods with 共, no unit after it, is a count with no unit typed (×N), as in a form.
 */
const BARE_COUNT = new RegExp(`(数量\\s*[:：]?|(?<=[\\u4e00-\\u9fa5A-Za-z0-9\\s])共)\\s*(${NUM_SRC})(?=[${SEPARATOR_CLASS}@]|单价|$)`, "g");

export function markBareCounts(text: string): string {
  // Without 数量 or 共 there is no such count (BARE_COUNT needs one of them).
  if (!text.includes("数量") && !text.includes("共")) return text;
  return text.replace(BARE_COUNT, (all, _label: string, n: string) => {
    const v = parseNumber(n);
    return Number.isSafeInteger(v) && v > 0 && v < 1e7 ? ` ×${v}` : all;
  });
}

const CN_NUM_ONLY = new RegExp(`^[${CN_NUM_CHARS}]+$`);
const BARE_IN_ORDER = new RegExp(`(?<=(?:^|[${SEPARATOR_CLASS}])([^${SEPARATOR_CLASS}]+)\\s+)(\\d{1,7}|[${CN_NUM_CHARS}]{1,8})(?=[${SEPARATOR_CLASS}]|$)`, "g");

/**
 * 下单 东方轴承 电缆 300, 下单 X 变频器 15 3200, 给X下单 电机A 50: in an order (the order word opening it) a number standing
 * alone right after the goods is their count with no unit typed (×N, as a form's 数量: the list's unit stands); a second
 * one right after the count stays its unit price (see BARE_PRICE). Not after a price word, a count or another number.
 */
export function markOrderBareCounts(text: string): string {
  if (!hasOrderTrigger(tokens(text).slice(0, 2).join(" "))) return text;
  // 电缆 200 米: a count with its unit spaced off is read as such already.
  const counted = findQuantities(text);
  return text.replace(BARE_IN_ORDER, (all, prev: string, n: string, at: number) => {
    if (counted.some((q) => q.index <= at && q.end > at)) return all;
    if (!/[\u4e00-\u9fa5A-Za-z]/.test(prev) || CN_NUM_ONLY.test(prev) || hasOrderTrigger(prev)) return all;
    // …nor after a per-unit (每卷 600): that is a price.
    if (/单价|价格|价|元|块|折|数量|共|^[每/]|[×xX*@]$/.test(prev) || findQuantities(prev).length > 0 || findMoney(prev).length > 0) return all;
    const v = parseNumber(n);
    return Number.isSafeInteger(v) && v > 0 && v < 1e7 ? `×${v}` : all;
  });
}

/** 客户鑫源化工要2000个密封圈 单价3.5元: no order word, the customer is the message's company. */
function noTrigger(text: string): { customer?: string; itemsText: string; itemsOffset: number } {
  const company = findCompany(text);
  if (!company) return { itemsText: text, itemsOffset: 0 };
  // 伺服电机 20个 单价3200 客户 恒远机械: the goods come first, so only the name (and its label) goes.
  if (findQuantities(text.slice(0, company.index)).length > 0) {
    const label = /客户\s*$/.exec(text.slice(0, company.index));
    return { customer: company.name, itemsText: blank(text, [{ index: label ? label.index : company.index, end: company.end }]), itemsOffset: 0 };
  }
  // 博远空调工程风机盘管60台 (no space): the name runs into the product, cut it after its organisation suffix.
  if (!ORG_SUFFIX.test(company.name) && /^\s*[\d一二两三四五六七八九十]/.test(text.slice(company.end))) {
    const name = splitGluedName(company.name);
    if (name !== company.name) return { customer: name, itemsText: blank(text, [{ index: 0, end: company.index + name.length }]), itemsOffset: 0 };
  }
  // …and so does 那边 after it (恒通钢结构那边 要焊丝 …), or 他们 (X他们要那个循环泵).
  const side = /^(?:那边|这边|那里|这里|他们|她们)/.exec(text.slice(company.end))?.[0].length ?? 0;
  return { customer: company.name, itemsText: blank(text, [{ index: 0, end: company.end + side }]), itemsOffset: 0 };
}

/**
 * A bare figure right after a count is that item's price: 200台 4500, 200台 4.5千, 20台 3k, 两百台 七千五.
 * It must stand alone (a separator or the end after it), or it is a model number of the next product.
 */
const BARE_PRICE = new RegExp(
  `^[\\s,，、]*(?:(?:还|就|都|也)?(?:是|按)\\s*)?(?:@\\s*)?(${NUM_SRC})\\s*(${MULT_SRC})?\\s*(?:元|块钱|块)?(?:\\s*(?:\\/|每|一)\\s*${PER_UNIT_SRC})?(?=[${SEPARATOR_CLASS}]|$)`,
);

function barePriceAfter(text: string, from: number, until: number): { value: number; index: number; end: number } | undefined {
  const m = BARE_PRICE.exec(text.slice(from, until));
  if (!m) return undefined;
  const value = parseNumber(m[1]!, m[2]);
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return { value, index: from + m[0].length - m[0].trimStart().length, end: from + m[0].length };
}

/** A clause led by the customer as a subject (他们一次拿, 客户每次要, 对方平时订): a remark, not goods. */
const REMARK_SUBJECT = /^(?:他们|她们|他家|她家|对方|人家|客户|咱们|我们)(?:一次|每次|平时|一般|通常|每[月年季周]|一年|一个月|都|也|还|就)?/;

/** 售楼处 洽谈椅, 二楼会议室 投影仪: where the goods go, a field of its own before them, is no part of the product. */
const PLACE_FIELD = /^[\u4e00-\u9fa5]{1,6}(?:处|室|厅|楼|层|店|馆|区|间|房|工地|现场|大堂|门口)$/;

function dropPlace(product: string): string {
  const parts = product.split(/\s+/);
  let i = 0;
  while (i < parts.length - 1 && PLACE_FIELD.test(parts[i]!)) i++;
  return i > 0 ? parts.slice(i).join(" ") : product;
}

/** Units that also give a product's size (6米的钢管, 4平方的电缆, 灭火器4kg, 大米50斤 20袋). */
const SIZE_UNITS = new Set(["米", "m", "平方", "平方米", "平米", "平", "kg", "KG", "公斤", "千克", "克", "斤", "升", "毫升"]);

/** The field right after a count (200台 电机A), with the separators before it. */
const NEXT_FIELD = new RegExp(`^([\\s,，、]*)([^${SEPARATOR_CLASS}]+)`);
/** What follows a price: 元一台, /吨, or a classifier standing alone. */
const PRICE_TAIL = new RegExp(`^\\s*(?:元|块)?\\s*(?:(?:\\/|每|一)\\s*${PER_UNIT_SRC}|${CLASSIFIER_CLASS}(?=[${SEPARATOR_CLASS}]|$))?`);

export function parseItems(itemsText: string): OrderItem[] {
  const discount = findDiscount(itemsText);
  const clean = discount ? blank(itemsText, [discount]) : itemsText;
  const money = findMoney(clean);
  const overlap = (a: { index: number; end: number }, b: { index: number; end: number }) => a.index < b.end && a.end > b.index;
  // After a price word (单价, 每个) "80块" is yuan, not 80 pieces: a keyed unit price beats a count.
  const counted = findQuantities(clean).filter((q) => !money.some((p) => p.kind === "unit" && overlap(p, q)));
  // 3台 4.2万 片皮机: a figure spaced off a "unit" right after a count is that count's price, and the
  // unit starts the next product.
  const quantities = counted.filter((q, i) => {
    const prev = counted[i - 1];
    // So is N块 right after a count (手套一百双 八块): 块 there is yuan.
    // And so is 八百一个 / 一千二一台 right after a count (茶几6个 八百一个): 800 per piece, not 810 pieces.
    const perPiece = /[十百千万][一二两三四五六七八九]?一\s*\S$/.test(clean.slice(q.index, q.end)) && !/\d/.test(clean.slice(q.index, q.end));
    return !(prev && (/\s/.test(clean.slice(q.index, q.end)) || q.unit === "块" || perPiece) && /^[\s,，、]*$/.test(clean.slice(prev.end, q.index)));
  });
  // 钢管 6米 50根, 电缆4平方 200米, 灭火器4kg 30个: a length, cross-section or weight right before a count in another unit is the goods' size,
  // part of the product, not a count of its own.
  for (let i = quantities.length - 2; i >= 0; i--) {
    const q = quantities[i]!;
    const next = quantities[i + 1]!;
    if (SIZE_UNITS.has(q.unit) && next.unit && next.unit !== q.unit && /^[\s,，、]*的?\s*$/.test(clean.slice(q.end, next.index))) quantities.splice(i, 1);
  }
  const prices = money.filter((p) => !quantities.some((q) => overlap(p, q)));
  const items: OrderItem[] = [];
  let cursor = 0;
  quantities.forEach((q, i) => {
    const nextStart = quantities[i + 1]?.index ?? clean.length;
    // Before the first item a connector cannot stand: 和面机 is a product, not 和 + 面机.
    const noise = i === 0 ? FIRST_PRODUCT_NOISE : PRODUCT_NOISE;
    let product = dropPlace(trimSeparators(clean.slice(cursor, q.index)).replace(noise, ""));
    // Prices written before the quantity (单价4500 200台) are not part of the product name.
    const priceBefore = prices.find((p) => p.index >= cursor && p.end <= q.index);
    if (priceBefore) product = dropPlace(trimSeparators(clean.slice(cursor, priceBefore.index).replace(/单价|价格|每\S?$/g, "")).replace(noise, ""));
    let end = q.end;
    if (!product) {
      // 200台电机A: product after the quantity.
      // 要3000卷 牛皮纸 单价210: also in the next field, as long as it comes before the next count.
      const m = NEXT_FIELD.exec(clean.slice(q.end, nextStart));
      if (m && !/^[\d@]/.test(m[2]!)) {
        product = m[2]!.replace(/单价.*$|每.*$|[\d.]+元.*$/, "");
        end = q.end + m[1]!.length + product.length;
      }
    }
    const price = prices.find((p) => p.index >= end && p.index < nextStart) ?? priceBefore ?? barePriceAfter(clean, end, nextStart);
    // 他们一次拿30台 after the goods: a remark on how the customer buys, not another item.
    if (items.length > 0 && REMARK_SUBJECT.test(product)) return;
    const item: OrderItem = { product: product || "未注明", quantity: q.value };
    // The unit as typed (200米 → 米), so the order engine can refuse one that is not the list's; ×5 has none.
    if (q.unit) item.unit = q.unit;
    if (price) item.unit_price = price.value;
    items.push(item);
    cursor = Math.max(end, price && price.index >= end ? price.end : end);
    // Skip "元一台"/"/吨" and the like after a price.
    // A classifier alone only when nothing is glued to it: in 4.2万 片皮机 the 片 opens the next product.
    const tail = PRICE_TAIL.exec(clean.slice(cursor));
    if (tail) cursor += tail[0].length;
  });
  return items;
}

const REQUEST = /申请(?:个)?(?:特价|特批)?|特价申请|特批申请|请(?:领导)?(?:批|审批)(?:一下)?|求批|帮忙批/g;

/**
 * 下单东方轴承电缆200米 with 东方轴承(有限公司) among the rep's customers: the name as read ran into the goods; cut it
 * where the known customer's name ends, and the rest opens the goods. Only when the goods came out nameless.
 */
function knownNameGluedToGoods(name: string, known: readonly string[]): { name: string; rest: string } | undefined {
  let best = "";
  for (const k of known) {
    for (const c of [k, k.replace(/(?:股份)?有限(?:责任)?公司$|集团$|公司$/, ""), normalizeCompanyName(k)]) {
      if ([...c].length >= 2 && c.length > best.length && name.startsWith(c) && name.length > c.length) best = c;
    }
  }
  return best ? { name: best, rest: name.slice(best.length) } : undefined;
}

export function buildPlaceOrder(text: string, resolveCustomer: (name: string) => string, known: readonly string[] = []): IntentOf<"place_order"> | undefined {
  // The reason (客户量大，竞品报价4300) is read first and kept out of the items: its figures are not prices.
  const reason = findReason(text);
  const orderText = reason ? blank(text, reason.spans) : text;
  const discount = findDiscount(orderText) ?? findDiscount(text);
  // 申请9折 before the customer is no name: the discount and the request words are read apart.
  const { customer, itemsText } = splitOrder(blank(orderText, [...(discount ? [discount] : []), ...[...orderText.matchAll(REQUEST)].map((m) => ({ index: m.index, end: m.index + m[0].length }))]));
  if (!customer) return undefined;
  let name = customer;
  let items = parseItems(itemsText);
  const glued = items[0]?.product === "未注明" ? knownNameGluedToGoods(customer, known) : undefined;
  if (glued) {
    name = glued.name;
    items = parseItems(glued.rest + itemsText);
  }
  if (items.length === 0) return undefined;
  const out: IntentOf<"place_order"> = { intent: "place_order", customer: resolveCustomer(name), items };
  if (discount) out.discount = discount.value;
  if (reason) out.reason = reason.text;
  return out;
}
