// The fuzzer's targets, shared by the fixed-seed suite (fuzz.test.ts) and the benchmark (test/bench/fuzz.bench.ts):
// fast-check arbitraries for each public entry point, each input sent for real (raw HTTP, or a raw Stream frame
// through the gateway to the bot's real dingtalk-stream client), and the properties every answer must keep:
// - never a crash: the server keeps answering (and the Stream client keeps its one connection);
// - never a 5xx;
// - a forged input (signature, timestamp, key, CorpID) is never accepted;
// - nothing refused leaves a row anywhere (every table counted before and after); what is accepted leaves at most
//   one inbox row or one polite refusal in the outbox (a stranger), nothing else (the workers are off).
import { createHmac, randomUUID } from "node:crypto";
import fc from "fast-check";
import { encrypt, getSignature } from "@wecom/crypto";
import { FIXED_NOW } from "../support/test-bot.ts";
import { randomAesKey } from "../simulators/wecom-driver.ts";
import { TOPIC_CARD, TOPIC_ROBOT } from "../simulators/dingtalk-gateway.ts";
import { changed, httpBytes, rawRequest, rowCounter, type HostileBot, type RawAnswer } from "./hostile-bot.ts";

export type Endpoint = "wecom GET" | "wecom POST" | "dingtalk http" | "dingtalk stream" | "playground";

export interface FuzzStats {
  inputs: number;
  failures: string[];
  statuses: Record<string, number>;
}

export class FuzzContext {
  readonly stats = new Map<Endpoint, FuzzStats>();
  private last: Record<string, number> = {};
  private lastXid = "";
  private constructor(
    readonly h: HostileBot,
    private readonly counts: () => Promise<Record<string, number>>,
    /** Throw on the first violation (the suite: fast-check shrinks it) or count it (the benchmark). */
    readonly throwOnFailure: boolean,
  ) {}

  static async create(h: HostileBot, throwOnFailure: boolean): Promise<FuzzContext> {
    const ctx = new FuzzContext(h, await rowCounter(h.bot), throwOnFailure);
    ctx.last = await ctx.counts();
    ctx.lastXid = await ctx.xid();
    return ctx;
  }

  /**
   * The next transaction id PostgreSQL would hand out. Only a transaction that writes gets one, so when it has not
   * moved nothing was written to any table and the full row count can be skipped (most fuzz inputs are refused).
   */
  private async xid(): Promise<string> {
    const [r] = await this.h.bot.db.sql.query<{ x: string }>("SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x");
    return r!.x;
  }

  private async rowChanges(): Promise<Record<string, number>> {
    const x = await this.xid();
    if (x === this.lastXid) return {};
    this.lastXid = x;
    const after = await this.counts();
    const diff = changed(this.last, after);
    this.last = after;
    return diff;
  }

  get port(): number {
    return h(this).bot.port;
  }

  stat(e: Endpoint): FuzzStats {
    let s = this.stats.get(e);
    if (!s) this.stats.set(e, (s = { inputs: 0, failures: [], statuses: {} }));
    return s;
  }

  fail(e: Endpoint, what: string): void {
    this.stat(e).failures.push(what);
    if (this.throwOnFailure) throw new Error(`${e}: ${what}`);
  }

  /** Checks one answer: no 5xx, forged never accepted, rows only for what was accepted. */
  async check(e: Endpoint, label: string, status: number, o: { forged?: boolean; mayNotAnswer?: boolean } = {}): Promise<void> {
    const s = this.stat(e);
    s.inputs++;
    s.statuses[String(status)] = (s.statuses[String(status)] ?? 0) + 1;
    const diff = await this.rowChanges();
    if (status >= 500) return this.fail(e, `${label}: answered ${status}`);
    if (status === 0 && !o.mayNotAnswer) return this.fail(e, `${label}: no answer`);
    const refused = status === 0 || status >= 400;
    if (o.forged && !refused) return this.fail(e, `${label}: a forged input was accepted (${status})`);
    if (refused && Object.keys(diff).length) return this.fail(e, `${label}: refused (${status}) but rows changed ${JSON.stringify(diff)}`);
    const others = Object.keys(diff).filter((t) => t !== "InboxEvent" && t !== "OutboxMessage");
    const total = Object.values(diff).reduce((a, b) => a + b, 0);
    if (others.length || total > 1 || Object.values(diff).some((n) => n < 0)) return this.fail(e, `${label}: accepted (${status}) but rows changed ${JSON.stringify(diff)}`);
  }

