// DingTalk's HTTP callback fast path (Channel.listener, ahead of Express) against the Express route it stands in for,
// over real HTTP with real signatures: the same requests — signed, forged, stale, unsigned; robot messages, strangers,
// broken JSON, byte order marks, invalid UTF-8, empty, oversized, chunked, compressed, other charsets, odd paths and
// methods — to a server wired as main.ts wires it (listener first, then the app) and to the app alone. Every answer
// must be the same, byte for byte apart from the Date header, and so must what was stored.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import { createLogger } from "../../src/core/logger.ts";
import type { AcceptOutcome, InboxPort } from "../../src/core/ports.ts";
import { createDingtalkHttpReceiver } from "../../src/channels/dingtalk/http-receiver.ts";
import { signTimestamp } from "../../src/channels/dingtalk/signature.ts";
import { rawRequest } from "../hostile/hostile-bot.ts";
import { expectSameAnswer, framedRequest, withoutDate, type Framing } from "../support/fast-path-pair.ts";

class MemoryInbox implements InboxPort {
  readonly events: InboundEvent[] = [];
  failing = false;
  async accept(e: InboundEvent): Promise<AcceptOutcome> {
    if (this.failing) throw new Error("database down");
    if (e.senderId === "stranger") return "unknown_sender";
    if (this.events.some((x) => x.eventId === e.eventId)) return "duplicate";
    this.events.push(e);
    return "accepted";
  }
}

const SECRET = "dingSecret";
const LIMIT = 4096;
const clock = new ManualClock(new Date("2026-12-05T10:00:00+08:00"));

/** The app as main.ts assembles it around the channel's router: its 404 and its error handler. */
function app(inbox: InboxPort) {
  const receiver = createDingtalkHttpReceiver({ appSecret: SECRET, inbox, log: createLogger("silent"), clock, maxBodyBytes: LIMIT, robotNames: ["销售助手"] }, "/dingtalk");
  const a = express();
  a.disable("x-powered-by");
  a.use("/dingtalk", receiver.router);
  a.use((_req, res) => res.status(404).json({ error: "not_found" }));
  a.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    res.status(status).json({ error: status === 500 ? "internal_error" : "bad_request", message: status === 500 ? "internal error" : err.message });
  });
  return { a, listener: receiver.listener };
}

const listen = (s: Server) => new Promise<number>((r) => s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)));
const inboxes = { fast: new MemoryInbox(), express: new MemoryInbox() };
const servers: Server[] = [];
let ports: { fast: number; express: number };

beforeAll(async () => {
  const f = app(inboxes.fast);
  const e = app(inboxes.express);
  const fast = createServer((req, res) => {
    if (!f.listener(req, res)) f.a(req, res);
  });
  servers.push(fast, createServer(e.a));
  ports = { fast: await listen(fast), express: await listen(servers[1]!) };
});
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

let seq = 0;

interface Case {
  method: string;
  path: string;
  signature: "signed" | "forged" | "stale" | "missing" | "no-sign" | "bad-timestamp";
  body: "robot" | "group" | "stranger" | "no-sender" | "repeat" | "not-robot" | "array" | "not-json" | "truncated" | "scalar" | "empty" | "blank" | "bom" | "bad-utf8" | "oversized";
  framing: Framing;
  type: string | null;
}

function robot(c: Case, msgId: string): Record<string, unknown> {
  const staff = c.body === "stranger" ? "stranger" : ["0101", "0102"][seq % 2]!;
  return {
    conversationId: c.body === "group" ? "cidGroup" : `cid-direct-${staff}`,
    chatbotCorpId: "dingCORP",
    chatbotUserId: "$:LWCP_v1:$bot",
    msgId,
    senderNick: "张三",
    isAdmin: false,
    ...(c.body === "no-sender" ? {} : { senderStaffId: staff, senderId: `$:LWCP_v1:$${staff}` }),
    sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=abc",
    sessionWebhookExpiredTime: clock.now().getTime() + 5_400_000,
    createAt: clock.now().getTime(),
    conversationType: c.body === "group" ? "2" : "1",
    ...(c.body === "group" ? { conversationTitle: "销售群", isInAtList: true, atUsers: [{ dingtalkId: "$:LWCP_v1:$bot" }] } : {}),
    msgtype: "text",
    text: { content: `${c.body === "group" ? "@销售助手 " : " "}今天拜访了华东机电 "引号" \\ ${msgId}` },
  };
}

function bodyOf(c: Case, msgId: string): Buffer {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8");
  switch (c.body) {
    case "robot":
    case "group":
    case "stranger":
    case "no-sender":
      return json(robot(c, msgId));
    case "repeat":
      return json(robot({ ...c, body: "robot" }, "m-repeated"));
    case "not-robot":
      return json({ hello: 1 });
    case "array":
      return json([robot(c, msgId)]);
    case "not-json":
      return Buffer.from("{not json");
    case "truncated":
      return json(robot(c, msgId)).subarray(0, 40);
    case "scalar":
      return Buffer.from(' \t"just a string"');
    case "empty":
      return Buffer.alloc(0);
    case "blank":
      return Buffer.from(" \r\n ");
    case "bom":
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json(robot(c, msgId))]);
    case "bad-utf8": {
      const b = json(robot(c, msgId));
      const at = b.indexOf("华");
      return Buffer.concat([b.subarray(0, at), Buffer.from([0xe5, 0x8d, 0xff, 0xc3]), b.subarray(at + 3)]);
    }
    case "oversized":
      return json({ ...robot(c, msgId), text: { content: "长".repeat(LIMIT) } });
  }
}

