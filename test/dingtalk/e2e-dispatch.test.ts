// Warehouse dispatch over DingTalk Stream with an interactive card template: the unmodified DWClient against the
// local gateway. The notice is an interactive card (no price); 确认发货 is a card callback frame, the carrier and
// number a robot message; partial and full shipments, a problem and 恢复, a rep's click refused, delivery. A cable
// order routed to a DingTalk group: the card goes to the group space, a warehouse member's click from the group is
// accepted and answered in the group, a rep's click there is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchRemindersJob } from "../../jobs/dispatch-reminders.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { dispatchOrgFile } from "../support/dispatch-org.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { button, cardUpdates, deliveredCards, sentTexts, startDingtalkBot, type DeliveredCard } from "./e2e-helpers.ts";

const GROUP = "cidWarehouseCables==";
const CUSTOMERS = ["华东机电有限公司", "江南重工有限公司", "北方电气有限公司", "滨江电气有限公司", "南湖建材有限公司"];
let gw: DingtalkGateway;
let bot: TestBot;

beforeAll(async () => {
  ({ gw, bot } = await startDingtalkBot({ DINGTALK_CARD_TEMPLATE_ID: "tpl-sales.schema", ORG_FILE: dispatchOrgFile({ dingtalkGroup: GROUP }) }));
  // One customer per scenario: the same customer and product again within 24 h would be asked about as a duplicate.
  for (const name of CUSTOMERS) await bot.db.prisma.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
  expect(gw.api.violations).toEqual([]);
});

const db = () => bot.db.prisma;
/** Replies to a 1:1 message go through its session webhook: which person each session belongs to. */
const sessions = new Map<string, string>();
const say = (staffId: string, text: string) => {
  const m = gw.robotMessage({ staffId, text });
  sessions.set(`session:${new URL(m.sessionWebhook).searchParams.get("session")}`, staffId);
  gw.sendRobot(m);
};
/** What the bot said to `to` (a staff id: batch messages and replies in their 1:1 chat; or a group's openConversationId). */
const textsTo = (to: string) => sentTexts(gw).filter((t) => t.to === to || sessions.get(t.to) === to);
const click = (userId: string, card: DeliveredCard, label: RegExp, group?: string) =>
  gw.sendCard(gw.cardClick({ outTrackId: card.outTrackId, userId, action: button(card, label).action, ...(group ? { group } : {}) }));
/** The first text sent to `to` (a staff id, or a group's openConversationId) matching `re`, after the `from`-th one. */
const waitText = (to: string, re: RegExp, from = 0) => eventually(() => textsTo(to).slice(from).find((t) => re.test(t.text))?.text, `a text ${re} to ${to}`);
const textCount = (to: string) => textsTo(to).length;
const order = (number: string) => db().order.findUniqueOrThrow({ where: { number } });
const state = async (number: string) => ({
  status: (await order(number)).status,
  shipments: await db().shipment.count({ where: { order: { number } } }),
  audit: await db().auditLog.count(),
});

/** The rep places an order within authority (approved at once); its number, the newest in the database. */
async function placeOrder(text: string): Promise<string> {
  const before = await db().order.count();
  say("0101", text);
  const o = await eventually(async () => ((await db().order.count()) > before ? db().order.findFirst({ orderBy: { number: "desc" } }) : undefined), `the order (${text})`);
  return o!.number;
}
const noticeIn = (number: string, space: string) => eventually(() => deliveredCards(gw).find((c) => c.params.title === `发货通知 ${number}` && c.openSpaceId === space), `the notice ${number} in ${space}`);
const ROBOT_CHENQI = "dtv1.card//IM_ROBOT.0401";

