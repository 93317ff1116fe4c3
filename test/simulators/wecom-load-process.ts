// The load generator's own process (see wecom-load.ts): prepares every callback, sends them — as fast as the server
// answers with autocannon, or at a steady rate with the paced sender below — and answers with the figures and, if
// asked, when each callback was acknowledged.
import http from "node:http";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { serveParent } from "../bench/support/child.ts";
import type { WecomLoadOptions, WecomLoadResult } from "./wecom-load.ts";
import { newMsgId, WecomDriver, type Prepared } from "./wecom-driver.ts";

interface AutocannonResult {
  latency: { p50: number; p99: number; max: number };
  requests: { total: number };
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
  start: Date;
  finish: Date;
}
interface Ctx {
  i?: number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export async function run(o: WecomLoadOptions): Promise<WecomLoadResult> {
  const driver = new WecomDriver(o);
  const prepared = o.messages.map((m) => driver.prepare(driver.textXml(m.from, m.text, newMsgId())));
  const path = new URL(driver.callbackUrl).pathname;
  const cpu0 = process.cpuUsage();
  const result = await (o.rate ? paced(o, o.rate, prepared, path) : saturate(o, prepared, path));
  const cpu = process.cpuUsage(cpu0);
  return { ...result, loadCpuMs: (cpu.user + cpu.system) / 1000 };
}

/** As fast as the server answers: autocannon, one request in flight per connection. */
async function saturate(o: WecomLoadOptions, prepared: Prepared[], path: string): Promise<Omit<WecomLoadResult, "loadCpuMs">> {
  const ackAt = o.recordAcks ? new Array<number>(prepared.length).fill(0) : undefined;
  let next = 0;
  // The run's own span, first request to last answer: autocannon's start/finish are only as fine as its 1 s sample
  // tick (it notices the end at the next tick), which turned every short run's rate into total / whole seconds.
  let firstSentAt = 0;
  let lastAnsweredAt = 0;
  const result = await autocannon({
    url: o.botUrl,
    connections: Math.max(1, Math.min(o.connections ?? 20, prepared.length)),
    amount: prepared.length,
    timeout: 10,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "text/xml" },
        // One request in flight per connection (no pipelining), so the context names the request answered.
        setupRequest: (req: AutocannonRequest, ctx: Ctx) => {
          const i = next++;
          if (i === 0) firstSentAt = Date.now();
          const p = prepared[i % prepared.length]!;
          ctx.i = i;
          return { ...req, path: `${path}?${p.query}`, body: p.body };
        },
        onResponse: (status: number, _body: unknown, ctx: Ctx) => {
          lastAnsweredAt = Date.now();
          if (ackAt && ctx.i !== undefined && status === 200 && ctx.i < ackAt.length) ackAt[ctx.i] = Date.now();
        },
      },
    ],
  });
  const startedAt = firstSentAt || new Date(result.start).getTime();
  const finishedAt = lastAnsweredAt || new Date(result.finish).getTime();
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    throughput: result.requests.total / (Math.max(1, finishedAt - startedAt) / 1000),
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    startedAt,
    finishedAt,
    ...(ackAt ? { ackAt } : {}),
  };
}

/**
 * A steady rate, open loop: callback i is due at start + i / rate, whatever the server is doing (autocannon's
 * overallRate is not steady: each connection sends its whole share for the second back to back when its one-second
 * timer fires, so "1,000/s" is a saturating burst of 1,000 every second, and its coordinated-omission correction at a
 * 1 ms interval then adds a synthetic sample for every millisecond of each slow answer). Latency is counted from the
 * moment the sender got to the callback — its due time, or later when this process's own timer fired late, which is
 * not the server's doing — to the last byte of the answer; waiting for a free connection (all of them busy with
 * slower answers) counts against the server. Connections are kept alive and opened as needed, up to `connections`.
 */
async function paced(o: WecomLoadOptions, rate: number, prepared: Prepared[], path: string): Promise<Omit<WecomLoadResult, "loadCpuMs">> {
  const url = new URL(o.botUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, o.connections ?? 20) });
  const n = prepared.length;
  const latency = new Float64Array(n);
  const ackAt = o.recordAcks ? new Array<number>(n).fill(0) : undefined;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let done = 0;
  let firstSentAt = 0;
  let lastAnsweredAt = 0;
  const intervalMs = 1000 / rate;
  const start = performance.now() + 20;
  try {
    await new Promise<void>((resolve) => {
      const finish = (i: number, at: number, status: number | null) => {
        latency[i] = performance.now() - at;
        lastAnsweredAt = Date.now();
        if (status === null) errors++;
        else if (status < 200 || status >= 300) non2xx++;
        else if (ackAt) ackAt[i] = Date.now();
        if (++done === n) resolve();
      };
      const send = (i: number, at: number) => {
        const p = prepared[i]!;
        if (i === 0) firstSentAt = Date.now();
        const req = http.request(
          { host: url.hostname, port: url.port, agent, method: "POST", path: `${path}?${p.query}`, headers: { "content-type": "text/xml", "content-length": Buffer.byteLength(p.body) }, timeout: 10_000 },
          (res) => {
            res.resume();
            res.on("end", () => finish(i, at, res.statusCode ?? 0));
            res.on("error", () => finish(i, at, null));
          },
        );
        req.on("timeout", () => {
          timeouts++;
          req.destroy(new Error("timeout"));
        });
        req.on("error", () => finish(i, at, null));
        req.end(p.body);
      };
      let next = 0;
      const tick = () => {
        const now = performance.now();
        while (next < n && start + next * intervalMs <= now) {
          send(next, Math.max(start + next * intervalMs, now));
          next++;
        }
        // Timers fire at whole milliseconds at best: wake at the next due time and send whatever is due by then.
        if (next < n) setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
      };
      setTimeout(tick, Math.max(0, start - performance.now()));
    });
  } finally {
    agent.destroy();
  }
  const sorted = Float64Array.from(latency).sort();
  const at = (q: number) => round2(sorted[Math.min(n - 1, Math.ceil((q / 100) * n) - 1)] ?? 0);
  return {
    p50: at(50),
    p99: at(99),
    max: round2(sorted[n - 1] ?? 0),
    throughput: n / (Math.max(1, lastAnsweredAt - firstSentAt) / 1000),
    total: n - errors,
    non2xx,
    errors,
    timeouts,
    startedAt: firstSentAt,
    finishedAt: lastAnsweredAt,
    ...(ackAt ? { ackAt } : {}),
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

// Serves only as the child's entry (tests import run() directly).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serveParent(true, {
    run: (o: WecomLoadOptions) => run(o),
    stop: () => (setImmediate(() => process.exit(0)), true),
  });
}
