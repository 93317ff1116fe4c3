// Hostile input (issue 14): a fixed-seed fast-check run over every public entry point — the WeCom callback (GET
// verification and POST, forged and genuine envelopes made with the real @wecom/crypto around random and mutated
// XML), DingTalk's HTTP callback (really signed, forged, stale, around random and mutated JSON), DingTalk Stream
// frames (pushed by the gateway to the bot's real dingtalk-stream client) and the playground API — with random
// bodies, content-types, content-lengths that lie, encodings, bad UTF-8 and query strings. Never a crash, never a
// 5xx, a forged input never accepted, and nothing refused stored anywhere (fuzz-targets.ts has the properties).
// The benchmark's fuzz part runs the same targets on 100,000+ inputs (test/bench/fuzz.bench.ts).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHostileBot, type HostileBot } from "./hostile-bot.ts";
import { dingHttp, dingHttpCase, frameCase, FuzzContext, playground, playgroundCase, streamFrame, wecomGet, wecomGetCase, wecomPost, wecomPostCase } from "./fuzz-targets.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

describe("fuzzing the HTTP entry points (WeCom, DingTalk HTTP mode, playground)", () => {
  let h: HostileBot;
  let ctx: FuzzContext;
  beforeAll(async () => {
    h = await startHostileBot({ dingtalkMode: "http" });
    ctx = await FuzzContext.create(h, true);
  });
  afterAll(() => h?.close());

  const run = <T>(arb: fc.Arbitrary<T>, target: (ctx: FuzzContext, c: T) => Promise<void>, runs = RUNS) =>
    fc.assert(fc.asyncProperty(arb, (c) => target(ctx, c)), { seed: SEED, numRuns: runs, endOnFailure: false });

  it("WeCom POST /wecom/callback", async () => {
    await run(wecomPostCase, wecomPost);
    await ctx.alive();
  });
  it("WeCom GET /wecom/callback (URL verification)", async () => {
    await run(wecomGetCase, wecomGet, RUNS / 2);
    await ctx.alive();
  });
  it("DingTalk POST /dingtalk/callback (HTTP mode)", async () => {
    await run(dingHttpCase, dingHttp);
    await ctx.alive();
  });
  it("the playground API", async () => {
    await run(playgroundCase, playground);
    await ctx.alive();
  });
  it("nothing failed unexpectedly, and each kind of input reached its parser", () => {
    if (process.env.FUZZ_DEBUG) console.log(JSON.stringify(h.lines.filter((l) => l.level !== "error").map((l) => `${l.msg} ${String(l.refusal)}`).reduce<Record<string, number>>((a, k) => ((a[k] = (a[k] ?? 0) + 1), a), {}), null, 1));
    expect(h.lines.filter((l) => l.level === "error").map((l) => l.msg)).toEqual([]);
    // The generators are not so hostile that nothing gets through: genuine envelopes reach the parser and the inbox.
    for (const e of ["wecom POST", "wecom GET", "dingtalk http", "playground"] as const) {
      const s = ctx.stat(e);
      expect(s.failures).toEqual([]);
      expect(Object.keys(s.statuses).filter((k) => k.startsWith("2")).length, `${e}: some inputs accepted ${JSON.stringify(s.statuses)}`).toBeGreaterThan(0);
      expect(Object.keys(s.statuses).filter((k) => k.startsWith("4")).length, `${e}: some inputs refused ${JSON.stringify(s.statuses)}`).toBeGreaterThan(0);
    }
  });
});

describe("fuzzing DingTalk Stream frames through the real client", () => {
  let h: HostileBot;
  let ctx: FuzzContext;
  beforeAll(async () => {
    h = await startHostileBot({ dingtalkMode: "stream" });
    ctx = await FuzzContext.create(h, true);
  });
  afterAll(() => h?.close());

  it("mutated frames: the connection stays, every callback is answered, nothing unreadable stored", async () => {
    await fc.assert(fc.asyncProperty(frameCase, (c) => streamFrame(ctx, c)), { seed: SEED, numRuns: RUNS, endOnFailure: false });
    expect(h.gw.stream.sockets.size).toBe(1);
    expect(h.gw.stream.opens).toHaveLength(1);
    expect(h.lines.filter((l) => l.level === "error").map((l) => l.msg)).toEqual([]);
    expect(ctx.stat("dingtalk stream").failures).toEqual([]);
  });
});
