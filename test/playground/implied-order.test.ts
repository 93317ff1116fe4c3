// 同意 / 驳回 价格太低 / 缺货 … / 发了 顺丰 … typed without the order number: the one order waiting for that
// person is meant; with several the bot lists them and changes nothing. (Found in a playground try: a manager's
// 驳回 价格太低了 got "没太明白", the warehouse's 缺货 电机a只有10台 was taken for a visit log.)
import { describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const texts = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));
const waitText = (t: PlaygroundBot, u: string, re: RegExp) => eventually(async () => (await texts(t, u)).find((x) => re.test(x)), `a text ${re} for ${u}`);

describe("answers without the order number", () => {
  const t = playgroundBot();
  const customer = async (name: string) =>
    t.db.customer.create({
      data: {
        name, normalizedName: normalizeCompanyName(name), ownerId: "zhangsan", aliases: [], tags: [],
        address: "上海市浦东新区张江路100号", contacts: { create: { name: "王经理", phone: "13800138000" } },
      },
    });
  const orderOf = async (n: number) => (await t.pg.nthCard("zhangsan", n, "order")).title.replace("订单 ", "");

  it("with nothing waiting, 同意 says so and changes nothing", async () => {
    await t.pg.say("wangwu", "同意");
    expect(await waitText(t, "wangwu", /你现在没有待审批的订单/)).toBeTruthy();
  });

  it("with two waiting, 驳回 lists them and decides neither; with one, 驳回 价格太低了 rejects it with that reason", async () => {
    await customer("华东机电有限公司");
    await customer("宏达电子有限公司");
    await t.pg.say("zhangsan", "下单 华东机电 电机A 50台 单价4000");
    const first = await orderOf(1);
    await t.pg.say("zhangsan", "下单 宏达电子 电机B 20台 单价6800");
    const second = await orderOf(2);
    await t.pg.say("wangwu", "驳回 价格太低了");
    const listed = await waitText(t, "wangwu", /你有 2 个订单待审批/);
    expect(listed).toContain(first);
    expect(listed).toContain(second);
    expect(listed).toContain("发送「待审批」可以逐个调出审批卡片。");
    expect(await t.db.order.count({ where: { status: "pending_approval" } })).toBe(2);

    await t.pg.say("wangwu", `同意 ${second}`);
    await eventually(async () => (await t.db.order.findUniqueOrThrow({ where: { number: second } })).status !== "pending_approval", "second approved");
    await t.pg.say("wangwu", "驳回 价格太低了");
    await eventually(async () => (await t.db.order.findUniqueOrThrow({ where: { number: first } })).status === "rejected", "first rejected");
    expect(await waitText(t, "zhangsan", new RegExp(`${first}.*价格太低了`))).toBeTruthy();
  });

  it("the warehouse's 缺货 … and 发了 … go to the one order in dispatch", async () => {
    const approved = (await t.db.order.findFirstOrThrow({ where: { status: "dispatched" } })).number;
    await t.pg.say("chenqi", "缺货 电机b只有10台 下周到货");
    await eventually(async () => (await t.db.order.findUniqueOrThrow({ where: { number: approved } })).problem !== null, "problem recorded");
    expect(await waitText(t, "zhangsan", new RegExp(`${approved}`))).toBeTruthy();
    // The one order now has a problem: nothing else waits, so 发了 … says there is nothing to ship.
    await t.pg.say("chenqi", "发了 顺丰 SF1234567890123");
    expect(await waitText(t, "chenqi", /现在没有待发货的订单/)).toBeTruthy();
    expect(await t.db.shipment.count()).toBe(0);
  });
});
