// DingTalk's HTTP mode signs only the timestamp (sign = base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret)),
// headers `timestamp` and `sign`), not the body: a captured pair can be replayed with any other body for as long as
// the timestamp is accepted. DingTalk's robot docs (接收消息): "timestamp 与系统当前时间戳如果相差1小时以上，则认为是非法
// 的请求" — so the window is exactly one hour, both ways. Proved at its edges with an injected clock, through the real
// app: just inside is stored, just outside (past or future) is refused with 401 and nothing changes.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SKEW_MS } from "../../src/channels/dingtalk/signature.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { FIXED_NOW } from "../support/test-bot.ts";
import { changed, rowCounter, startHostileBot, type HostileBot } from "./hostile-bot.ts";

const HOUR = 3_600_000;
const clock = new ManualClock(FIXED_NOW);
let h: HostileBot;
let counts: () => Promise<Record<string, number>>;

beforeAll(async () => {
  h = await startHostileBot({ dingtalkMode: "http", start: { clock } });
  counts = await rowCounter(h.bot);
});
afterAll(() => h?.close());

const sign = (ts: string) => createHmac("sha256", h.secrets.dingtalkSecret).update(`${ts}\n${h.secrets.dingtalkSecret}`).digest("base64");
let n = 0;
async function post(timestamp: number, signature = sign(String(timestamp)), text = "帮助") {
  const body = JSON.stringify(h.gw.robotMessage({ staffId: "0101", text, msgId: `window-${++n}` }));
  const before = await counts();
  const res = await fetch(`${h.bot.url}/dingtalk/callback`, { method: "POST", headers: { "content-type": "application/json", timestamp: String(timestamp), sign: signature }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, rows: changed(before, await counts()) };
}

describe("DingTalk HTTP mode accepts a signed timestamp only within DingTalk's one-hour window", () => {
  it("the window is DingTalk's documented hour", () => {
    expect(MAX_SKEW_MS).toBe(HOUR);
  });

  for (const [what, offset, accepted] of [
    ["exactly one hour old", -HOUR, true],
    ["one hour and one millisecond old", -HOUR - 1, false],
    ["exactly one hour ahead", HOUR, true],
    ["one hour and one millisecond ahead (a clock far ahead, or a forged future pair)", HOUR + 1, false],
    ["now", 0, true],
  ] as const) {
    it(`${accepted ? "accepts" : "refuses"} a timestamp ${what}`, async () => {
      clock.set(FIXED_NOW);
      const r = await post(FIXED_NOW.getTime() + offset);
      if (accepted) {
        expect(r).toMatchObject({ status: 200, rows: { InboxEvent: 1 } });
      } else {
        expect(r).toEqual({ status: 401, body: { error: "unauthorized", reason: "stale" }, rows: {} });
      }
    });
  }

  it("a captured (timestamp, sign) pair replayed with another body: accepted inside the hour, refused once it is over", async () => {
    const captured = FIXED_NOW.getTime();
    const pair = sign(String(captured));
    clock.set(FIXED_NOW);
    // This is the weakness the window bounds: nothing ties the signature to the body.
    expect((await post(captured, pair, "下单 华东机电 电机A 1台")).status).toBe(200);
    clock.set(new Date(captured + HOUR));
    expect((await post(captured, pair, "客户 华东机电")).status).toBe(200);
    clock.set(new Date(captured + HOUR + 1));
    expect(await post(captured, pair, "客户 华东机电")).toMatchObject({ status: 401, rows: {} });
    clock.set(new Date(captured - HOUR - 1));
    expect(await post(captured, pair, "客户 华东机电")).toMatchObject({ status: 401, rows: {} });
  });

  it("the refusals are logged with the reason an operator can act on", () => {
    const lines = h.lines.filter((l) => /dingtalk http: callback refused/.test(l.msg));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.refusal === "stale")).toBe(true);
  });
});
