// HTTP ("outgoing") mode: real express route, real HMAC signatures, real POSTs.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { createLogger } from "../../src/core/logger.ts";
import { createDingtalkChannel } from "../../src/channels/dingtalk/dingtalk.channel.ts";
import { signTimestamp, verifySignature } from "../../src/channels/dingtalk/signature.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";

const SECRET = "fakeSecret";
const clock = new ManualClock(new Date("2026-11-23T10:00:00+08:00"));
const events: InboundEvent[] = [];
let server: Server;
let url: string;
let gw: DingtalkGateway;

beforeAll(async () => {
  gw = await startDingtalkGateway({ now: () => clock.now().getTime() });
  const inbox = { accept: async (e: InboundEvent) => (events.push(e), "accepted" as const) };
  const channel = createDingtalkChannel(
    { clientId: "dingFAKEKEY", clientSecret: SECRET, robotCode: "dingFAKEKEY", mode: "http", cardTemplateId: "tpl", apiBase: gw.url, oapiBase: gw.url },
    { inbox, log: createLogger("silent"), clock, maxBodyBytes: 4096 },
  );
  await channel.start();
  const app = express();
  app.use(channel.http!.path, channel.http!.handler);
  server = await new Promise((r) => {
    const s = app.listen(0, "127.0.0.1", () => r(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dingtalk/callback`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await gw.close();
});
beforeEach(() => void (events.length = 0));

const post = (body: unknown, headers: Record<string, string>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
const signed = (ts = String(clock.now().getTime())) => ({ timestamp: ts, sign: signTimestamp(ts, SECRET) });

describe("DingTalk HTTP mode", () => {
  it("signature: base64 HMAC-SHA256 of timestamp\\nsecret, within one hour", () => {
    const now = 1_700_000_000_000;
    const sign = signTimestamp(String(now), SECRET);
    expect(verifySignature(String(now), sign, SECRET, now + 3599_000)).toEqual({ ok: true });
    expect(verifySignature(String(now), sign, SECRET, now + 3601_000)).toEqual({ ok: false, reason: "stale" });
    expect(verifySignature(String(now), sign, "other", now)).toEqual({ ok: false, reason: "forged" });
    expect(verifySignature(undefined, sign, SECRET, now)).toEqual({ ok: false, reason: "missing" });
  });

  it("a signed robot message is stored and answered 200 {}", async () => {
    const res = await post(gw.robotMessage({ staffId: "0101", text: "查客户 华东机电", msgId: "h1" }), signed());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(events).toMatchObject([{ eventId: "msg:h1", senderId: "0101", text: "查客户 华东机电", conversation: { type: "direct" } }]);
  });

  it("forged, stale or missing signatures get 401 and nothing is stored", async () => {
    const body = gw.robotMessage({ staffId: "0101", text: "x" });
    const ts = String(clock.now().getTime());
    expect((await post(body, { timestamp: ts, sign: signTimestamp(ts, "guess") })).status).toBe(401);
    const old = String(clock.now().getTime() - 2 * 3600_000);
    expect((await post(body, signed(old))).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect(events).toEqual([]);
  });

  it("oversized bodies get 413, broken ones 400, nothing stored", async () => {
    const big = gw.robotMessage({ staffId: "0101", text: "长".repeat(5000) });
    expect((await post(big, signed())).status).toBe(413);
    expect((await post("{not json", signed())).status).toBe(400);
    expect((await post({ hello: 1 }, signed())).status).toBe(400);
    expect(events).toEqual([]);
  });
});
