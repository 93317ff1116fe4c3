// A price asked with a count, and one product sold in two units, over WeCom: encrypted callbacks with real crypto into
// the real bot, answers and cards at the WeCom API simulator, on the real database. 电机A 200台多少钱 answers with the
// line's total at list price and at the rep's floor and whether it reaches the big-order amount; the 下单 line it gives
// really goes through as it says (at once, or to the director). The demo list sells 电缆 by the 卷 (¥600) and by the
// 米 (¥7.5): a price question in a unit gets that line, without one both; an order in 米 is the 米 line, one without a
// unit asks which on a card, one in a unit not listed is refused naming the units, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { eventually } from "../support/test-bot.ts";
import { cardsSentTo, startWecomHarness, textsSentTo, type WecomHarness } from "../wecom/wecom-harness.ts";

let h: WecomHarness;
beforeAll(async () => {
  // One rep asks a lot here: above WeCom's 30 messages a minute to one member the simulator drops them, as WeCom does.
  h = await startWecomHarness({}, { memberPerMinute: 1000 });
  for (const name of ["华东机电有限公司", "宁波东方轴承有限公司", "杭州恒力泵业有限公司"]) {
    await h.bot.db.prisma.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
  }
});
afterAll(() => h?.close());

/** Sends a text as `user` and waits for the next text the bot sends them. */
async function ask(user: string, text: string): Promise<string> {
  const before = textsSentTo(h.sim, user).length;
  await h.driver.deliver(h.driver.textXml(user, text));
  return eventually(() => textsSentTo(h.sim, user)[before], `an answer to 「${text}」`);
}

const stored = async () => {
  const db = h.bot.db.prisma;
  return { orders: await db.order.count(), audits: await db.auditLog.count(), pending: await db.pendingAction.count(), approvals: await db.approval.count() };
};

