// Whether the unit a rep typed (200米, 5只, 3kg) is the price list's unit for the product. A product has one unit
// (Product.unit, ProductPrice.unit) and no conversion factors, so nothing is converted: 200米 of a product sold by
// the 卷 is refused, never booked as 200卷. Accepted as the same unit:
//  - the same unit written another way (公斤 = 千克 = kg, 平米 = 平方米 = ㎡, 立方 = 方 = m³, 米 = m): one unit, many spellings;
//  - for a product counted one piece at a time (台, 只, 把, 张 …), any word that counts single pieces (个, 件, pcs,
//    只, 台 …): 5只电机 and 5台电机 are the same five motors. A pack, set or measure (箱, 卷, 套, 对, 打, 米, 吨 …)
//    changes the amount, so it must be the list's own: 5个 of a product sold by the 箱 may be five pieces.
import { canonicalUnit } from "../../core/units.ts";

/** Words that count single pieces: between these, the word is grammar, the number of things is the same. */
const PIECE_WORDS = new Set("个件只台部架把张支根条块片颗粒枚盏扇樘面辆顶本册株棵幅位".split(""));

/** Whether `typed` may stand for the list's unit (see the rules above). No unit typed is always the list's unit. */
export function unitAgrees(typed: string | undefined, listUnit: string): boolean {
  if (typed === undefined || !typed.trim()) return true;
  const a = canonicalUnit(typed);
  const b = canonicalUnit(listUnit);
  return a === b || (PIECE_WORDS.has(a) && PIECE_WORDS.has(b));
}

/**
 * Of one product's lines in several units (电缆 by the 卷 and by the 米, each its own SKU and list price: a cut length
 * costs more per metre, so nothing converts), the line a typed unit names: the one in that unit in any spelling, else
 * the only one it may stand for (5个 → the 台 line). None when it names none of them, or several alike.
 */
export function lineForUnit<L extends { unit: string }>(typed: string, lines: readonly L[]): L | undefined {
  const same = lines.filter((l) => canonicalUnit(l.unit) === canonicalUnit(typed));
  if (same.length) return same.length === 1 ? same[0] : undefined;
  const agree = lines.filter((l) => unitAgrees(typed, l.unit));
  return agree.length === 1 ? agree[0] : undefined;
}

/**
 * 电缆 按「卷」报价，您写的是「米」。请按卷下单，例如：下单 东方轴承 电缆 2卷 — with several units listed (电缆 by the 卷 and
 * the 米): 电缆 按「卷」或「米」报价，您写的是「箱」。请按卷或米下单，例如：下单 东方轴承 电缆 2卷
 */
export function unitMismatchText(product: string, listUnit: string | readonly string[], typed: string, customer?: string): string {
  const units = [...new Set(typeof listUnit === "string" ? [listUnit] : listUnit)];
  const example = ["下单", customer, product, `2${units[0]!}`].filter(Boolean).join(" ");
  return `${product} 按${units.map((u) => `「${u}」`).join("或")}报价，您写的是「${typed.trim()}」。请按${units.join("或")}下单，例如：${example}`;
}
