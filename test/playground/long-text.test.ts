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

  it("answers a text too long to understand with the limit named, recording nothing", async () => {
    await t.pg.say("lisi", "今天拜访了华东机电。".repeat(300));
    expect(await t.pg.lastText("lisi", 1)).toMatch(/^这条消息有 3000 个字，超过了 2000 字，我没法理解。/);
    expect(await t.db.activity.count()).toBe(0);
    expect(await t.db.customer.count()).toBe(0);
  });

  it("tells the page the same limit, so the page keeps a too-long text in the box", async () => {
    const res = await fetch(`${t.bot.url}/playground/api/users`);
    expect(((await res.json()) as { maxUnderstoodChars: number }).maxUnderstoodChars).toBe(2000);
  });

  it("sets aside an inbox row that no longer reads as an event, and goes on with the next", async () => {
    await t.db.inboxEvent.create({ data: { platform: "playground", eventId: "broken-1", senderId: "wangwu", payload: { kind: "message", text: 42 } } });
    await t.pg.say("wangwu", "帮助");
    await t.pg.nthCard("wangwu", 1, "help");
    const row = await t.db.inboxEvent.findUniqueOrThrow({ where: { platform_eventId: { platform: "playground", eventId: "broken-1" } } });
    expect(row.status).toBe("failed");
    expect(row.lastError).toMatch(/^unreadable payload/);
  });
});
