// A long text typed into the playground is accepted and stored whole, as on WeCom and DingTalk (issue #9); the
// core answers one too long to understand.
import { describe, expect, it } from "vitest";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { playgroundBot } from "../support/playground-bot.ts";

describe("long texts in the playground", () => {
  const t = playgroundBot();

  it("accepts a 5,000-character text and stores it whole", async () => {
    const end = "【完】";
    const text = "下午和客户开了很长的会，记录如下：需求、预算、交期、竞品。".repeat(200).slice(0, 5000 - end.length) + end;
    expect(text).toHaveLength(5000);
    const r = await t.pg.say("zhangsan", text, "6f1c1d2e-0000-4000-8000-000000005000");
    expect(r).toMatchObject({ status: 202, body: { outcome: "accepted" } });
    const row = await t.db.inboxEvent.findUnique({ where: { platform_eventId: { platform: "playground", eventId: "6f1c1d2e-0000-4000-8000-000000005000" } } });
    expect(row?.payload as InboundEvent | undefined).toMatchObject({ kind: "message", senderId: "zhangsan", text });
  });
});
