// The load generator's own process (see wecom-load.ts): prepares every callback, runs autocannon, answers with
// the figures and, if asked, when each callback was acknowledged.
import { createRequire } from "node:module";
import { serveParent } from "../bench/support/child.ts";
import type { WecomLoadOptions, WecomLoadResult } from "./wecom-load.ts";
import { newMsgId, WecomDriver } from "./wecom-driver.ts";

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

async function run(o: WecomLoadOptions): Promise<WecomLoadResult> {
  const driver = new WecomDriver(o);
  const prepared = o.messages.map((m) => driver.prepare(driver.textXml(m.from, m.text, newMsgId())));
  const path = new URL(driver.callbackUrl).pathname;
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
    ...(o.rate ? { overallRate: o.rate } : {}),
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

serveParent(true, {
  run: (o: WecomLoadOptions) => run(o),
  stop: () => (setImmediate(() => process.exit(0)), true),
});
