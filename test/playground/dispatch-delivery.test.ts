// Before the notice: a customer with no address makes the bot ask the rep, and the notice goes out on the answer.
// Where it goes: warehouse.routes (per SKU to named people; a group route that cannot be reached here falls back
// to the warehouse role). After it: the rep's order card follows the goods and 订单 SO-… tells the whole story.
import { describe, expect, it } from "vitest";
import { demoOrgWith } from "../support/demo-org.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const texts = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));
const waitText = (t: PlaygroundBot, u: string, re: RegExp) => eventually(async () => (await texts(t, u)).find((x) => re.test(x)), `a text ${re} for ${u}`);
const cards = async (t: PlaygroundBot, u: string, purpose: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "card" && i.card.purpose === purpose ? [i.card] : []));

/** The demo organisation plus a second warehouse person (周八) who takes cables, and a region routed to a WeCom group. */
const orgWithRoutes = () =>
  demoOrgWith(
    [["  - { id: admin,", "  - { id: zhouba, name: 周八, roles: [warehouse], wecom: ZhouBa }\n  - { id: admin,"]],
    "\nwarehouse:\n  routes:\n    - { skus: [CABLE-10], users: [zhouba] }\n    - { region: 华南, wecomChat: wrkWarehouseSouth }\n",
  );

async function customer(t: PlaygroundBot, name: string, extra: Record<string, unknown> = {}) {
  return t.db.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId: "zhangsan", aliases: [], tags: [], ...extra } });
}

