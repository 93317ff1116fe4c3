// End to end without a card template: cards arrive as markdown with text commands, and 「撤销」 typed as text
// does what the button would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { eventually, type TestBot } from "../support/test-bot.ts";
import { VISIT_TEXT, sentTexts, startDingtalkBot } from "./e2e-helpers.ts";

let gw: DingtalkGateway;
let bot: TestBot;

beforeAll(async () => {
  ({ gw, bot } = await startDingtalkBot());
});
afterAll(async () => {
  await bot?.close();
  await gw?.close();
  expect(gw.api.violations).toEqual([]);
});

describe("DingTalk end to end (no card template)", () => {
  it("visit log → markdown cards; reply 撤销 undoes it", async () => {
    gw.sendRobot(gw.robotMessage({ staffId: "0101", text: VISIT_TEXT }));
    await eventually(() => sentTexts(gw).find((t) => t.via === "webhook" && t.text.includes("华东机电") && t.text.includes("新客户")), "the pick card as markdown");
    // The pick card has no text command yet; its click path is the same inbox path as a real card's.
    const card = await eventually(() => bot.db.prisma.card.findFirst({ where: { purpose: "pick_customer" } }), "the pick card row");
    gw.sendCard(gw.cardClick({ outTrackId: card.ref, userId: "0101", action: `pick:${card.ref}:new` }));
    await eventually(() => sentTexts(gw).find((t) => t.text.includes("已记录拜访") && t.text.includes("「撤销」")), "the confirmation as markdown with its command");

    gw.sendRobot(gw.robotMessage({ staffId: "0101", text: "撤销" }));
    await eventually(() => sentTexts(gw).find((t) => t.text.includes("已撤销对「华东机电」")), "undo confirmed");
    await eventually(() => sentTexts(gw).find((t) => t.text.includes("### 已记录拜访") && t.text.includes("已撤销")), "the card's new status as markdown");
    expect(gw.calls("/v1.0/card/instances/createAndDeliver")).toHaveLength(0);
    expect(gw.calls("/v1.0/card/instances", "PUT")).toHaveLength(0);
  });
});