function request(c: Case, msgId: string): Buffer {
  const now = clock.now().getTime();
  const ts = String(c.signature === "stale" ? now - 2 * 3600_000 : now);
  const headers: [string, string][] = [];
  if (c.type !== null) headers.push(["content-type", c.type]);
  if (c.signature !== "missing") headers.push(["timestamp", c.signature === "bad-timestamp" ? "12ab" : ts]);
  if (c.signature !== "missing" && c.signature !== "no-sign") headers.push(["sign", c.signature === "forged" ? signTimestamp(ts, "guess") : signTimestamp(ts, SECRET)]);
  const body = bodyOf(c, msgId);
  return framedRequest(c.method, c.path, headers, body, c.framing, "IDENTITY");
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  method: fc.oneof({ arbitrary: fc.constant("POST"), weight: 8 }, { arbitrary: fc.constantFrom("GET", "HEAD", "PUT", "post"), weight: 1 }),
  path: fc.oneof(
    { arbitrary: fc.constant("/dingtalk/callback"), weight: 6 },
    { arbitrary: fc.constantFrom("/DingTalk/CallBack", "/dingtalk/callback/", "/dingtalk/callback?x=1", "/dingtalk/callback//", "/dingtalk//callback", "/dingtalk/callbackx", "/dingtalk", "/dingtalk/", "/dingtalk/callback/x", "/dingtalk%2Fcallback", "/x/dingtalk/callback", "http://127.0.0.1/dingtalk/callback", "/dingtalk/%63allback"), weight: 2 },
  ),
  signature: fc.oneof({ arbitrary: fc.constant<Case["signature"]>("signed"), weight: 6 }, { arbitrary: fc.constantFrom<Case["signature"]>("forged", "stale", "missing", "no-sign", "bad-timestamp"), weight: 2 }),
  body: fc.oneof(
    { arbitrary: fc.constantFrom<Case["body"]>("robot", "group"), weight: 5 },
    { arbitrary: fc.constantFrom<Case["body"]>("stranger", "no-sender", "repeat", "not-robot", "array", "not-json", "truncated", "scalar", "empty", "blank", "bom", "bad-utf8", "oversized"), weight: 5 },
  ),
  framing: fc.oneof({ arbitrary: fc.constant<Case["framing"]>("length"), weight: 5 }, { arbitrary: fc.constantFrom<Case["framing"]>("chunked", "none", "gzip", "identity", "bogus-encoding"), weight: 3 }),
  type: fc.constantFrom<string | null>(
    "application/json", "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8", null, "text/plain",
    "application/json; charset=latin1", "application/json; charset=utf-16le", "application/json; charset=\"utf-8\"", "application/json; charset",
  ),
});

describe("DingTalk's HTTP callback fast path answers exactly as the Express route", () => {
  it("for signed, forged, broken, oversized and oddly framed requests, and stores the same events", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const msgId = `m${String(++seq).padStart(8, "0")}`;
        const bytes = request(c, msgId);
        await expectSameAnswer(ports, bytes, c.method === "HEAD");
        expect(inboxes.fast.events).toEqual(inboxes.express.events);
      }),
      { seed: 20261205, numRuns: 400 },
    );
    // The property really went through both sides of every branch.
    expect(inboxes.fast.events.length).toBeGreaterThan(20);
  });

  it("when the inbox cannot store: 503, nothing acked", async () => {
    inboxes.fast.failing = inboxes.express.failing = true;
    try {
      const c: Case = { method: "POST", path: "/dingtalk/callback", signature: "signed", body: "robot", framing: "length", type: "application/json" };
      const bytes = request(c, "m-down");
      const [fast, exp] = await Promise.all([rawRequest(ports.fast, bytes), rawRequest(ports.express, bytes)]);
      expect(fast.status).toBe(503);
      expect(fast.body).toBe('{"error":"unavailable"}');
      expect(withoutDate(fast.head)).toBe(withoutDate(exp.head));
    } finally {
      inboxes.fast.failing = inboxes.express.failing = false;
    }
  });

  it("answers the POST itself and leaves everything else to the app", async () => {
    const { listener } = app(new MemoryInbox());
    const s = createServer((req, res) => {
      if (!listener(req, res)) res.writeHead(599).end();
    });
    const port = await listen(s);
    try {
      const send = (c: Partial<Case>) => rawRequest(port, request({ method: "POST", path: "/dingtalk/callback", signature: "signed", body: "robot", framing: "length", type: "application/json", ...c }, `m-own-${++seq}`));
      expect(await send({})).toMatchObject({ status: 200, body: "{}" });
      expect(await send({ body: "oversized" })).toMatchObject({ status: 413, body: '{"error":"too_large"}' });
      expect(await send({ signature: "forged" })).toMatchObject({ status: 401, body: '{"error":"unauthorized","reason":"forged"}' });
      for (const c of [{ framing: "gzip" }, { type: "application/json; charset=latin1" }, { path: "/dingtalk/%63allback" }, { method: "GET" }] as const) expect((await send(c)).status).toBe(599);
    } finally {
      await new Promise((r) => s.close(r));
    }
  });
});