  /** The server still answers (after a batch): /healthz 200. */
  async alive(): Promise<void> {
    const a = await rawRequest(this.port, httpBytes("GET", "/healthz", []));
    if (a.status !== 200) this.fail("playground", `the server stopped answering (/healthz ${a.status})`);
  }
}
const h = (c: FuzzContext) => c.h;

/** encodeURIComponent that does not throw on a lone surrogate (sent as U+FFFD, as a browser would). */
const uriEnc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));

// ---------- shared arbitraries ----------

/** Text people might type, and text they should not: CDATA ends, markup, NUL and other controls, lone surrogates, emoji. */
const nastyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom("\ud800", "a\udfffb", "\u0000", "帮助\u0000", "]]>"),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("]]>", "<![CDATA[", "<!DOCTYPE x>", "&amp;&#0;&#xD800;", "\u0000", "\ud800", "\udfff\ud800", "💥", "帮助", "客户 华东机电", "下单 华东机电 电机A 1台", "%00%zz", "\r\n\r\n", "a".repeat(3000)),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });
const knownWecom = ["ZhangSan", "LiSi", "WangWu", "ZhaoLiu", "ChenQi", "Admin"];
const knownDingtalk = ["0101", "0102", "0201", "0301", "0401"];

/** Bytes that are not UTF-8 (a lone continuation byte, an overlong form, 0xFF) spliced into a body. */
const badUtf8 = fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0x80, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]));

/** A mutation of a string: cut, insert, delete, replace a character with a markup one. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(nastyText, fc.constantFrom("<", ">", "&", "]]>", "<!ENTITY e 'x'>", "</xml>", "<xml>", '"', "{", "}", ",", "\\", "\\u0000", "\\ud800")) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant("dup" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(s: string, ms: Mutation[]): string {
  for (const m of ms) {
    const at = s.length ? m.at % (s.length + 1) : 0;
    if (m.op === "cut") s = s.slice(0, at);
    else if (m.op === "insert") s = s.slice(0, at) + m.text + s.slice(at);
    else if (m.op === "delete") s = s.slice(0, at) + s.slice(at + m.len);
    else s = s.slice(0, at) + s.slice(at, at + m.len) + s.slice(at);
  }
  return s;
}

/** `arb` about once in `n` inputs, else null. */
const rarely = <T>(arb: fc.Arbitrary<T>, n: number) => fc.oneof({ arbitrary: fc.constant(null), weight: n - 1 }, { arbitrary: arb, weight: 1 });

/** How the body is framed: content-type, a content-length that lies, an encoding we cannot read, bad UTF-8. */
const hostileFraming = fc.record({
  contentType: fc.constantFrom<string | null>("text/xml", "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=bogus", "application/json; charset=utf-16", "multipart/form-data; boundary=x", null),
  length: fc.constantFrom<"true" | "short" | "long" | "none">("true", "true", "true", "true", "short", "long", "none"),
  encoding: fc.constantFrom<string | null>(null, null, null, null, null, "gzip", "deflate", "br", "x-bogus"),
  badBytes: rarely(fc.tuple(fc.nat(), badUtf8), 3),
  oversized: fc.integer({ min: 0, max: 24 }).map((n) => n === 0),
  extraHeaders: fc.array(fc.tuple(fc.constantFrom("x-forwarded-for", "expect", "transfer-encoding", "accept", "x-junk", "cookie", "origin"), fc.constantFrom("1.2.3.4", "100-continue", "chunked", "*/*", "☃".normalize(), "a=b", "null")), { maxLength: 2 }),
});
type Framing = typeof hostileFraming extends fc.Arbitrary<infer T> ? T : never;
/** Half the inputs framed as the platform would (so the body reaches the parser), half hostile. */
const framing = (contentType: string) =>
  fc.oneof(
    fc.constant<Framing>({ contentType, length: "true", encoding: null, badBytes: null, oversized: false, extraHeaders: [] }),
    hostileFraming,
  );

