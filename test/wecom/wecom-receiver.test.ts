// The callback router alone on a real HTTP port, with an in-memory InboxPort (a fake of the port, not of our
// code): which event reaches the inbox, which status WeCom sees, and that bad input never reaches accept().
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.ts";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import type { AcceptOutcome, InboxPort } from "../../src/core/ports.ts";
import { wecomRouter } from "../../src/channels/wecom/wecom-receiver.ts";
import { randomAesKey, WecomDriver } from "../simulators/wecom-driver.ts";

class MemoryInbox implements InboxPort {
  readonly events: InboundEvent[] = [];
  failing = false;
  async accept(e: InboundEvent): Promise<AcceptOutcome> {
    if (this.failing) throw new Error("database down");
    if (this.events.some((x) => x.eventId === e.eventId)) return "duplicate";
    this.events.push(e);
    return "accepted";
  }
}

const config = { corpId: "ww0123456789abcdef", token: "t0ken", encodingAesKey: randomAesKey() };
const inbox = new MemoryInbox();
let server: Server;
let driver: WecomDriver;

beforeAll(async () => {
  const app = express();
  app.use("/wecom", wecomRouter(config, { inbox, log: createLogger("silent"), maxBodyBytes: 64 * 1024 }));
  app.use((_req, res) => res.status(404).end());
  server = await new Promise((r) => {
    const s = app.listen(0, "127.0.0.1", () => r(s));
  });
  driver = new WecomDriver({ botUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ...config, agentId: 1000002 });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  inbox.events.length = 0;
  inbox.failing = false;
});

describe("wecom callback router", () => {
  it("puts a text message into the inbox and acks with an empty 200", async () => {
    const r = await driver.post(driver.prepare(driver.textXml("ZhangSan", "你好 <b>&amp;", "7300000000000000001", "1700000000")));
    expect(r).toEqual({ status: 200, text: "" });
    expect(inbox.events).toEqual([
      { platform: "wecom", kind: "message", eventId: "msg:7300000000000000001", senderId: "ZhangSan", occurredAt: 1_700_000_000_000, text: "你好 <b>&amp;" },
    ]);
  });

  it("acks a duplicate the same way", async () => {
    const p = driver.prepare(driver.textXml("ZhangSan", "hi", "1"));
    expect((await driver.post(p)).status).toBe(200);
    expect((await driver.post(p)).status).toBe(200);
    expect(inbox.events).toHaveLength(1);
  });

  it("does not ack when the inbox cannot store (WeCom will retry)", async () => {
    inbox.failing = true;
    const r = await driver.post(driver.prepare(driver.textXml("ZhangSan", "hi")));
    expect(r).toEqual({ status: 503, text: "temporarily unavailable" });
  });

  it("answers 413 over the body limit without reading it all", async () => {
    const r = await driver.postRaw(driver.prepare(driver.textXml("ZhangSan", "hi")).query, Buffer.alloc(200 * 1024, "x"));
    expect(r).toEqual({ status: 413, text: "body too large" });
    expect(inbox.events).toHaveLength(0);
  });

  it("maps clicks, enter_agent and images", async () => {
    await driver.post(driver.prepare(driver.cardEventXml({ from: "LiSi", eventKey: "undo:crd_x", taskId: "crd_x", responseCode: "rc1", createTime: "1700000001" })));
    await driver.post(driver.prepare(driver.eventXml("LiSi", "enter_agent", "", "1700000002")));
    await driver.post(driver.prepare(driver.mediaXml("LiSi", "voice", "42")));
    expect(inbox.events.map((e) => [e.kind, e.eventId])).toEqual([
      ["action", "evt:LiSi:1700000001:template_card_event:crd_x:undo:crd_x"],
      ["enter", "evt:LiSi:1700000002:enter_agent::"],
      ["unsupported", "msg:42"],
    ]);
    expect(inbox.events[0]).toMatchObject({ actionKey: "undo:crd_x", cardRef: "crd_x", responseCode: "rc1" });
  });

  it("answers the URL check with the bare plaintext and refuses a missing echostr", async () => {
    const r = await driver.verifyUrl("hello-wecom");
    expect(r).toMatchObject({ status: 200, text: "hello-wecom" });
    const bad = await driver.verifyUrl("x", { corpId: "wwother" });
    expect(bad.status).toBe(400);
  });

  it("serves /callback only (any case, one trailing slash), GET, HEAD and POST only; the rest goes on to the app", async () => {
    const base = driver.callbackUrl.replace(/\/callback$/, "");
    const signed = driver.prepare(driver.textXml("ZhangSan", "hi", "77"));
    const post = (path: string, method = "POST") => fetch(`${base}${path}?${signed.query}`, { method, headers: { "content-type": "text/xml" }, body: signed.body });
    expect((await post("/other")).status).toBe(404);
    expect((await post("/callbackx")).status).toBe(404);
    expect((await post("/callback", "PUT")).status).toBe(404);
    expect((await post("/callback", "DELETE")).status).toBe(404);
    expect(inbox.events).toHaveLength(0);
    expect((await post("/CallBack/")).status).toBe(200);
    expect(inbox.events.map((e) => e.eventId)).toEqual(["msg:77"]);
    const head = await fetch(`${base}/callback`, { method: "HEAD" });
    expect(head.status).toBe(400); // a URL check without its parameters
  });
});
