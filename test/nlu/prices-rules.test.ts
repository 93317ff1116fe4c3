// The rule parser's price look-up (price_list) and the resubmission command's parser: what a rep asks for prices in
// (the whole list, goods written loosely), what must stay something else (a visit log that mentions a price, an
// order, the market, a customer's quote), and the changes a resubmission may carry (单价, 数量, 折扣, 理由) or not.
import { describe, expect, it } from "vitest";
import { looksLikeResubmission, parseResubmission } from "../../src/nlu/order-correction.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";

const parser = createRulesParser();
const parse = (text: string) => parser.parse(text, { now: new Date("2026-12-05T10:00:00+08:00"), timeZone: "Asia/Shanghai", knownCustomers: ["华东机电设备有限公司"] });

describe("price look-up in the rule parser", () => {
  // The asker's own limit is on the same answer (the floor per product, the limit, the big-order amount).
  it.each(["价格表", "报价单", "有哪些产品", "价格表发我", "最新价格表", "我们都有哪些产品", "产品清单", "发一份价目表", "多少钱", "我的折扣权限是多少", "我最多能给客户打几折", "价格表在哪", "价目表发下", "咱们都卖啥 各多少钱"])("%s → the whole list", async (text) =>
    expect(await parse(text)).toEqual({ intent: "price_list" }));

  it.each([
    ["电机A多少钱", ["电机A"]],
    ["电机a 现在什么价", ["电机a"]],
    ["变频器 单价", ["变频器"]],
    ["电机A价格", ["电机A"]],
    ["电机A的价钱是多少", ["电机A"]],
    ["查一下电机A的价格", ["电机A"]],
    ["变频器现在多少钱一台", ["变频器"], [{ product: "变频器", unit: "台" }]],
    ["PLC多少钱？", ["PLC"]],
    ["电缆报价多少", ["电缆"]],
    ["电机A和变频器多少钱", ["电机A", "变频器"]],
    ["电机A、电机B 价格", ["电机A", "电机B"]],
    ["环氧地坪漆的价格表发我一份", ["环氧地坪漆"]],
    ["电机A怎么卖", ["电机A"]],
    ["电机A现在卖多少", ["电机A"]],
    ["电机A什么价位", ["电机A"]],
    ["电机A一台多少", ["电机A"], [{ product: "电机A", unit: "台" }]],
    ["电机A的标准价", ["电机A"]],
    ["电机A的底价", ["电机A"]],
    ["电机A最低能给到多少", ["电机A"]],
    // A count in the ask: the goods, priced (the count is no part of the name) and counted (the total).
    ["电机A 200台多少钱", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    ["电机b 30台 多少钱", ["电机b"], [{ product: "电机b", quantity: 30, unit: "台" }]],
    ["plc控制器5套 电缆10卷 一共多少钱", ["plc控制器", "电缆"], [{ product: "plc控制器", quantity: 5, unit: "套" }, { product: "电缆", quantity: 10, unit: "卷" }]],
    ["200台电机A总价多少", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    ["200台电机A 50台电机B多少钱", ["电机A", "电机B"], [{ product: "电机A", quantity: 200, unit: "台" }, { product: "电机B", quantity: 50, unit: "台" }]],
    ["电机A 两百台 总价是多少钱？", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    ["电机A ×5 多少钱", ["电机A"], [{ product: "电机A", quantity: 5 }]],
    ["电缆×20 多少钱", ["电缆"], [{ product: "电缆", quantity: 20 }]],
    ["电缆 200米 多少钱", ["电缆"], [{ product: "电缆", quantity: 200, unit: "米" }]],
    // The verb before the count, 的话 after it, 算一下 before the goods, 总价 closing: none of it is goods.
    ["电机A买200台多少钱", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    ["电机A要30台 多少钱", ["电机A"], [{ product: "电机A", quantity: 30, unit: "台" }]],
    ["要200台电机A多少钱", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    ["如果要200台电机A 一共多少钱", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    ["电机A 200台的话多少钱", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    ["算一下电机A 200台多少钱", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    ["电机A 200台 总价", ["电机A"], [{ product: "电机A", quantity: 200, unit: "台" }]],
    // The unit asked in, no count: that unit's line of a product sold in several (the handler picks it).
    ["电缆按米多少钱", ["电缆"], [{ product: "电缆", unit: "米" }]],
    ["电缆每米多少钱", ["电缆"], [{ product: "电缆", unit: "米" }]],
    ["电缆多少钱一米", ["电缆"], [{ product: "电缆", unit: "米" }]],
    // 多少钱一台 after two goods says nothing of either; a size is part of the name.
    ["电机A和电缆多少钱一台", ["电机A", "电缆"]],
    ["10平方电缆多少钱", ["10平方电缆"]],
    // The list as the place to look.
    ["价格表上电缆什么价", ["电缆"]],
    ["产品价格表里电机A多少钱", ["电机A"]],
  ] as [string, string[], object[]?][])("%s → price_list %j %j", async (text, products, items) => expect(await parse(text)).toEqual({ intent: "price_list", products, ...(items ? { items } : {}) }));

  it.each([
    // A reported question names no customer: no visit can be logged without one, and it is no price look-up either.
    ["客户问电机A多少钱 下周报价", "unknown"],
    ["华东机电 客户问电机A多少钱 下周报价", "log_visit"],
    ["今天拜访了华东机电的王经理，他问电机A多少钱，下周三带报价再去", "log_visit"],
    ["华泰五金王经理来电，问电缆现在什么价，我报了600一卷", "log_visit"],
    ["下单 华东机电 电机A 200台 单价4500", "place_order"],
    ["医用口罩最近行情怎么样", "unknown"],
    ["电缆涨价了吗", "unknown"],
    ["客户问能打几折", "unknown"],
    ["客户问最低能给到多少 下周回复", "unknown"],
    ["华东机电的采购问最低能给到多少 下周回复", "log_visit"],
    ["今天报了电机A的价格", "unknown"],
    // A customer named with the count: their deal, not the list.
    ["华东机电 电机A 200台多少钱", "log_visit"],
    ["电机A报价发给客户了", "unknown"],
  ])("%s stays %s", async (text, intent) => expect((await parse(text)).intent).toBe(intent));

  it("a named company's quote is a look-up of the customer, not of the list", async () => {
    expect(await parse("华东机电报价多少")).toMatchObject({ intent: "lookup_customer" });
  });
});

describe("resubmitting a rejected order: the command's parser", () => {
  it.each([
    ["SO-20261205-0003 单价改成7500 重新提交", { order: "SO-20261205-0003", changes: [{ field: "unit_price", value: 7500 }] }],
    ["重新提交 SO-20261205-003 电机A单价4800", { order: "SO-20261205-003", changes: [{ field: "unit_price", product: "电机A", value: 4800 }] }],
    ["重新提交 so20261205003", { order: "SO-20261205-003", changes: [] }],
    ["重新提交", { changes: [] }],
    ["SO-20261205-003 电机A 单价4800 变频器 数量5台 重新提交", { order: "SO-20261205-003", changes: [{ field: "unit_price", product: "电机A", value: 4800 }, { field: "quantity", product: "变频器", value: 5, unit: "台" }] }],
    ["SO-20261205-003 把电机A的单价改为4.8千 数量改成20台 重新提交", { order: "SO-20261205-003", changes: [{ field: "unit_price", product: "电机A", value: 4800 }, { field: "quantity", product: "电机A", value: 20, unit: "台" }] }],
    ["重新提交 SO-20261205-003 9折 理由：客户量大 竞品4300", { order: "SO-20261205-003", changes: [{ field: "discount", value: 0.1 }], reason: "客户量大 竞品4300" }],
    ["SO-20261205-003 重新提交 单价四千八", { order: "SO-20261205-003", changes: [{ field: "unit_price", value: 4800 }] }],
    ["重新提交 SO-20261205-003 数量改成300米", { order: "SO-20261205-003", changes: [{ field: "quantity", value: 300, unit: "米" }] }],
  ])("%s", (text, expected) => {
    expect(looksLikeResubmission(text)).toBe(true);
    expect(parseResubmission(text)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ["重新提交 SO-20261205-003 加 电缆 10卷", "加 电缆 10卷"],
    ["重新提交 SO-20261205-003 客户改成华东机电", "客户改成华东机电"],
    ["重新提交 SO-20261205-003 去掉电机B", "去掉电机B"],
    ["重新提交 SO-20261205-003 单价 abc", "单价 abc"],
  ])("%s: refused, naming what was not understood", (text, leftover) =>
    expect(parseResubmission(text)).toEqual({ ok: false, problem: "not_understood", leftover }));

  it.each(["我想重新提交一下报价", "重新提交的流程是什么", "报价单重新提交给客户了", "驳回 SO-20261205-003 价格太低 请重新提交", "SO-20261205-003 让张三改价后重新提交", "同意 SO-20261205-003 下次别重新提交了"])(
    "%s is no resubmission command",
    (text) => expect(looksLikeResubmission(text)).toBe(false),
  );
});
