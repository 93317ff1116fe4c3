/** place_order: 下单 华东机电 电机A 200台 单价4500 电机B 50台 打9折. */
import type { IntentOf, OrderItem } from "../intent.ts";
import { cutName, findCompany, isPlausibleCompany } from "./companies.ts";
import { findDiscount } from "./discounts.ts";
import { findMoney } from "./money.ts";
import { CLASSIFIER_CLASS } from "./numbers.ts";
import { findQuantities } from "./quantities.ts";
import { blank, SEPARATOR_CLASS, trimSeparators } from "./text.ts";

/**
 * What opens an order: 下单/订货…, a bare 订/订购/要货 between customer and items (X 订 产品…), and
 * "the last/first order" (年前最后一单 X …).
 */
export const ORDER_TRIGGER = /下个单|下了单|下单|新单|订单|开单|订货|(?:^|(?<=\s))(?:订|订购|要货)(?=\s|$)|(?:最后|第一|新的?|又)一单(?=\s|$)/;
const TRIGGER = ORDER_TRIGGER;
const FIELD_RE = new RegExp(`[^${SEPARATOR_CLASS}]+`, "g");
const CUSTOMER_NOISE = /^(?:帮我|请|麻烦)?(?:给|帮|为)?(?:客户)?|(?:要|想|需要|来|再)?$/g;
// 加 joins items ("…10台，再加电机B 5台") but also starts product names (加药装置, 加氯机, 加湿器, 加热器, 加压泵):
// before those morphemes it is part of the name.
const PRODUCT_NOISE = /^(?:的|要|各|共|再|还有|另外|和|及|以及|加上|加(?![热湿药氯压工速密固料])|[，,、+＋&\s])+|(?:各|共|要|的|数量)+$/g;

function cleanCustomer(s: string): string {
  const clean = s.replace(CUSTOMER_NOISE, "").replace(/^客户/, "").trim();
  // 蔚来 is a name, not 蔚 + 来: never cut a name down to one character.
  return [...clean].length >= 2 ? clean : s.replace(/^客户/, "").trim();
}

export function splitOrder(text: string): { customer?: string; itemsText: string; itemsOffset: number } {
  const fields = [...text.matchAll(FIELD_RE)].map((m) => ({ text: m[0], index: m.index }));
  const ti = fields.findIndex((f) => TRIGGER.test(f.text));
  const f = fields[ti];
  if (!f) return { itemsText: text, itemsOffset: 0 };
  const t = TRIGGER.exec(f.text)!;
  if (ti >= 2 || (ti === fields.length - 1 && ti > 0)) {
    // 华东机电要200台电机A 单价4400 帮我下个单: the order comes first, the request last.
    const company = findCompany(text.slice(0, f.index));
    // The items may stand before the customer (法兰DN50 三百片 …，客户嘉禾泵业，帮我下单): keep both sides.
    if (company) return { customer: company.name, itemsText: blank(text.slice(0, f.index), [company]), itemsOffset: 0 };
  }
  const before = cleanCustomer(f.text.slice(0, t.index));
  const afterStart = f.index + t.index + t[0].length;
  if (isPlausibleCompany(before, "strong")) return { customer: before, itemsText: text.slice(afterStart), itemsOffset: afterStart };
  const prev = fields[ti - 1];
  if (!before && prev && ti === 1 && isPlausibleCompany(cleanCustomer(prev.text), "strong")) {
    return { customer: cleanCustomer(prev.text), itemsText: text.slice(afterStart), itemsOffset: afterStart };
  }
  // 下单 连接器D8 300个 … 远航电子的: the next field is a product (a count follows it), and the
  // trailing "X的" says whose order it is.
  const restOfField = f.text.slice(t.index + t[0].length);
  const product = fields[ti + 1];
  const owner = fields.at(-1);
  const ownerName = owner?.text.replace(/的$/, "");
  if (!restOfField && product && owner && ownerName && owner.text.endsWith("的") && ti + 2 < fields.length - 1
    && findQuantities(fields[ti + 2]!.text).some((q) => q.index === 0) && isPlausibleCompany(ownerName, "strong")) {
    return { customer: ownerName, itemsText: text.slice(product.index, owner.index), itemsOffset: product.index };
  }
  const next = restOfField ? { text: restOfField, index: afterStart } : fields[ti + 1];
  if (!next) return { itemsText: "", itemsOffset: text.length };
  const name = cutName(cleanCustomer(next.text)) || cleanCustomer(next.text);
  const end = next.index + next.text.indexOf(name) + name.length;
  return { customer: name, itemsText: text.slice(end), itemsOffset: end };
}

export function parseItems(itemsText: string): OrderItem[] {
  const discount = findDiscount(itemsText);
  const clean = discount ? blank(itemsText, [discount]) : itemsText;
  const money = findMoney(clean);
  const overlap = (a: { index: number; end: number }, b: { index: number; end: number }) => a.index < b.end && a.end > b.index;
  // After a price word (单价, 每个) "80块" is yuan, not 80 pieces: a keyed unit price beats a count.
  const quantities = findQuantities(clean).filter((q) => !money.some((p) => p.kind === "unit" && overlap(p, q)));
  const prices = money.filter((p) => !quantities.some((q) => overlap(p, q)));
  const items: OrderItem[] = [];
  let cursor = 0;
  quantities.forEach((q, i) => {
    const nextStart = quantities[i + 1]?.index ?? clean.length;
    let product = trimSeparators(clean.slice(cursor, q.index)).replace(PRODUCT_NOISE, "");
    // Prices written before the quantity (单价4500 200台) are not part of the product name.
    const priceBefore = prices.find((p) => p.index >= cursor && p.end <= q.index);
    if (priceBefore) product = trimSeparators(clean.slice(cursor, priceBefore.index).replace(/单价|价格|每\S?$/g, "")).replace(PRODUCT_NOISE, "");
    let end = q.end;
    if (!product) {
      // 200台电机A: product after the quantity.
      const m = new RegExp(`^[^${SEPARATOR_CLASS}]+`).exec(clean.slice(q.end));
      if (m) {
        product = m[0].replace(/单价.*$|每.*$|[\d.]+元.*$/, "");
        end = q.end + product.length;
      }
    }
    const price = prices.find((p) => p.index >= end && p.index < nextStart) ?? priceBefore;
    const item: OrderItem = { product: product || "未注明", quantity: q.value };
    if (price) item.unit_price = price.value;
    items.push(item);
    cursor = Math.max(end, price && price.index >= end ? price.end : end);
    // Skip "元一台"/"/吨" and the like after a price.
    const tail = new RegExp(`^\\s*(?:元|块)?\\s*(?:\\/|每|一)?\\s*${CLASSIFIER_CLASS}?`).exec(clean.slice(cursor));
    if (tail) cursor += tail[0].length;
  });
  return items;
}

export function buildPlaceOrder(text: string, resolveCustomer: (name: string) => string): IntentOf<"place_order"> | undefined {
  const { customer, itemsText } = splitOrder(text);
  if (!customer) return undefined;
  const items = parseItems(itemsText);
  if (items.length === 0) return undefined;
  const out: IntentOf<"place_order"> = { intent: "place_order", customer: resolveCustomer(customer), items };
  const discount = findDiscount(text);
  if (discount) out.discount = discount.value;
  return out;
}