/** Sends `body` to `target` framed as `f`; answers what came back. */
async function send(ctx: FuzzContext, method: string, target: string, body: Buffer, f: Framing, headers: [string, string][] = []): Promise<{ answer: RawAnswer; lied: boolean }> {
  if (f.oversized) body = Buffer.concat([body, Buffer.alloc(300 * 1024, 0x20)]);
  if (f.badBytes) {
    const [at, bytes] = f.badBytes;
    const i = body.length ? at % body.length : 0;
    body = Buffer.concat([body.subarray(0, i), bytes, body.subarray(i)]);
  }
  const hs: [string, string][] = [...headers];
  if (f.contentType) hs.push(["content-type", f.contentType]);
  if (f.encoding) hs.push(["content-encoding", f.encoding]);
  // transfer-encoding together with content-length is request smuggling's shape: Node refuses it (400).
  for (const [k, v] of f.extraHeaders) if (!(k === "transfer-encoding" && f.length === "none")) hs.push([k, v]);
  const length = f.length === "true" ? body.length : f.length === "short" ? Math.max(0, body.length - 7) : f.length === "long" ? body.length + 64 : "none";
  const lied = f.length !== "true";
  // Half-close only when the body is shorter than announced (else the server would wait for the rest); a half-close
  // aborts a request still in flight, so an honest one keeps its side open until the answer.
  const t0 = Date.now();
  const answer = await rawRequest(ctx.port, httpBytes(method, target, hs, body, { contentLength: length }), { timeoutMs: 4000, halfClose: f.length === "long", head: method === "HEAD" });
  if (process.env.FUZZ_DEBUG && Date.now() - t0 > 500) console.log("slow", Date.now() - t0, answer.status, method, target.slice(0, 80), JSON.stringify(f).slice(0, 200));
  return { answer, lied };
}

// ---------- WeCom ----------

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
const wecomInner = fc.record({
  from: fc.oneof(fc.constantFrom(...knownWecom), fc.constantFrom("Stranger1", "Stranger2"), nastyText),
  msgType: fc.constantFrom("text", "text", "text", "event", "image", "voice", "location", "link", "bogus", ""),
  content: nastyText,
  msgId: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String), nastyText),
  createTime: fc.oneof(fc.constant(String(Math.floor(Date.now() / 1000))), fc.nat().map(String), nastyText),
  event: fc.constantFrom("enter_agent", "template_card_event", "subscribe", "", "bogus"),
  eventKey: nastyText,
  taskId: nastyText,
  toUser: fc.constantFrom("ww0123456789abcdef", "wwffffffffffffffff", ""),
  mutations: rarely(fc.array(mutation, { minLength: 1, maxLength: 3 }), 3).map((m) => m ?? []),
  raw: rarely(nastyText, 8),
});
type WecomInner = typeof wecomInner extends fc.Arbitrary<infer T> ? T : never;

function innerXml(i: WecomInner): string {
  if (i.raw !== null) return i.raw;
  const body =
    i.msgType === "event"
      ? `<Event>${cdata(i.event)}</Event><EventKey>${cdata(i.eventKey)}</EventKey><TaskId>${cdata(i.taskId)}</TaskId><ResponseCode>${cdata("rc")}</ResponseCode>`
      : `<Content>${cdata(i.content)}</Content><MsgId>${i.msgId}</MsgId>`;
  const xml = `<xml><ToUserName>${cdata(i.toUser)}</ToUserName><FromUserName>${cdata(i.from)}</FromUserName><CreateTime>${i.createTime}</CreateTime><MsgType>${cdata(i.msgType)}</MsgType>${body}<AgentID>1000002</AgentID></xml>`;
  return mutate(xml, i.mutations);
}

/** How the envelope around the inner XML is made: properly, or forged in one of the ways an attacker could. */
const envelopeKind = fc.constantFrom("signed", "signed", "signed", "signed", "forged-signature", "other-token", "other-key", "other-corp", "stale", "future", "mangled-cipher", "mutated-envelope", "random-body");
const queryMutation = fc.oneof(
  fc.constant<null>(null),
  fc.constant<null>(null),
  fc.constant<null>(null),
  fc.constantFrom("drop-signature", "drop-timestamp", "drop-nonce", "duplicate", "bad-percent", "junk-param", "long-nonce", "upper-signature", "plus-in-nonce"),
);

