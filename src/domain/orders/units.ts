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

/** 电缆 按「卷」报价，您写的是「米」。请按卷下单，例如：下单 东方轴承 电缆 2卷 */
export function unitMismatchText(product: string, listUnit: string, typed: string, customer?: string): string {
  const example = ["下单", customer, product, `2${listUnit}`].filter(Boolean).join(" ");
  return `${product} 按「${listUnit}」报价，您写的是「${typed.trim()}」。请按${listUnit}下单，例如：${example}`;
}
