// The rule parser on price questions with counts as reps type them, one block per class of the blind21 misses (general
// causes, not its sentences): a count with no measure word, sum and reckoning words, counts in Chinese numerals, ×N, the
// count before the goods, the unit as a mode, a customer's ask passed on to the bot, goods separated by spaces, a
// cross-section in a cable's name, orders with bare numbers, the whole list asked in other words, typos of the question.
import { describe, expect, it } from "vitest";
import { createRulesParser } from "../../src/nlu/rules/index.ts";

const parser = createRulesParser();
const parse = (text: string) => parser.parse(text, { now: new Date("2026-12-05T10:00:00+08:00"), timeZone: "Asia/Shanghai" });
type Item = { product: string; quantity?: number; unit?: string };
const price = (products: string[], items?: Item[]) => ({ intent: "price_list", products, ...(items ? { items } : {}) });

describe("price questions with counts", () => {
  it.each([
    // 1. A count with no measure word after the goods (the unit is the product's, found by the handler).
    ["变频器 12 电机B 3 合计多少", price(["变频器", "电机B"], [{ product: "变频器", quantity: 12 }, { product: "电机B", quantity: 3 }])],
    ["电机A 40 多钱", price(["电机A"], [{ product: "电机A", quantity: 40 }])],
    ["电缆 60 要多少", price(["电缆"], [{ product: "电缆", quantity: 60 }])],
    ["plc 4 总共多少钱啊", price(["plc"], [{ product: "plc", quantity: 4 }])],
    ["变频器30 一共多少", price(["变频器"], [{ product: "变频器", quantity: 30 }])],
    // 2. Sum and reckoning words opening or closing the ask, with particles: never goods.
    ["电机B 3台 变频器 6台 合计吧", price(["电机B", "变频器"], [{ product: "电机B", quantity: 3, unit: "台" }, { product: "变频器", quantity: 6, unit: "台" }])],
    ["总共多少 电机A 7台", price(["电机A"], [{ product: "电机A", quantity: 7, unit: "台" }])],
    ["帮我算下 电缆 15卷", price(["电缆"], [{ product: "电缆", quantity: 15, unit: "卷" }])],
    ["报个总价 电机A 9台", price(["电机A"], [{ product: "电机A", quantity: 9, unit: "台" }])],
    ["电机B 11台 报总价给我呀", price(["电机B"], [{ product: "电机B", quantity: 11, unit: "台" }])],
    ["帮忙算算 变频器 4台 一共呢", price(["变频器"], [{ product: "变频器", quantity: 4, unit: "台" }])],
    // 合计一下 asks for the sum: its 一 is no yuan.
    ["电机A 6台 电缆 2卷 合计一下", price(["电机A", "电缆"], [{ product: "电机A", quantity: 6, unit: "台" }, { product: "电缆", quantity: 2, unit: "卷" }])],
    // 3. Counts in Chinese numerals, 一千米 as 1000 metres, 一百五 with the unit left out.
    ["变频器两台多少钱", price(["变频器"], [{ product: "变频器", quantity: 2, unit: "台" }])],
    ["电机A三十五台 总价多少", price(["电机A"], [{ product: "电机A", quantity: 35, unit: "台" }])],
    ["电缆两千米 多少钱", price(["电缆"], [{ product: "电缆", quantity: 2000, unit: "米" }])],
    ["电机B一百台 变频器两百 一共多少", price(["电机B", "变频器"], [{ product: "电机B", quantity: 100, unit: "台" }, { product: "变频器", quantity: 200 }])],
    ["电缆六卷多少钱", price(["电缆"], [{ product: "电缆", quantity: 6, unit: "卷" }])],
    // 4. ×N, *N, x N.
    ["电机b*12 多少钱", price(["电机b"], [{ product: "电机b", quantity: 12 }])],
    ["变频器 x 9 多少", price(["变频器"], [{ product: "变频器", quantity: 9 }])],
    ["电缆×8 合计多少", price(["电缆"], [{ product: "电缆", quantity: 8 }])],
    // + joins goods.
    ["电机A*20+电机B*10 多少钱", price(["电机A", "电机B"], [{ product: "电机A", quantity: 20 }, { product: "电机B", quantity: 10 }])],
    // 5. The count before the goods.
    ["两百台电机B多少钱", price(["电机B"], [{ product: "电机B", quantity: 200, unit: "台" }])],
    ["十台电机A 加 三卷电缆 要多少", price(["电机A", "电缆"], [{ product: "电机A", quantity: 10, unit: "台" }, { product: "电缆", quantity: 3, unit: "卷" }])],
    ["要60台变频器 多少钱", price(["变频器"], [{ product: "变频器", quantity: 60, unit: "台" }])],
    // 6. The unit as a mode, and two units of one product side by side.
    ["电缆按米算 800米 总价", price(["电缆"], [{ product: "电缆", quantity: 800, unit: "米" }])],
    ["电缆按卷 3卷 要多少", price(["电缆"], [{ product: "电缆", quantity: 3, unit: "卷" }])],
    ["电缆按卷和按米 各多少", price(["电缆"], [{ product: "电缆", unit: "卷" }, { product: "电缆", unit: "米" }])],
    ["电缆 按卷按米分别多少钱", price(["电缆"], [{ product: "电缆", unit: "卷" }, { product: "电缆", unit: "米" }])],
    ["电缆米的卷的各多少", price(["电缆"], [{ product: "电缆", unit: "米" }, { product: "电缆", unit: "卷" }])],
    // 8. Goods separated only by spaces are each one; a spec after a name stays with it.
    ["电机B 变频器 电缆 都啥价", price(["电机B", "变频器", "电缆"])],
    ["报个价 变频器 plc", price(["变频器", "plc"])],
    ["伺服电机 750W 多少钱", price(["伺服电机 750W"])],
    ["最新价格 电机A 电缆", price(["电机A", "电缆"])],
    // 9. A cross-section glued to the goods is their name.
    ["4平方电线 100米 多少钱", price(["4平方电线"], [{ product: "4平方电线", quantity: 100, unit: "米" }])],
    // 12. Typos of the question, 的价格 / 的总价 after the count, a lower-case SKU.
    ["电机B 多少前", price(["电机B"])],
    ["电机A 多少前一台", price(["电机A"], [{ product: "电机A", unit: "台" }])],
    ["电缆几钱", price(["电缆"])],
    ["变频器二十台的价格", price(["变频器"], [{ product: "变频器", quantity: 20, unit: "台" }])],
    ["s7-1200 6套的总价", price(["s7-1200"], [{ product: "s7-1200", quantity: 6, unit: "套" }])],
    ["电机B的话 30台 多少钱", price(["电机B"], [{ product: "电机B", quantity: 30, unit: "台" }])],
  ] as [string, object][])("%s", async (text, want) => expect(await parse(text)).toEqual(want));

  it.each(["所有产品的价格列一下", "全部产品价格发一下", "产品都啥价 报一下", "所有产品价格报一下吧", "产品价格都发我一下"])("%s → the whole list (11)", async (text) =>
    expect(await parse(text)).toEqual({ intent: "price_list" }));

  // 7. A customer's ask passed on to the bot: a price question, the customer no goods.
  it.each([
    ["华东机电要15台变频器 帮我算下总价", price(["变频器"], [{ product: "变频器", quantity: 15, unit: "台" }])],
    ["宏达机械 问 电机B 40台 总价", price(["电机B"], [{ product: "电机B", quantity: 40, unit: "台" }])],
    ["东方轴承那边要30卷电缆 报个总价给我", price(["电缆"], [{ product: "电缆", quantity: 30, unit: "卷" }])],
    ["客户要12台电机B 算一下多少钱", price(["电机B"], [{ product: "电机B", quantity: 12, unit: "台" }])],
    ["客户问 变频器 价格", price(["变频器"])],
    ["客户想问 电机A 8台 总价", price(["电机A"], [{ product: "电机A", quantity: 8, unit: "台" }])],
    ["老板问电机B 20台多少钱", price(["电机B"], [{ product: "电机B", quantity: 20, unit: "台" }])],
    // The customer asks (问, 问下, 那边问下) and nothing else is told: passed on to the bot.
    ["东方轴承问下 电机B 30台 一共多少钱", price(["电机B"], [{ product: "电机B", quantity: 30, unit: "台" }])],
    ["华东机电那边问下变频器 8台多少钱", price(["变频器"], [{ product: "变频器", quantity: 8, unit: "台" }])],
    ["宏达机械想要25台电机A 帮我算下总价", price(["电机A"], [{ product: "电机A", quantity: 25, unit: "台" }])],
    ["华东机电的采购问 变频器 60台 总价", price(["变频器"], [{ product: "变频器", quantity: 60, unit: "台" }])],
    ["东方轴承 电机A 15台 帮我算下总价", price(["电机A"], [{ product: "电机A", quantity: 15, unit: "台" }])],
    // 电缆 is a trade word and the goods: never taken for the customer.
    ["电缆 20卷 电机A 5台 帮我算下总价", price(["电缆", "电机A"], [{ product: "电缆", quantity: 20, unit: "卷" }, { product: "电机A", quantity: 5, unit: "台" }])],
    ["客户问电缆按卷多少钱", price(["电缆"], [{ product: "电缆", unit: "卷" }])],
  ] as [string, object][])("%s", async (text, want) => expect(await parse(text)).toEqual(want));

  it.each([
    // What happened is told: a visit, even with a price or a reckoning in it.
    ["今天去东方轴承 他们要200台电机A 问了价 下周再去", "log_visit"],
    ["拜访了华东机电 他们问电机A 50台总价多少 我说回去算下", "log_visit"],
    ["见了宏达机械 他们要20台变频器 帮我算下总价", "log_visit"],
    ["华东机电 电机A 200台多少钱", "log_visit"],
    ["客户问电机A多少钱 下周报价", "unknown"],
    ["客户问电机B多少钱 还没回", "unknown"],
    ["华东机电要50台电机A 总价多少还在谈", "log_visit"],
    // Own sales tallied, no list price asked.
    ["今天卖了电机A 20台 一共多少钱", "unknown"],
    // A reckoning with no count and nothing priced is no price look-up.
    ["帮我算下这个月业绩", "show_metrics"],
  ])("%s stays %s", async (text, intent) => expect((await parse(text)).intent).toBe(intent));
});

