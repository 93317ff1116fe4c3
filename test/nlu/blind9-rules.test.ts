/**
 * One spec per general rule added after blind9's misses (invented names and products only; the sentences per
 * class are in test/fixtures/nlu/blind9-classes.jsonl, asserted by eval.test.ts like every set).
 */
import { describe, expect, it } from "vitest";
import { createRulesParser } from "../../src/nlu/rules/index.ts";
import { findDiscount } from "../../src/nlu/rules/discounts.ts";
import { findMoney } from "../../src/nlu/rules/money.ts";
import { findQuantities } from "../../src/nlu/rules/quantities.ts";
import { cleanSpeech } from "../../src/nlu/rules/speech.ts";

const rules = createRulesParser();
const ctx = { now: new Date("2027-07-01T10:00:00+08:00"), timeZone: "Asia/Shanghai" };
const parse = (t: string) => rules.parse(t, ctx) as Promise<Record<string, unknown>>;

describe("voice fillers around names and goods", () => {
  it("drops 那个 after a verb and 那个单子 after a name, keeps 那个月 and a clause-start 那个", async () => {
    expect(cleanSpeech("那个任务完成了")).toBe("那个任务完成了");
    expect(await parse("那个金桥物流 托盘 三百个 八十五一个 报个单")).toMatchObject({ customer: "金桥物流", items: [{ product: "托盘", quantity: 300, unit_price: 85 }] });
    expect(cleanSpeech("海岳化工那个单子 液碱二十吨")).toBe("海岳化工 液碱二十吨");
    expect(cleanSpeech("下单 要那个螺栓 五万个")).toBe("下单 要螺栓 五万个");
    expect(cleanSpeech("那个月回款不错")).toContain("那个月");
  });
  it("reads 客护 as 客户 and drops 又要了 before the goods", async () => {
    expect(await parse("那个客护宏达五金 要螺栓 五万个 两毛五 帮我下单")).toMatchObject({ customer: "宏达五金", items: [{ product: "螺栓", quantity: 50000, unit_price: 0.25 }] });
    expect(await parse("那个天和医药又要了啊 输液袋 两万个 六毛一个 帮我下单")).toMatchObject({ customer: "天和医药", items: [{ product: "输液袋", unit_price: 0.6 }] });
  });
});

describe("prices in words after the count", () => {
  it("reads 毛/角 exactly, the 一 after them as 'per piece'", () => {
    expect(findMoney("三毛五").map((m) => m.value)).toEqual([0.35]);
    expect(findMoney("一毛二").map((m) => m.value)).toEqual([0.12]);
    expect(findMoney("五毛一只").map((m) => [m.value, m.kind])).toEqual([[0.5, "unit"]]);
    expect(findMoney("8角").map((m) => m.value)).toEqual([0.8]);
  });
  it("never counts 六十八一箱, 一百一一套, 一台一万二 or 十二块一个 as goods", () => {
    expect(findQuantities("六十八一箱")).toEqual([]);
    expect(findQuantities("一百一一套")).toEqual([]);
    expect(findQuantities("一台一万二")).toEqual([]);
    expect(findQuantities("十二块一个")).toEqual([]);
    expect(findQuantities("二十一箱").map((q) => q.value)).toEqual([21]);
    expect(findQuantities("两块钢板").map((q) => q.value)).toEqual([2]);
  });
  it("prices every item, no extra item", async () => {
    expect(await parse("恒力纺织下单 缝纫机 十二台 三千五一台 锁边机 五台 四千")).toMatchObject({
      items: [{ product: "缝纫机", quantity: 12, unit_price: 3500 }, { product: "锁边机", quantity: 5, unit_price: 4000 }],
    });
    expect(((await parse("华光仪器下单 示波器三台 一台一万五")).items as unknown[]).length).toBe(1);
  });
});

describe("order phrasings", () => {
  it.each([
    ["走个单：蓝海物流 周转箱 800个 45元", "蓝海物流"],
    ["走单 华晨五金 合页 5000个 2.8元", "华晨五金"],
    ["北辰机电那个单子帮我走一下 变频器六台 三千二一台", "北辰机电"],
    ["安泰化工 催化剂要两吨 三万八一吨 帮我下一下", "安泰化工"],
    ["金诚塑业要二十卷薄膜 一千二一卷 帮我报但", "金诚塑业"],
    ["启明电气签合同了，配电柜 12台，每台8600，帮我下单", "启明电气"],
  ])("%s", async (text, customer) => {
    expect(await parse(text)).toMatchObject({ intent: "place_order", customer });
  });
});

describe("per-unit price forms and points in words", () => {
  it("每平/每桶 are unit prices", () => {
    expect(findMoney("每平85").map((m) => [m.value, m.kind])).toEqual([[85, "unit"]]);
    expect(findMoney("每桶420").map((m) => [m.value, m.kind])).toEqual([[420, "unit"]]);
  });
  it("让三个点 is 3%, 便宜一点 is no discount", () => {
    expect(findDiscount("老客户了让三个点")?.value).toBe(0.03);
    expect(findDiscount("能不能便宜一点")).toBeUndefined();
  });
});

describe("approvals", () => {
  it.each([
    ["SO-20270702-004 拒了 账期太长", "reject", "账期太长"],
    ["SO-20270702-005 打回去 数量填错了", "reject", "数量填错了"],
    ["SO-20270702-006 不批 毛利太低了", "reject", "毛利太低了"],
    ["SO-20270703-001 同意，老客户可以让", "approve", "老客户可以让"],
  ])("%s", async (text, decision, reason) => {
    expect(await parse(text)).toMatchObject({ intent: "decide_approval", decision, reason });
  });
  it("reads 同易 as 同意", async () => {
    expect(await parse("SO-20270702-007同易")).toMatchObject({ intent: "decide_approval", decision: "approve" });
  });
});

describe("visits and remarks", () => {
  it("the customer's answer with no order yet is a visit log", async () => {
    expect(await parse("宏远陶瓷那边回复了 说还要再比比价 暂时不下单")).toMatchObject({ intent: "log_visit", customer: "宏远陶瓷" });
  });
  it("他们一次拿50台 after the goods is no item", async () => {
    expect(((await parse("永康五金签了 电钻 50台 320 九五折 他们一次拿50台")).items as unknown[]).length).toBe(1);
  });
});