describe("dispatch: the address first, routes, the order card following the goods", () => {
  const t = playgroundBot(() => ({ ORG_FILE: orgWithRoutes() }));

  it("no address: the rep is asked, other messages still work, and the answer sends the notice", async () => {
    await customer(t, "江北机械有限公司");
    await t.pg.say("zhangsan", "下单 江北机械 电机A 10台 单价5000");
    const order = await t.pg.nthCard("zhangsan", 1, "order");
    const number = order.title.replace("订单 ", "");
    expect(await waitText(t, "zhangsan", new RegExp(`订单 ${number}（江北机械有限公司）已批准，通知仓库前还缺收货地址、联系人和电话`))).toBeTruthy();
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("approved");
    expect(await cards(t, "chenqi", "dispatch_notice")).toHaveLength(0);

    // Something else in between is understood as usual; the question stays open.
    await t.pg.say("zhangsan", "待办");
    await eventually(async () => (await t.pg.botItems("zhangsan")).length >= 3, "the to-do answer");
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("approved");

    await t.pg.say("zhangsan", "南京市江北新区浦滨路88号 刘工");
    expect(await waitText(t, "zhangsan", new RegExp(`已记录 ${number} 的收货信息：南京市江北新区浦滨路88号 刘工`))).toBeTruthy();
    expect(await waitText(t, "zhangsan", /还缺联系人和电话|现在通知仓库/)).toMatch(/现在通知仓库/);
    const notice = await eventually(async () => (await cards(t, "chenqi", "dispatch_notice"))[0], "the notice");
    expect(JSON.stringify(notice)).toContain("南京市江北新区浦滨路88号");
    expect((await t.db.order.findUniqueOrThrow({ where: { number } })).status).toBe("dispatched");
    expect(await t.db.auditLog.count({ where: { action: "dispatch.delivery_info" } })).toBe(1);
  });

  it("收货 SO-… with something unreadable is refused and changes nothing", async () => {
    const o = await t.db.order.findFirstOrThrow({ where: { customer: { name: "江北机械有限公司" } } });
    await t.pg.say("zhangsan", `收货 ${o.number} 随便`);
    expect(await waitText(t, "zhangsan", /没有看出地址、联系人或电话/)).toBeTruthy();
    expect((await t.db.order.findUniqueOrThrow({ where: { number: o.number } })).deliveryAddress).toBe("南京市江北新区浦滨路88号");
    await t.pg.say("lisi", `收货 ${o.number} 上海市徐汇区漕溪路1号 王工 13900001111`);
    expect(await waitText(t, "lisi", /只有订单 .* 的销售可以填写收货信息/)).toBeTruthy();
  });

  it("a cable order goes to the person its route names, not to the whole warehouse", async () => {
    await customer(t, "滨江电气有限公司", { address: "杭州市滨江区江南大道1号", contacts: { create: { name: "孙经理", phone: "13700001111" } } });
    await t.pg.say("zhangsan", "下单 滨江电气 电缆 20卷 单价600");
    const notice = await eventually(async () => (await cards(t, "zhouba", "dispatch_notice")).find((c) => JSON.stringify(c).includes("滨江电气")), "周八's notice");
    const number = notice.title.replace("发货通知 ", "");
    expect(await waitText(t, "zhangsan", new RegExp(`订单 ${number} 已通知仓库发货（周八）`))).toBeTruthy();
    expect((await cards(t, "chenqi", "dispatch_notice")).map((c) => c.title)).not.toContain(`发货通知 ${number}`);
  });

  it("a region routed to a WeCom group the playground cannot reach falls back to the warehouse role", async () => {
    await customer(t, "广州南方泵业有限公司", { region: "华南", address: "广州市黄埔区开发大道9号", contacts: { create: { name: "黄工", phone: "13600001111" } } });
    await t.pg.say("zhangsan", "下单 广州南方泵业 变频器 2台 单价3200");
    await eventually(async () => (await cards(t, "chenqi", "dispatch_notice")).find((c) => JSON.stringify(c).includes("广州南方泵业")), "the fallback notice (陈七)");
    await eventually(async () => (await cards(t, "zhouba", "dispatch_notice")).find((c) => JSON.stringify(c).includes("广州南方泵业")), "the fallback notice (周八)");
  });

  it("the rep's order card follows shipments and delivery; 订单 SO-… tells the whole story", async () => {
    const o = await t.db.order.findFirstOrThrow({ where: { customer: { name: "江北机械有限公司" } } });
    await t.pg.say("chenqi", `发货 ${o.number} 电机A 4台 顺丰 SF1234567890123`);
    const orderCard = async () => (await cards(t, "zhangsan", "order")).find((c) => c.title === `订单 ${o.number}`)!;
    await eventually(async () => (await orderCard()).lines?.some((l) => l.includes("已发 电机A 4台，还剩 电机A 6台")) || undefined, "the order card after the first shipment");
    await t.pg.say("chenqi", `发货 ${o.number} 京东 JDVA12345678901`);
    await eventually(async () => (await orderCard()).lines?.some((l) => l.includes("已全部发出")) || undefined, "the order card after the last shipment");
    await t.pg.say("chenqi", `已签收 ${o.number}`);
    await eventually(async () => (await orderCard()).lines?.some((l) => l.includes("客户已签收")) || undefined, "the order card after delivery");

    await t.pg.say("zhangsan", `订单 ${o.number}`);
    const story = await eventually(async () => (await t.pg.botItems("zhangsan")).map((i) => JSON.stringify(i)).find((x) => x.includes("通知仓库发货") && x.includes("确认签收")), "the order's timeline");
    expect(story).toContain("填写收货信息");
    expect(story).toContain("确认部分发货 顺丰 SF1234567890123");
    expect(story).toContain("确认发货 京东");
  });

  it("after a problem the rep cancels the order: the notices say so, the manager is told; once goods left it is refused", async () => {
    await customer(t, "北岸机电有限公司", { address: "宁波市北仑区明州路8号", contacts: { create: { name: "钱工", phone: "13500001111" } } });
    await t.pg.say("zhangsan", "下单 北岸机电 电机B 3台 单价8000");
    const notice = await eventually(async () => (await cards(t, "chenqi", "dispatch_notice")).find((c) => JSON.stringify(c).includes("北岸机电")), "the notice");
    const number = notice.title.replace("发货通知 ", "");
    await t.pg.say("chenqi", `${number} 缺货 电机B要下个月`);
    await waitText(t, "zhangsan", new RegExp(`或销售回复「取消订单 ${number}」`));
    await t.pg.say("lisi", `取消订单 ${number}`);
    expect(await waitText(t, "lisi", /只有订单 .* 的销售可以取消它/)).toBeTruthy();
    await t.pg.say("zhangsan", `撤回 ${number}`);
    expect(await waitText(t, "zhangsan", new RegExp(`还没发货的话，发送「取消订单 ${number}」`))).toBeTruthy();
    await t.pg.say("zhangsan", `取消订单 ${number} 客户不要了`);
    expect(await waitText(t, "zhangsan", new RegExp(`已取消订单 ${number}（客户不要了）。仓库的发货通知已撤回`))).toBeTruthy();
    expect(await waitText(t, "wangwu", new RegExp(`${number}.*已被张三取消（客户不要了）`))).toBeTruthy();
    const after = await eventually(async () => (await cards(t, "chenqi", "dispatch_notice")).find((c) => c.title === notice.title && c.status), "the notice closed");
    expect(after.status?.text).toContain("订单已取消，不用发货");
    const o = await t.db.order.findUniqueOrThrow({ where: { number } });
    expect([o.status, o.problem]).toEqual(["cancelled", null]);
    await t.pg.say("chenqi", `发货 ${number} 顺丰 SF1234567890999`);
    expect(await waitText(t, "chenqi", new RegExp(`订单 ${number}.*已取消`))).toBeTruthy();
    expect(await t.db.shipment.count({ where: { orderId: o.id } })).toBe(0);

    const shipped = await t.db.order.findFirstOrThrow({ where: { customer: { name: "滨江电气有限公司" } } });
    await t.pg.say("zhouba", `发货 ${shipped.number} 数量 5 顺丰 SF1234567890888`);
    await waitText(t, "zhouba", new RegExp(`已确认 ${shipped.number} 发货`));
    await t.pg.say("zhangsan", `取消订单 ${shipped.number}`);
    expect(await waitText(t, "zhangsan", /已有发货，不能整单取消/)).toBeTruthy();
    expect((await t.db.order.findUniqueOrThrow({ where: { number: shipped.number } })).status).toBe("dispatched");
  });

  it("a tracking number of the wrong form is refused with the carrier's own form; the help's example ships", async () => {
    const o = await t.db.order.findFirstOrThrow({ where: { customer: { name: "滨江电气有限公司" } } });
    await t.pg.say("zhouba", `发货 ${o.number} 电缆 5卷 德邦 DPK3001234`);
    expect(await waitText(t, "zhouba", /DPK 加 9 到 15 位数字/)).toBeTruthy();
    await t.pg.say("zhouba", `发货 ${o.number} 电缆 5卷 德邦 DPK300123456789`);
    expect(await waitText(t, "zhouba", new RegExp(`已确认 ${o.number} 发货：电缆 5卷，德邦 DPK300123456789`))).toBeTruthy();
  });

  it("goods on the company's own truck (自送) ship without a tracking number", async () => {
    const o = await t.db.order.findFirstOrThrow({ where: { customer: { name: "广州南方泵业有限公司" } } });
    await t.pg.say("chenqi", `发货 ${o.number} 随便写写`);
    expect(await waitText(t, "chenqi", /自己车送的回复「自送」/)).toBeTruthy();
    await t.pg.say("chenqi", `发货 ${o.number} 自送 司机老王`);
    expect(await waitText(t, "chenqi", new RegExp(`已确认 ${o.number} 发货：变频器 2台，自送。已全部发出`))).toBeTruthy();
    const s = await t.db.shipment.findFirstOrThrow({ where: { orderId: o.id } });
    expect([s.carrier, s.trackingNo]).toEqual(["自送", null]);
    expect((await t.db.order.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("shipped");
  });
});