describe("a price asked with a count, over WeCom", () => {
  it("电机A 200台多少钱: the total at list price and at the rep's floor, and the big-order amount reached", async () => {
    const a = await ask("ZhangSan", "电机A 200台多少钱");
    expect(a).toContain("· 电机A（MOTOR-A）¥5,000/台 × 200台 = ¥1,000,000，你可直接给到 ¥4,750/台，共 ¥950,000");
    expect(a).toContain("达到大单金额 ¥500,000：下单需总监审批。");
    expect(a).toContain("你（销售）的折扣权限：5%（95折）以内直接批准，更低需要上级审批。");
    expect(a).toContain("下单例如：下单 客户名称 电机A 200台 单价4750");
    expect(a).not.toContain("合计"); // one line: its total is the sum
    // The count before the goods, 总价 for the question: the same answer.
    expect(await ask("ZhangSan", "200台电机A总价多少")).toBe(a);
  });

  it("电机b 30台 多少钱: below the big-order amount; plc控制器5套 电缆10卷 一共多少钱: each line and the sum, exact", async () => {
    const b = await ask("ZhangSan", "电机b 30台 多少钱");
    expect(b).toContain("· 电机B（MOTOR-B）¥8,000/台 × 30台 = ¥240,000，你可直接给到 ¥7,600/台，共 ¥228,000");
    expect(b).toContain("未达大单金额 ¥500,000，不需总监审批。");
    const two = await ask("ZhangSan", "plc控制器5套 电缆10卷 一共多少钱");
    expect(two.split("\n")).toEqual([
      "价格（人民币，2026-11-23 执行）：",
      "· PLC控制器（PLC-S7）¥12,000/套 × 5套 = ¥60,000，你可直接给到 ¥11,400/套，共 ¥57,000",
      "· 电缆（CABLE-10）¥600/卷 × 10卷 = ¥6,000，你可直接给到 ¥570/卷，共 ¥5,700",
      "合计 ¥66,000，你可直接给到 ¥62,700",
      "未达大单金额 ¥500,000，不需总监审批。",
      "你（销售）的折扣权限：5%（95折）以内直接批准，更低需要上级审批。",
      "下单例如：下单 客户名称 PLC控制器 5套 单价11400 电缆 10卷 单价570",
    ]);
    // Fen: ¥7.5 × 3 and the floor ¥7.13 (7.125 rounded up) × 3.
    expect(await ask("ZhangSan", "电缆 3米多少钱")).toContain("· 电缆（CABLE-10-M）¥7.5/米 × 3米 = ¥22.5，你可直接给到 ¥7.13/米，共 ¥21.39");
    // At list price big, at the floor not: said so.
    expect(await ask("ZhangSan", "电机A 100台多少钱")).toContain("达到大单金额 ¥500,000：下单需总监审批（成交总价低于 ¥500,000 则不需要）。");
    // A count for a name that fits two products, or a product in two units without one: no total is guessed.
    const motors = await ask("ZhangSan", "电机 200台多少钱");
    expect(motors).toContain("「电机」对应 2 个产品，写明是哪个才能算总价");
    expect(motors).toContain("· 电机A（MOTOR-A）¥5,000/台，你可直接给到 ¥4,750");
    expect(motors).not.toContain("×");
    const cable = await ask("ZhangSan", "电缆×20 多少钱");
    expect(cable).toContain("电缆 按卷、米分别报价，写明单位才能算总价（例如：电缆 10卷多少钱）");
    expect(cable).not.toContain("×");
  });

  it("each asker's own limit: the manager's floor; an admin list prices only; the warehouse refused, nothing stored", async () => {
    const m = await ask("WangWu", "电机A 200台多少钱");
    expect(m).toContain("你可直接给到 ¥4,250/台，共 ¥850,000");
    expect(m).toContain("你（经理）的折扣权限：15%（85折）以内直接批准");
    const admin = await ask("Admin", "电机A 200台多少钱");
    expect(admin).toContain("· 电机A（MOTOR-A）¥5,000/台 × 200台 = ¥1,000,000\n");
    expect(admin).toContain("管理员不下单，这里只列出标价。");
    const before = await stored();
    const refusal = await ask("ChenQi", "电机A 200台多少钱");
    expect(refusal).toBe("仓库同事看不到价格：发货通知和订单里都不显示价格。需要报价请联系负责的销售。发送「帮助」查看你能用的功能。");
    expect(await stored()).toEqual(before);
  });

  it("the 下单 line it gives goes through as said: 30台 at the floor at once; 200台 at the floor to the director alone", async () => {
    const db = h.bot.db.prisma;
    await h.driver.deliver(h.driver.textXml("ZhangSan", "下单 华东机电 电机B 30台 单价7600"));
    const small = await eventually(async () => (await db.order.findFirst({ where: { lines: { some: { sku: "MOTOR-B" } } }, include: { lines: true } })) ?? undefined, "the 电机B order");
    await eventually(async () => ((await db.order.findUniqueOrThrow({ where: { id: small.id } })).status === "dispatched" ? true : undefined), "approved at once");
    expect(small.total.toFixed(2)).toBe("228000.00");

    await h.driver.deliver(h.driver.textXml("ZhangSan", "下单 华东机电 电机A 200台 单价4750"));
    const big = await eventually(async () => (await db.order.findFirst({ where: { lines: { some: { sku: "MOTOR-A", quantity: 200 } } } })) ?? undefined, "the 电机A order");
    expect(big.total.toFixed(2)).toBe("950000.00");
    expect(big.status).toBe("pending_approval");
    await eventually(() => cardsSentTo(h.sim, "ZhaoLiu").find((c) => c.title === `折扣审批 ${big.number}`), "the director's approval card");
    expect(cardsSentTo(h.sim, "WangWu").some((c) => c.title === `折扣审批 ${big.number}`)).toBe(false);
    // Every message to the rep about both arrived before the next question is asked.
    await eventually(() => textsSentTo(h.sim, "ZhangSan").find((t) => t.startsWith(`订单 ${small.number} 已通知仓库`)), "the rep told of the dispatch");
    await eventually(() => cardsSentTo(h.sim, "ZhangSan").find((c) => c.title === `订单 ${big.number}`), "the rep's card of the big order");
  });
});

