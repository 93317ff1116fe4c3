// The unit a rep types is the unit the order is in, or the order is refused: 电缆 is sold by the 卷 and by the 米 (the
// demo price list, two lines), so 电缆 20箱 is refused and must never become 20卷; 电机A 2套 (sold by the 台) too. Through the playground's real HTTP API, on the real database: a
// refused order stores nothing (no order, no audit, no approval card, no draft), the same rule holds for a draft,
// its typed correction and a partial shipment, and a unit that is the list's (or counts the same pieces) goes through.
import { describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";

const cardsOf = async (t: PlaygroundBot, userId: string, purpose: string) =>
  (await t.pg.botItems(userId)).flatMap((i) => (i.type === "card" && i.card.purpose === purpose ? [i.card] : []));
const texts = async (t: PlaygroundBot, userId: string) => (await t.pg.botItems(userId)).flatMap((i) => (i.type === "text" ? [i.text] : []));
/** The n-th text (1-based) the bot sent this person, once it is there. */
const nthText = (t: PlaygroundBot, userId: string, n: number) => eventually(async () => (await texts(t, userId))[n - 1], `text #${n} for ${userId}`);
const waitCard = (t: PlaygroundBot, userId: string, purpose: string, n: number) =>
  eventually(async () => (await cardsOf(t, userId, purpose))[n - 1], `${purpose} card #${n} for ${userId}`);

describe("the unit typed is the unit ordered", () => {
  const t = playgroundBot();

  /** Everything a placed (or drafted) order would have left behind. */
  async function stored() {
    return {
      orders: await t.db.order.count(),
      lines: await t.db.orderLine.count(),
      audits: await t.db.auditLog.count({ where: { action: { startsWith: "order." } } }),
      approvals: await t.db.approval.count(),
      managerCards: (await cardsOf(t, "wangwu", "approval")).length,
      drafts: (await cardsOf(t, "zhangsan", "order_draft")).length,
      orderCards: (await cardsOf(t, "zhangsan", "order")).length,
    };
  }

  it("电缆 20箱 of a product sold by the 卷 and the 米 is refused with the list's units named, and nothing is stored", async () => {
    await t.db.customer.create({ data: { name: "宁波东方轴承", normalizedName: normalizeCompanyName("宁波东方轴承"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
    const before = await stored();
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电缆 20箱 单价12");
    expect(await nthText(t, "zhangsan", 1)).toBe("电缆 按「卷」或「米」报价，您写的是「箱」。请按卷或米下单，例如：下单 宁波东方轴承 电缆 2卷");
    // Glued, no punctuation, a weight in letters; a big discount that would need approval; free text (a draft otherwise).
    await t.pg.say("zhangsan", "下单宁波东方轴承电缆20箱单价12");
    expect(await nthText(t, "zhangsan", 2)).toContain("电缆 按「卷」或「米」报价，您写的是「箱」");
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电缆 200kg");
    expect(await nthText(t, "zhangsan", 3)).toContain("您写的是「kg」");
    await t.pg.say("zhangsan", "宁波东方轴承要订 电缆 5箱 单价300");
    expect(await nthText(t, "zhangsan", 4)).toContain("电缆 按「卷」或「米」报价，您写的是「箱」");
    // A set is not a machine: 套 for a product sold by the 台 changes the amount, so it is refused too.
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电机A 2套 单价4900");
    expect(await nthText(t, "zhangsan", 5)).toBe("电机A 按「台」报价，您写的是「套」。请按台下单，例如：下单 宁波东方轴承 电机A 2台");
    expect(await stored()).toEqual(before);
  });

  it("the list's unit, or a word that counts the same single pieces, goes through as that many of the list's unit", async () => {
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电缆 20卷 单价600");
    const cable = await waitCard(t, "zhangsan", "order", 1);
    expect(cable.lines?.join("\n")).toContain("电缆 20卷 × ¥600");
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电机A 2个 单价5000");
    const motor = await waitCard(t, "zhangsan", "order", 2);
    expect(motor.lines?.join("\n")).toContain("电机A 2台 × ¥5,000");
    expect(await t.db.orderLine.findMany({ select: { sku: true, quantity: true }, orderBy: { sku: "asc" } })).toEqual([
      { sku: "CABLE-10", quantity: 20 }, { sku: "MOTOR-A", quantity: 2 },
    ]);
  });

  it("a draft's typed correction follows the same rule: 改 数量 300米 is refused and the draft stays, 改 数量 30卷 is taken", async () => {
    await t.pg.say("zhangsan", "宁波东方轴承要订 变频器 3台 单价3200");
    const draft = await waitCard(t, "zhangsan", "order_draft", 1);
    expect(draft.lines?.join("\n")).toContain("变频器 3台");
    const n = (await texts(t, "zhangsan")).length;
    await t.pg.say("zhangsan", "改 数量 300米");
    expect(await nthText(t, "zhangsan", n + 1)).toBe("变频器 按「台」报价，您写的是「米」。请按台下单，例如：下单 宁波东方轴承 变频器 2台");
    expect((await cardsOf(t, "zhangsan", "order_draft"))).toHaveLength(1);
    await t.pg.say("zhangsan", "改 数量 30台");
    const corrected = await waitCard(t, "zhangsan", "order_draft", 2);
    expect(corrected.lines?.join("\n")).toContain("变频器 30台");
    const orders = await t.db.order.count();
    await t.pg.click("zhangsan", corrected, "提交");
    await eventually(async () => ((await t.db.order.count()) === orders + 1 ? true : undefined), "the corrected draft placed");
    // Its order card reaches the feed through the outbox a little later: wait, so the next test's "nothing stored"
    // count does not see it arrive.
    await waitCard(t, "zhangsan", "order", 3);
  });

  it("a product asked about on a card keeps the unit typed: picking 电机A for 电机 2套 is refused, nothing stored", async () => {
    const before = await stored();
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电机 2套");
    const pick = await waitCard(t, "zhangsan", "pick_product", 1);
    const n = (await texts(t, "zhangsan")).length;
    await t.pg.click("zhangsan", pick, "电机A");
    expect(await nthText(t, "zhangsan", n + 1)).toBe("电机A 按「台」报价，您写的是「套」。请按台下单，例如：下单 宁波东方轴承 电机A 2台");
    expect({ ...(await stored()), drafts: before.drafts }).toEqual(before);
  });

  it("the warehouse's partial shipment in another unit is refused; nothing ships", async () => {
    const order = await t.db.order.findFirstOrThrow({ where: { lines: { some: { sku: "CABLE-10" } } } });
    await eventually(async () => ((await cardsOf(t, "chenqi", "dispatch_notice")).length > 0 ? true : undefined), "the notice to the warehouse");
    const n = (await texts(t, "chenqi")).length;
    await t.pg.say("chenqi", `发货 ${order.number} 电缆 5米 德邦 DPK3001234567`);
    expect(await nthText(t, "chenqi", n + 1)).toContain("电缆 按「卷」下单，您写的是「米」");
    expect(await t.db.shipment.count()).toBe(0);
    await t.pg.say("chenqi", `发货 ${order.number} 电缆 5卷 德邦 DPK3001234567`);
    expect(await nthText(t, "chenqi", n + 2)).toContain("电缆 5卷");
    expect((await t.db.orderLine.findFirstOrThrow({ where: { orderId: order.id } })).shippedQty).toBe(5);
  });
});
