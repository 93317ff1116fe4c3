// Plays WeCom's side of the callback URL (src/channels/wecom/README.md): builds plaintext XML, encrypts and signs it
// with the real @wecom/crypto, POSTs the envelope with a fresh timestamp/nonce, retries like WeCom does.
import { randomBytes, randomInt } from "node:crypto";
import http from "node:http";
import { encrypt, getSignature } from "@wecom/crypto";

export interface DriverOptions {
  botUrl: string;
  token: string;
  encodingAesKey: string;
  corpId: string;
  agentId: number;
  /** Callback path on the bot. */
  path?: string;
}

/** A signed request, kept so the very same bytes can be resent. */
export interface Prepared {
  query: string;
  body: string;
}

export interface HttpResult {
  status: number;
  text: string;
}

/** Knobs for the bad-input tests: sign/encrypt with other values than the bot's. */
export interface PrepareOptions {
  corpId?: string;
  encodingAesKey?: string;
  token?: string;
  timestamp?: string;
  nonce?: string;
  /** Change the ciphertext after encryption (and sign the changed one). */
  mangle?: (encrypted: string) => string;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** A valid EncodingAESKey: 43 characters of [A-Za-z0-9], as the admin console generates. */
export const randomAesKey = (): string => Array.from({ length: 43 }, () => ALNUM[randomInt(ALNUM.length)]).join("");

let seq = 0;
export const newMsgId = (): string => `${Date.now()}${String(seq++ % 1_000_000).padStart(6, "0")}`;
const nowS = () => String(Math.floor(Date.now() / 1000));
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;

export class WecomDriver {
  constructor(private readonly o: DriverOptions) {}

  get callbackUrl(): string {
    return `${this.o.botUrl}${this.o.path ?? "/wecom/callback"}`;
  }

  textXml(from: string, content: string, msgId = newMsgId(), createTime = nowS()): string {
    return this.xml(from, createTime, "text", `<Content>${cdata(content)}</Content><MsgId>${msgId}</MsgId>`);
  }

  mediaXml(from: string, msgType: "image" | "voice" | "video" | "location" | "file" | "link", msgId = newMsgId()): string {
    return this.xml(from, nowS(), msgType, `<MediaId>${cdata("media_" + msgId)}</MediaId><MsgId>${msgId}</MsgId>`);
  }

  eventXml(from: string, event: string, eventKey = "", createTime = nowS()): string {
    return this.xml(from, createTime, "event", `<Event>${cdata(event)}</Event><EventKey>${cdata(eventKey)}</EventKey>`);
  }

  /** A button click on a template card (src/channels/wecom/README.md, doc 90240). */
  cardEventXml(c: { from: string; eventKey: string; taskId: string; responseCode: string; cardType?: string; createTime?: string }): string {
    const inner =
      `<Event>${cdata("template_card_event")}</Event><EventKey>${cdata(c.eventKey)}</EventKey><TaskId>${cdata(c.taskId)}</TaskId>` +
      `<CardType>${cdata(c.cardType ?? "button_interaction")}</CardType><ResponseCode>${cdata(c.responseCode)}</ResponseCode>`;
    return this.xml(c.from, c.createTime ?? nowS(), "event", inner);
  }

  private xml(from: string, createTime: string, msgType: string, inner: string): string {
    return (
      `<xml><ToUserName>${cdata(this.o.corpId)}</ToUserName><FromUserName>${cdata(from)}</FromUserName>` +
      `<CreateTime>${createTime}</CreateTime><MsgType>${cdata(msgType)}</MsgType>${inner}<AgentID>${this.o.agentId}</AgentID></xml>`
    );
  }

  /** Encrypt, wrap in the envelope and sign, as WeCom does. */
  prepare(plainXml: string, p: PrepareOptions = {}): Prepared {
    const corpId = p.corpId ?? this.o.corpId;
    let enc = encrypt(p.encodingAesKey ?? this.o.encodingAesKey, plainXml, corpId);
    if (p.mangle) enc = p.mangle(enc);
    const timestamp = p.timestamp ?? nowS();
    const nonce = p.nonce ?? randomBytes(8).toString("hex");
    const sig = getSignature(p.token ?? this.o.token, timestamp, nonce, enc);
    const body = `<xml><ToUserName>${cdata(corpId)}</ToUserName><Encrypt>${cdata(enc)}</Encrypt><AgentID>${cdata(String(this.o.agentId))}</AgentID></xml>`;
    return { query: `msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`, body };
  }

  post(p: Prepared): Promise<HttpResult> {
    return this.postRaw(p.query, p.body);
  }

  /** Like WeCom: POST, and on a non-200 or a 5 s timeout resend the same body, up to 3 retries. */
  async deliver(plainXml: string): Promise<HttpResult & { attempts: number }> {
    const p = this.prepare(plainXml);
    let last: HttpResult = { status: 0, text: "" };
    for (let attempt = 1; attempt <= 4; attempt++) {
      last = await this.post(p).catch((err: Error) => ({ status: 0, text: err.message }));
      if (last.status === 200) return { ...last, attempts: attempt };
    }
    return { ...last, attempts: 4 };
  }

  postRaw(query: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<HttpResult> {
    return request("POST", `${this.callbackUrl}?${query}`, body, { "content-type": "text/xml", ...headers });
  }

  /** The console's "save" check: GET with an encrypted echostr; the bot must answer its plaintext. */
  async verifyUrl(plain: string, p: PrepareOptions = {}): Promise<HttpResult & { echostr: string }> {
    const v = this.prepareVerify(plain, p);
    return { ...(await this.getRaw(v.query)), echostr: v.echostr };
  }

  /** The signed query of a URL verification (echostr percent-encoded), to send as is or changed. */
  prepareVerify(plain: string, p: PrepareOptions = {}): { query: string; echostr: string } {
    const echostr = encrypt(p.encodingAesKey ?? this.o.encodingAesKey, plain, p.corpId ?? this.o.corpId);
    const timestamp = p.timestamp ?? nowS();
    const nonce = p.nonce ?? randomBytes(8).toString("hex");
    const sig = getSignature(p.token ?? this.o.token, timestamp, nonce, echostr);
    return { query: `msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`, echostr };
  }

  getRaw(query: string): Promise<HttpResult> {
    return request("GET", `${this.callbackUrl}?${query}`);
  }
}

/** node:http rather than fetch: a server may answer 413 before it has read a large body. */
export function request(method: string, url: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout after 5 s")));
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE" && err.code !== "ECONNRESET") return reject(err);
      setTimeout(() => reject(err), 2000).unref(); // the response may still arrive; if it does, it wins
    });
    req.end(body);
  });
}