function mutateQuery(q: string, m: string | null): string {
  switch (m) {
    case "drop-signature": return q.replace(/msg_signature=[^&]*&?/, "");
    case "drop-timestamp": return q.replace(/timestamp=[^&]*&?/, "");
    case "drop-nonce": return q.replace(/nonce=[^&]*&?/, "");
    case "duplicate": return `${q}&${q.split("&")[0]}`;
    case "bad-percent": return `${q}&x=%zz%`;
    case "junk-param": return `${q}&a[b]=1&=&&`;
    case "long-nonce": return q.replace(/nonce=[^&]*/, `nonce=${"n".repeat(100)}`);
    // A signature in upper case is the same hex: accepted like the lower-case one.
    case "upper-signature": return q.replace(/msg_signature=([^&]*)/, (_, s: string) => `msg_signature=${s.toUpperCase()}`);
    case "plus-in-nonce": return q.replace(/nonce=[^&]*/, "nonce=a+b");
    default: return q;
  }
}
/** Query mutations that make an otherwise good request invalid. */
const BREAKS_QUERY = new Set(["drop-signature", "drop-timestamp", "drop-nonce", "duplicate", "bad-percent", "long-nonce", "plus-in-nonce"]);

function envelope(ctx: FuzzContext, kind: string, xml: string, envMutations: Mutation[], randomBody: string): { query: string; body: string; forged: boolean } {
  const { secrets, corpId } = h(ctx);
  const nowS = Math.floor(Date.now() / 1000);
  const ts = String(kind === "stale" ? nowS - 3601 - 60 : kind === "future" ? nowS + 3601 + 60 : nowS);
  const key = kind === "other-key" ? randomAesKey() : secrets.wecomAesKey;
  const corp = kind === "other-corp" ? "wwffffffffffffffff" : corpId;
  let enc: string;
  try {
    enc = encrypt(key, xml, corp);
  } catch {
    enc = "AAAA";
  }
  if (kind === "mangled-cipher") enc = mutate(enc, envMutations.length ? envMutations : [{ op: "cut", at: enc.length - 5 }]);
  const nonce = randomUUID().slice(0, 8);
  const token = kind === "other-token" ? "not-the-token" : secrets.wecomToken;
  let sig = getSignature(token, ts, nonce, enc);
  if (kind === "forged-signature") sig = createHmac("sha1", "x").update(xml).digest("hex");
  let body = `<xml><ToUserName>${cdata(corp)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt><AgentID>${cdata("1000002")}</AgentID></xml>`;
  if (kind === "mutated-envelope") body = mutate(body, envMutations);
  if (kind === "random-body") body = randomBody;
  const forged = ["forged-signature", "other-token", "other-key", "other-corp", "stale", "future"].includes(kind);
  return { query: `msg_signature=${sig}&timestamp=${ts}&nonce=${nonce}`, body, forged };
}

export const wecomPostCase = fc.record({ inner: wecomInner, kind: envelopeKind, envMutations: fc.array(mutation, { maxLength: 2 }), randomBody: nastyText, query: queryMutation, framing: framing("text/xml") });

export async function wecomPost(ctx: FuzzContext, c: typeof wecomPostCase extends fc.Arbitrary<infer T> ? T : never): Promise<void> {
  const xml = innerXml(c.inner);
  const env = envelope(ctx, c.kind, xml, c.envMutations, c.randomBody);
  const { answer, lied } = await send(ctx, "POST", `/wecom/callback?${mutateQuery(env.query, c.query)}`, Buffer.from(env.body, "utf8"), c.framing);
  const forged = env.forged || (c.query !== null && BREAKS_QUERY.has(c.query));
  await ctx.check("wecom POST", `${c.kind}/${c.query}/${JSON.stringify(xml.slice(0, 80))}`, answer.status, { forged, mayNotAnswer: lied || c.framing.encoding !== null });
}

export const wecomGetCase = fc.record({ plain: nastyText, kind: envelopeKind, envMutations: fc.array(mutation, { maxLength: 2 }), randomBody: nastyText, query: queryMutation, echoMutation: rarely(fc.constantFrom("drop", "raw-plus", "mangle"), 4) });

