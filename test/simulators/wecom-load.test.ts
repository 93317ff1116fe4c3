// The benchmark's steady-rate sender (wecom-load-process.ts) must be what its figures claim: evenly spaced, open
// loop. A sender that bursts each second's share (autocannon's overallRate) or that waits for each answer before it
// counts the next request's time (coordinated omission) reports a p99 that says nothing about a steady rate.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { run } from "./wecom-load-process.ts";
import { randomAesKey } from "./wecom-driver.ts";

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that notes when each request arrived and answers 200 after `holdMs`, one at a time if `serial`. */
async function listen(holdMs: number, serial: boolean): Promise<{ url: string; arrivals: number[] }> {
  const arrivals: number[] = [];
  let busyUntil = 0;
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const now = performance.now();
      arrivals.push(now);
      const doneAt = serial ? Math.max(now, busyUntil) + holdMs : now + holdMs;
      busyUntil = doneAt;
      setTimeout(() => res.end(), Math.max(0, doneAt - performance.now()));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, arrivals };
}

const target = (botUrl: string) => ({ botUrl, token: "tok", encodingAesKey: randomAesKey(), corpId: "ww-test", agentId: 1 });
const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ from: `rep${i % 7}`, text: `第${i}条` }));

describe("the paced sender", () => {
  it("spaces requests evenly at the rate asked, never a second's share at once", async () => {
    const { url, arrivals } = await listen(0, false);
    const r = await run({ ...target(url), messages: messages(100), connections: 20, rate: 200 });
    expect(r.total).toBe(100);
    expect(r.non2xx + r.errors).toBe(0);
    // Request i is due 5 ms after request i-1 and never sent early: the last is due 495 ms after the first (which
    // may arrive a little late itself, on a connection still being opened).
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(400);
    // A burst sender puts all 100 in the first few milliseconds; an even one about 4 in any 20 ms.
    const most = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 20).length));
    expect(most).toBeLessThan(50);
  });

  it("counts latency from each request's due time, so a server that falls behind shows it (open loop)", async () => {
    // One connection, 10 ms between requests, 30 ms per answer: the server falls further behind with each request,
    // and the 20th is answered about 600 ms after the first was sent, 410 ms after it was due. A closed-loop
    // measurement (from when the request could finally be sent) would say 30 ms for every one.
    const { url } = await listen(30, true);
    const r = await run({ ...target(url), messages: messages(20), connections: 1, rate: 100 });
    expect(r.total).toBe(20);
    expect(r.max).toBeGreaterThan(300);
    expect(r.p50).toBeGreaterThan(100);
  });
});
