// Whole-path part of `npm run bench` (issue 14): 10,000 visit logs from 1,000 reps, sent as real WeCom callbacks
// by autocannon in its own process to the bot in its own process, from the first callback to the last reply the
// WeCom API simulator receives — on PostgreSQL and on the embedded database, side by side.
//
// The organisation is an ordinary org file with 1,000 reps (plus managers, a director, the warehouse and an admin)
// loaded by the normal org loader; each rep owns three customers and types realistic, distinct visit logs naming
// them (rule parser, no LLM). Each visit log writes the visit, the follow-up task and the customer's last contact,
// and is answered with one confirmation card. The WeCom member limit (30 messages a minute, 1,000 an hour per
// person) is the production one: ten visit logs per rep never reach it.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runWecomLoad, type WecomLoadResult } from "../simulators/wecom-load.ts";
import type { BenchPart } from "./bench-part.ts";
import { dbLabel, figure, verdict, type Print } from "./support/figures.ts";
import { makeSalesOrg, visitLogs, type SalesOrg } from "./support/sales-org.ts";
import { postgresCpuMs } from "./support/pg-cpu.ts";
import { percentile, sleep, startStack, type DbKind, type Stack } from "./support/stack.ts";

const REPS = Number(process.env.BENCH_REPS ?? 1000);
/** Visit logs per rep in the burst: 10 on PostgreSQL (10,000 in all); fewer on PGlite, which is far slower. */
const PER_REP = { postgres: Number(process.env.BENCH_PER_REP ?? 10), pglite: Number(process.env.BENCH_PGLITE_PER_REP ?? 2) };
/** Visit logs of the steady run at 100 a second (30 s on PostgreSQL, 10 s on PGlite). */
const STEADY = { postgres: Number(process.env.BENCH_STEADY ?? 3000), pglite: Number(process.env.BENCH_PGLITE_STEADY ?? 1000) };
const STEADY_RATE = 100;

/** Waits until `expected` replies reached reps since `from` (or nothing moves for 30 s); the last one's time. */
async function waitForReplies(stack: Stack, from: number, expected: number, isRep: (to: string) => boolean): Promise<number> {
  let seen = -1;
  let still = Date.now();
  for (;;) {
    const got = stack.deliveries.slice(from).filter((d) => isRep(d.to)).length;
    if (got >= expected) break;
    if (got !== seen) {
      seen = got;
      still = Date.now();
    }
    if (Date.now() - still > 30_000) throw new Error(`only ${got} of ${expected} replies arrived; nothing moved for 30 s`);
    await sleep(50);
  }
  const replies = stack.deliveries.slice(from).filter((d) => isRep(d.to));
  return replies[expected - 1]!.at;
}

/** Per person, the k-th acknowledged message is answered by the k-th reply (one person's events keep their order). */
function lags(stack: Stack, from: number, messages: { from: string }[], load: WecomLoadResult): number[] {
  const acks = new Map<string, number[]>();
  messages.forEach((m, i) => {
    const at = load.ackAt?.[i] ?? 0;
    if (at) acks.set(m.from, [...(acks.get(m.from) ?? []), at]);
  });
  const replies = new Map<string, number[]>();
  for (const d of stack.deliveries.slice(from)) if (acks.has(d.to)) replies.set(d.to, [...(replies.get(d.to) ?? []), d.at]);
  const out: number[] = [];
  for (const [who, a] of acks) {
    const r = replies.get(who) ?? [];
    a.sort((x, y) => x - y).forEach((ack, k) => r[k] !== undefined && out.push(r[k]! - ack));
  }
  return out.sort((x, y) => x - y);
}

/** Statements sent during the burst, grouped by their first words, per event. */
function printTrace(print: Print, db: string, statements: string[], events: number): void {
  const counts = new Map<string, number>();
  for (const s of statements) {
    const key = s.replace(/\/\*tx:\d+\*\/ /, "").slice(0, 90);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 25)) print(`${db} trace ${(n / events).toFixed(2)}/event: ${k}`);
}