describe("orders with bare numbers and a cross-section in the name", () => {
  it.each([
    ["下单 东方轴承 10平方电缆 5卷", "东方轴承", [{ product: "10平方电缆", quantity: 5, unit: "卷" }]],
    // The bare line of customer, goods and count is an order with such goods too.
    ["宏达机械 4平方电线 200米", "宏达机械", [{ product: "4平方电线", quantity: 200, unit: "米" }]],
    ["下单 华东机电 2.5平方线 400米 单价3", "华东机电", [{ product: "2.5平方线", quantity: 400, unit: "米", unit_price: 3 }]],
    // A count with no unit (the list's unit stands, or the order asks which), then maybe the unit price.
    ["下单 宏达机械 电缆 120", "宏达机械", [{ product: "电缆", quantity: 120 }]],
    ["下单 华东机电 电机A 8 4800", "华东机电", [{ product: "电机A", quantity: 8, unit_price: 4800 }]],
    ["给东方轴承下单 变频器 25", "东方轴承", [{ product: "变频器", quantity: 25 }]],
    // Spaced-off units and per-unit prices are no bare counts.
    ["下单 东方轴承 电缆 300 米", "东方轴承", [{ product: "电缆", quantity: 300, unit: "米" }]],
    ["下单 宏达机械 电缆 20卷 每卷 580", "宏达机械", [{ product: "电缆", quantity: 20, unit: "卷", unit_price: 580 }]],
  ] as [string, string, object[]][])("%s", async (text, customer, items) => expect(await parse(text)).toEqual({ intent: "place_order", customer, items }));

  it("an area counted (200平方 standing alone) is still a count", async () => {
    expect(await parse("下单 华东机电 地板 200平方 单价80")).toMatchObject({ intent: "place_order", items: [{ product: "地板", quantity: 200, unit: "平方", unit_price: 80 }] });
  });
});
