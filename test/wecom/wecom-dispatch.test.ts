// Warehouse dispatch over WeCom: real encrypted callbacks into the real express app, the notice as a template card
// at the WeCom API simulator (no price on it), clicks as template_card_event callbacks, typed commands as text
// messages. Full and partial shipments, over-quantity, double confirmation, problem and 恢复, wrong roles, a notice
// to a WeCom app chat (markdown with the command to type), delivery by the rep and by the warehouse.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchRemindersJob } from "../../jobs/dispatch-reminders.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { dispatchOrgFile } from "../support/dispatch-org.ts";
import { eventually } from "../support/test-bot.ts";
import { cardsSentTo, startWecomHarness, textsSentTo, type SentCard, type WecomHarness } from "./wecom-harness.ts";

const CHAT = "wrkWarehouseCables01";
const CUSTOMERS = ["华东机电有限公司", "江南重工有限公司", "北方电气有限公司", "西部泵业有限公司", "滨江电气有限公司", "南湖建材有限公司"];
let h: WecomHarness;
/**
 * A bot for the describe block it is called in (WeCom takes 30 messages a minute per person, and the bot keeps to
 * it: one block's worth of notices and answers to 陈七 fits in a minute).
 */
function harnessForBlock() {
  beforeAll(async () => {
    h = await startWecomHarness({ ORG_FILE: dispatchOrgFile({ wecomChat: CHAT }) });
    // One customer per scenario: the same customer and product again within 24 h would be asked about as a duplicate.
    for (const name of CUSTOMERS) await h.bot.db.prisma.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
  });
  afterAll(() => h?.close());
}

const db = () => h.bot.db.prisma;
const say = (from: string, text: string) => h.driver.deliver(h.driver.textXml(from, text));
/** A click; `secondsLater` makes it a new click (WeCom dedupes events by sender and CreateTime: a same-second repeat is a retry). */
const click = (from: string, card: SentCard, label: string, secondsLater = 0) =>
  h.driver.deliver(h.driver.cardEventXml({ from, eventKey: button(card, label).key, taskId: card.taskId, responseCode: h.sim.issueResponseCode(), createTime: String(Math.floor(Date.now() / 1000) + secondsLater) }));
const button = (card: SentCard, text: string) => {
  const b = card.buttons.find((x) => x.text.startsWith(text));
  if (!b) throw new Error(`no button ${text} on ${card.title}`);
  return b;
};
/** The first text to `user` matching `re` after the `from`-th one. */
const waitText = (user: string, re: RegExp, from = 0) => eventually(() => textsSentTo(h.sim, user).slice(from).find((t) => re.test(t)), `a text ${re} for ${user}`);
const order = (number: string) => db().order.findUniqueOrThrow({ where: { number } });
const snapshotShipments = async (number: string) => ({ status: (await order(number)).status, shipments: await db().shipment.count({ where: { order: { number } } }) });
const snapshot = async (number: string) => ({
  status: (await order(number)).status,
  shipments: await db().shipment.count({ where: { order: { number } } }),
  audit: await db().auditLog.count(),
});

/** The rep places an order within authority (approved at once); its number, the newest in the database. */
async function placeOrder(text: string): Promise<string> {
  const before = await db().order.count();
  await say("ZhangSan", text);
  const o = await eventually(async () => ((await db().order.count()) > before ? db().order.findFirst({ orderBy: { number: "desc" } }) : undefined), `the order (${text})`);
  return o!.number;
}
const noticeOf = (number: string) => eventually(() => cardsSentTo(h.sim, "ChenQi").find((c) => c.title === `发货通知 ${number}`), "the warehouse's notice");
const orderAndNotice = async (text: string) => {
  const number = await placeOrder(text);
  return { number, notice: await noticeOf(number) };
};

