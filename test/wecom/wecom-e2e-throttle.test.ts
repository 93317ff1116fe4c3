// 45009 end to end: WeCom blocks message/send for the whole app, so the bot stops calling it and every member's
// messages wait in the outbox (pending, not dead) until the block should be over. Its own bot: the block lasts
// a minute and would hold up any test after it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/test-bot.ts";
import { startWecomHarness, type WecomHarness } from "./wecom-harness.ts";

let h: WecomHarness;
beforeAll(async () => {
  h = await startWecomHarness();
});
afterAll(() => h?.close());

const SEND = "/cgi-bin/message/send";
const held = (recipient: string, error: string) =>
  eventually(
    () => h.bot.db.prisma.outboxMessage.findFirst({ where: { recipient, status: "pending", lastError: { contains: error } } }),
    `the message to ${recipient} held back (${error})`,
  );

describe("45009", () => {
  it("holds every member's messages without calling WeCom until the block is over", async () => {
    h.sim.failNext(45009, 1, SEND);
    await h.driver.deliver(h.driver.textXml("WangWu", "帮助"));
    const first = await held("WangWu", "45009");
    expect(first.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000); // WeCom blocks for at least 60 s
    const calls = h.sim.requests.filter((r) => r.path === SEND).length;

    await h.driver.deliver(h.driver.textXml("LiSi", "帮助"));
    const second = await held("LiSi", "blocked after errcode 45009");
    expect(second.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(second.nextAttemptAt.getTime()).toBeLessThanOrEqual(first.nextAttemptAt.getTime() + 1000);
    expect(h.sim.requests.filter((r) => r.path === SEND)).toHaveLength(calls);
    expect(h.sim.sent).toHaveLength(0);
    expect(await h.bot.db.prisma.outboxMessage.count({ where: { status: "dead" } })).toBe(0);
    expect(h.logs.some((l) => l.level === "warn" && l.msg.startsWith("WeCom rate limit hit") && l.api === SEND)).toBe(true);
  });
});
