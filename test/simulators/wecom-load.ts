// Load for `npm run bench`: N distinct, properly encrypted and signed WeCom callbacks fired at a running bot
// with autocannon. Requests are prepared up front so the client's crypto is not part of the measurement.
import { createRequire } from "node:module";
import { newMsgId, WecomDriver, type DriverOptions, type Prepared } from "./wecom-driver.ts";

export interface WecomLoadOptions extends DriverOptions {
  /** How many callbacks to send. */
  amount: number;
  connections?: number;
  /** Requests per second across all connections; unset = as fast as the bot answers (saturation). */
  rate?: number;
  /** Senders to rotate through (WeCom UserIDs of the org file). */
  users?: string[];
  /** The plaintext of callback i; default a short text message. */
  message?: (driver: WecomDriver, i: number, user: string) => string;
}

export interface WecomLoadResult {
  p50: number;
  p99: number;
  /** Average requests per second. */
  throughput: number;
  total: number;
  non2xx: number;
  errors: number;
}

interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export async function runWecomLoad(o: WecomLoadOptions): Promise<WecomLoadResult> {
  const driver = new WecomDriver(o);
  const users = o.users ?? ["ZhangSan", "LiSi", "WangWu"];
  const make = o.message ?? ((d, i, user) => d.textXml(user, `帮助 ${i}`, newMsgId()));
  const prepared: Prepared[] = Array.from({ length: o.amount }, (_, i) => driver.prepare(make(driver, i, users[i % users.length]!)));
  const path = new URL(driver.callbackUrl).pathname;
  let next = 0;
  const result = await autocannon({
    url: o.botUrl,
    connections: o.connections ?? 20,
    amount: o.amount,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "text/xml" },
        setupRequest: (req: AutocannonRequest) => {
          const p = prepared[next++ % prepared.length]!;
          return { ...req, path: `${path}?${p.query}`, body: p.body };
        },
      },
    ],
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    throughput: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
