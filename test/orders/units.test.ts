// Which typed units stand for the price list's unit: the same unit in any spelling, and between products counted
// one piece at a time any word that counts single pieces. Nothing is converted (米 is never 卷, 打 never 12个).
import { describe, expect, it } from "vitest";
import { canonicalUnit } from "../../src/core/units.ts";
import { matchProductLine } from "../../src/domain/orders/product-match.ts";
import { lineForUnit, unitAgrees, unitMismatchText } from "../../src/domain/orders/units.ts";

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

  it("names every unit a product is listed in", () => {
    expect(unitMismatchText("电缆", ["卷", "米"], "箱", "东方轴承")).toBe("电缆 按「卷」或「米」报价，您写的是「箱」。请按卷或米下单，例如：下单 东方轴承 电缆 2卷");
    expect(unitMismatchText("电缆", ["卷"], "米")).toBe(unitMismatchText("电缆", "卷", "米"));
  });
});

describe("one product listed in several units (each line its own SKU and list price)", () => {
  const LIST = [
    { sku: "MOTOR-A", name: "电机A", aliases: ["A型电机"], unit: "台" },
    { sku: "MOTOR-B", name: "电机B", aliases: [], unit: "台" },
    { sku: "CABLE-10", name: "电缆", aliases: ["10平方电缆"], unit: "卷" },
    { sku: "CABLE-10-M", name: "电缆", aliases: ["10平方电缆"], unit: "米" },
    { sku: "BOLT-BOX", name: "螺栓", aliases: [], unit: "箱" },
    { sku: "BOLT-PC", name: "螺栓(散)", aliases: ["螺栓"], unit: "个" },
  ];
  const sku = (written: string, unit?: string) => {
    const m = matchProductLine(written, unit, LIST);
    return m.kind === "exact" ? m.product.sku : m.kind === "ambiguous" ? `ambiguous ${m.candidates.map((c) => c.sku).join(",")}` : m.kind === "none" ? "none" : `${m.kind} ${m.lines.map((l) => l.sku).join(",")}`;
  };

  it.each([
    ["电缆", "米", "CABLE-10-M"], ["电缆", "m", "CABLE-10-M"], ["电缆", "延米", "CABLE-10-M"], ["电缆", "卷", "CABLE-10"], ["10平方电缆", "米", "CABLE-10-M"],
    ["CABLE-10", "米", "CABLE-10"], // a SKU is one line: its unit is judged by the order engine (refused there)
    ["电缆", undefined, "units CABLE-10,CABLE-10-M"], ["电缆", " ", "units CABLE-10,CABLE-10-M"],
    ["电缆", "箱", "unit_not_listed CABLE-10,CABLE-10-M"], ["电缆", "吨", "unit_not_listed CABLE-10,CABLE-10-M"],
    // An alias shared with another name: the same product in its other unit (a box of bolts, bolts by the piece).
    ["螺栓", "箱", "BOLT-BOX"], ["螺栓", "只", "BOLT-PC"], ["螺栓", undefined, "units BOLT-BOX,BOLT-PC"],
    // One line per product: as before (matched, the unit judged later); several products: which product.
    ["电机A", "套", "MOTOR-A"], ["电机", "台", "ambiguous MOTOR-A,MOTOR-B"], ["飞机", "台", "none"],
  ] as [string, string | undefined, string][])("%s %s → %s", (written, unit, want) => expect(sku(written, unit)).toBe(want));

  it("two lines in one unit are two products, not two units: which product is asked", () => {
    const twins = [{ sku: "A1", name: "阀门", aliases: [], unit: "个" }, { sku: "A2", name: "阀门", aliases: [], unit: "个" }];
    expect(matchProductLine("阀门", "个", twins)).toMatchObject({ kind: "ambiguous" });
    expect(lineForUnit("台", [{ unit: "个" }, { unit: "只" }])).toBeUndefined(); // a piece word fits both: not guessed
    expect(lineForUnit("台", [{ unit: "台" }, { unit: "只" }])).toEqual({ unit: "台" });
  });
});
