// A draft's quantity changed into the product's other unit: 电缆 is listed by the 卷 (CABLE-10, ¥600) and by the 米
// (CABLE-10-M, ¥7.5), so on a draft with 电缆 in 卷, `改 数量 300米` (and the other ways the draft's correction is typed)
// makes the line the 米 SKU at its list price, says so on the new draft, and drops a unit price written for the 卷
// — never carried over to the 米 line. A unit 电缆 is not listed in is refused naming 卷 and 米; a rejected order's
// resubmission keeps its lines, so there the change of unit is refused. Through the playground's real HTTP API on
// the real database (PGlite, or PostgreSQL with DATABASE_URL); a refusal leaves the draft and the stored rows as
// they were.
import { describe, expect, it } from "vitest";
import type { Card } from "../../src/core/card.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const cardsOf = async (t: PlaygroundBot, userId: string, purpose: string) =>
  (await t.pg.botItems(userId)).flatMap((i) => (i.type === "card" && i.card.purpose === purpose ? [i.card] : []));
const texts = async (t: PlaygroundBot, userId: string) => (await t.pg.botItems(userId)).flatMap((i) => (i.type === "text" ? [i.text] : []));
const linesOf = (c: Card) => c.lines?.join("\n") ?? "";

describe("a draft's quantity in the product's other unit", () => {
  const t = playgroundBot();

  /** Says something and waits for the next draft card (returned) or text (thrown as the refusal it is). */
  async function draftAfter(text: string): Promise<Card> {
    const drafts = (await cardsOf(t, "zhangsan", "order_draft")).length;
    const said = (await texts(t, "zhangsan")).length;
    await t.pg.say("zhangsan", text);
    const next = await eventually(async () => {
      const d = (await cardsOf(t, "zhangsan", "order_draft"))[drafts];
      if (d) return { draft: d };
      const x = (await texts(t, "zhangsan"))[said];
      return x === undefined ? undefined : { text: x };
    }, `the answer to 「${text}」`);
    if ("text" in next) throw new Error(`「${text}」 was answered with text: ${next.text}`);
    return next.draft;
  }
  /** Says something and waits for the text answering it (a refusal). */
  async function refusal(text: string): Promise<string> {
    const said = (await texts(t, "zhangsan")).length;
    await t.pg.say("zhangsan", text);
    return eventually(async () => (await texts(t, "zhangsan"))[said], `the answer to 「${text}」`);
  }
  const stored = async () => ({
    orders: await t.db.order.count(), lines: await t.db.orderLine.count(), approvals: await t.db.approval.count(), audits: await t.db.auditLog.count(),
    drafts: (await cardsOf(t, "zhangsan", "order_draft")).length,
    openDrafts: await t.db.card.count({ where: { purpose: "order_draft", status: "active" } }),
  });

  it("改 数量 300米 on 电缆 in 卷: the 米 line at ¥7.5 (the ¥550 written for the 卷 dropped, and said); submitted at list price it needs no approval", async () => {
    await t.db.customer.create({ data: { name: "宁波东方轴承", normalizedName: normalizeCompanyName("宁波东方轴承"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
    const first = await draftAfter("宁波东方轴承要订 电缆 5卷 单价550");
    expect(linesOf(first)).toContain("电缆 5卷 × ¥550");
    const moved = await draftAfter("改 数量 300米");
    expect(linesOf(moved)).toContain("电缆 300米 × ¥7.5（标价）= ¥2,250");
    expect(linesOf(moved)).toContain("电缆 改按「米」（CABLE-10-M）：单价按价格表 ¥7.5/米；之前写的 ¥550/卷 是按卷的价，没有沿用。要另给单价，回复「改 单价 …」");
    expect(moved.fields?.find((f) => f.label === "金额")?.value).toBe("¥2,250");
    expect(moved.title).toBe("要提交这张订单吗？");
    // The first draft is closed; only the new one is open.
    expect(await t.db.card.count({ where: { purpose: "order_draft", status: "active" } })).toBe(1);
    const orders = await t.db.order.count();
    await t.pg.click("zhangsan", moved, "提交");
    const order = await eventually(async () => ((await t.db.order.count()) > orders ? t.db.order.findFirst({ orderBy: { createdAt: "desc" }, include: { lines: true } }) : undefined), "the order");
    expect(order!.lines.map((l) => [l.sku, l.quantity, l.unitPrice.toFixed(2)])).toEqual([["CABLE-10-M", 300, "7.50"]]);
    // At the list price the order is within the rep's authority: approved at once (¥550/卷 would have needed 王五).
    expect(["approved", "dispatched"]).toContain(order!.status);
    expect(await t.db.approval.count({ where: { orderId: order!.id } })).toBe(0);
    // Its notices reach the feed through the outbox a little later: wait, so the next test's answers are its own.
    await eventually(async () => ((await texts(t, "zhangsan")).some((x) => x.includes(`订单 ${order!.number} 已通知仓库发货`)) ? true : undefined), "the rep told of the dispatch");
  });

  it("the ways the correction is typed, and back again: 改 数量 2卷 on a 米 line is the 卷 line at ¥600", async () => {
    for (const typed of ["改 电缆 数量 300米", "修改数量为300 米", "改数量300m", "改 10平方电缆 的数量 300米", "更正 数量：三百米", "改 CABLE-10 数量 300延米"]) {
      await draftAfter("宁波东方轴承要订 电缆 5卷");
      const moved = await draftAfter(typed);
      expect(linesOf(moved), typed).toMatch(/^电缆 300(?:米|m|延米) × ¥7\.5（标价）= ¥2,250$/m);
      expect(linesOf(moved), typed).toContain("电缆 改按「米」（CABLE-10-M）：单价按价格表 ¥7.5/米。要另给单价");
      await t.pg.click("zhangsan", moved, "取消");
      await eventually(async () => ((await t.db.card.count({ where: { purpose: "order_draft", status: "active" } })) === 0 ? true : undefined), "the draft cancelled");
    }
    await draftAfter("宁波东方轴承要订 电缆 80米");
    const back = await draftAfter("改 数量 2卷");
    expect(linesOf(back)).toContain("电缆 2卷 × ¥600（标价）= ¥1,200");
    expect(linesOf(back)).toContain("电缆 改按「卷」（CABLE-10）：单价按价格表 ¥600/卷。");
    // In its own unit nothing is said about prices.
    const same = await draftAfter("改 数量 3卷");
    expect(linesOf(same)).toContain("电缆 3卷 × ¥600");
    expect(linesOf(same)).not.toContain("改按");
  });

  it("a unit 电缆 is not listed in is refused naming 卷 and 米; the draft stays and nothing is stored", async () => {
    const before = await stored();
    expect(await refusal("改 数量 20箱")).toBe("电缆 按「卷」或「米」报价，您写的是「箱」。请按卷或米写，例如：改 电缆 数量 3卷");
    expect(await refusal("改 电缆 数量 200kg")).toContain("电缆 按「卷」或「米」报价，您写的是「kg」");
    expect(await stored()).toEqual(before);
    // A product with one unit is refused by the order engine, naming its unit (as before).
    await t.pg.click("zhangsan", (await cardsOf(t, "zhangsan", "order_draft")).at(-1)!, "取消");
    await eventually(async () => ((await t.db.card.count({ where: { purpose: "order_draft", status: "active" } })) === 0 ? true : undefined), "the draft cancelled");
    await draftAfter("宁波东方轴承要订 变频器 3台");
    expect(await refusal("改 数量 300米")).toBe("变频器 按「台」报价，您写的是「米」。请按台下单，例如：下单 宁波东方轴承 变频器 2台");
  });

  it("an order-wide discount applies to the new line and is said; with several products the product is named", async () => {
    await t.pg.click("zhangsan", (await cardsOf(t, "zhangsan", "order_draft")).at(-1)!, "取消");
    await eventually(async () => ((await t.db.card.count({ where: { purpose: "order_draft", status: "active" } })) === 0 ? true : undefined), "the draft cancelled");
    await draftAfter("宁波东方轴承要订 电机A 2台 电缆 5卷 9折");
    expect(await refusal("改 数量 300米")).toBe("草稿里有 2 个产品，请写明改哪一个，例如：改 电机A 数量 300");
    const moved = await draftAfter("改 电缆 数量 300米");
    expect(linesOf(moved)).toContain("电机A 2台 × ¥4,500");
    expect(linesOf(moved)).toContain("电缆 300米 × ¥6.75（标价 ¥7.5，9折）= ¥2,025");
    expect(linesOf(moved)).toContain("电缆 改按「米」（CABLE-10-M）：单价按价格表 ¥7.5/米，打整单的9折。要另给单价，回复「改 电缆 单价 …」");
  });

  it("a draft with 电缆 in both units: the unit written picks the line; without one, or a price, the line is asked for", async () => {
    await t.pg.click("zhangsan", (await cardsOf(t, "zhangsan", "order_draft")).at(-1)!, "取消");
    await eventually(async () => ((await t.db.card.count({ where: { purpose: "order_draft", status: "active" } })) === 0 ? true : undefined), "the draft cancelled");
    const both = await draftAfter("宁波东方轴承要订 电缆 5卷 电缆 100米");
    expect(linesOf(both)).toMatch(/电缆 5卷 × ¥600[^\n]*\n电缆 100米 × ¥7\.5/);
    const metres = await draftAfter("改 电缆 数量 300米");
    expect(linesOf(metres)).toMatch(/电缆 5卷 × ¥600[^\n]*\n电缆 300米 × ¥7\.5/);
    expect(linesOf(metres)).not.toContain("改按");
    const rolls = await draftAfter("改 电缆 数量 8卷");
    expect(linesOf(rolls)).toMatch(/电缆 8卷 × ¥600[^\n]*\n电缆 300米 × ¥7\.5/);
    const before = await stored();
    expect(await refusal("改 电缆 数量 300")).toBe("草稿里「电缆」有按卷和按米两行，请写明改哪一行，例如：改 电缆 数量 300卷");
    expect(await refusal("改 电缆 单价 7")).toBe("草稿里「电缆」有按卷和按米两行，请写明改哪一行，例如：改 CABLE-10 单价 7");
    expect(await refusal("改 电缆 数量 2箱")).toBe("电缆 按「卷」或「米」报价，您写的是「箱」。请按卷或米写，例如：改 电缆 数量 2卷");
    // Moving the 卷 line to 米 where the draft has a 米 line already: that line is to be changed instead.
    expect(await refusal("改 CABLE-10 数量 300米")).toBe("草稿里已经有按米的电缆（CABLE-10-M），请直接改那一行，例如：改 电缆 数量 300米");
    expect(await stored()).toEqual(before);
    const priced = await draftAfter("改 CABLE-10-M 单价 7");
    expect(linesOf(priced)).toContain("电缆 300米 × ¥7（标价 ¥7.5");
  });

  it("a rejected order's resubmission keeps its lines: a change of unit is refused (typed and on the amendable draft), nothing changes", async () => {
    const before = (await cardsOf(t, "zhangsan", "order")).length;
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电缆 50卷 单价540");
    const number = (await eventually(async () => (await cardsOf(t, "zhangsan", "order"))[before], "the order card")).title.replace("订单 ", "");
    await eventually(async () => ((await cardsOf(t, "wangwu", "approval")).some((c) => c.title === `折扣审批 ${number}`) ? true : undefined), "the approval card");
    await t.pg.say("wangwu", `驳回 ${number} 价格太低`);
    await eventually(async () => ((await t.db.order.findUniqueOrThrow({ where: { number } })).status === "rejected" ? true : undefined), "the rejection");
    await eventually(async () => ((await texts(t, "zhangsan")).some((x) => x.includes("被王五驳回")) ? true : undefined), "the rep told");
    const snapshot = async () => ({ ...(await stored()), status: (await t.db.order.findUniqueOrThrow({ where: { number } })).status });
    const was = await snapshot();
    const refused = `重新提交只能改订单 ${number} 里产品的单价、数量和折扣：电缆 是按「卷」下的（CABLE-10），按「米」是价格表的另一行（CABLE-10-M），不能换。要按米下，请撤回 ${number} 后重新下单`;
    expect(await refusal(`重新提交 ${number} 电缆 数量300米`)).toContain(refused);
    expect(await snapshot()).toEqual(was);
    const amendable = await draftAfter(`重新提交 ${number}`);
    expect(amendable.title).toBe(`修改后重新提交 ${number}？`);
    expect(await refusal("改 数量 300米")).toContain(refused);
    expect((await t.db.orderLine.findMany({ where: { order: { number } }, select: { sku: true, quantity: true } }))).toEqual([{ sku: "CABLE-10", quantity: 50 }]);
  });
});
