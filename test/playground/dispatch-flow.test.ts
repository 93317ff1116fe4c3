// Warehouse dispatch through the playground's real HTTP API: an approved order's notice reaches the warehouse
// without any price; partial and full shipments, a double confirmation, over-quantity, a problem and its
// resumption, delivery; the rep is told at each step; wrong roles are refused and change nothing.
import { describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const texts = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));
const waitText = (t: PlaygroundBot, u: string, re: RegExp) => eventually(async () => (await texts(t, u)).find((x) => re.test(x)), `a text ${re} for ${u}`);
const cards = async (t: PlaygroundBot, u: string, purpose: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "card" && i.card.purpose === purpose ? [i.card] : []));

describe("warehouse dispatch", () => {
  const t = playgroundBot();
  let number = "";

  it("an order within authority goes to the warehouse at once, without prices", async () => {
    await t.db.customer.create({
      data: {
        name: "华东机电有限公司", normalizedName: normalizeCompanyName("华东机电有限公司"), ownerId: "zhangsan", aliases: [], tags: [],
        address: "上海市浦东新区张江路100号", contacts: { create: { name: "王经理", phone: "13800138000" } },
      },
    });
    await t.pg.say("zhangsan", "下单 华东机电 电机A 50台 单价4900 变频器 10台 单价3200");
    const order = await t.pg.nthCard("zhangsan", 1, "order");
    number = order.title.replace("订单 ", "");
    const notice = await eventually(async () => (await cards(t, "chenqi", "dispatch_notice"))[0], "the notice");
    expect(notice.title).toBe(`发货通知 ${number}`);
    expect(JSON.stringify(notice)).not.toMatch(/¥|4900|4,900|单价|折/);
    expect(await waitText(t, "zhangsan", new RegExp(`${number} 已通知仓库发货`))).toBeTruthy();
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("dispatched");
  });

  it("the rep cannot confirm a shipment; the warehouse ships in two parts; a retry ships nothing twice", async () => {
    const notice = (await cards(t, "chenqi", "dispatch_notice"))[0]!;
    await t.pg.click("zhangsan", notice, "确认发货");
    expect(await waitText(t, "zhangsan", /只有仓库同事可以确认发货/)).toBeTruthy();

    await t.pg.click("chenqi", notice, "确认发货");
    expect(await waitText(t, "chenqi", new RegExp(`请回复 ${number} 的承运商和单号`))).toBeTruthy();
    await t.pg.say("chenqi", "电机A 30台 德邦 DPK3001234567");
    expect(await waitText(t, "zhangsan", new RegExp(`${number}.*已发货：电机A 30台.*还有 电机A 20台、变频器 10台 待发`))).toBeTruthy();

    await t.pg.say("chenqi", `发货 ${number} 电机A 30台 德邦 DPK3001234568`);
    expect(await waitText(t, "chenqi", /还剩 20台 未发，不能发 30台/)).toBeTruthy();
    await t.pg.say("chenqi", `发货 ${number} 电机A 30台 德邦 DPK3001234567`);
    expect(await waitText(t, "chenqi", /已经确认过了，没有重复发货/)).toBeTruthy();
    expect(await t.db.shipment.count()).toBe(1);
  });

  it("a problem is reported and resumed; the last shipment moves the order to shipped; the rep confirms delivery", async () => {
    await t.pg.say("chenqi", `${number} 缺货 变频器要等两天`);
    expect(await waitText(t, "zhangsan", new RegExp(`${number}.*发货有问题：缺货 变频器要等两天`))).toBeTruthy();
    expect(await waitText(t, "wangwu", new RegExp(`${number}.*发货有问题`))).toBeTruthy();
    await t.pg.say("chenqi", `恢复 ${number}`);
    expect(await waitText(t, "zhangsan", new RegExp(`${number} 的发货问题已解决`))).toBeTruthy();

    await t.pg.say("chenqi", "待发货");
    expect(await waitText(t, "chenqi", new RegExp(`${number}.*电机A 20台、变频器 10台`))).toBeTruthy();
    await t.pg.say("chenqi", `发货 ${number} 顺丰 SF1234567890123`);
    expect(await waitText(t, "zhangsan", /已全部发出/)).toContain(`回复「已签收 ${number}」`);
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("shipped");

    await t.pg.say("chenqi", `订单 ${number}`);
    const view = await waitText(t, "chenqi", new RegExp(`^订单 ${number} · `));
    expect(view).toContain("已发 50");
    expect(view).not.toMatch(/¥|单价|折/);

    await t.pg.say("lisi", `已签收 ${number}`);
    expect(await waitText(t, "lisi", /不能|只有/)).toBeTruthy();
    await t.pg.say("zhangsan", `已签收 ${number}`);
    expect(await waitText(t, "zhangsan", new RegExp(`已记录 ${number} 客户签收`))).toBeTruthy();
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("delivered");
  });
});
