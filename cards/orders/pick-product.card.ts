// Asked when a product name in an order fits several price-list products (电机 → 电机A, 电机B), or names one listed in
// several units without saying which (电缆 5: 按卷 or 按米, each its own list price): never guess.
import type { Card } from "../../src/core/card.ts";
import { defineCardSpec } from "../card-ref.ts";

/** pick:<index> continues the order with that product; cancel drops the order. */
export const pickProductSpec = defineCardSpec("pick_product", ["pick", "cancel"]);

export interface PickProductView {
  ref: string;
  written: string;
  /** detail: shown beside the SKU (a line's list price, ¥600/卷). */
  candidates: { sku: string; name: string; detail?: string }[];
  /** A product listed in several units: the question is which unit (each line its own list price). */
  unitOf?: string;
}

export function pickProductCard(v: PickProductView): Card {
  const shown = v.candidates.slice(0, 4);
  return {
    ref: v.ref,
    purpose: pickProductSpec.purpose,
    title: v.unitOf ? `「${v.unitOf}」按哪个单位下单？` : `「${v.written}」是哪个产品？`,
    subtitle: v.unitOf ? `价格表里「${v.unitOf}」按不同单位分别报价（单价不同），选好后继续下单` : "价格表里有几个相近的产品，选好后继续下单",
    tone: "warning",
    fields: shown.map((c, i) => ({ label: `选项${i + 1}`, value: `${c.name}（${c.sku}${c.detail ? `，${c.detail}` : ""}）` })),
    buttons: [
      ...shown.map((c, i) => pickProductSpec.button("pick", v.ref, c.name.slice(0, 20), { arg: String(i), style: "default" })),
      pickProductSpec.button("cancel", v.ref, "取消", { style: "danger" }),
    ],
    textCommands: [...shown.map((_, i) => `选 ${i + 1}`), "取消"],
  };
}