export async function wecomGet(ctx: FuzzContext, c: typeof wecomGetCase extends fc.Arbitrary<infer T> ? T : never): Promise<void> {
  const plain = c.plain || "1234";
  const env = envelope(ctx, c.kind, plain, c.envMutations, c.randomBody);
  // The GET signs echostr: rebuild the signature over it (the envelope helper signed the POST's Encrypt, which is the same value).
  const enc = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(env.body)?.[1] ?? "";
  let echo = `&echostr=${uriEnc(enc)}`;
  if (c.echoMutation === "drop") echo = "";
  else if (c.echoMutation === "raw-plus") echo = `&echostr=${enc}`; // "+" left unencoded: still the same base64 to us
  else if (c.echoMutation === "mangle") echo = `&echostr=${uriEnc(enc.slice(1))}`;
  const query = mutateQuery(env.query + echo, c.query);
  const answer = await rawRequest(ctx.port, httpBytes("GET", `/wecom/callback?${query}`, []), { timeoutMs: 4000 });
  const broken = env.forged || c.kind === "mutated-envelope" && false || (c.query !== null && BREAKS_QUERY.has(c.query)) || c.echoMutation === "drop" || c.echoMutation === "mangle";
  await ctx.check("wecom GET", `${c.kind}/${c.query}/${c.echoMutation}`, answer.status, { forged: broken });
  // A verification answered 200 gives back exactly the plaintext, and only for a genuine one.
  if (answer.status === 200 && answer.body !== Buffer.from(plain, "utf8").toString("utf8") && !(c.kind === "mangled-cipher" || c.kind === "random-body" || c.kind === "mutated-envelope")) {
    ctx.fail("wecom GET", `200 with ${JSON.stringify(answer.body.slice(0, 40))} instead of the plaintext`);
  }
}

// ---------- DingTalk HTTP ----------

const robotFields = fc.record({
  staff: fc.oneof({ arbitrary: fc.constantFrom(...knownDingtalk), weight: 3 }, { arbitrary: fc.constantFrom("0999", ""), weight: 1 }, { arbitrary: nastyText, weight: 1 }),
  text: nastyText,
  conversationType: fc.oneof({ arbitrary: fc.constant<unknown>("1"), weight: 4 }, { arbitrary: fc.constantFrom<unknown>("2", 1, "3", null), weight: 1 }),
  /** Fields replaced by anything at all (wrong types, nesting, nulls). */
  replace: rarely(fc.dictionary(fc.constantFrom("msgId", "msgtype", "text", "senderStaffId", "sessionWebhook", "sessionWebhookExpiredTime", "createAt", "atUsers", "isInAtList", "conversationId", "robotCode", "__proto__", "constructor"), fc.anything({ maxDepth: 2 }), { minKeys: 1, maxKeys: 2 }), 3).map((r) => r ?? {}),
  drop: rarely(fc.subarray(["msgId", "msgtype", "conversationType", "senderStaffId", "text", "sessionWebhook"], { minLength: 1, maxLength: 2 }), 4).map((d) => d ?? []),
});
type RobotFields = typeof robotFields extends fc.Arbitrary<infer T> ? T : never;

function robotJson(ctx: FuzzContext, f: RobotFields): Record<string, unknown> {
  const m: Record<string, unknown> = { ...h(ctx).gw.robotMessage({ staffId: f.staff, text: f.text }), conversationType: f.conversationType };
  for (const [k, v] of Object.entries(f.replace)) Object.defineProperty(m, k, { value: v, enumerable: true, configurable: true, writable: true });
  for (const k of f.drop) delete m[k];
  return m;
}

const dingSign = fc.constantFrom("signed", "signed", "signed", "edge-inside", "forged", "stale", "future", "missing", "seconds", "garbage-timestamp");

export const dingHttpCase = fc.record({ fields: robotFields, body: fc.constantFrom("message", "message", "message", "mutated", "json", "text"), mutations: fc.array(mutation, { maxLength: 3 }), json: anyJson, text: nastyText, sign: dingSign, framing: framing("application/json") });

