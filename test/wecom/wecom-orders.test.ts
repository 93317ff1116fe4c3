// Orders and approvals over WeCom: the rep's order card and the manager's approval card are real template cards
// at the WeCom API simulator; clicks come back as encrypted template_card_event callbacks; after a decision
// both copies are updated (update_template_card with their one-shot codes) and the rep is told.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { eventually } from "../support/test-bot.ts";
import { cardsSentTo, startWecomHarness, textsSentTo, type SentCard, type WecomHarness } from "./wecom-harness.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";

let h: WecomHarness;
beforeAll(async () => {
  h = await startWecomHarness();
  await h.bot.db.prisma.customer.create({ data: { name: "华东机电有限公司", normalizedName: normalizeCompanyName("华东机电有限公司"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
});
afterAll(() => h?.close());

const button = (card: SentCard, text: string) => {
  const b = card.buttons.find((x) => x.text.startsWith(text));
  if (!b) throw new Error(`no button ${text} on ${card.title}`);
  return b;
};

describe("a discount approval on WeCom", () => {
  it("goes to the manager as a card; a forwarded click is refused; 同意 updates every copy and tells the rep", async () => {
    await h.driver.deliver(h.driver.textXml("ZhangSan", "下单 华东机电 变频器 20台 9折"));
    const order = await eventually(() => cardsSentTo(h.sim, "ZhangSan").find((c) => c.title.startsWith("订单 SO-")), "the rep's order card");
    const number = order.title.replace("订单 ", "");
    const approval = await eventually(() => cardsSentTo(h.sim, "WangWu").find((c) => c.title === `折扣审批 ${number}`), "the manager's approval card");
    expect(approval.buttons.map((b) => b.text)).toEqual(["同意", "驳回"]);

    // 李四 got the card forwarded and clicks 同意: refused, nothing changes.
    await h.driver.deliver(h.driver.cardEventXml({ from: "LiSi", eventKey: button(approval, "同意").key, taskId: approval.taskId, responseCode: h.sim.issueResponseCode() }));
    await eventually(() => textsSentTo(h.sim, "LiSi").some((t) => t.includes("只有当前审批人王五可以审批")), "the refusal to 李四");
    expect((await h.bot.db.prisma.order.findUniqueOrThrow({ where: { number } })).status).toBe("pending_approval");

    const code = h.sim.issueResponseCode();
    const updatesBefore = h.sim.updates.length;
    await h.driver.deliver(h.driver.cardEventXml({ from: "WangWu", eventKey: button(approval, "同意").key, taskId: approval.taskId, responseCode: code }));
    await eventually(() => textsSentTo(h.sim, "ZhangSan").some((t) => t.includes(`${number}`) && t.includes("已批准")), "the rep told");
    expect((await h.bot.db.prisma.order.findUniqueOrThrow({ where: { number } })).status).toBe("dispatched");
    // The manager's copy through the click's code; the rep's copy through its own (or re-sent).
    await eventually(() => h.sim.updates.find((u) => u.response_code === code), "the manager's card updated");
    await eventually(
      () => h.sim.updates.slice(updatesBefore).find((u) => (u.userids as string[] | undefined)?.includes("ZhangSan") && JSON.stringify(u).includes("王五 已同意")),
      "the rep's order card updated",
    );
  });
});

describe("a unit that is not the price list's, over WeCom", () => {
  it("电缆 20箱 (sold by the 卷 and by the 米) is refused in a text naming the list's units; no order, no audit, no card to anyone", async () => {
    const db = h.bot.db.prisma;
    const before = { orders: await db.order.count(), audits: await db.auditLog.count({ where: { action: { startsWith: "order." } } }), warehouse: h.sim.sentTo("ChenQi").length };
    const managerCards = cardsSentTo(h.sim, "WangWu").length;
    const repCards = cardsSentTo(h.sim, "ZhangSan").length;
    await h.driver.deliver(h.driver.textXml("ZhangSan", "下单 华东机电 电缆 20箱 单价12"));
    const refusal = await eventually(() => textsSentTo(h.sim, "ZhangSan").find((t) => t.includes("按「卷」或「米」报价")), "the refusal");
    expect(refusal).toBe("电缆 按「卷」或「米」报价，您写的是「箱」。请按卷或米下单，例如：下单 华东机电有限公司 电缆 2卷");
    // The typed twin of the draft on WeCom: free text with a wrong unit is refused the same way, no draft card.
    await h.driver.deliver(h.driver.textXml("ZhangSan", "华东机电要订 电缆 3箱"));
    await eventually(() => textsSentTo(h.sim, "ZhangSan").filter((t) => t.includes("按「卷」或「米」报价")).length === 2 || undefined, "the second refusal");
    expect({ orders: await db.order.count(), audits: await db.auditLog.count({ where: { action: { startsWith: "order." } } }), warehouse: h.sim.sentTo("ChenQi").length }).toEqual(before);
    expect(cardsSentTo(h.sim, "WangWu")).toHaveLength(managerCards);
    expect(cardsSentTo(h.sim, "ZhangSan")).toHaveLength(repCards);
  });
});
