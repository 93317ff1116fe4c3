// Refused callbacks are logged, but a flood of them cannot flood the log (src/core/refusal-log.ts): thousands of
// forged callbacks through the real app, on WeCom, DingTalk HTTP mode and the playground, leave a handful of
// lines per source and reason in the captured pino output; the suppressed ones are counted in one summary line.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.ts";
import { RefusalLog } from "../../src/core/refusal-log.ts";
import { FakeTimers } from "../support/fake-timers.ts";
import { FIXED_NOW } from "../support/test-bot.ts";
import { rowCounter, startHostileBot, type HostileBot, type LogLine } from "./hostile-bot.ts";

/** A RefusalLog writing through the real pino logger into `lines`, on timers the test moves. */
function captured(opts: ConstructorParameters<typeof RefusalLog>[1] = {}) {
  const lines: LogLine[] = [];
  const timers = new FakeTimers();
  const log = createLogger("info", {}, { destination: { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) } });
  return { lines, timers, refusals: new RefusalLog(log, { timers, ...opts }) };
}

describe("RefusalLog", () => {
  it("writes the first few refusals of a source, counts the rest, and says so once in a summary", () => {
    const { lines, timers, refusals } = captured();
    for (let i = 0; i < 10_000; i++) refusals.refused("callback refused", "203.0.113.9", "bad signature", { status: 401 });
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ level: "warn", msg: "callback refused", source: "203.0.113.9", refusal: "bad signature", status: 401 });
    timers.advance(60_000);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatchObject({ level: "warn", msg: "9995 more refused from 203.0.113.9 suppressed", source: "203.0.113.9", refusal: "bad signature", suppressed: 9995 });
    // Nothing more to say: no further summary, and the source has had time to be heard again.
    timers.advance(600_000);
    expect(lines).toHaveLength(6);
    refusals.refused("callback refused", "203.0.113.9", "bad signature");
    expect(lines).toHaveLength(7);
  });

  it("keeps sources and reasons apart, and caps all of them together", () => {
    const { lines, timers, refusals } = captured();
    for (let i = 0; i < 1000; i++) refusals.refused("callback refused", "198.51.100.1", "bad signature");
    for (let i = 0; i < 1000; i++) refusals.refused("callback refused", "198.51.100.1", "stale timestamp");
    for (let i = 0; i < 1000; i++) refusals.refused("callback refused", "198.51.100.2", "bad signature");
    expect(lines).toHaveLength(15);
    // Thousands of addresses at once (IPv6 makes them cheap): the shared bucket holds the line count down.
    for (let i = 0; i < 20_000; i++) refusals.refused("callback refused", `2001:db8::${i.toString(16)}`, "bad signature");
    expect(lines.length).toBe(50);
    timers.advance(60_000);
    const summaries = lines.slice(50);
    expect(summaries.every((l) => /^\d+ more refused from .+ suppressed$/.test(l.msg))).toBe(true);
    expect(summaries.reduce((n, l) => n + Number(l.suppressed), 0) + 50).toBe(23_000);
  });

  it("remembers a bounded number of sources: beyond it they are counted together", () => {
    const { lines, timers, refusals } = captured({ maxSources: 100, globalBurst: 1_000_000 });
    for (let i = 0; i < 5000; i++) for (let k = 0; k < 6; k++) refusals.refused("callback refused", `10.0.${i >> 8}.${i & 255}`, "bad signature");
    timers.advance(60_000);
    const summary = lines.filter((l) => l.msg.endsWith("suppressed"));
    expect(summary.find((l) => l.source === "(other sources)")).toBeDefined();
    expect(summary.length).toBeLessThanOrEqual(101);
  });
});

describe("a flood of forged callbacks through the real app", () => {
  let h: HostileBot;
  beforeAll(async () => {
    h = await startHostileBot({ dingtalkMode: "http" });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** `n` requests, 16 at a time (fetch keeps the connections alive); every answer must be a 4xx. */
  async function flood(n: number, req: (i: number) => { path: string; init: RequestInit }): Promise<number[]> {
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < n) {
          const { path, init } = req(next++);
          const res = await fetch(`${h.bot.url}${path}`, init);
          await res.arrayBuffer();
          statuses.push(res.status);
        }
      }),
    );
    return statuses;
  }

  it("2,400 forged WeCom, DingTalk and playground requests: each refused, a few lines logged, nothing stored", { timeout: 120_000 }, async () => {
    const counts = await rowCounter(h.bot);
    const before = await counts();
    const logged = h.lines.length;
    const started = Date.now();
    const ts = String(FIXED_NOW.getTime());
    const forgedSign = createHmac("sha256", "guess").update(`${ts}\nguess`).digest("base64");
    const statuses = [
      ...(await flood(800, (i) => ({ path: `/wecom/callback?msg_signature=${"0".repeat(40)}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=n${i}`, init: { method: "POST", headers: { "content-type": "text/xml" }, body: `<xml><Encrypt><![CDATA[${"A".repeat(64)}]]></Encrypt></xml>` } }))),
      ...(await flood(800, () => ({ path: "/dingtalk/callback", init: { method: "POST", headers: { "content-type": "application/json", timestamp: ts, sign: forgedSign }, body: "{}" } }))),
      ...(await flood(800, () => ({ path: "/playground/api/messages", init: { method: "POST", headers: { "content-type": "application/json" }, body: '{"userId":""}' } }))),
    ];
    expect(statuses.filter((s) => s < 400 || s >= 500)).toEqual([]);
    expect(await counts()).toEqual(before);
    const refusedLines = h.lines.slice(logged).filter((l) => /refused/.test(l.msg));
    // One source (127.0.0.1), one reason per channel: five lines each (plus one per 10 s the flood lasted, the
    // bucket's refill), not 2,400.
    const room = 5 + Math.ceil((Date.now() - started) / 10_000);
    const per = (re: RegExp, refusal: string) => refusedLines.filter((l) => re.test(l.msg) && l.refusal === refusal).length;
    for (const [re, refusal] of [[/^callback refused$/, "bad signature"], [/^dingtalk http: callback refused/, "forged"], [/^playground: request refused$/, "not a message"]] as const) {
      expect(per(re, refusal), `${re} ${refusal}`).toBeGreaterThanOrEqual(5);
      expect(per(re, refusal), `${re} ${refusal}`).toBeLessThanOrEqual(room);
    }
    expect(refusedLines.length).toBeLessThanOrEqual(3 * room);
    expect(refusedLines.every((l) => l.source === "127.0.0.1" || l.source === "::ffff:127.0.0.1")).toBe(true);
  });
});