async function measure(print: Print, kind: DbKind, postgresUrl: string | undefined): Promise<void> {
  const db = dbLabel(kind);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-org-"));
  const orgFile = path.join(tmp, "org.yaml");
  const org: SalesOrg = makeSalesOrg(orgFile, REPS);
  const stack = await startStack(kind, postgresUrl, { ORG_FILE: orgFile }, process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [], org.users);
  try {
    await stack.bot.call("seedCustomers", org.customers.map(({ owner, name }) => ({ owner, name })));
    const drive = { botUrl: stack.bot.ready.url, ...stack.config };
    const reps = new Set(org.reps);
    const isRep = (to: string) => reps.has(to);

    // Warm-up (JIT, pools, the access token) by the managers, so the reps' own counts start at zero.
    const warm = org.managers.flatMap((m) => [{ from: m, text: "帮助" }, { from: m, text: "我的待办" }]);
    const w0 = stack.deliveries.length;
    await runWecomLoad({ ...drive, messages: warm, connections: 10 });
    await waitForReplies(stack, w0, warm.length, (to) => org.managers.includes(to));
    await sleep(2000);
    const idle = await stack.stats();

    // 1. The burst: 10,000 visit logs as fast as the bot acknowledges them.
    const burst = visitLogs(org, PER_REP[kind]);
    const d0 = stack.deliveries.length;
    const before = await stack.stats();
    const pgCpu = () => (kind === "postgres" && postgresUrl && stack.dbName ? postgresCpuMs(postgresUrl, stack.dbName) : Promise.resolve(null));
    const pg0 = await pgCpu();
    let peakRss = before.rssMiB;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRss = Math.max(peakRss, (await stack.stats()).rssMiB);
        await sleep(500);
      }
    })();
    // BENCH_TRACE=1: which statements the burst sent, per event (to see where the round trips go).
    if (process.env.BENCH_TRACE) await stack.bot.call("trace", true);
    const load = await runWecomLoad({ ...drive, messages: burst, connections: 32, recordAcks: true });
    const acked = load.ackAt!.filter(Boolean).length;
    const last = await waitForReplies(stack, d0, acked, isRep);
    const after = await stack.stats();
    const pg1 = await pgCpu();
    if (process.env.BENCH_TRACE) printTrace(print, db, await stack.bot.call<string[]>("trace", false), load.ackAt!.filter(Boolean).length);
    sampling = false;
    await sampler;
    const secs = (last - load.startedAt) / 1000;
    const lag = lags(stack, d0, burst, load);
    const cards = stack.sim.sent.slice(-acked).filter((m) => isRep(String(m.touser)));
    const confirmations = cards.filter((m) => JSON.stringify(m).includes("已记录拜访")).length;
    print(`${db} whole path: WeCom member limits as in production (30 a minute, 1,000 an hour per member; never reached here)`);
    print(`${db} whole path: ${acked} visit logs from ${REPS} reps acknowledged (${load.non2xx} non-2xx, ${load.errors} errors), ${confirmations} answered with a visit confirmation card`);
    figure(print, `${db} whole path throughput`, acked / secs, "visit logs/s");
    figure(print, `${db} whole path duration (first callback to last reply)`, secs, "s", 1);
    figure(print, `${db} whole path callback acks`, load.throughput, "req/s");
    figure(print, `${db} whole path lag ack→reply p50`, percentile(lag, 50), "ms");
    figure(print, `${db} whole path lag ack→reply p99`, percentile(lag, 99), "ms");
    figure(print, `${db} whole path lag ack→reply max`, lag[lag.length - 1] ?? NaN, "ms");
    figure(print, `${db} whole path bot CPU per event`, (after.cpuMs - before.cpuMs) / acked, "ms", 2);
    if (kind === "postgres") figure(print, `${db} whole path PostgreSQL server CPU per event`, pg0 !== null && pg1 !== null ? (pg1 - pg0) / acked : NaN, "ms", 2);
    if (kind === "postgres") figure(print, `${db} whole path SQL statements per event`, (after.queries - before.queries) / acked, "statements", 1);
    figure(print, `${db} bot RSS idle (after warm-up)`, idle.rssMiB, "MiB");
    figure(print, `${db} bot RSS under load (peak)`, peakRss, "MiB");
    await sleep(5000);
    figure(print, `${db} bot RSS after (5 s idle)`, (await stack.stats()).rssMiB, "MiB");

    // 2. A steady 100 visit logs a second: the lag a rep sees when the bot keeps up.
    const steady = visitLogs(org, Math.max(1, Math.ceil(STEADY[kind] / REPS)), 8).slice(0, STEADY[kind]);
    const s0 = stack.deliveries.length;
    const paced = await runWecomLoad({ ...drive, messages: steady, connections: 10, rate: STEADY_RATE, recordAcks: true });
    const pacedAcked = paced.ackAt!.filter(Boolean).length;
    await waitForReplies(stack, s0, pacedAcked, isRep);
    const slag = lags(stack, s0, steady, paced);
    figure(print, `${db} steady ${STEADY_RATE}/s lag ack→reply p50`, percentile(slag, 50), "ms");
    figure(print, `${db} steady ${STEADY_RATE}/s lag ack→reply p99`, percentile(slag, 99), "ms");
    figure(print, `${db} steady ${STEADY_RATE}/s lag ack→reply max`, slag[slag.length - 1] ?? NaN, "ms");
    if (kind === "postgres") {
      print(`target ≥ 300 visit logs/s with ${REPS} reps on PostgreSQL: ${verdict(acked / secs >= 300, `${(acked / secs).toFixed(0)}/s`)}`);
      print(`target p99 lag ≤ 2 s at a steady 100/s: ${verdict(percentile(slag, 99) <= 2000, `${percentile(slag, 99).toFixed(0)} ms`)}`);
    }
  } finally {
    await stack.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

export const part: BenchPart = {
  name: "whole-path",
  order: 30,
  database: true,
  async run(print, ctx) {
    const kinds = (process.env.BENCH_DATABASES ?? "postgres,pglite").split(",") as DbKind[];
    for (const kind of kinds) {
      if (kind === "postgres" && !ctx.postgresUrl) {
        print("PostgreSQL unreachable: whole path measured on PGlite only");
        continue;
      }
      await measure(print, kind, ctx.postgresUrl);
    }
  },
};
