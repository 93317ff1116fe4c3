// Load for `npm run bench`: distinct, properly encrypted and signed WeCom callbacks fired at a server — at
// saturation with autocannon 9, at a steady rate with an open-loop paced sender on node:http (autocannon's rate
// option sends each second's share in one burst: see wecom-load-process.ts) — in a child process (wecom-load-process.ts), never in the event loop of the process measured or
// of the bench itself. Requests are encrypted and signed up front, so the client's crypto is not measured.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startChild } from "../bench/support/child.ts";
import type { DriverOptions } from "./wecom-driver.ts";

export interface WecomLoadOptions extends DriverOptions {
  /** One text message per callback, sent in this order (each connection takes the next one). */
  messages: { from: string; text: string }[];
  connections?: number;
  /**
   * A steady rate (requests per second, evenly spaced, open loop: latency counts from each request's due time, so a
   * slow server is not excused by the sender waiting for it); unset = as fast as the server answers (saturation).
   */
  rate?: number;
  /** Keep when each callback was answered (for the lag from acknowledgement to reply). */
  recordAcks?: boolean;
}

export interface WecomLoadResult {
  /** Latency percentiles in ms (whole ms from autocannon at saturation, to 0.01 ms when paced). */
  p50: number;
  p99: number;
  max: number;
  /** Answered requests per second over the whole run (total / wall time, not autocannon's per-second average). */
  throughput: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  startedAt: number;
  finishedAt: number;
  /** CPU the load generator itself spent sending them (its process, ms): on a shared machine, part of the budget. */
  loadCpuMs: number;
  /** With recordAcks: when message i got its 200 (epoch ms), or 0 when it never did. */
  ackAt?: number[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function runWecomLoad(o: WecomLoadOptions): Promise<WecomLoadResult> {
  const child = await startChild<true>(path.join(here, "wecom-load-process.ts"), {});
  try {
    return await child.call<WecomLoadResult>("run", o);
  } finally {
    await child.close();
  }
}
