// Fuzz part of `npm run bench` (issue 14, hostile input): the fuzzer of test/hostile/fuzz.test.ts at scale — at
// least 100,000 inputs over the WeCom callback (GET and POST), DingTalk's HTTP callback, DingTalk Stream frames
// (through the bot's real dingtalk-stream client) and the playground API, on the embedded database, and a
// shorter pass on PostgreSQL. Same properties as the suite (no 5xx, no crash, forged never accepted, nothing
// refused stored; fuzz-targets.ts), counted instead of thrown: `failures` must print 0. A random seed each run,
// printed, so a failure can be replayed with FUZZ_SEED=<seed> npx vitest run test/hostile/fuzz.test.ts (and
// FUZZ_RUNS). BENCH_FUZZ_INPUTS (default 100000) and BENCH_FUZZ_PG_INPUTS (default 20000) set the amounts.
import fc from "fast-check";
import type { BenchPart } from "./bench-part.ts";
import { dbLabel, figure, type Print } from "./support/figures.ts";
import { startHostileBot, type HostileBot } from "../hostile/hostile-bot.ts";
import { dingHttp, dingHttpCase, frameCase, FuzzContext, playground, playgroundCase, streamFrame, wecomGet, wecomGetCase, wecomPost, wecomPostCase, type Endpoint } from "../hostile/fuzz-targets.ts";

const INPUTS = Number(process.env.BENCH_FUZZ_INPUTS ?? 100_000);
const PG_INPUTS = Number(process.env.BENCH_FUZZ_PG_INPUTS ?? 20_000);

/** Share of the inputs each endpoint gets. */
const SHARE: Record<Endpoint, number> = { "wecom POST": 0.3, "wecom GET": 0.1, "dingtalk http": 0.25, playground: 0.25, "dingtalk stream": 0.1 };

async function runOn(print: Print, kind: "pglite" | "postgres", total: number, seed: number): Promise<void> {
  const db = dbLabel(kind);
  const runs = (e: Endpoint) => Math.round(total * SHARE[e]);
  const timed = async (ctx: FuzzContext, e: Endpoint, go: () => Promise<void>) => {
    const t = performance.now();
    await go();
    await ctx.alive();
    const s = ctx.stat(e);
    const secs = (performance.now() - t) / 1000;
    figure(print, `fuzz ${e} inputs (${db})`, s.inputs, "inputs");
    figure(print, `fuzz ${e} rate (${db})`, s.inputs / secs, "inputs/s");
    figure(print, `fuzz ${e} failures (${db})`, s.failures.length, "failures");
    figure(print, `fuzz ${e} refused (${db})`, Object.entries(s.statuses).filter(([k]) => k === "0" || k >= "400").reduce((n, [, v]) => n + v, 0), "inputs");
    for (const f of s.failures.slice(0, 3)) print(`  failure: ${f.slice(0, 300)}`);
  };
  const property = <T>(arb: fc.Arbitrary<T>, target: (ctx: FuzzContext, c: T) => Promise<void>, ctx: FuzzContext, numRuns: number) =>
    fc.assert(fc.asyncProperty(arb, (c) => target(ctx, c)), { seed, numRuns });

  let h: HostileBot | undefined;
  try {
    h = await startHostileBot({ dingtalkMode: "http", logLevel: "error" });
    const ctx = await FuzzContext.create(h, false);
    await timed(ctx, "wecom POST", () => property(wecomPostCase, wecomPost, ctx, runs("wecom POST")));
    await timed(ctx, "wecom GET", () => property(wecomGetCase, wecomGet, ctx, runs("wecom GET")));
    await timed(ctx, "dingtalk http", () => property(dingHttpCase, dingHttp, ctx, runs("dingtalk http")));
    await timed(ctx, "playground", () => property(playgroundCase, playground, ctx, runs("playground")));
    figure(print, `fuzz unexpected error lines (${db})`, h.lines.filter((l) => l.level === "error").length, "lines");
  } finally {
    await h?.close();
  }
  h = undefined;
  try {
    h = await startHostileBot({ dingtalkMode: "stream", logLevel: "error" });
    const ctx = await FuzzContext.create(h, false);
    await timed(ctx, "dingtalk stream", () => property(frameCase, streamFrame, ctx, runs("dingtalk stream")));
    figure(print, `fuzz stream reconnects (${db})`, h.gw.stream.opens.length - 1, "reconnects");
    figure(print, `fuzz stream unexpected error lines (${db})`, h.lines.filter((l) => l.level === "error").length, "lines");
  } finally {
    await h?.close();
  }
}

export const part: BenchPart = {
  name: "fuzz",
  order: 50,
  database: true,
  async run(print, ctx) {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    print(`fuzz seed: ${seed} (replay: FUZZ_SEED=${seed})`);
    const saved = { DATABASE_URL: process.env.DATABASE_URL, TEST_DATABASE_URL: process.env.TEST_DATABASE_URL };
    // The hostile bot makes its database the way the suite does: embedded unless a server URL is set.
    delete process.env.DATABASE_URL;
    delete process.env.TEST_DATABASE_URL;
    try {
      await runOn(print, "pglite", INPUTS, seed);
      if (ctx.postgresUrl && PG_INPUTS > 0) {
        process.env.TEST_DATABASE_URL = ctx.postgresUrl;
        await runOn(print, "postgres", PG_INPUTS, seed);
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  },
};