export async function dingHttp(ctx: FuzzContext, c: typeof dingHttpCase extends fc.Arbitrary<infer T> ? T : never): Promise<void> {
  const secret = h(ctx).secrets.dingtalkSecret;
  const now = FIXED_NOW.getTime();
  const ts = c.sign === "stale" ? now - 3_600_001 : c.sign === "future" ? now + 3_600_001 : c.sign === "edge-inside" ? now - 3_600_000 : c.sign === "seconds" ? Math.floor(now / 1000) : now;
  const tsText = c.sign === "garbage-timestamp" ? `${now}abc` : String(ts);
  const sign = c.sign === "forged" ? createHmac("sha256", "guess").update(`${tsText}\n${secret}`).digest("base64") : createHmac("sha256", secret).update(`${tsText}\n${secret}`).digest("base64");
  const headers: [string, string][] = c.sign === "missing" ? [] : [["timestamp", tsText], ["sign", sign]];
  const json = JSON.stringify(robotJson(ctx, c.fields));
  const body = c.body === "message" ? json : c.body === "mutated" ? mutate(json, c.mutations) : c.body === "json" ? JSON.stringify(c.json) : c.text;
  const { answer, lied } = await send(ctx, "POST", "/dingtalk/callback", Buffer.from(body, "utf8"), c.framing, headers);
  const forged = ["forged", "stale", "future", "missing", "seconds", "garbage-timestamp"].includes(c.sign);
  await ctx.check("dingtalk http", `${c.sign}/${c.body}/${body.slice(0, 80)}`, answer.status, { forged, mayNotAnswer: lied || c.framing.encoding !== null });
}

// ---------- DingTalk Stream frames ----------

export const frameCase = fc.record({
  type: fc.constantFrom<unknown>("CALLBACK", "CALLBACK", "CALLBACK", "EVENT", "SYSTEM", "bogus", 7, null),
  topic: fc.constantFrom<unknown>(TOPIC_ROBOT, TOPIC_ROBOT, TOPIC_CARD, TOPIC_CARD, "/v1.0/unknown", "ping", "", null, {}),
  messageId: fc.constantFrom<"fresh" | "missing" | "empty" | "object" | "huge">("fresh", "fresh", "fresh", "missing", "empty", "object", "huge"),
  headers: fc.constantFrom("object", "object", "object", "object", "missing", "null", "array", "string"),
  data: fc.constantFrom("robot", "robot", "card", "mutated", "json", "text", "not-a-string"),
  fields: robotFields,
  click: fc.record({ user: fc.oneof(fc.constantFrom(...knownDingtalk), nastyText), action: nastyText, outTrackId: nastyText, content: fc.oneof(fc.constant(null), nastyText, anyJson.map((j) => JSON.stringify(j))) }),
  mutations: fc.array(mutation, { maxLength: 3 }),
  json: anyJson,
  text: nastyText,
  wholeFrame: rarely(fc.oneof(nastyText, anyJson.map((j) => JSON.stringify(j))), 8),
});

let opaque = 0;
export async function streamFrame(ctx: FuzzContext, c: typeof frameCase extends fc.Arbitrary<infer T> ? T : never): Promise<void> {
  const gw = h(ctx).gw;
  const opens = gw.stream.opens.length;
  const messageId = c.messageId === "fresh" ? randomUUID() : c.messageId === "empty" ? "" : c.messageId === "huge" ? "m".repeat(10_000) : c.messageId === "object" ? ({ id: 1 } as unknown as string) : undefined;
  const robot = JSON.stringify(robotJson(ctx, c.fields));
  const click = JSON.stringify({
    ...gw.cardClick({ outTrackId: c.click.outTrackId, userId: c.click.user, action: c.click.action }),
    ...(c.click.content !== null ? { content: c.click.content } : {}),
  });
  const data = c.data === "robot" ? robot : c.data === "card" ? click : c.data === "mutated" ? mutate(robot, c.mutations) : c.data === "json" ? JSON.stringify(c.json) : c.data === "text" ? c.text : { not: "a string" };
  const headerObj = { appId: "fake-app-id", connectionId: "conn-1", contentType: "application/json", time: String(FIXED_NOW.getTime()), topic: c.topic, ...(messageId !== undefined ? { messageId } : {}) };
  const headers = c.headers === "object" ? headerObj : c.headers === "missing" ? undefined : c.headers === "null" ? null : c.headers === "array" ? [headerObj] : "headers";
  const frame = c.wholeFrame ?? JSON.stringify({ specVersion: "1.0", type: c.type, headers, data });
  const from = gw.stream.acks.length;
  gw.pushRaw(frame);
  // Frames are read in order: once the ping after it is echoed, the frame was read; an ACK (or 404) follows a
  // callback once its event is stored or refused.
  const op = `fuzz-${++opaque}`;
  gw.ping(op);
  const since = (ok: (a: (typeof gw.stream.acks)[number]) => boolean) => () => gw.stream.acks.slice(from).some(ok);
  const echoed = await waitFor(since((a) => typeof a.data === "string" && a.data.includes(`"${op}"`)), 4000);
  // A callback the receiver handles: any messageId that is not empty (an object one too, answered as it came).
  const callback = c.wholeFrame === null && c.type === "CALLBACK" && c.headers === "object" && !!messageId;
  const idText = JSON.stringify(messageId);
  const acked = callback ? await waitFor(since((a) => JSON.stringify(a.headers?.messageId) === idText), 4000) : true;
  const alive = gw.stream.sockets.size === 1 && gw.stream.opens.length === opens;
  const status = !echoed || !alive ? 0 : !acked ? 0 : 200;
  // No status on a socket: "refused" here means a frame that cannot be a robot message or a card click.
  const readable = callback && (c.topic === TOPIC_ROBOT || c.topic === TOPIC_CARD) && ["robot", "card", "mutated"].includes(c.data);
  await ctx.check("dingtalk stream", `${String(c.type)}/${String(c.topic)}/${c.messageId}/${c.headers}/${c.data}/${String(frame).slice(0, 80)}`, readable ? status : status === 200 ? 400 : status);
}