describe("WeCom: warehouse dispatch", () => {
  harnessForBlock();

  it("full shipment: the notice has no price; a double click on 确认发货 and the carrier ship once; the rep confirms delivery", async () => {
    const { number, notice } = await orderAndNotice("下单 华东机电 电机A 50台 单价4900");
    expect(notice.buttons.map((b) => b.text)).toEqual(["确认发货", "有问题"]);
    const sent = h.sim.sentTo("ChenQi", "template_card").find((m) => JSON.stringify(m).includes(`发货通知 ${number}`));
    expect(JSON.stringify(sent)).toContain("上海市浦东新区张江路100号");
    expect(JSON.stringify(sent)).not.toMatch(/¥|4900|4,900|单价|折|总额|合计/);
    await waitText("ZhangSan", new RegExp(`订单 ${number} 已通知仓库发货（陈七）`));
    expect((await order(number)).status).toBe("dispatched");

    const asked = textsSentTo(h.sim, "ChenQi").length;
    await click("ChenQi", notice, "确认发货");
    await click("ChenQi", notice, "确认发货", 1);
    await waitText("ChenQi", new RegExp(`请回复 ${number} 的承运商和单号`), asked);
    await eventually(() => textsSentTo(h.sim, "ChenQi").slice(asked).filter((t) => t.includes(`请回复 ${number} 的承运商和单号`)).length >= 2 || undefined, "both clicks answered");
    // The second click's question replaced the first: one question open, so one answer ships once.
    expect(await db().pendingAction.count({ where: { userId: "chenqi", status: "pending" } })).toBe(1);
    await say("ChenQi", "顺丰 SF1234567890123");
    await waitText("ChenQi", new RegExp(`已确认 ${number} 发货：电机A 50台，顺丰 SF1234567890123。已全部发出`));
    expect(await waitText("ZhangSan", new RegExp(`订单 ${number}.*已发货：电机A 50台，顺丰 SF1234567890123。已全部发出`))).toContain(`已签收 ${number}`);
    expect((await order(number)).status).toBe("shipped");
    expect(await db().shipment.count({ where: { order: { number } } })).toBe(1);

    // The same number typed again ships nothing twice.
    const mark = textsSentTo(h.sim, "ChenQi").length;
    await say("ChenQi", `发货 ${number} 顺丰 SF1234567890123`);
    await waitText("ChenQi", /单号 SF1234567890123 已经确认过了，没有重复发货/, mark);
    expect(await db().shipment.count({ where: { order: { number } } })).toBe(1);

    // Every copy of the notice shows it is done (updated through the click's code, or re-sent).
    await eventually(() => h.sim.updates.find((u) => JSON.stringify(u).includes("已全部发货")), "the notice updated");

    await say("ZhangSan", `已签收 ${number}`);
    await waitText("ZhangSan", new RegExp(`已记录 ${number} 客户签收`));
    expect((await order(number)).status).toBe("delivered");
  });

  it("two partial shipments; over-quantity and the same tracking number twice are refused; the warehouse confirms delivery", async () => {
    const { number } = await orderAndNotice("下单 江南重工 电机A 50台 单价4900 变频器 10台 单价3200");
    // No tracking number: asked for one (the order number's digits are not one).
    await say("ChenQi", `发货 ${number} 德邦`);
    await waitText("ChenQi", /没看到快递单号/);
    expect(await db().shipment.count({ where: { order: { number } } })).toBe(0);
    await say("ChenQi", `发货 ${number} 电机A 30台 德邦 DPK3001234567`);
    await waitText("ZhangSan", new RegExp(`${number}.*已发货：电机A 30台.*还有 电机A 20台、变频器 10台 待发`));
    expect((await order(number)).status).toBe("dispatched");

    const before = await snapshot(number);
    await say("ChenQi", `发货 ${number} 电机A 30台 德邦 DPK3001234568`);
    await waitText("ChenQi", /还剩 20台 未发，不能发 30台/);
    await say("ChenQi", `发货 ${number} 电机A 30台 德邦 DPK3001234567`);
    await waitText("ChenQi", /单号 DPK3001234567 已经确认过了，没有重复发货/);
    expect(await snapshot(number)).toEqual(before);

    await say("ChenQi", `发货 ${number} 电机A 20台 德邦 DPK3001234569`);
    await waitText("ZhangSan", new RegExp(`${number}.*已发货：电机A 20台.*还有 变频器 10台 待发`));
    await say("ChenQi", `发货 ${number} 京东 JDVA12345678901`);
    await waitText("ZhangSan", new RegExp(`${number}.*已发货：变频器 10台.*已全部发出`));
    expect((await order(number)).status).toBe("shipped");
    expect(await db().shipment.count({ where: { order: { number } } })).toBe(3);

    await say("ChenQi", `已签收 ${number}`);
    await waitText("ChenQi", new RegExp(`已记录 ${number} 客户签收`));
    await waitText("ZhangSan", new RegExp(`订单 ${number}（江南重工有限公司）客户已签收`));
    expect((await order(number)).status).toBe("delivered");
  });

  it("有问题 then the reason: the rep and the manager are told; 恢复 clears it and shipping goes on", async () => {
    const { number, notice } = await orderAndNotice("下单 北方电气 电机A 5台 单价5000");
    await click("ChenQi", notice, "有问题");
    await waitText("ChenQi", new RegExp(`${number} 有什么问题？`));
    await say("ChenQi", "缺货 下周到");
    await waitText("ChenQi", new RegExp(`已记录 ${number} 的问题：缺货 下周到，已通知销售和经理`));
    await waitText("ZhangSan", new RegExp(`订单 ${number}.*发货有问题：缺货 下周到`));
    await waitText("WangWu", new RegExp(`订单 ${number}.*发货有问题：缺货 下周到`));
    expect(await snapshotShipments(number)).toEqual({ status: "dispatched", shipments: 0 });

    await say("ChenQi", "待发货");
    await waitText("ChenQi", new RegExp(`${number} 北方电气有限公司：电机A 5台（问题：缺货 下周到）`));

    await say("ChenQi", `恢复 ${number}`);
    await waitText("ChenQi", new RegExp(`已恢复 ${number}`));
    await waitText("ZhangSan", new RegExp(`订单 ${number} 的发货问题已解决`));
    await say("ChenQi", `发货 ${number} 圆通 YT1234567890123`);
    await waitText("ZhangSan", new RegExp(`${number}.*已发货：电机A 5台，圆通 YT1234567890123`));
    expect((await order(number)).status).toBe("shipped");
  });

  it("确认发货 pressed on one notice, then 发货 typed for another order: the typed order is shipped, not the pressed one", async () => {
    const a = await orderAndNotice("下单 华东机电 电机B 2台 单价8000");
    const b = await orderAndNotice("下单 江南重工 电机B 3台 单价8000");
    await click("ChenQi", a.notice, "确认发货");
    await waitText("ChenQi", new RegExp(`请回复 ${a.number} 的承运商和单号`));
    await say("ChenQi", `发货 ${b.number} 顺丰 SF1234567890555`);
    await waitText("ChenQi", new RegExp(`已确认 ${b.number} 发货：电机B 3台，顺丰 SF1234567890555`));
    expect(await snapshotShipments(a.number)).toEqual({ status: "dispatched", shipments: 0 });
    expect(await snapshotShipments(b.number)).toEqual({ status: "shipped", shipments: 1 });
    // The question about the pressed order is still open and takes the next plain answer.
    await say("ChenQi", "顺丰 SF1234567890556");
    await waitText("ChenQi", new RegExp(`已确认 ${a.number} 发货：电机B 2台，顺丰 SF1234567890556`));
    expect(await snapshotShipments(a.number)).toEqual({ status: "shipped", shipments: 1 });
  });

});