describe("DingTalk: warehouse dispatch", () => {
  it("the notice is an interactive card without prices; a rep's click is refused; two partial shipments (button, then typed); the rep confirms delivery", async () => {
    const number = await placeOrder("下单 华东机电 电机A 50台 单价4900 变频器 10台 单价3200");
    const notice = await noticeIn(number, ROBOT_CHENQI);
    expect(button(notice, /确认发货/).label).toBe("确认发货");
    expect(button(notice, /有问题/).label).toBe("有问题");
    const raw = JSON.stringify(notice.params);
    expect(raw).toContain("上海市浦东新区张江路100号");
    expect(raw).not.toMatch(/¥|4900|4,900|单价|折|总额|合计/);
    await waitText("0101", new RegExp(`订单 ${number} 已通知仓库发货（陈七）`));

    // 张三 (the rep) presses the warehouse's button: refused, nothing changes.
    const before = await state(number);
    click("0101", notice, /确认发货/);
    await waitText("0101", /只有仓库同事可以确认发货/);
    expect(await state(number)).toEqual(before);
    expect(await db().pendingAction.count({ where: { userId: "zhangsan", kind: "ship_details" } })).toBe(0);

    click("0401", notice, /确认发货/);
    await waitText("0401", new RegExp(`请回复 ${number} 的承运商和单号`));
    say("0401", "电机A 30台 德邦 DPK3001234567");
    await waitText("0101", new RegExp(`${number}.*已发货：电机A 30台，德邦 DPK3001234567。还有 电机A 20台、变频器 10台 待发`));
    await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === notice.outTrackId && JSON.stringify(u.params).includes("已发 30，还剩 20")), "the notice card updated in place");

    // Over-quantity and the same number again: refused, nothing shipped twice.
    const mid = await state(number);
    say("0401", `发货 ${number} 电机A 30台 德邦 DPK3001234568`);
    await waitText("0401", /还剩 20台 未发，不能发 30台/);
    say("0401", `发货 ${number} 电机A 20台 德邦 DPK3001234567`);
    await waitText("0401", /单号 DPK3001234567 已经确认过了，没有重复发货/);
    expect(await state(number)).toEqual(mid);

    say("0401", `发货 ${number} 顺丰 SF1234567890123`);
    await waitText("0101", new RegExp(`${number}.*已发货：电机A 20台、变频器 10台，顺丰 SF1234567890123。已全部发出`));
    expect(await state(number)).toMatchObject({ status: "shipped", shipments: 2 });
    await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === notice.outTrackId && JSON.stringify(u.params).includes("已全部发货")), "the notice shows it is done");

    say("0101", `已签收 ${number}`);
    await waitText("0101", new RegExp(`已记录 ${number} 客户签收`));
    expect((await order(number)).status).toBe("delivered");
  });

  it("有问题 on the card, then the reason: the rep and the manager are told; 恢复; a full shipment; the warehouse confirms delivery", async () => {
    const number = await placeOrder("下单 江南重工 电机B 4台 单价8000");
    const notice = await noticeIn(number, ROBOT_CHENQI);
    click("0401", notice, /有问题/);
    await waitText("0401", new RegExp(`${number} 有什么问题？`));
    say("0401", "地址不全");
    await waitText("0101", new RegExp(`订单 ${number}.*发货有问题：地址不全`));
    await waitText("0201", new RegExp(`订单 ${number}.*发货有问题：地址不全`));
    await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === notice.outTrackId && JSON.stringify(u.params).includes("地址不全")), "the problem shown on the notice");
    expect((await order(number)).status).toBe("dispatched");

    say("0401", `恢复 ${number}`);
    await waitText("0101", new RegExp(`订单 ${number} 的发货问题已解决`));
    const mark = textCount("0401");
    click("0401", notice, /确认发货/);
    await waitText("0401", new RegExp(`请回复 ${number} 的承运商和单号`), mark);
    say("0401", "JDVA12345678901");
    await waitText("0401", new RegExp(`已确认 ${number} 发货：电机B 4台，京东 JDVA12345678901。已全部发出`));
    expect((await order(number)).status).toBe("shipped");

    say("0401", `已签收 ${number}`);
    await waitText("0401", new RegExp(`已记录 ${number} 客户签收`));
    await waitText("0101", new RegExp(`订单 ${number}（江南重工有限公司）客户已签收`));
    expect((await order(number)).status).toBe("delivered");
  });

  it("a cable order goes to the warehouse group as an interactive card; a rep's click there is refused, a warehouse member's is accepted and answered in the group", async () => {
    const number = await placeOrder("下单 滨江电气 电缆 20卷 单价600");
    const notice = await noticeIn(number, `dtv1.card//IM_GROUP.${GROUP}`);
    expect(JSON.stringify(notice.params)).not.toMatch(/¥|600|单价|折|总额|合计/);
    await waitText("0101", new RegExp(`订单 ${number} 已通知仓库发货（仓库群（钉钉））`));
    expect(deliveredCards(gw).filter((c) => c.params.title === `发货通知 ${number}`)).toHaveLength(1);

    const before = await state(number);
    click("0102", notice, /确认发货/, GROUP);
    await eventually(() => sentTexts(gw).find((t) => t.to === GROUP && /只有仓库同事可以确认发货/.test(t.text)), "李四 refused in the group");
    expect(await state(number)).toEqual(before);
    expect(await db().pendingAction.count({ where: { userId: "lisi" } })).toBe(0);

    click("0401", notice, /确认发货/, GROUP);
    await eventually(() => sentTexts(gw).find((t) => t.to === GROUP && t.text.includes(`请回复 ${number} 的承运商和单号`)), "the question in the group");
    say("0401", "顺丰 SF1234567890777");
    await waitText("0101", new RegExp(`${number}.*已发货：电缆 20卷，顺丰 SF1234567890777。已全部发出`));
    expect(await state(number)).toMatchObject({ status: "shipped", shipments: 1 });
    await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === notice.outTrackId && JSON.stringify(u.params).includes("已全部发货")), "the group's card updated");
  });

  it("an unhandled group notice reminds the group (injected clock), nobody else", async () => {
    const number = await placeOrder("下单 南湖建材 电缆 5卷 单价600");
    await noticeIn(number, `dtv1.card//IM_GROUP.${GROUP}`);
    // The bot's clock says Monday 10:00, when it went out; the job runs at chosen moments.
    expect((await runJob(bot.deps, dispatchRemindersJob, new Date("2026-11-23T13:00:00+08:00"))).result).toMatchObject({ reminded: 0 });
    expect((await runJob(bot.deps, dispatchRemindersJob, new Date("2026-11-23T16:00:00+08:00"))).result).toMatchObject({ reminded: 1, failed: 0 });
    const reminder = await waitText(GROUP, new RegExp(`^提醒：${number}（南湖建材有限公司）已通知仓库 \\d+ 个工作小时还未发货`));
    expect(reminder).not.toMatch(/¥|单价/);
    expect(sentTexts(gw).filter((t) => t.text.startsWith("提醒：")).map((t) => t.to)).toEqual([GROUP]);
  });
});
