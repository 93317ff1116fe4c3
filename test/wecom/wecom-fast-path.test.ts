// The callback's fast path (Channel.listener, ahead of Express) against the Express route it stands in for, over real
// HTTP with real crypto: the same requests — genuine, forged, stale, mangled, empty, oversized, chunked, compressed,
// to odd paths and with odd methods — to a server wired as main.ts wires it (listener first, then the app) and to the
// app alone. Every answer must be the same, byte for byte apart from the Date header, and so must what was stored.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { encrypt, getSignature } from "@wecom/crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.ts";
import type { InboundEvent } from "../../src/core/inbound-event.ts";
import type { AcceptOutcome, InboxPort } from "../../src/core/ports.ts";
import { createWecomReceiver } from "../../src/channels/wecom/wecom-receiver.ts";
import { sendText, weakEtag } from "../../src/channels/wecom/plain-http.ts";
import { randomAesKey } from "../simulators/wecom-driver.ts";
import { httpBytes, rawRequest } from "../hostile/hostile-bot.ts";
import { expectSameAnswer, framedRequest, withoutDate, type Framing } from "../support/fast-path-pair.ts";

class MemoryInbox implements InboxPort {
  readonly events: InboundEvent[] = [];
  failing = false;
  async accept(e: InboundEvent): Promise<AcceptOutcome> {
    if (this.failing) throw new Error("database down");
    if (e.senderId === "Stranger") return "unknown_sender";
    if (this.events.some((x) => x.eventId === e.eventId)) return "duplicate";
    this.events.push(e);
    return "accepted";
  }
}

const config = { corpId: "ww0123456789abcdef", token: "t0ken", encodingAesKey: randomAesKey() };
const LIMIT = 4096;

/** The app as main.ts assembles it around the channel's router: its 404 and its error handler. */
function app(inbox: InboxPort) {
  const receiver = createWecomReceiver(config, { inbox, log: createLogger("silent"), maxBodyBytes: LIMIT }, "/wecom");
  const a = express();
  a.disable("x-powered-by");
  a.use("/wecom", receiver.router);
  a.use((_req, res) => res.status(404).json({ error: "not_found" }));
  a.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => res.status(err.status ?? 500).json({ error: "x" }));
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
  const exp = createServer(e.a);
  servers.push(fast, exp);
  ports = { fast: await listen(fast), express: await listen(exp) };
});
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

const cdata = (s: string) => `<![CDATA[${s}]]>`;
const nowS = () => Math.floor(Date.now() / 1000);
let msgSeq = 0;

interface Case {
  method: string;
  path: string;
  from: string;
  kind: "signed" | "forged" | "stale" | "other-corp" | "mangled" | "empty" | "junk" | "oversized" | "no-query" | "dup-param";
  framing: Framing;
  msgType: "text" | "event" | "image";
}

function request(c: Case, msgId: string): Buffer {
  const ts = String(c.kind === "stale" ? nowS() - 7200 : nowS());
  const inner =
    c.msgType === "text"
      ? `<xml><ToUserName>${cdata(config.corpId)}</ToUserName><FromUserName>${cdata(c.from)}</FromUserName><CreateTime>${ts}</CreateTime><MsgType>${cdata("text")}</MsgType><Content>${cdata("今天拜访了华东机电")}</Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`
      : c.msgType === "image"
        ? `<xml><ToUserName>${cdata(config.corpId)}</ToUserName><FromUserName>${cdata(c.from)}</FromUserName><CreateTime>${ts}</CreateTime><MsgType>${cdata("image")}</MsgType><MsgId>${msgId}</MsgId></xml>`
        : `<xml><ToUserName>${cdata(config.corpId)}</ToUserName><FromUserName>${cdata(c.from)}</FromUserName><CreateTime>${ts}</CreateTime><MsgType>${cdata("event")}</MsgType><Event>${cdata("subscribe")}</Event></xml>`;
  let enc = encrypt(config.encodingAesKey, inner, c.kind === "other-corp" ? "wwffffffffffffffff" : config.corpId);
  if (c.kind === "mangled") enc = enc.slice(0, -6);
  const nonce = `n${msgId.slice(-6)}`;
  const sig = c.kind === "forged" ? "0".repeat(40) : getSignature(config.token, ts, nonce, enc);
  let query = `?msg_signature=${sig}&timestamp=${ts}&nonce=${nonce}`;
  if (c.kind === "no-query") query = "";
  if (c.kind === "dup-param") query += `&nonce=${nonce}`;
  let body = Buffer.from(`<xml><ToUserName>${cdata(config.corpId)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt><AgentID>${cdata("1000002")}</AgentID></xml>`);
  if (c.kind === "empty") body = Buffer.alloc(0);
  if (c.kind === "junk") body = Buffer.from("<xml><Encrypt>abc");
  if (c.kind === "oversized") body = Buffer.concat([body, Buffer.alloc(LIMIT, 0x20)]);
  const target = c.path + query;
  const headers: [string, string][] = [["content-type", "text/xml"]];
  return framedRequest(c.method, target, headers, body, c.framing, "Identity");
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  method: fc.oneof({ arbitrary: fc.constant("POST"), weight: 6 }, { arbitrary: fc.constantFrom("GET", "HEAD", "PUT", "post"), weight: 1 }),
  path: fc.oneof(
    { arbitrary: fc.constant("/wecom/callback"), weight: 6 },
    { arbitrary: fc.constantFrom("/WECOM/CallBack", "/wecom/callback/", "/wecom/callback//", "/wecom//callback", "/wecom/callbackx", "/wecom/callbac", "/wecom", "/wecom/", "/wecom/callback/x", "/wecom%2Fcallback", "/x/wecom/callback", "http://127.0.0.1/wecom/callback", "/wecom/%63allback"), weight: 3 },
  ),
  from: fc.constantFrom("ZhangSan", "LiSi", "Stranger"),
  kind: fc.oneof({ arbitrary: fc.constant<Case["kind"]>("signed"), weight: 6 }, { arbitrary: fc.constantFrom<Case["kind"]>("forged", "stale", "other-corp", "mangled", "empty", "junk", "oversized", "no-query", "dup-param"), weight: 4 }),
  framing: fc.oneof({ arbitrary: fc.constant<Case["framing"]>("length"), weight: 5 }, { arbitrary: fc.constantFrom<Case["framing"]>("chunked", "none", "gzip", "identity", "bogus-encoding"), weight: 3 }),
  msgType: fc.constantFrom<Case["msgType"]>("text", "text", "image", "event"),
});

