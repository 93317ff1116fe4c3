import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate, formatReport } from "../../src/nlu/eval/run.ts";
import { parseJsonl } from "../../src/nlu/eval/score.ts";
import { IntentSchema } from "../../src/nlu/intent.ts";
import { intentJsonSchema } from "../../src/nlu/llm/schema.ts";
import { findDiscount, findReason } from "../../src/nlu/rules/discounts.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";
import { findMoney } from "../../src/nlu/rules/money.ts";
import { parseNumber, shiftDecimal } from "../../src/nlu/rules/numbers.ts";
import { parseItems, splitGluedName, splitOrder } from "../../src/nlu/rules/order-items.ts";

const ctx = { now: new Date("2026-12-04T10:00:00+08:00"), timeZone: "Asia/Shanghai" };
const parse = (t: string) => createRulesParser().parse(t, ctx);

describe("exact money from the digit string", () => {
  it.each([
    ["1.15", 4, 11500], ["4.5", 3, 4500], ["0.45", 0, 0.45], ["12.35", 4, 123500], ["3", 8, 300000000], ["0.05", 1, 0.5],
  ])("%s × 10^%d = %d", (digits, power, expected) => expect(shiftDecimal(digits, power)).toBe(expected));

  it("never leaves floating-point noise (1.15 * 10000 would be 11499.999999999998)", () => {
    expect(parseNumber("1.15", "万")).toBe(11500);
    expect(parseNumber("1.15万")).toBe(11500);
    expect(parseNumber("2.35", "w")).toBe(23500);
    expect(findMoney("单价1.15万")[0]?.value).toBe(11500);
  });

  it.each([
    ["一万二一套", 12000], ["单价三百二一把", 320], ["十一万八一台", 118000], ["1.2万一台", 12000],
  ])("%s is a unit price", (text, value) => expect(findMoney(text)[0]).toMatchObject({ value, kind: "unit" }));
});

describe("items and prices", () => {
  it.each([
    ["电机 200台 4500", 4500], ["电机 200台 4.5千", 4500], ["电机 200台 3k", 3000], ["电机 200台 1.5w", 15000],
    ["电机 200台 @4500", 4500], ["电机 两百台 七千五", 7500], ["电机 200套 一万二一套", 12000], ["电机 200台 4500元", 4500],
  ])("%s", (text, price) => expect(parseItems(text)).toEqual([{ product: "电机", quantity: expect.any(Number), unit: text.includes("套") ? "套" : "台", unit_price: price }]));

  it("reads several items, with bare and spaced prices", () => {
    expect(parseItems("裁断机 3台 4.2万 片皮机 2台 3.6万")).toEqual([
      { product: "裁断机", quantity: 3, unit: "台", unit_price: 42000 }, { product: "片皮机", quantity: 2, unit: "台", unit_price: 36000 },
    ]);
    expect(parseItems("电机A 200台 单价4500 变频器 20台 每台3000")).toHaveLength(2);
  });

  it("keeps 和 at the start of the first product, and finds a product in the next field", () => {
    expect(parseItems("和面机 6台 单价1.08万")[0]?.product).toBe("和面机");
    expect(parseItems("要3000卷 牛皮纸 单价210")).toEqual([{ product: "牛皮纸", quantity: 3000, unit: "卷", unit_price: 210 }]);
  });
});

describe("the customer of an order", () => {
  it.each([
    ["华东机电电机A", "华东机电"], ["鑫源化工集团液压泵", "鑫源化工集团"], ["远航电子电子秤", "远航电子"], ["蔚来换电柜", "蔚来换电柜"],
  ])("glued %s → %s", (glued, name) => expect(splitGluedName(glued)).toBe(name));

  it.each([
    ["下单天宇化工反应釜2台单价6.5万", "天宇化工"],
    ["报单：蓝湾水产 冷风机 12台 单价6800", "蓝湾水产"],
    ["青岩食品要订 封口机 20台 单价1600", "青岩食品"],
    ["今天锦绣服饰下单了 缝纫机 50台 单价2300", "锦绣服饰"],
    ["PO 海川水务 潜污泵 12台 单价9500", "海川水务"],
  ])("%s", (text, customer) => expect(splitOrder(text).customer).toBe(customer));

  it.each([
    ["茂源钢铁追加 轧辊 6支 单价4.2万", "茂源钢铁"],
    ["客户量大 申请9折 下单 瀚海渔业 浮球 500个 18", "瀚海渔业"],
  ])("never swallows a neighbouring word: %s", async (text, customer) => expect(await parse(text)).toMatchObject({ intent: "place_order", customer }));

  it.each([
    ["今天去跟踪鑫瑞化工的进度 王经理说下周定", "鑫瑞化工"],
    ["博远环境现场 设备调试完了 李工说没问题", "博远环境"],
  ])("visits: %s", async (text, customer) => expect(await parse(text)).toMatchObject({ intent: "log_visit", customer }));
});

