// Orders and approvals over DingTalk Stream with an interactive card template: the unmodified DWClient against
// the local gateway. The manager's approval card is clicked through a card callback frame; both copies (the
// manager's and the rep's order card) are updated through PUT /v1.0/card/instances; a reject reason is asked
// for and typed as a robot message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { button, cardUpdates, deliveredCards, sentTexts, startDingtalkBot } from "./e2e-helpers.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";

let gw: DingtalkGateway;
let bot: TestBot;

beforeAll(async () => {
  ({ gw, bot } = await startDingtalkBot({ DINGTALK_CARD_TEMPLATE_ID: "tpl-sales.schema" }));
  await bot.db.prisma.customer.create({ data: { name: "华东机电有限公司", normalizedName: normalizeCompanyName("华东机电有限公司"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
  expect(gw.api.violations).toEqual([]);
});

const say = (staffId: string, text: string, msgId: string) => gw.sendRobot(gw.robotMessage({ staffId, text, msgId }));

describe("DingTalk: orders and approvals", () => {
  it("同意 on the card: both copies updated, the rep told; a colleague's click refused", async () => {
    say("0101", "下单 华东机电 变频器 20台 9折", "order-1");
    const order = await eventually(() => deliveredCards(gw).find((c) => (c.params.title ?? "").startsWith("订单 SO-")), "the rep's order card");
    const number = order.params.title!.replace("订单 ", "");
    const approval = await eventually(() => deliveredCards(gw).find((c) => c.params.title === `折扣审批 ${number}` && c.openSpaceId.endsWith(".0201")), "the manager's approval card");

    gw.sendCard(gw.cardClick({ outTrackId: approval.outTrackId, userId: "0102", action: button(approval, /同意/).action }));
    await eventually(() => sentTexts(gw).find((t) => t.to === "0102" && t.text.includes("只有当前审批人王五可以审批")), "the colleague refused");

    gw.sendCard(gw.cardClick({ outTrackId: approval.outTrackId, userId: "0201", action: button(approval, /同意/).action }));
    await eventually(() => sentTexts(gw).find((t) => t.to === "0101" && t.text.includes(number) && t.text.includes("已批准")), "the rep told");
    await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === approval.outTrackId && (u.params.status_text ?? "").includes("王五 已同意")), "the manager's copy");
    await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === order.outTrackId && (u.params.status_text ?? "").includes("王五 已同意")), "the rep's copy");
    expect((await bot.db.prisma.order.findUniqueOrThrow({ where: { number } })).status).toBe("dispatched");
  });

  it("驳回 asks for the reason; the typed reason reaches the rep", async () => {
    say("0101", "下单 华东机电 电机A 10台 单价4400", "order-2");
    const approval = await eventually(() => deliveredCards(gw).filter((c) => (c.params.title ?? "").startsWith("折扣审批") && c.openSpaceId.endsWith(".0201"))[1], "the second approval card");
    const number = approval.params.title!.replace("折扣审批 ", "");
    gw.sendCard(gw.cardClick({ outTrackId: approval.outTrackId, userId: "0201", action: button(approval, /驳回/).action }));
    await eventually(() => sentTexts(gw).find((t) => t.text.includes(`请回复驳回 ${number} 的理由`)), "the question");
    say("0201", "价格太低", "reason-1");
    await eventually(() => sentTexts(gw).find((t) => t.to === "0101" && t.text.includes(`${number}`) && t.text.includes("理由：价格太低")), "the rep told the reason");
    expect((await bot.db.prisma.order.findUniqueOrThrow({ where: { number } })).status).toBe("rejected");
  });
});
