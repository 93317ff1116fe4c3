// Orders and discount approvals through the playground's real HTTP API, as a rep, a manager and a director
// would use them: prices from the price list, approval cards to the right person, decisions shown on every
// copy, foreign clicks and typed commands refused, double clicks and withdrawals, duplicates and refusals.
import { describe, expect, it } from "vitest";
import { approvalRemindersJob } from "../../jobs/approval-reminders.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";

type Db = PlaygroundBot["db"];
const makeCustomer = (db: Db, name: string, ownerId: string | null) =>
  db.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId, aliases: [], tags: [], ...WITH_DELIVERY } });

const cardsOf = async (t: PlaygroundBot, userId: string, purpose: string) =>
  (await t.pg.botItems(userId)).flatMap((i) => (i.type === "card" && i.card.purpose === purpose ? [i.card] : []));

async function texts(t: PlaygroundBot, userId: string) {
  return (await t.pg.botItems(userId)).flatMap((i) => (i.type === "text" ? [i.text] : []));
}

async function waitText(t: PlaygroundBot, userId: string, re: RegExp): Promise<string> {
  return eventually(async () => (await texts(t, userId)).find((x) => re.test(x)), `a text matching ${re} for ${userId}`);
}

async function waitCard(t: PlaygroundBot, userId: string, purpose: string, n: number) {
  return eventually(async () => (await cardsOf(t, userId, purpose))[n - 1], `${purpose} card #${n} for ${userId}`);
}

