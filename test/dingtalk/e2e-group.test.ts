// End to end in a group chat (@-mention) with a card template: cards go to the group space, and only the
// person the card was for may click it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { VISIT_TEXT, button, cardUpdates, deliveredCards, sentTexts, startDingtalkBot } from "./e2e-helpers.ts";

const GROUP = "cidGroupSales==";
let gw: DingtalkGateway;
let bot: TestBot;

beforeAll(async () => {
  ({ gw, bot } = await startDingtalkBot({ DINGTALK_CARD_TEMPLATE_ID: "tpl-sales.schema" }));
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
  expect(gw.api.violations).toEqual([]);
});

describe("DingTalk end to end (group @-mention)", () => {
  it("visit log in a group: pick card in the group, a bystander's click is refused, the author's click records", async () => {
    gw.sendRobot(gw.robotMessage({ staffId: "0102", nick: "李四", group: GROUP, text: VISIT_TEXT }));
    const pick = await eventually(() => deliveredCards(gw).find((c) => c.openSpaceId === `dtv1.card//IM_GROUP.${GROUP}`), "pick card in the group");
    const create = button(pick, /^新建/);

    gw.sendCard(gw.cardClick({ outTrackId: pick.outTrackId, userId: "0101", action: create.action, group: GROUP }));
    // The click came from the group card (its spaceId names the group), so the refusal is said in the group.
    await eventually(() => sentTexts(gw).find((t) => t.via === "group" && t.to === GROUP && t.text.includes("不是发给你的")), "bystander refused");
    expect(await bot.db.prisma.activity.count()).toBe(0);

    gw.sendCard(gw.cardClick({ outTrackId: pick.outTrackId, userId: "0102", action: create.action, group: GROUP }));
    const confirm = await eventually(() => deliveredCards(gw).find((c) => c.params.title === "已记录拜访"), "confirmation");
    expect(confirm.openSpaceId).toBe(`dtv1.card//IM_GROUP.${GROUP}`);
    await eventually(() => cardUpdates(gw).find((u) => u.outTrackId === pick.outTrackId), "pick card updated");
    expect(await bot.db.prisma.activity.count()).toBe(1);
  });

  it("text replies in a group go through the group's session webhook and @ the person", async () => {
    gw.sendRobot(gw.robotMessage({ staffId: "0102", group: GROUP, text: "你好呀" }));
    const call = await eventually(() => gw.calls("/robot/sendBySession").find((c) => JSON.stringify(c.body).includes("没太明白")), "group reply");
    expect(call.body).toMatchObject({ msgtype: "text", at: { atUserIds: ["0102"] } });
  });
});
