// The unit a rep typed travels with each order item (200米 → unit 米), so the order engine can refuse one that is
// not the price list's instead of booking 200 of the list's unit. Nothing here converts units.
import { describe, expect, it } from "vitest";
import { fieldMatches } from "../../src/nlu/eval/score.ts";
import { IntentSchema } from "../../src/nlu/intent.ts";
import { coerceModelOutput, intentJsonSchema } from "../../src/nlu/llm/schema.ts";
import { parseOrderCorrection } from "../../src/nlu/order-correction.ts";
import { parseItems } from "../../src/nlu/rules/order-items.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";

const ctx = { now: new Date("2026-12-04T10:00:00+08:00"), timeZone: "Asia/Shanghai", knownCustomers: ["东方轴承有限公司", "华东机电设备有限公司"] };
const parse = (t: string) => createRulesParser().parse(t, ctx);

describe("the rule parser keeps the unit as typed", () => {
  it.each([
    ["下单东方轴承电缆200米单价12", { product: "电缆", quantity: 200, unit: "米", unit_price: 12 }],
    ["下单 东方轴承 电缆 200 米", { product: "电缆", quantity: 200, unit: "米" }],
    ["下单 东方轴承 电缆200m 单价12", { product: "电缆", quantity: 200, unit: "m", unit_price: 12 }],
    ["下单 东方轴承 电缆 200m", { product: "电缆", quantity: 200, unit: "m" }],
    ["下单东方轴承 电缆二百米 单价十二", { product: "电缆", quantity: 200, unit: "米", unit_price: 12 }],
    ["下单 东方轴承 电缆 20卷", { product: "电缆", quantity: 20, unit: "卷" }],
    ["下单 东方轴承 螺丝 20kg", { product: "螺丝", quantity: 20, unit: "kg" }],
    ["下单 东方轴承 电机A 5个 单价4500", { product: "电机A", quantity: 5, unit: "个", unit_price: 4500 }],
  ])("%s", async (text, item) => expect(await parse(text)).toEqual({ intent: "place_order", customer: "东方轴承有限公司", items: [item] }));

  it("has no unit when none was typed (×5, a form's bare 数量)", async () => {
    expect((await parse("下单 东方轴承 电机A×5"))).toMatchObject({ items: [{ product: "电机A", quantity: 5 }] });
    expect((await parse("下单 东方轴承 电机A×5") as { items: object[] }).items[0]).not.toHaveProperty("unit");
    const form = await parse("客户：东方轴承；产品：电机A；数量：100；单价：4800元");
    expect(form).toMatchObject({ intent: "place_order", items: [{ product: "电机A", quantity: 100, unit_price: 4800 }] });
    expect((form as { items: object[] }).items[0]).not.toHaveProperty("unit");
  });

  it("两打 said in words is 24 pieces: the unit is the piece's, not 打", () => {
    expect(parseItems("毛巾 两打 单价25")).toEqual([{ product: "毛巾", quantity: 24, unit: "个", unit_price: 25 }]);
    expect(parseItems("绝缘手套 20打 每打260")).toEqual([{ product: "绝缘手套", quantity: 20, unit: "打", unit_price: 260 }]);
  });

  it("a size is no count: 10mm, 5m卷尺, 3m胶带, 5km; a length before a count in another unit belongs to the goods", () => {
    expect(parseItems("卷尺5m 100把")).toEqual([{ product: "卷尺5m", quantity: 100, unit: "把" }]);
    expect(parseItems("螺栓10mm 500个")).toEqual([{ product: "螺栓10mm", quantity: 500, unit: "个" }]);
    expect(parseItems("3m胶带 200卷")).toEqual([{ product: "3m胶带", quantity: 200, unit: "卷" }]);
    expect(parseItems("钢管 6米 50根 单价80")).toEqual([{ product: "钢管 6米", quantity: 50, unit: "根", unit_price: 80 }]);
    expect(parseItems("电缆4平方 200米")).toEqual([{ product: "电缆4平方", quantity: 200, unit: "米" }]);
  });

  it("never converts: 200米 stays 200 with its unit, two items keep their own", () => {
    expect(parseItems("电缆 200米 单价12 电机A 5台")).toEqual([
      { product: "电缆", quantity: 200, unit: "米", unit_price: 12 }, { product: "电机A", quantity: 5, unit: "台" },
    ]);
  });
});

describe("the LLM's structure carries the same unit", () => {
  it("the JSON schema sent to the model has an optional unit per item; IntentSchema validates it", () => {
    expect(JSON.stringify(intentJsonSchema())).toContain("the unit the quantity was written in, as typed");
    const base = { intent: "place_order", customer: "东方轴承", items: [{ product: "电缆", quantity: 200, unit: "米" }] };
    expect(IntentSchema.safeParse(base).success).toBe(true);
    expect(IntentSchema.safeParse({ ...base, items: [{ product: "电缆", quantity: 200, unit: "米".repeat(11) }] }).success).toBe(false);
  });

  it("a blank unit from the model is no unit", () => {
    const v = coerceModelOutput({ result: { intent: "place_order", customer: "东方轴承", items: [{ product: "电缆", quantity: "200", unit: " " }] } }, "", "Asia/Shanghai");
    expect(IntentSchema.parse(v)).toEqual({ intent: "place_order", customer: "东方轴承", items: [{ product: "电缆", quantity: 200 }] });
  });
});

describe("a draft correction keeps the unit typed with the number", () => {
  it.each([
    ["改 数量 300米", { field: "quantity", value: 300, unit: "米" }],
    ["改 电缆 数量 20卷", { field: "quantity", product: "电缆", value: 20, unit: "卷" }],
    ["改 数量 300", { field: "quantity", value: 300 }],
  ])("%s", (text, correction) => expect(parseOrderCorrection(text)).toEqual({ ok: true, correction }));
});

describe("the scorer judges an expected unit, in any spelling of that unit", () => {
  const item = (unit?: string) => [{ product: "电缆", quantity: 200, ...(unit ? { unit } : {}) }];
  it.each([
    [item("米"), item("米"), true], [item("米"), item("m"), true], [item("千克"), item("kg"), true],
    [item("米"), item("卷"), false], [item("米"), item(), false], [item(), item("卷"), true],
  ])("expected %j, actual %j → %s", (expected, actual, ok) => expect(fieldMatches("items", expected, actual)).toBe(ok));
});
