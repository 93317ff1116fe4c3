// Ingest part of `npm run bench` (the perf work of issue 14 replaces it with the floor comparison and the
// whole path): WeCom callbacks into the real app, with and without the workers, and the backlog drain.
import { runWecomLoad } from "../simulators/wecom-load.ts";
import { startWecomHarness } from "../wecom/wecom-harness.ts";
import type { BenchPart } from "./bench-part.ts";

const amount = Number(process.env.BENCH_CALLBACKS ?? 3000);

function row(name: string, r: Awaited<ReturnType<typeof runWecomLoad>>): string {
  return `${name.padEnd(48)} ${String(r.total).padStart(6)} req  ${r.throughput.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;
}

/** Waits until the inbox is empty, so one measurement does not run into the previous one's backlog. */
async function drain(h: Awaited<ReturnType<typeof startWecomHarness>>): Promise<void> {
  while ((await h.bot.db.prisma.inboxEvent.count({ where: { status: "pending" } })) > 0) await new Promise((r) => setTimeout(r, 200));
}

export const part: BenchPart = {
  name: "ingest",
  order: 20,
  database: true,
  async run(print, ctx) {
    if (ctx.postgresUrl) process.env.TEST_DATABASE_URL = ctx.postgresUrl;
    const console = { log: print };
    const h = await startWecomHarness();
    try {
      // Messages from five people, as a busy team sends them (one person's messages are handled in order).
      const opts = { botUrl: h.bot.url, ...h.config, amount, connections: 20, users: ["ZhangSan", "LiSi", "WangWu", "ZhaoLiu", "ChenQi"] };
      await runWecomLoad({ ...opts, amount: 300 }); // warm-up (JIT, pool, token)

      // 1. What WeCom waits for: verify, decrypt, parse, durable inbox insert, empty 200 — with the workers
      //    running too, as in production (each callback is a `帮助` that the bot answers with a card).
      const full = await runWecomLoad(opts);
      console.log(row("WeCom callback ack, workers running (saturated)", full));

      // 1b. The same at a steady 300 callbacks/s, far above a sales team's real peak: latency without queueing.
      await drain(h);
      const paced = await runWecomLoad({ ...opts, amount: 3000, rate: 300 });
      console.log(row("WeCom callback ack, workers running, 300/s", paced));

      // 2. The same with the workers paused: the receiver and inbox alone.
      await h.bot.inboxWorker.stop();
      await h.bot.outboxWorker.stop();
      const ackOnly = await runWecomLoad(opts);
      console.log(row("WeCom callback ack, receiver + inbox only", ackOnly));
      h.bot.inboxWorker.start();
      h.bot.outboxWorker.start();

      // 3. How long the backlog takes to drain through the whole path (inbox → handler → outbox → WeCom API).
      const started = Date.now();
      const pending = async () => h.bot.db.prisma.inboxEvent.count({ where: { status: "pending" } });
      const backlog = await pending();
      while ((await pending()) > 0) await new Promise((r) => setTimeout(r, 100));
      const secs = (Date.now() - started) / 1000;
      console.log(`${"backlog drained (handler + outbox)".padEnd(48)} ${String(backlog).padStart(6)} events in ${secs.toFixed(1)} s = ${(backlog / secs).toFixed(0)} events/s`);

      const mem = process.memoryUsage();
      console.log(`\nmemory after run: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
      const met = (ms: number) => (ms < 50 ? "met" : "NOT met");
      console.log(`target (issue 3): ack p99 under 50 ms with PostgreSQL → at 300/s with workers: ${met(paced.p99)} (${paced.p99} ms); saturated with workers: ${met(full.p99)} (${full.p99} ms); receiver only: ${met(ackOnly.p99)} (${ackOnly.p99} ms)`);
    } finally {
      await h.close();
    }
  },
};
