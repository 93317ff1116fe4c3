// The price look-up and resubmitting a rejected order over WeCom: encrypted callbacks with real crypto into the real
// bot, answers and template cards at the WeCom API simulator. 电机A多少钱 answers with the list price and the rep's
// floor; warehouse staff are refused and nothing is stored; a rejected order's card carries 修改后重新提交, whose click
// opens the amendable draft (改 单价 …, 提交); typed SO-… 单价改成… 重新提交 works too; the same number throughout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { eventually } from "../support/test-bot.ts";
import { cardsSentTo, startWecomHarness, textsSentTo, type WecomHarness } from "../wecom/wecom-harness.ts";

let h: WecomHarness;
beforeAll(async () => {
  h = await startWecomHarness();
  await h.bot.db.prisma.customer.create({ data: { name: "华东机电有限公司", normalizedName: normalizeCompanyName("华东机电有限公司"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
});
afterAll(() => h?.close());

type Json = Record<string, unknown>;
/** A button labelled `label` for `user`, on a card sent to them or on an update of one (its key and task id). */
function findButton(user: string, label: string): { key: string; taskId: string } | undefined {
  for (const c of [...cardsSentTo(h.sim, user)].reverse()) {
    const b = c.buttons?.find((x) => x.text.startsWith(label));
    if (b) return { key: b.key, taskId: c.taskId };
  }
  for (const u of [...h.sim.updates].reverse()) {
    if (!(u.userids as string[] | undefined)?.includes(user)) continue;
    const card = u.template_card as Json | undefined;
    const b = (card?.button_list as { text: string; key: string }[] | undefined)?.find((x) => x.text.startsWith(label));
    if (b) return { key: b.key, taskId: String(card!.task_id) };
  }
  return undefined;
}

describe("prices over WeCom", () => {
  it("电机A多少钱: the list price and the rep's floor; the warehouse is refused and nothing is stored", async () => {
    await h.driver.deliver(h.driver.textXml("ZhangSan", "电机a 现在什么价"));
    const answer = await eventually(() => textsSentTo(h.sim, "ZhangSan").find((t) => t.includes("电机A（MOTOR-A）")), "the price");
    expect(answer).toContain("· 电机A（MOTOR-A）¥5,000/台，你可直接给到 ¥4,750");
    expect(answer).toContain("下单例如：下单 客户名称 电机A 10台 单价4750");
    expect(Buffer.byteLength(answer)).toBeLessThanOrEqual(2048);

    const db = h.bot.db.prisma;
    const before = { audits: await db.auditLog.count(), cards: await db.card.count(), pending: await db.pendingAction.count() };
    await h.driver.deliver(h.driver.textXml("ChenQi", "价格表"));
    const refusal = await eventually(() => textsSentTo(h.sim, "ChenQi").find((t) => t.includes("看不到价格")), "the refusal");
    expect(refusal).not.toMatch(/¥/);
    expect({ audits: await db.auditLog.count(), cards: await db.card.count(), pending: await db.pendingAction.count() }).toEqual(before);
  });
});

describe("resubmitting a rejected order over WeCom", () => {
  async function rejectedOrder(text: string): Promise<string> {
    const before = cardsSentTo(h.sim, "ZhangSan").filter((c) => c.title.startsWith("订单 SO-")).length;
    await h.driver.deliver(h.driver.textXml("ZhangSan", text));
    const order = await eventually(() => cardsSentTo(h.sim, "ZhangSan").filter((c) => c.title.startsWith("订单 SO-"))[before], "the rep's order card");
    const number = order.title.replace("订单 ", "");
    const approval = await eventually(() => cardsSentTo(h.sim, "WangWu").find((c) => c.title === `折扣审批 ${number}`), "the approval card");
    const reject = approval.buttons.find((b) => b.text === "驳回")!;
    await h.driver.deliver(h.driver.cardEventXml({ from: "WangWu", eventKey: reject.key, taskId: approval.taskId, responseCode: h.sim.issueResponseCode() }));
    await eventually(() => textsSentTo(h.sim, "WangWu").find((t) => t.includes(`请回复驳回 ${number} 的理由`)), "the question");
    await h.driver.deliver(h.driver.textXml("WangWu", "价格太低"));
    await eventually(() => textsSentTo(h.sim, "ZhangSan").find((t) => t.includes(`${number}`) && t.includes("理由：价格太低") && t.includes("修改后重新提交")), "the rep told");
    return number;
  }

  it("the card's 修改后重新提交 → the draft → 改 单价 4800 → 提交: approved at once under the same number", async () => {
    const number = await rejectedOrder("下单 华东机电 电机A 10台 单价4400");
    const resubmit = await eventually(() => findButton("ZhangSan", "修改后重新提交"), "the resubmit button on the rep's card");
    await h.driver.deliver(h.driver.cardEventXml({ from: "ZhangSan", eventKey: resubmit.key, taskId: resubmit.taskId, responseCode: h.sim.issueResponseCode() }));
    const draft = await eventually(() => cardsSentTo(h.sim, "ZhangSan").find((c) => c.title === `修改后重新提交 ${number}？`), "the draft");
    expect(draft.buttons.map((b) => b.text)).toEqual(["提交", "取消"]);
    await h.driver.deliver(h.driver.textXml("ZhangSan", "改 单价 4800"));
    const amended = await eventually(() => cardsSentTo(h.sim, "ZhangSan").filter((c) => c.title === `修改后重新提交 ${number}？`)[1], "the amended draft");
    await h.driver.deliver(h.driver.cardEventXml({ from: "ZhangSan", eventKey: amended.buttons[0]!.key, taskId: amended.taskId, responseCode: h.sim.issueResponseCode() }));
    await eventually(async () => ((await h.bot.db.prisma.order.findUniqueOrThrow({ where: { number } })).status === "dispatched" ? true : undefined), "approved and dispatched");
    const order = await h.bot.db.prisma.order.findUniqueOrThrow({ where: { number }, include: { lines: true } });
    expect(order.total.toFixed(2)).toBe("48000.00");
    expect(order.lines.map((l) => l.unitPrice.toFixed(2))).toEqual(["4800.00"]);
    expect(await h.bot.db.prisma.auditLog.count({ where: { action: "order.resubmit", entityId: order.id } })).toBe(1);
  });

  it("typed: SO-… 单价改成7000 重新提交 → a new approval card to 王五 naming the rule; 李四 typing it is refused", async () => {
    const number = await rejectedOrder("下单 华东机电 电机B 2台 单价6400");
    const db = h.bot.db.prisma;
    const before = { audits: await db.auditLog.count(), status: (await db.order.findUniqueOrThrow({ where: { number } })).status };
    await h.driver.deliver(h.driver.textXml("LiSi", `${number} 单价改成7000 重新提交`));
    await eventually(() => textsSentTo(h.sim, "LiSi").find((t) => t.includes(`只有下单的销售张三可以修改并重新提交订单 ${number}`)), "李四 refused");
    expect({ audits: await db.auditLog.count(), status: (await db.order.findUniqueOrThrow({ where: { number } })).status }).toEqual(before);

    const cards = cardsSentTo(h.sim, "WangWu").filter((c) => c.title === `折扣审批 ${number}`).length;
    await h.driver.deliver(h.driver.textXml("ZhangSan", `${number} 单价改成7000 重新提交`));
    const fresh = await eventually(() => cardsSentTo(h.sim, "WangWu").filter((c) => c.title === `折扣审批 ${number}`)[cards], "the new approval card");
    expect(fresh.buttons.map((b) => b.text)).toEqual(["同意", "驳回"]);
    const sent = h.sim.sentTo("WangWu", "template_card").map((m) => JSON.stringify(m)).filter((s) => s.includes(`折扣审批 ${number}`)).at(-1)!;
    expect(sent).toContain("折扣 12.5% 超出销售权限 5%");
    expect((await db.order.findUniqueOrThrow({ where: { number } })).status).toBe("pending_approval");
  });
});