describe("discounts and their reason", () => {
  it.each([
    ["单价4500 折扣9折", 0.1], ["让5个点", 0.05], ["整单9折", 0.1], ["返3个点", 0.03], ["打个九五折吧", 0.05],
  ])("%s", (text, value) => expect(findDiscount(`电机 200台 ${text}`)?.value).toBe(value));

  it("reads the reason and keeps its figures out of the prices", async () => {
    expect(findReason("打九折 客户量大，竞品报价4300")?.text).toBe("客户量大，竞品报价4300");
    expect(findReason("申请九五折 因为是老客户")?.text).toBe("老客户");
    expect(findReason("电机A 200台 单价4500")).toBeUndefined();
    expect(await parse("下单 铭远电梯 曳引机 10台 打九折 客户量大，竞品报价2.4万")).toMatchObject({
      intent: "place_order", items: [{ product: "曳引机", quantity: 10 }], discount: 0.1, reason: "客户量大，竞品报价2.4万",
    });
  });

  it("place_order accepts a reason of at most 300 characters, and the LLM schema carries it", () => {
    const base = { intent: "place_order", customer: "X公司", items: [{ product: "电机", quantity: 1 }] };
    expect(IntentSchema.safeParse({ ...base, reason: "量大" }).success).toBe(true);
    expect(IntentSchema.safeParse({ ...base, reason: "长".repeat(301) }).success).toBe(false);
    expect(JSON.stringify(intentJsonSchema())).toContain("why the rep asks for this price or discount");
  });
});

describe("what is an order and what is not", () => {
  it.each([
    "客户瀚海渔业要500个浮球 单价18元",
    "佳木家具签了 封边条 800卷 单价95",
    "华彩涂料 分散机 2台 单价5.5万 申请9折",
    "下但 兴业纸品 分切机 2台 单价九万",
    "帮我下个蛋 百草药业 胶囊机 1台 单价26万",
  ])("order: %s", async (text) => expect((await parse(text)).intent).toBe("place_order"));

  it.each([
    "今天拜访青禾乳业 他们想要20台灌装机 问能不能打9折 下周给报价",
    "拜访铭远电梯 他们说下个月下单 曳引机10台",
    "下午去了沃土肥业 复合肥100吨 客户问能不能优惠5个点",
  ])("visit: %s", async (text) => expect((await parse(text)).intent).toBe("log_visit"));

  it.each([
    ["批 SO-20261204-004", "approve"], ["同以 SO-20261204-007", "approve"], ["驳会 SO-20261204-009 毛利不够", "reject"],
    ["SO-20261204-012 不同以 低于底价", "reject"], ["SO-20261204-033 不行 批不了", "reject"],
  ])("decision: %s", async (text, decision) => expect(await parse(text)).toMatchObject({ intent: "decide_approval", decision }));

  it.each(["SO-20261204-015 批了吗", "SO-20261204-033 这个批不批", "SO-20261204-016 审批通过了没有", "SO-20261204-017 什么时候发货？"])(
    "a question is no decision: %s", async (text) => expect((await parse(text)).intent).toBe("unknown"));

  it("a complaint about transit is a problem, not a confirmation", async () => {
    expect(await parse("SO-20261204-020 物流三天没更新了")).toMatchObject({ intent: "report_shipment_problem", reason: "物流三天没更新了" });
    expect(await parse("发货 SO-20261204-019 顺丰 SF1234567890123")).toMatchObject({ intent: "confirm_shipment", carrier: "顺丰" });
  });

  it("一下但是 and 同以往 stay as they are", async () => {
    expect((await parse("今天去青禾乳业看了一下但是没谈成")).intent).toBe("log_visit");
  });
});

describe("orders-tuning.jsonl (written with these rules: a regression guard)", () => {
  it("intent ≥ 0.95, field ≥ 0.90", async () => {
    const lines = parseJsonl(readFileSync(new URL("../fixtures/nlu/orders-tuning.jsonl", import.meta.url), "utf8"));
    expect(lines.length).toBeGreaterThanOrEqual(80);
    const summary = await evaluate(createRulesParser(), lines);
    if (summary.intentAccuracy < 0.95 || summary.fieldAccuracy < 0.9) console.log(formatReport(summary));
    expect(summary.intentAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(summary.fieldAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