describe("the callback's fast path answers exactly as the Express route", () => {
  it("for genuine, forged, broken, oversized and oddly framed requests, and stores the same events", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const msgId = `73000000${String(++msgSeq).padStart(8, "0")}`;
        const bytes = request(c, msgId);
        await expectSameAnswer(ports, bytes, c.method === "HEAD");
        expect(inboxes.fast.events).toEqual(inboxes.express.events);
      }),
      { seed: 20261205, numRuns: 300 },
    );
    // The property really went through both sides of every branch.
    expect(inboxes.fast.events.length).toBeGreaterThan(10);
  });

  it("when the inbox cannot store: 503, nothing acked", async () => {
    inboxes.fast.failing = inboxes.express.failing = true;
    try {
      const bytes = request({ method: "POST", path: "/wecom/callback", from: "ZhangSan", kind: "signed", framing: "length", msgType: "text" }, "7399999999999999991");
      const [fast, exp] = await Promise.all([rawRequest(ports.fast, bytes), rawRequest(ports.express, bytes)]);
      expect(fast.status).toBe(503);
      expect(fast.body).toBe("temporarily unavailable");
      expect(withoutDate(fast.head)).toBe(withoutDate(exp.head));
    } finally {
      inboxes.fast.failing = inboxes.express.failing = false;
    }
  });

  it("takes a body of exactly the limit and refuses one byte more, declared or chunked", async () => {
    const { a: _a, listener } = app(new MemoryInbox());
    const s = createServer((req, res) => {
      if (!listener(req, res)) res.writeHead(599).end();
    });
    const port = await listen(s);
    try {
      const send = (n: number, chunked: boolean) => {
        const body = Buffer.alloc(n, 0x61);
        return chunked
          ? rawRequest(port, httpBytes("POST", "/wecom/callback", [["transfer-encoding", "chunked"]], Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")]), { contentLength: "none" }))
          : rawRequest(port, httpBytes("POST", "/wecom/callback", [], body));
      };
      for (const chunked of [false, true]) {
        // At the limit the body is read (and refused for what it is: no query); past it, 413 without being parsed.
        expect((await send(LIMIT, chunked)).body).toBe("msg_signature, timestamp and nonce are required");
        expect(await send(LIMIT + 1, chunked)).toMatchObject({ status: 413, body: "body too large" });
      }
    } finally {
      await new Promise((r) => s.close(r));
    }
  });
});

describe("sendText writes what Express's res.status().type('text/plain').send() writes", () => {
  it("for any text, status and GET, HEAD or POST", async () => {
    const a = express();
    a.disable("x-powered-by");
    a.all("/x", (req, res) => res.status(Number(req.query.s)).type("text/plain").send(String(req.query.t)));
    const reference = createServer(a);
    const ours = createServer((req, res) => {
      const q = new URL(req.url ?? "", "http://x").searchParams;
      sendText(req, res, Number(q.get("s")), String(q.get("t")));
    });
    const [pr, po] = [await listen(reference), await listen(ours)];
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 40 }), fc.constantFrom(400, 401, 413, 415, 503), fc.constantFrom("GET", "HEAD", "POST"), async (t, s, method) => {
          const bytes = httpBytes(method, `/x?s=${s}&t=${encodeURIComponent(t)}`, []);
          const [x, y] = await Promise.all([rawRequest(pr, bytes, { head: method === "HEAD" }), rawRequest(po, bytes, { head: method === "HEAD" })]);
          expect(withoutDate(y.head)).toBe(withoutDate(x.head));
          expect(y.body).toBe(x.body);
        }),
        { seed: 7, numRuns: 60 },
      );
      expect(weakEtag(Buffer.alloc(0))).toBe('W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"');
    } finally {
      await Promise.all([reference, ours].map((s) => new Promise((r) => s.close(r))));
    }
  });
});
