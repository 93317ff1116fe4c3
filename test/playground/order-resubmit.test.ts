// A rejected order amended and resubmitted by its rep, through the playground's real HTTP API: typed
// (SO-… 单价改成4800 重新提交, 重新提交 SO-… 电机A单价4800) or from the rejected order card's 修改后重新提交 button (the
// amendable draft, 改 单价 …, 提交). The engine runs again under the same order number: approved at once within the
// rep's limit, else a new approval card naming the rule to the right approver; the earlier approval card keeps
// showing its rejection; audited. Only the order's rep, only rejected orders; bad input changes nothing.
import { describe, expect, it } from "vitest";
import type { Card } from "../../src/core/card.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const cardsOf = async (t: PlaygroundBot, userId: string, purpose: string) =>
  (await t.pg.botItems(userId)).flatMap((i) => (i.type === "card" && i.card.purpose === purpose ? [i.card] : []));
const texts = async (t: PlaygroundBot, userId: string) => (await t.pg.botItems(userId)).flatMap((i) => (i.type === "text" ? [i.text] : []));

describe("resubmitting a rejected order", () => {
  const t = playgroundBot();

  async function waitText(userId: string, re: RegExp): Promise<string> {
    return eventually(async () => (await texts(t, userId)).find((x) => re.test(x)), `a text matching ${re} for ${userId}`);
  }
  async function newCard(userId: string, purpose: string, before: number): Promise<Card> {
    return eventually(async () => (await cardsOf(t, userId, purpose))[before], `${purpose} card #${before + 1} for ${userId}`);
  }
  /** Says something and waits for the text answering it. */
  async function answer(userId: string, text: string): Promise<string> {
    const before = (await texts(t, userId)).length;
    await t.pg.say(userId, text);
    return eventually(async () => (await texts(t, userId))[before], `an answer to 「${text}」`);
  }
  /** Places an order and has 王五 reject it; returns its number. */
  async function rejected(order: string, reason: string): Promise<string> {
    const before = (await cardsOf(t, "zhangsan", "order")).length;
    const drafts = (await cardsOf(t, "zhangsan", "order_draft")).length;
    await t.pg.say("zhangsan", order);
    // The same goods for the same customer within 24 hours ask to confirm first.
    const next = await eventually(async () => (await cardsOf(t, "zhangsan", "order")).length > before ? { draft: undefined }
      : ((d) => (d ? { draft: d } : undefined))((await cardsOf(t, "zhangsan", "order_draft"))[drafts]), "the order card or a draft to confirm");
    if (next.draft) await t.pg.click("zhangsan", next.draft, "提交");
    const number = (await newCard("zhangsan", "order", before)).title.replace("订单 ", "");
    await eventually(async () => ((await cardsOf(t, "wangwu", "approval")).some((c) => c.title === `折扣审批 ${number}`) ? true : undefined), "the approval card");
    await t.pg.say("wangwu", `驳回 ${number} ${reason}`);
    await waitText("zhangsan", new RegExp(`${number}.*被王五驳回，理由：${reason}`));
    return number;
  }
  const snapshot = async (number: string) => {
    const o = await t.db.order.findUniqueOrThrow({ where: { number }, include: { lines: { orderBy: { id: "asc" } } } });
    return {
      status: o.status, total: o.total.toFixed(2), lines: o.lines.map((l) => `${l.sku} ${l.quantity} ${l.unitPrice.toFixed(2)}`),
      audits: await t.db.auditLog.count(), cards: await t.db.card.count(), approvals: await t.db.approval.count({ where: { orderId: o.id } }),
    };
  };

  it("typed with the change: within the rep's limit it is approved at once, same number, audited; the old approval card keeps its rejection", async () => {
    await t.db.customer.create({ data: { name: "华东机电有限公司", normalizedName: normalizeCompanyName("华东机电有限公司"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
    const number = await rejected("下单 华东机电 电机A 10台 单价4400", "价格太低");
    expect(await waitText("zhangsan", new RegExp(`${number}.*被王五驳回`))).toContain(`「修改后重新提交」，或回复「重新提交 ${number} 单价…」`);
    // The rep's order card now offers the resubmission; the manager's card shows the rejection.
    const repCard = (await cardsOf(t, "zhangsan", "order")).at(-1)!;
    expect(repCard.buttons.map((b) => b.label)).toEqual(["修改后重新提交"]);
    const oldApproval = (await cardsOf(t, "wangwu", "approval")).find((c) => c.title === `折扣审批 ${number}`)!;
    expect(oldApproval.status?.text).toContain("王五 已驳回");

    const repCards = (await cardsOf(t, "zhangsan", "order")).length;
    await t.pg.say("zhangsan", `${number} 单价改成4800 重新提交`);
    const fresh = await newCard("zhangsan", "order", repCards);
    expect(fresh.title).toBe(`订单 ${number}`);
    expect(fresh.lines?.join("\n")).toContain("电机A 10台 × ¥4,800（标价 ¥5,000，96折）= ¥48,000");
    expect(fresh.lines?.join("\n")).toContain("已修改并重新提交，在你的折扣权限内已批准（原金额 ¥44,000）");
    const order = await t.db.order.findUniqueOrThrow({ where: { number } });
    expect(order.status).toBe("dispatched");
    expect(order.total.toFixed(2)).toBe("48000.00");
    expect(await t.db.order.count({ where: { repId: "zhangsan" } })).toBe(1);
    const trail = await t.db.auditLog.findMany({ where: { entityType: "order", entityId: order.id }, orderBy: { id: "asc" } });
    expect(trail.map((a) => a.action)).toEqual(expect.arrayContaining(["order.create", "approval.request", "approval.reject", "order.reject", "order.resubmit", "order.approve"]));
    const resubmit = trail.find((a) => a.action === "order.resubmit")!;
    expect(resubmit.actorId).toBe("zhangsan");
    expect(resubmit.before).toMatchObject({ status: "rejected", total: "44000.00" });
    expect(resubmit.after).toMatchObject({ status: "approved", total: "48000.00" });

    // The manager's old card still shows the rejection (retired from the thread, never overwritten).
    const stored = await t.db.card.findMany({ where: { thread: `order:${number}`, purpose: "approval" } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe("expired");
    expect(JSON.stringify(stored[0]!.view)).toContain("王五 已驳回");
    const history = await answer("zhangsan", `订单 ${number}`);
    expect(history).toContain("王五 驳回：价格太低");
    expect(history).toContain("张三 修改后重新提交（金额 ¥44,000 → ¥48,000）");
    expect(history).toContain("张三 在权限内，自动批准");

    // Approved now: a second resubmission is refused, nothing changes.
    const before = await snapshot(number);
    expect(await answer("zhangsan", `重新提交 ${number} 单价4900`)).toMatch(new RegExp(`^订单 ${number} 已批准并通知仓库，不需要重新提交。`));
    expect(await snapshot(number)).toEqual(before);
  });

  it("refusals change nothing: another person, goods or customer changed, no change, above list, a wrong unit, a pending order", async () => {
    const number = await rejected("下单 华东机电 电机B 2台 单价7000", "再谈谈");
    const before = await snapshot(number);
    const refusals: [string, string, RegExp][] = [
      ["lisi", `重新提交 ${number} 单价7500`, new RegExp(`^只有下单的销售张三可以修改并重新提交订单 ${number}。`)],
      ["wangwu", `重新提交 ${number} 单价7500`, /^只有下单的销售张三可以/],
      ["chenqi", `重新提交 ${number} 单价7500`, /^只有下单的销售张三可以/],
      ["zhangsan", `重新提交 ${number} 加 电缆 10卷`, /^没看懂「加 电缆 10卷」。重新提交只能改订单里产品的单价、数量和折扣/],
      ["zhangsan", `重新提交 ${number} 客户改成宁波东方轴承`, /^没看懂「客户改成宁波东方轴承」/],
      ["zhangsan", `重新提交 ${number} 变频器 单价3000`, new RegExp(`^订单 ${number} 里没有「变频器」`)],
      ["zhangsan", `重新提交 ${number} 单价7000`, new RegExp(`^订单 ${number} 没有改动`)],
      ["zhangsan", `重新提交 ${number} 单价8800`, /高于|标价/],
      ["zhangsan", `重新提交 ${number} 数量 3套`, /按「台」报价/],
      ["zhangsan", "重新提交 SO-20991231-001 单价7500", /^没有找到订单 SO-20991231-001/],
    ];
    for (const [who, text, re] of refusals) expect(await answer(who, text), text).toMatch(re);
    expect(await snapshot(number)).toEqual(before);

    // A pending order: withdraw first.
    const cards = (await cardsOf(t, "zhangsan", "order")).length;
    await t.pg.say("zhangsan", "下单 华东机电 PLC 1套 单价10000");
    const pending = (await newCard("zhangsan", "order", cards)).title.replace("订单 ", "");
    const p0 = await snapshot(pending);
    expect(await answer("zhangsan", `重新提交 ${pending} 单价11000`)).toBe(`订单 ${pending} 还在等审批，不能重新提交。要改价格或数量，先发送「撤回 ${pending}」，再重新下单。`);
    expect(await snapshot(pending)).toEqual(p0);
  });

  it("the card's 修改后重新提交: the draft, 改 单价, 提交 → a new approval card naming the rule to the right approver", async () => {
    // The manager's 请重新提交 in the reason is a rejection, not a resubmission.
    const number = await rejected("下单 华东机电 电缆 10卷 单价450", "太低了 请重新提交");
    const repCard = (await cardsOf(t, "zhangsan", "order")).filter((c) => c.title === `订单 ${number}`).at(-1)!;
    // Someone else pressing it (a forwarded card) is refused.
    await t.pg.click("lisi", repCard, "修改后重新提交");
    await waitText("lisi", /不是发给你的/);
    const drafts = (await cardsOf(t, "zhangsan", "order_draft")).length;
    await t.pg.click("zhangsan", repCard, "修改后重新提交");
    const draft = await newCard("zhangsan", "order_draft", drafts);
    expect(draft.title).toBe(`修改后重新提交 ${number}？`);
    expect(draft.lines?.join("\n")).toContain("电缆 10卷 × ¥450");
    await t.pg.say("zhangsan", "改 单价 520");
    const amended = await newCard("zhangsan", "order_draft", drafts + 1);
    expect(amended.title).toBe(`修改后重新提交 ${number}？`);
    expect(amended.lines?.join("\n")).toContain("电缆 10卷 × ¥520");
    const approvals = (await cardsOf(t, "wangwu", "approval")).length;
    await t.pg.click("zhangsan", amended, "提交");
    const card = await newCard("wangwu", "approval", approvals);
    expect(card.title).toBe(`折扣审批 ${number}`);
    expect(card.fields.find((f) => f.label === "审批原因")?.value).toContain("折扣 13.33% 超出销售权限 5%");
    expect(card.lines?.join("\n")).toContain("重新提交：上次被王五驳回（太低了 请重新提交），原金额 ¥4,500");
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("pending_approval");
    expect(await t.db.approval.count({ where: { order: { number } } })).toBe(2);

    // The manager approves the new round: the new card shows it, the old one still shows the rejection.
    await t.pg.click("wangwu", card, "同意");
    await waitText("zhangsan", new RegExp(`${number}.*已批准`));
    const stored = await t.db.card.findMany({ where: { thread: `order:${number}`, purpose: "approval" }, orderBy: { createdAt: "asc" } });
    expect(stored).toHaveLength(2);
    expect(JSON.stringify(stored[0]!.view)).toContain("王五 已驳回");
    expect(JSON.stringify(stored[0]!.view)).not.toContain("王五 已同意");
    expect(JSON.stringify(stored[1]!.view)).toContain("王五 已同意");
  });

  it("重新提交 alone with one rejected order opens its draft; 撤销 SO-… withdraws a rejected order for good", async () => {
    const number = await rejected("下单 华东机电 变频器 5台 单价2800", "毛利不够");
    // 电机B's order of the second test is rejected too: 重新提交 alone lists both and changes nothing.
    const listed = await answer("zhangsan", "重新提交");
    expect(listed).toMatch(/^你有 2 个被驳回的订单，请带上单号/);
    expect(listed).toContain(number);
    const cards = (await cardsOf(t, "zhangsan", "order")).length;
    await t.pg.say("zhangsan", `撤销 ${number}`);
    expect(await waitText("zhangsan", new RegExp(`已撤回订单 ${number}`))).toBe(`已撤回订单 ${number}（已驳回的订单不再提交）。`);
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("cancelled");
    const approval = await t.db.card.findFirstOrThrow({ where: { thread: `order:${number}`, purpose: "approval" } });
    expect(JSON.stringify(approval.view)).toContain("王五 已驳回");
    expect(await answer("zhangsan", `重新提交 ${number} 单价3000`)).toBe(`订单 ${number} 已取消，不能重新提交；请重新下单。`);
    expect((await cardsOf(t, "zhangsan", "order")).length).toBe(cards);
    // Now one rejected order is left: 重新提交 alone opens its draft.
    const drafts = (await cardsOf(t, "zhangsan", "order_draft")).length;
    await t.pg.say("zhangsan", "重新提交");
    expect((await newCard("zhangsan", "order_draft", drafts)).title).toMatch(/^修改后重新提交 SO-/);
  });

  it("取消订单 SO-… 理由 on a rejected order cancels it too (the manager told), its approval card keeps the rejection", async () => {
    const number = await rejected("下单 华东机电 电机B 3台 单价7000", "毛利太低");
    await t.pg.say("zhangsan", `取消订单 ${number} 客户不要了`);
    expect(await waitText("zhangsan", new RegExp(`已取消订单 ${number}`))).toBe(`已取消订单 ${number}（客户不要了）。`);
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("cancelled");
    expect(await waitText("wangwu", new RegExp(`订单 ${number}.*已被张三取消`))).toContain("客户不要了");
    const approval = await t.db.card.findFirstOrThrow({ where: { thread: `order:${number}`, purpose: "approval" } });
    expect(JSON.stringify(approval.view)).toContain("王五 已驳回");
    expect(await answer("zhangsan", `重新提交 ${number} 单价4800`)).toBe(`订单 ${number} 已取消，不能重新提交；请重新下单。`);
  });
  it("in the rep's own words: the rejection told, full-width digits, no field word, 从…调到…, 再提交 / 再走审批 — the rep's command, never a decision", async () => {
    const number = await rejected("下单 华东机电 电机A 10台 单价4400", "太低");
    const cards = (await cardsOf(t, "zhangsan", "order")).length;
    const decided = await t.db.approval.count({ where: { decidedAt: { not: null } } });
    await t.pg.say("zhangsan", `老板驳回的那个${number} 我把电机A价格从4400调到４８００了 帮我再提交`);
    const fresh = await newCard("zhangsan", "order", cards);
    expect(fresh.lines?.join("\n")).toContain("已修改并重新提交，在你的折扣权限内已批准（原金额 ¥44,000）");
    const o = await t.db.order.findUniqueOrThrow({ where: { number }, include: { lines: true } });
    expect(o.lines.map((l) => `${l.sku} ${l.quantity} ${l.unitPrice.toFixed(2)}`)).toEqual(["MOTOR-A 10 4800.00"]);
    expect(["approved", "dispatched"]).toContain(o.status);
    // No approver's decision was taken from the rep's message.
    expect(await t.db.approval.count({ where: { decidedAt: { not: null } } })).toBe(decided);

    const other = await rejected("下单 华东机电 电缆 10卷 单价450", "太低了");
    const before = (await cardsOf(t, "zhangsan", "order")).length;
    await t.pg.say("zhangsan", `${other} 驳回了 电缆改成２０卷 单价调整为540 再走审批`);
    await newCard("zhangsan", "order", before);
    const amended = await t.db.order.findUniqueOrThrow({ where: { number: other }, include: { lines: true } });
    expect(amended.lines.map((l) => `${l.sku} ${l.quantity} ${l.unitPrice.toFixed(2)}`)).toEqual(["CABLE-10 20 540.00"]);
    expect(amended.status).not.toBe("rejected");
  });
  it("every copy of a resubmitted order's approval card tells the earlier round: the first, and one brought up again with 审批 SO-…", async () => {
    const number = await rejected("下单 华东机电 变频器 4台 单价2700", "再高点");
    const approvals = (await cardsOf(t, "wangwu", "approval")).length;
    await t.pg.say("zhangsan", `重新提交 ${number} 单价2900`);
    const first = await newCard("wangwu", "approval", approvals);
    const told = "重新提交：上次被王五驳回（再高点），原金额 ¥10,800";
    expect(first.lines?.join("\n")).toContain(told);
    await t.pg.say("wangwu", `审批 ${number}`);
    const again = await newCard("wangwu", "approval", approvals + 1);
    expect(again.title).toBe(`折扣审批 ${number}`);
    expect(again.lines?.join("\n")).toContain(told);
  });
});
