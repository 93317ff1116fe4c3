// Which typed units stand for the price list's unit: the same unit in any spelling, and between products counted
// one piece at a time any word that counts single pieces. Nothing is converted (米 is never 卷, 打 never 12个).
import { describe, expect, it } from "vitest";
import { canonicalUnit } from "../../src/core/units.ts";
import { unitAgrees, unitMismatchText } from "../../src/domain/orders/units.ts";

describe("units", () => {
  it.each([
    ["公斤", "千克"], ["kg", "千克"], ["KG", "千克"], ["㎏", "千克"], ["m", "米"], ["平米", "平方米"], ["㎡", "平方米"], ["m²", "平方米"],
    ["方", "立方米"], ["m³", "立方米"], ["公里", "千米"], ["pcs", "件"], [" 卷 ", "卷"], ["台", "台"],
  ])("%s is written %s", (typed, canonical) => expect(canonicalUnit(typed)).toBe(canonical));

  it.each([
    [undefined, "卷"], ["", "卷"], ["卷", "卷"], ["公斤", "kg"], ["kg", "千克"], ["m", "米"], ["平米", "㎡"],
    ["个", "台"], ["只", "台"], ["件", "台"], ["pcs", "只"], ["条", "根"], ["张", "块"],
  ])("%s may stand for %s", (typed, list) => expect(unitAgrees(typed, list)).toBe(true));

  it.each([
    ["米", "卷"], ["m", "卷"], ["个", "箱"], ["件", "套"], ["套", "台"], ["台", "套"], ["打", "个"], ["个", "打"], ["双", "只"],
    ["斤", "公斤"], ["吨", "千克"], ["平方米", "米"], ["卷", "米"], ["箱", "瓶"], ["个", "米"],
  ])("%s is not %s", (typed, list) => expect(unitAgrees(typed, list)).toBe(false));

  it("names the list's unit and shows how to write it", () => {
    expect(unitMismatchText("电缆", "卷", "米", "东方轴承")).toBe("电缆 按「卷」报价，您写的是「米」。请按卷下单，例如：下单 东方轴承 电缆 2卷");
    expect(unitMismatchText("电缆", "卷", "米")).toBe("电缆 按「卷」报价，您写的是「米」。请按卷下单，例如：下单 电缆 2卷");
  });
});
