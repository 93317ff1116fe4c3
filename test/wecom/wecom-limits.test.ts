// WeCom's limits against the API simulator over real HTTP, with a hand-driven clock: 45009 blocks an API for
// everyone (no calls until the block should be over, longer each time), and the 30/min per member.
import { describe, expect, it } from "vitest";
import { RetryableSendError } from "../../src/core/app-error.ts";
import type { Card } from "../../src/core/card.ts";
import { SlidingWindowLimiter } from "../../src/channels/wecom/rate-limiter.ts";
import { calls, card, failure, makeSender, text, useSim } from "./sender-setup.ts";

const s = useSim();
const SEND = "/cgi-bin/message/send";
const retryAfter = async (p: Promise<unknown>) => {
  const err = await failure(p);
  expect(err).toBeInstanceOf(RetryableSendError);
  return (err as RetryableSendError).retryAfterMs;
};

describe("45009", () => {
  it("stops calling the blocked API for every member, waits 60 s → 5 min → 60 min, and starts over after a success", async () => {
    let t = 10_000_000;
    const { sender } = makeSender(s.sim, { now: () => t });
    await sender.send(text("ZhangSan"));

    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("ZhangSan")))).toBe(60_000);
    // Another member's message while blocked: deferred to the block's end, and WeCom is not called.
    const before = calls(s.sim, SEND);
    t += 20_000;
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(40_000);
    expect(calls(s.sim, SEND)).toBe(before);

    t += 40_001; // still blocked when it is tried again: a longer wait each time, up to an hour
    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(5 * 60_000);
    t += 5 * 60_000 + 1;
    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(60 * 60_000);
    t += 60 * 60_000 + 1;
    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(60 * 60_000);

    t += 60 * 60_000 + 1;
    await expect(sender.send(text("LiSi", "delivered after the block"))).resolves.toEqual({});
    expect(s.sim.sent.at(-1)).toMatchObject({ touser: "LiSi", text: { content: "delivered after the block" } });
    s.sim.failNext(45009, 1, SEND);
    expect(await retryAfter(sender.send(text("LiSi")))).toBe(60_000);
  });

  it("blocks only the API that answered 45009: card updates still go out", async () => {
    const { sender } = makeSender(s.sim);
    s.sim.failNext(45009, 1, SEND);
    await failure(sender.send(text("ZhangSan")));
    const decided: Card = { ...card(), buttons: [], status: { text: "已撤销", tone: "info" } };
    const code = s.sim.issueResponseCode();
    await sender.send({ platform: "wecom", recipient: "ZhangSan", body: { type: "card_update", card: decided, responseCode: code } });
    expect(s.sim.updates.at(-1)).toMatchObject({ response_code: code });
  });

  it("counts answers to calls already on their way as one block, not an escalation", async () => {
    const { sender } = makeSender(s.sim);
    await sender.send(text("ZhangSan"));
    s.sim.failNext(45009, 3, SEND);
    const waits = await Promise.all(["M50", "M51", "M52"].map((u) => retryAfter(sender.send(text(u)))));
    for (const w of waits) expect(w).toBeLessThanOrEqual(60_000);
  });
});

describe("per-member limit", () => {
  it("holds the 31st message in a minute to one member as retryable, and lets it go a minute later", async () => {
    let t = 5_000_000;
    const limiter = new SlidingWindowLimiter(undefined, () => t);
    const { sender } = makeSender(s.sim, { limiter });
    for (let i = 0; i < 30; i++) await sender.send(text("M40", `m${i}`));
    const wait = await retryAfter(sender.send(text("M40", "m30")));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_001);
    await expect(sender.send(text("M41"))).resolves.toEqual({}); // others are not held up
    t += 60_001;
    await expect(sender.send(text("M40", "m30"))).resolves.toEqual({});
  });

  it("spends no slot on a call that failed (-1, network, blocked)", async () => {
    const limiter = new SlidingWindowLimiter(undefined, () => 7_000_000);
    const { sender } = makeSender(s.sim, { limiter });
    const { sender: offline } = makeSender(s.sim, { limiter, apiBase: "http://127.0.0.1:1" });
    s.sim.failNext(-1, 5, SEND);
    for (let i = 0; i < 5; i++) await failure(sender.send(text("M42")));
    for (let i = 0; i < 5; i++) await failure(offline.send(text("M42")));
    const { sender: blocked } = makeSender(s.sim, { limiter });
    s.sim.failNext(45009, 1, SEND);
    for (let i = 0; i < 5; i++) await failure(blocked.send(text("M42")));
    for (let i = 0; i < 30; i++) await sender.send(text("M42", `m${i}`));
    expect(s.sim.sentTo("M42")).toHaveLength(30);
  });
});