describe("orders and discount approvals", () => {
  const t = playgroundBot();

  it("within the rep's authority: approved at once, priced from the list", async () => {
    await makeCustomer(t.db, "华东机电有限公司", "zhangsan");
    await t.pg.say("zhangsan", "下单 华东机电 电机A 10台 单价4900");
    const card = await waitCard(t, "zhangsan", "order", 1);
    expect(card.title).toMatch(/^订单 SO-20261123-\d{3}$/);
    expect(card.lines?.join("\n")).toContain("电机A 10台 × ¥4,900（标价 ¥5,000，98折）= ¥49,000");
    expect(card.fields.find((f) => f.label === "状态")?.value).toBe("已批准");
    const order = await t.db.order.findFirstOrThrow({ where: { repId: "zhangsan" } });
    expect(order.status).toBe("dispatched"); // approved, and the notice went to the warehouse at once;
    expect(order.total.toFixed(2)).toBe("49000.00");
    expect(await t.db.approval.count({ where: { orderId: order.id } })).toBe(0);
  });

  it("one level: the manager approves from the card; every copy shows it, the rep is told", async () => {
    await t.pg.say("zhangsan", "下单 华东机电 变频器 20台 9折 客户量大，竞品报价2900");
    const repCard = await waitCard(t, "zhangsan", "order", 2);
    expect(repCard.lines?.join()).toContain("已提交王五审批");
    const number = repCard.title.replace("订单 ", "");
    const approval = await waitCard(t, "wangwu", "approval", 1);
    expect(approval.title).toBe(`折扣审批 ${number}`);
    expect(approval.fields.find((f) => f.label === "审批原因")?.value).toContain("折扣 10% 超出销售权限 5%");
    expect(approval.fields.find((f) => f.label === "销售说明")?.value).toContain("竞品报价2900");

    // Someone else pressing the manager's button (a forwarded card), and the rep typing 同意: refused.
    await t.pg.click("lisi", approval, "同意");
    expect(await waitText(t, "lisi", /只有当前审批人王五可以审批/)).toBeTruthy();
    await t.pg.say("zhangsan", `同意 ${number}`);
    expect(await waitText(t, "zhangsan", /只有当前审批人王五可以审批/)).toBeTruthy();
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("pending_approval");

    await t.pg.click("wangwu", approval, "同意");
    expect(await waitText(t, "zhangsan", new RegExp(`${number}.*已批准`))).toContain("王五 同意");
    await eventually(async () => ((await cardsOf(t, "wangwu", "approval"))[0]?.status?.text.includes("王五 已同意") ? true : undefined), "manager's card updated");
    await eventually(async () => ((await cardsOf(t, "zhangsan", "order"))[1]?.fields.find((f) => f.label === "状态")?.value === "已批准" ? true : undefined), "rep's card updated");
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("dispatched");

    // A second click changes nothing.
    await t.pg.click("wangwu", approval, "同意");
    expect(await waitText(t, "wangwu", /已经处理过了|已经审批过了/)).toBeTruthy();
    expect(await t.db.auditLog.count({ where: { action: "approval.approve" } })).toBe(1);
  });

  it("two levels, then a rejection with a reason asked for and passed on", async () => {
    await t.pg.say("zhangsan", "下单 华东机电 电机B 10台 单价6400");
    const repCard = await waitCard(t, "zhangsan", "order", 3);
    const number = repCard.title.replace("订单 ", "");
    const first = await waitCard(t, "wangwu", "approval", 2);
    expect(first.subtitle).toContain("共2步");
    await t.pg.say("wangwu", `同意 ${number}`);
    const second = await waitCard(t, "zhaoliu", "approval", 1);
    expect(second.title).toBe(`折扣审批 ${number}`);
    expect(await waitText(t, "zhangsan", new RegExp(`${number}：王五 已同意，等待赵六审批`))).toBeTruthy();

    await t.pg.click("zhaoliu", second, "驳回");
    expect(await waitText(t, "zhaoliu", /请回复驳回.*理由/)).toBeTruthy();
    await t.pg.say("zhaoliu", "价格太低 毛利不够");
    expect(await waitText(t, "zhangsan", new RegExp(`${number}.*被赵六驳回，理由：价格太低 毛利不够`))).toBeTruthy();
    const order = await t.db.order.findUniqueOrThrow({ where: { number } });
    expect(order.status).toBe("rejected");
    await eventually(async () => ((await cardsOf(t, "wangwu", "approval"))[1]?.status?.text.includes("赵六 已驳回") ? true : undefined), "earlier approver's card shows the rejection");
  });

  it("withdrawal while pending; a duplicate asks first; refusals change nothing", async () => {
    await makeCustomer(t.db, "宁波东方轴承", "zhangsan");
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电缆 100卷 单价500");
    const repCard = await waitCard(t, "zhangsan", "order", 4);
    const number = repCard.title.replace("订单 ", "");
    await t.pg.say("zhangsan", `撤回 ${number}`);
    expect(await waitText(t, "zhangsan", new RegExp(`已撤回订单 ${number}`))).toBeTruthy();
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("cancelled");
    expect(await waitText(t, "wangwu", new RegExp(`已撤回订单 ${number}`))).toBeTruthy();

    // Same customer and product within 24 h: a draft with a warning, submitted only on 提交.
    await t.pg.say("zhangsan", "下单 华东机电 电机A 10台 单价4900");
    const draft = await waitCard(t, "zhangsan", "order_draft", 1);
    expect(draft.title).toContain("可能重复");
    const before = await t.db.order.count();
    await t.pg.click("zhangsan", draft, "提交");
    await eventually(async () => ((await t.db.order.count()) === before + 1 ? true : undefined), "the confirmed duplicate placed");

    const count = await t.db.order.count();
    await t.pg.say("zhangsan", "下单 华东机电 电机A 10台 单价5200");
    expect(await waitText(t, "zhangsan", /高于|超过.*价格表|标价/)).toBeTruthy();
    await t.pg.say("zhangsan", "下单 华东机电 飞机 1台 单价100");
    expect(await waitText(t, "zhangsan", /价格表里没有「飞机」/)).toBeTruthy();
    await t.pg.say("lisi", "下单 华东机电 电机A 1台 单价5000");
    expect(await waitText(t, "lisi", /不是你的客户|其他同事/)).toBeTruthy();
    expect(await t.db.order.count()).toBe(count);
  });

  it("free text read as an order is a draft first; 订单 SO-… shows the history", async () => {
    await t.pg.say("zhangsan", "华东机电要订 电机A 5台 单价4950");
    const draft = await waitCard(t, "zhangsan", "order_draft", 2);
    expect(draft.title).toBe("要提交这张订单吗？");
    const count = await t.db.order.count();
    await t.pg.say("zhangsan", "取消");
    await eventually(async () => ((await cardsOf(t, "zhangsan", "order_draft"))[1]?.status ? true : undefined), "draft closed");
    expect(await t.db.order.count()).toBe(count);

    const first = await t.db.order.findFirstOrThrow({ where: { status: "rejected" } });
    await t.pg.say("zhangsan", `订单 ${first.number}`);
    const h = await waitText(t, "zhangsan", new RegExp(`^订单 ${first.number} · `));
    expect(h).toContain("张三 提交订单");
    expect(h).toContain("赵六 驳回：价格太低 毛利不够");
    await t.pg.say("lisi", `订单 ${first.number}`);
    expect(await waitText(t, "lisi", /没有查看权限/)).toBeTruthy();
  });

  it("a waiting approval is in the approver's to-do, reminds once, then goes one level up", async () => {
    await t.pg.say("zhangsan", "下单 华东机电 PLC控制器 2套 单价10800");
    const repCard = await waitCard(t, "zhangsan", "order", 6);
    const number = repCard.title.replace("订单 ", "");
    await waitCard(t, "wangwu", "approval", 4);
    await t.pg.say("wangwu", "我的待办");
    const todo = await eventually(async () => (await cardsOf(t, "wangwu", "todo_list")).at(-1), "manager's to-do card");
    expect(todo.lines?.join("\n")).toContain(number);

    const at = (h: number) => new Date(Date.parse("2026-11-23T10:00:00+08:00") + h * 3600_000);
    expect((await runJob(t.bot.deps, approvalRemindersJob, at(25))).result).toMatchObject({ reminded: 1, escalated: 0 });
    expect(await waitText(t, "wangwu", new RegExp(`提醒：${number}`))).toContain("已等你审批");
    expect((await runJob(t.bot.deps, approvalRemindersJob, at(26))).result).toMatchObject({ reminded: 0 });
    expect((await runJob(t.bot.deps, approvalRemindersJob, at(49))).result).toMatchObject({ escalated: 1 });
    const moved = await waitCard(t, "zhaoliu", "approval", 2);
    expect(moved.title).toBe(`折扣审批 ${number}`);
    await t.pg.say("zhaoliu", `同意 ${number}`);
    expect(await waitText(t, "zhangsan", new RegExp(`${number}.*已批准`))).toContain("赵六 同意");
  });

  it("a product name that fits several products is asked on a card; the pick goes on with the order", async () => {
    const before = await t.db.order.count();
    await t.pg.say("zhangsan", "下单 宁波东方轴承 电机 3台 单价4950");
    const pick = await waitCard(t, "zhangsan", "pick_product", 1);
    expect(pick.title).toBe("「电机」是哪个产品？");
    expect(pick.buttons.map((b) => b.label)).toEqual(["电机A", "电机B", "取消"]);
    expect(await t.db.order.count()).toBe(before);
    await t.pg.say("zhangsan", "选 1");
    const card = await waitCard(t, "zhangsan", "order", 7);
    expect(card.lines?.join()).toContain("电机A 3台 × ¥4,950");
    expect(await t.db.order.count()).toBe(before + 1);
  });

  it("a big order within the rep's discount goes to the director alone; a duplicate can be dropped", async () => {
    await t.pg.say("zhangsan", "下单 宁波东方轴承 PLC控制器 50套 单价12000");
    const repCard = await waitCard(t, "zhangsan", "order", 8);
    const number = repCard.title.replace("订单 ", "");
    expect(repCard.lines?.join()).toContain("已提交赵六审批");
    const card = await eventually(async () => (await cardsOf(t, "zhaoliu", "approval")).find((c) => c.title === `折扣审批 ${number}`), "the director's card");
    expect(card.fields.find((f) => f.label === "审批原因")?.value).toContain("订单金额 ¥600,000 ≥ 大单金额 ¥500,000");
    expect((await cardsOf(t, "wangwu", "approval")).some((c) => c.title === `折扣审批 ${number}`)).toBe(false);

    const count = await t.db.order.count();
    await t.pg.say("zhangsan", "下单 宁波东方轴承 PLC控制器 50套 单价12000");
    const draft = await eventually(async () => (await cardsOf(t, "zhangsan", "order_draft")).find((c) => c.title.includes("可能重复") && !c.status), "the duplicate's draft");
    await t.pg.click("zhangsan", draft, "取消");
    await eventually(async () => ((await cardsOf(t, "zhangsan", "order_draft")).find((c) => c.ref === draft.ref)?.status ? true : undefined), "draft dropped");
    expect(await t.db.order.count()).toBe(count);
  });

  it("a draft is corrected by reply (改 数量 / 改 单价), and only 提交 places it", async () => {
    const before = await t.db.order.count();
    await t.pg.say("zhangsan", "宁波东方轴承要订 电缆 30卷 单价590");
    const first = await eventually(async () => (await cardsOf(t, "zhangsan", "order_draft")).find((c) => !c.status && c.lines?.join().includes("电缆 30卷")), "the draft");
    await t.pg.say("zhangsan", "改 数量 80");
    const second = await eventually(async () => (await cardsOf(t, "zhangsan", "order_draft")).find((c) => !c.status && c.lines?.join().includes("电缆 80卷")), "the corrected draft");
    expect((await cardsOf(t, "zhangsan", "order_draft")).find((c) => c.ref === first.ref)?.status?.text).toBe("已修改，见新的草稿");
    await t.pg.say("zhangsan", "改 单价 5.9百");
    await t.pg.say("zhangsan", "改 单价 595");
    const third = await eventually(async () => (await cardsOf(t, "zhangsan", "order_draft")).find((c) => !c.status && c.lines?.join().includes("× ¥595")), "the draft with the new price");
    expect(await t.db.order.count()).toBe(before);
    await t.pg.click("zhangsan", third, "提交");
    await eventually(async () => ((await t.db.order.count()) === before + 1 ? true : undefined), "placed");
    const line = await t.db.orderLine.findFirstOrThrow({ where: { order: { repId: "zhangsan" }, sku: "CABLE-10", quantity: 80 } });
    expect(line.unitPrice.toFixed(2)).toBe("595.00");
    expect(second.ref).not.toBe(third.ref);
  });

  it("the team's metrics count orders, the discount given and how long approvals took", async () => {
    // Everything above happened at the fixed clock's instant; the period runs up to now (exclusive).
    (t.bot.deps.clock as ManualClock).advance(60_000);
    await t.pg.say("wangwu", "本周业绩");
    const card = await eventually(async () => (await cardsOf(t, "wangwu", "metrics")).at(-1), "the metrics card");
    expect(card.fields.find((f) => f.label === "订单")?.value).toMatch(/^\d+ 单 · ¥/);
    expect(card.lines?.join("\n")).toMatch(/折扣让利：¥[\d,.]+（整体 [\d.]+折）/);
    expect(card.lines?.join("\n")).toMatch(/审批用时：\d+ 个已决定，中位 /);
  });
});
