// The access token against the WeCom API simulator over real HTTP: one fetch for a burst, reused, refreshed
// early, and replaced at once (still one fetch for a burst) when WeCom says 42001, 40014 or 41001.
import { describe, expect, it } from "vitest";
import { RetryableSendError } from "../../src/core/app-error.ts";
import { failure, makeSender, text, useSim } from "./sender-setup.ts";

const s = useSim();
const burst = (n: number) => Array.from({ length: n }, (_, i) => text(`M${i}`, `burst ${i}`));

describe("access token", () => {
  it("is fetched once for a burst of concurrent sends and then reused", async () => {
    const { sender } = makeSender(s.sim);
    await Promise.all(burst(40).map((m) => sender.send(m)));
    await sender.send(text("LiSi"));
    expect(s.sim.tokenFetches).toBe(1);
    expect(s.sim.sent.filter((m) => String((m.text as { content: string }).content).startsWith("burst"))).toHaveLength(40);
  });

  it("is refetched once at once when WeCom says it expired (42001), and the message still goes out", async () => {
    const { sender } = makeSender(s.sim);
    await sender.send(text("ZhangSan"));
    s.sim.expireTokens();
    await sender.send(text("ZhangSan", "after expiry"));
    expect(s.sim.tokenFetches).toBe(2);
    expect(s.sim.requests.map((r) => r.errcode)).toEqual([0, 0, 42001, 0, 0]);
    expect(s.sim.sent.at(-1)).toMatchObject({ touser: "ZhangSan", text: { content: "after expiry" } });
  });

  it("is replaced once for a whole burst when WeCom revokes it (40014)", async () => {
    const { sender } = makeSender(s.sim);
    await sender.send(text("ZhangSan"));
    s.sim.revokeTokens();
    await Promise.all(burst(40).map((m) => sender.send(m)));
    expect(s.sim.tokenFetches).toBe(2);
    expect(s.sim.requests.filter((r) => r.errcode === 40014)).toHaveLength(40);
    expect(s.sim.requests.filter((r) => r.path === "/cgi-bin/message/send" && r.errcode === 0)).toHaveLength(41);
  });

  it("is refetched when WeCom says the request carried none (41001), and the message still goes out", async () => {
    const { sender } = makeSender(s.sim);
    await sender.send(text("ZhangSan"));
    s.sim.dropTokenOnce();
    await sender.send(text("ZhangSan", "after 41001"));
    expect(s.sim.tokenFetches).toBe(2);
    expect(s.sim.requests.map((r) => r.errcode)).toEqual([0, 0, 41001, 0, 0]);
    expect(s.sim.sent.at(-1)).toMatchObject({ text: { content: "after 41001" } });
  });

  it("gives up after a second rejection in a row, as retryable (the outbox tries again later)", async () => {
    const { sender } = makeSender(s.sim);
    await sender.send(text("ZhangSan"));
    s.sim.dropTokenOnce(2);
    const err = await failure(sender.send(text("ZhangSan")));
    expect(err).toBeInstanceOf(RetryableSendError);
    expect(s.sim.tokenFetches).toBe(2);
    await expect(sender.send(text("ZhangSan"))).resolves.toEqual({});
  });

  it("is refreshed five minutes before it expires", async () => {
    let t = 1_000_000;
    const { sender } = makeSender(s.sim, { now: () => t });
    await sender.send(text("ZhangSan"));
    t += 7200_000 - 6 * 60_000;
    await sender.send(text("ZhangSan"));
    expect(s.sim.tokenFetches).toBe(1);
    t += 2 * 60_000;
    await sender.send(text("ZhangSan"));
    expect(s.sim.tokenFetches).toBe(2);
  });

  it("reports a wrong secret as retryable (nothing lost) with a long back-off", async () => {
    const { sender } = makeSender(s.sim, { secret: "wrong" });
    const err = await failure(sender.send(text("ZhangSan")));
    expect(err).toBeInstanceOf(RetryableSendError);
    expect(err.message).toContain("WECOM_SECRET");
    expect((err as RetryableSendError).retryAfterMs).toBeGreaterThanOrEqual(60_000);
  });
});