describe("WeCom: wrong roles and the warehouse's app chat", () => {
  harnessForBlock();

  it("the rep clicking 确认发货 or typing 发货 SO-… is refused and nothing changes", async () => {
    const { number, notice } = await orderAndNotice("下单 西部泵业 电机A 8台 单价5000");
    const before = await snapshot(number);
    const mark = textsSentTo(h.sim, "ZhangSan").length;
    await click("ZhangSan", notice, "确认发货");
    await waitText("ZhangSan", /只有仓库同事可以确认发货/, mark);
    await say("ZhangSan", `发货 ${number} 顺丰 SF1234567890999`);
    await waitText("ZhangSan", /只有仓库同事可以确认发货。客户签收后请回复「已签收 单号」/, mark);
    // A later carrier-looking message from the rep is not an answer to anything.
    expect(await db().pendingAction.count({ where: { userId: "zhangsan", kind: "ship_details" } })).toBe(0);
    expect(await snapshot(number)).toEqual(before);
    expect(before).toMatchObject({ status: "dispatched", shipments: 0 });
  });

  it("a cable order goes to the WeCom app chat as markdown with the command to type; 陈七 ships it from their own chat", async () => {
    const mark = h.sim.sent.length;
    const number = await placeOrder("下单 滨江电气 电缆 20卷 单价600");
    const inChat = await eventually(() => h.sim.sent.slice(mark).find((m) => m.chatid === CHAT), "the notice in the app chat");
    expect(inChat.msgtype).toBe("markdown");
    const md = String((inChat.markdown as { content: string }).content);
    expect(md).toContain(`发货通知 ${number}`);
    expect(md).toContain(`发货 ${number} 顺丰`);
    expect(md).toContain("上海市浦东新区张江路100号");
    expect(md).not.toMatch(/¥|600|单价|折|总额|合计/);
    expect(h.sim.requests.some((r) => r.path === "/cgi-bin/appchat/send" && JSON.stringify(r.body).includes("template_card"))).toBe(false);
    await waitText("ZhangSan", new RegExp(`订单 ${number} 已通知仓库发货（仓库群（企业微信））`));
    // Nobody got it as a personal card.
    expect(cardsSentTo(h.sim, "ChenQi").map((c) => c.title)).not.toContain(`发货通知 ${number}`);

    await say("ChenQi", `发货 ${number} 顺丰 SF1234567890124`);
    await waitText("ChenQi", new RegExp(`已确认 ${number} 发货：电缆 20卷，顺丰 SF1234567890124。已全部发出`));
    await waitText("ZhangSan", new RegExp(`订单 ${number}.*已发货：电缆 20卷`));
    expect((await order(number)).status).toBe("shipped");
    // The chat sees the notice's new state.
    const later = await eventually(() => h.sim.sent.slice(mark).filter((m) => m.chatid === CHAT)[1], "the notice's new state in the chat");
    expect(String((later.markdown as { content: string } | undefined)?.content ?? JSON.stringify(later))).toContain("已全部发货");
  });

  it("确认发货 pressed, then the whole command typed for that same order: shipped once, and the question is closed", async () => {
    const c = await orderAndNotice("下单 华东机电 电机B 1台 单价8000");
    await click("ChenQi", c.notice, "确认发货");
    await waitText("ChenQi", new RegExp(`请回复 ${c.number} 的承运商和单号`));
    await say("ChenQi", `${c.number} 顺丰 SF1234567890557`);
    await waitText("ChenQi", new RegExp(`已确认 ${c.number} 发货：电机B 1台，顺丰 SF1234567890557`));
    expect(await snapshotShipments(c.number)).toEqual({ status: "shipped", shipments: 1 });
    expect(await db().pendingAction.count({ where: { userId: "chenqi", status: "pending" } })).toBe(0);
  });

  it("an unhandled notice reminds where it went (injected clock): 陈七 in their chat, the cable order in the app chat", async () => {
    // Open here: 西部泵业's 电机A (陈七's notice) and a new cable order (the app chat's). The bot's clock says
    // Monday 10:00, when both went out; the job runs at chosen moments.
    const cable = await placeOrder("下单 南湖建材 电缆 5卷 单价600");
    await waitText("ZhangSan", new RegExp(`订单 ${cable} 已通知仓库发货（仓库群（企业微信））`));
    const open = await db().order.findFirstOrThrow({ where: { customer: { name: "西部泵业有限公司" } } });
    const mark = h.sim.sent.length;
    expect((await runJob(h.bot.deps, dispatchRemindersJob, new Date("2026-11-23T13:00:00+08:00"))).result).toMatchObject({ reminded: 0 });
    expect((await runJob(h.bot.deps, dispatchRemindersJob, new Date("2026-11-23T16:00:00+08:00"))).result).toMatchObject({ reminded: 2, failed: 0 });
    const toChat = await eventually(() => h.sim.sent.slice(mark).find((m) => m.chatid === CHAT && JSON.stringify(m).includes(`提醒：${cable}`)), "the reminder in the app chat");
    expect(JSON.stringify(toChat)).not.toMatch(/¥|单价/);
    await waitText("ChenQi", new RegExp(`^提醒：${open.number}（西部泵业有限公司）已通知仓库 \\d+ 个工作小时还未发货`));
    expect(textsSentTo(h.sim, "ChenQi").some((t) => t.includes(`提醒：${cable}`))).toBe(false);
  });
});