describe("one product sold in two units (电缆 by the 卷 and by the 米), over WeCom", () => {
  it("a price question: without a unit both lines; in a unit that line; in a unit not listed both lines and a note", async () => {
    const both = await ask("ZhangSan", "电缆多少钱");
    expect(both).toContain("· 电缆（CABLE-10）¥600/卷，你可直接给到 ¥570");
    expect(both).toContain("· 电缆（CABLE-10-M）¥7.5/米，你可直接给到 ¥7.13");
    expect(both).toContain("电缆 按卷、米分别报价，下单写明单位（例如：电缆 2卷）");
    const metre = await ask("ZhangSan", "电缆按米多少钱");
    expect(metre).toContain("· 电缆（CABLE-10-M）¥7.5/米");
    expect(metre).not.toContain("CABLE-10）");
    expect(await ask("ZhangSan", "电缆 200米多少钱")).toContain("· 电缆（CABLE-10-M）¥7.5/米 × 200米 = ¥1,500，你可直接给到 ¥7.13/米，共 ¥1,426");
    // Both units asked at once: both lines, and no note asking for a unit (one was given for each).
    const each = await ask("ZhangSan", "电缆 卷的和米的 分别多少");
    expect(each).toContain("· 电缆（CABLE-10）¥600/卷");
    expect(each).toContain("· 电缆（CABLE-10-M）¥7.5/米");
    expect(each).not.toContain("下单写明单位");
    const box = await ask("ZhangSan", "电缆 3箱多少钱");
    expect(box).toContain("电缆 按「卷」或「米」报价，没有按「箱」的价格");
    expect(box).toContain("· 电缆（CABLE-10）¥600/卷");
    expect(box).toContain("· 电缆（CABLE-10-M）¥7.5/米");
    expect(box).not.toContain("×");
  });

  it("an order in 米 is the 米 line, in 卷 the 卷 line; in a unit not listed refused naming both, nothing stored", async () => {
    const db = h.bot.db.prisma;
    await h.driver.deliver(h.driver.textXml("ZhangSan", "下单 宁波东方轴承 电缆 200米 单价7.2"));
    const metres = await eventually(async () => (await db.orderLine.findFirst({ where: { sku: "CABLE-10-M" }, include: { order: true } })) ?? undefined, "the 米 line ordered");
    expect([metres.quantity, metres.unitPrice.toFixed(2), metres.order.total.toFixed(2)]).toEqual([200, "7.20", "1440.00"]);
    await eventually(async () => ((await db.order.findUniqueOrThrow({ where: { id: metres.orderId } })).status === "dispatched" ? true : undefined), "within the rep's limit: approved at once");
    // The order card (no buttons left: WeCom gets it as markdown) shows the line in 米 at its own list price.
    const card = await eventually(() => textsSentTo(h.sim, "ZhangSan").find((t) => t.startsWith(`**订单 ${metres.order.number}**`)), "the order card");
    expect(card).toContain("电缆 200米 × ¥7.2（标价 ¥7.5，96折）= ¥1,440");

    await h.driver.deliver(h.driver.textXml("ZhangSan", "下单 华东机电 电缆 3卷 单价600"));
    const rolls = await eventually(async () => (await db.orderLine.findFirst({ where: { sku: "CABLE-10" }, include: { order: true } })) ?? undefined, "the 卷 line ordered");
    expect(rolls.quantity).toBe(3);
    // Its messages all arrived (the card, then the warehouse told), so the next answer is the refusal's.
    await eventually(() => textsSentTo(h.sim, "ZhangSan").find((t) => t.startsWith(`订单 ${rolls.order.number} 已通知仓库`)), "the rep told of the dispatch");

    const before = await stored();
    const cards = cardsSentTo(h.sim, "ZhangSan").length;
    expect(await ask("ZhangSan", "下单 宁波东方轴承 电缆 20箱 单价12")).toBe("电缆 按「卷」或「米」报价，您写的是「箱」。请按卷或米下单，例如：下单 宁波东方轴承有限公司 电缆 2卷");
    expect(await stored()).toEqual(before);
    expect(cardsSentTo(h.sim, "ZhangSan")).toHaveLength(cards);
  });

  it("an order without a unit asks which on a card (each line with its price); picking 米 orders the 米 line", async () => {
    const db = h.bot.db.prisma;
    const before = await db.orderLine.count({ where: { sku: "CABLE-10-M" } });
    await h.driver.deliver(h.driver.textXml("ZhangSan", "下单 华东机电 电缆×50"));
    const pick = await eventually(() => cardsSentTo(h.sim, "ZhangSan").find((c) => c.title === "「电缆」按哪个单位下单？"), "the unit question");
    expect(pick.buttons.map((b) => b.text)).toEqual(["电缆 50卷", "电缆 50米", "取消"]);
    const sent = JSON.stringify(h.sim.sentTo("ZhangSan", "template_card").at(-1));
    expect(sent).toContain("电缆 50卷（CABLE-10，¥600/卷）");
    expect(sent).toContain("电缆 50米（CABLE-10-M，¥7.5/米）");
    expect(await db.orderLine.count({ where: { sku: "CABLE-10-M" } })).toBe(before); // nothing ordered while it asks
    await h.driver.deliver(h.driver.cardEventXml({ from: "ZhangSan", eventKey: pick.buttons[1]!.key, taskId: pick.taskId, responseCode: h.sim.issueResponseCode() }));
    const line = await eventually(async () => (await db.orderLine.findFirst({ where: { sku: "CABLE-10-M", quantity: 50 }, include: { order: true } })) ?? undefined, "the 米 line ordered");
    expect([line.unitPrice.toFixed(2), line.order.total.toFixed(2)]).toEqual(["7.50", "375.00"]);
  });

  it("an order of both lines: the warehouse's partial shipment in 米 ships the 米 line only; in 箱 it is refused, nothing ships", async () => {
    const db = h.bot.db.prisma;
    await h.driver.deliver(h.driver.textXml("ZhangSan", "下单 杭州恒力泵业 电缆 3卷 单价600 电缆 200米 单价7.5"));
    const order = await eventually(async () => (await db.order.findFirst({ where: { customer: { name: "杭州恒力泵业有限公司" }, status: "dispatched" }, include: { lines: true } })) ?? undefined, "the order, dispatched");
    expect(order.lines.map((l) => `${l.sku} ${l.quantity}`).sort()).toEqual(["CABLE-10 3", "CABLE-10-M 200"]);
    await eventually(() => cardsSentTo(h.sim, "ChenQi").find((c) => c.title.includes(order.number)), "the notice to the warehouse");
    expect(await ask("ChenQi", `发货 ${order.number} 电缆 5箱 德邦 DPK3001234567`)).toBe("电缆 按「卷」或「米」下单，您写的是「箱」。请按卷或米写发货数量，例如：电缆 2卷 德邦 DPK300123456789");
    expect(await db.shipment.count({ where: { orderId: order.id } })).toBe(0);
    expect(await ask("ChenQi", `发货 ${order.number} 电缆 100米 德邦 DPK3001234567`)).toContain("电缆 100米");
    const shipped = await db.orderLine.findMany({ where: { orderId: order.id }, orderBy: { sku: "asc" } });
    expect(shipped.map((l) => `${l.sku} ${l.shippedQty}`)).toEqual(["CABLE-10 0", "CABLE-10-M 100"]);
  });
});