async function waitFor(ok: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
}

// ---------- playground ----------

const pgUsers = ["zhangsan", "lisi", "wangwu", "zhaoliu", "chenqi", "admin"];
export const playgroundCase = fc.record({
  route: fc.constantFrom("messages", "messages", "messages", "actions", "actions", "users", "feed", "stream", "media", "page", "unknown"),
  method: fc.constantFrom("GET", "POST", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"),
  body: fc.constantFrom("valid", "valid", "mutated", "json", "text", "empty"),
  user: fc.oneof(fc.constantFrom(...pgUsers), fc.constantFrom("stranger-x", ""), nastyText),
  text: nastyText,
  clientId: fc.oneof(fc.constant(undefined), fc.uuid(), nastyText),
  actionKey: nastyText,
  replace: fc.dictionary(fc.constantFrom("userId", "text", "clientId", "actionKey", "cardRef", "__proto__"), fc.anything({ maxDepth: 2 }), { maxKeys: 2 }),
  mutations: fc.array(mutation, { maxLength: 3 }),
  json: anyJson,
  raw: nastyText,
  query: fc.oneof(fc.constant(""), nastyText.map((s) => `userId=${uriEnc(s)}`), fc.constantFrom("userId=zhangsan", "userId[]=a&userId[]=b", "userId[a]=1", "userId=%zz", "userId=%00", "a=" + "x".repeat(5000))),
  host: fc.constantFrom("127.0.0.1", "127.0.0.1", "127.0.0.1", "evil.example", "localhost:1", ""),
  framing: framing("application/json"),
});

export async function playground(ctx: FuzzContext, c: typeof playgroundCase extends fc.Arbitrary<infer T> ? T : never): Promise<void> {
  const obj: Record<string, unknown> = c.route === "actions" ? { userId: c.user, actionKey: c.actionKey, clientId: c.clientId } : { userId: c.user, text: c.text, clientId: c.clientId };
  for (const [k, v] of Object.entries(c.replace)) Object.defineProperty(obj, k, { value: v, enumerable: true, configurable: true, writable: true });
  const json = JSON.stringify(obj);
  const body = c.body === "valid" ? json : c.body === "mutated" ? mutate(json, c.mutations) : c.body === "json" ? JSON.stringify(c.json) : c.body === "text" ? c.raw : "";
  const path = { messages: "/playground/api/messages", actions: "/playground/api/actions", users: "/playground/api/users", feed: "/playground/api/feed", stream: "/playground/api/stream", media: `/playground/media/${uriEnc(c.raw)}`, page: "/playground/", unknown: "/playground/api/nothing" }[c.route];
  const target = `${path}${c.query ? `?${c.query}` : ""}`.replace(/[^\x21-\x7e]/g, (ch) => uriEnc(ch));
  const headers: [string, string][] = c.host === "127.0.0.1" ? [] : [["host", c.host]];
  const { answer, lied } = await send(ctx, c.method, target, Buffer.from(body, "utf8"), c.framing, headers);
  await ctx.check("playground", `${c.method} ${target.slice(0, 60)} ${body.slice(0, 60)}`, answer.status, { mayNotAnswer: lied || c.framing.encoding !== null || c.method === "HEAD" });
}
