// WeCom's JSON API with the access token handled (core AccessTokenCache: cached in process, refreshed 5 minutes
// before it expires, fetched once for all concurrent callers) and refetched once at once when WeCom says it is no
// longer valid. An API blocked by 45009 is not called until the block should be over (api-blocks.ts).
// Failures become RetryableSendError / PermanentSendError, judged by errcode only (never errmsg).
import http from "node:http";
import https from "node:https";
import { z } from "zod";
import { AccessTokenCache } from "../../core/access-token.ts";
import { PermanentSendError, RetryableSendError } from "../../core/app-error.ts";
import type { Logger } from "../../core/logger.ts";
import { endpointLabel, type ApiCallObserver } from "../../core/metrics.ts";
import { ApiBlocks } from "./api-blocks.ts";

export interface WecomApiConfig {
  corpId: string;
  secret: string;
  apiBase: string;
}

export interface WecomApiOptions {
  log: Logger;
  now?: () => number;
  timeoutMs?: number;
  /** Told the latency and outcome of every call (metrics). */
  observe?: ApiCallObserver;
}

export interface WecomReply {
  errcode: number;
  errmsg?: string;
  [key: string]: unknown;
}

/** WeCom always answers with an errcode; anything else (a proxy page, {}) must not count as delivered. */
const ReplySchema = z.looseObject({ errcode: z.number(), errmsg: z.string().optional() });
const TokenReplySchema = z.object({ errcode: z.literal(0), access_token: z.string().min(1), expires_in: z.number().catch(7200) });

const TOKEN_ERRORS = new Set([40014, 42001, 41001]);
/** Settings an administrator must fix; retried slowly so nothing is lost meanwhile. */
const CONFIG_ERRORS: Record<number, string> = {
  40001: "the secret is wrong: check WECOM_SECRET",
  40013: "the CorpID is wrong: check WECOM_CORP_ID",
  40056: "the AgentId is wrong: check WECOM_AGENT_ID",
  40091: "the secret is wrong: check WECOM_SECRET",
  42009: "the token does not belong to this app: check WECOM_SECRET and WECOM_AGENT_ID",
  48002: "the app may not call this API: check the app's permissions in the admin console",
  60020: "this server's IP is not in the app's 企业可信IP list: add it in the admin console",
};
const CONFIG_RETRY_MS = 5 * 60_000;
const RATE_LIMITED = 45009;
const GETTOKEN = "/cgi-bin/gettoken";

export class WecomApi {
  private readonly tokens: AccessTokenCache;
  private readonly blocks: ApiBlocks;

  constructor(
    private readonly config: WecomApiConfig,
    private readonly opts: WecomApiOptions,
  ) {
    const now = opts.now ?? Date.now;
    this.blocks = new ApiBlocks(now);
    this.tokens = new AccessTokenCache(() => this.fetchToken(), now);
  }

  /**
   * POST `path` (e.g. "/cgi-bin/message/send") with the token; a token WeCom rejects is replaced once.
   * Errcodes in `accept` are returned to the caller instead of thrown.
   */
  async post(path: string, body: unknown, accept: readonly number[] = []): Promise<WecomReply> {
    this.checkNotBlocked(path);
    let token = await this.accessToken();
    let reply = await this.request("POST", `${path}?access_token=${encodeURIComponent(token)}`, body);
    if (TOKEN_ERRORS.has(reply.errcode)) {
      this.tokens.invalidate(token);
      token = await this.accessToken();
      reply = await this.request("POST", `${path}?access_token=${encodeURIComponent(token)}`, body);
    }
    if (reply.errcode === 0) this.blocks.clear(path);
    else if (!accept.includes(reply.errcode)) throw this.failure(path, reply);
    return reply;
  }

  /** GET `path` with `query` and the token (the address book's reads); same token and error handling as post. */
  async get(path: string, query: Record<string, string> = {}): Promise<WecomReply> {
    this.checkNotBlocked(path);
    const q = (token: string) => `${path}?${new URLSearchParams({ access_token: token, ...query }).toString()}`;
    let token = await this.accessToken();
    let reply = await this.request("GET", q(token));
    if (TOKEN_ERRORS.has(reply.errcode)) {
      this.tokens.invalidate(token);
      token = await this.accessToken();
      reply = await this.request("GET", q(token));
    }
    if (reply.errcode !== 0) throw this.failure(path, reply);
    this.blocks.clear(path);
    return reply;
  }

  /** While WeCom blocks an API, calling it only meets the block again: defer without a call. */
  private checkNotBlocked(path: string): void {
    const wait = this.blocks.waitFor(path);
    if (wait > 0) throw new RetryableSendError(`WeCom ${path} is blocked after errcode ${RATE_LIMITED}; not called for another ${Math.ceil(wait / 1000)} s`, wait);
  }

  /** Single flight: concurrent callers share one gettoken (WeCom throttles frequent calls). */
  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  private async fetchToken(): Promise<{ value: string; expiresInMs: number }> {
    this.checkNotBlocked(GETTOKEN);
    const q = `corpid=${encodeURIComponent(this.config.corpId)}&corpsecret=${encodeURIComponent(this.config.secret)}`;
    const reply = await this.request("GET", `${GETTOKEN}?${q}`);
    const token = TokenReplySchema.safeParse(reply);
    if (!token.success) throw this.failure(GETTOKEN, reply);
    this.blocks.clear(GETTOKEN);
    return { value: token.data.access_token, expiresInMs: token.data.expires_in * 1000 };
  }

  private async request(method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<WecomReply> {
    const api = pathAndQuery.split("?")[0] ?? pathAndQuery; // never log the query: it holds the secret or token
    const what = `WeCom ${api}`;
    const started = performance.now();
    const observe = (error?: string) => this.opts.observe?.({ endpoint: endpointLabel(api), seconds: (performance.now() - started) / 1000, error });
    let res: { status: number; json: unknown };
    try {
      res = await requestJson(`${this.config.apiBase}${pathAndQuery}`, method, body === undefined ? undefined : JSON.stringify(body), what, this.opts.timeoutMs ?? 10_000);
    } catch (err) {
      observe("network");
      throw err;
    }
    if (res.status < 200 || res.status > 299) {
      observe(`http_${res.status}`);
      throw new RetryableSendError(`${what} answered HTTP ${res.status}`);
    }
    const reply = ReplySchema.safeParse(res.json);
    if (!reply.success) {
      observe("unreadable");
      throw new RetryableSendError(`${what} answered without an errcode`);
    }
    observe(reply.data.errcode === 0 ? undefined : `errcode_${reply.data.errcode}`);
    return reply.data;
  }

  private failure(api: string, reply: WecomReply): Error {
    const what = `WeCom ${api} errcode ${reply.errcode} (${String(reply.errmsg ?? "").slice(0, 120)})`;
    const config = CONFIG_ERRORS[reply.errcode];
    if (config) {
      this.opts.log.error(`WeCom refused the call: ${config}`, { api, errcode: reply.errcode });
      return new RetryableSendError(`${what}: ${config}`, CONFIG_RETRY_MS);
    }
    if (reply.errcode === RATE_LIMITED) {
      const wait = this.blocks.block(api);
      this.opts.log.warn("WeCom rate limit hit; not calling this API for a while", { api, waitMs: wait });
      return new RetryableSendError(`${what}: rate limited, blocked for ${Math.ceil(wait / 1000)} s`, wait);
    }
    if (reply.errcode === -1 || reply.errcode === 45033) return new RetryableSendError(`${what}: busy`);
    if (TOKEN_ERRORS.has(reply.errcode)) return new RetryableSendError(`${what}: token rejected twice`);
    return new PermanentSendError(what);
  }
}

/**
 * Connections to WeCom kept open between calls (every reply is one call; a busy bot makes hundreds a second), per
 * protocol: the simulator and a proxy may be plain HTTP.
 */
const agents = { "http:": new http.Agent({ keepAlive: true, maxSockets: 64 }), "https:": new https.Agent({ keepAlive: true, maxSockets: 64 }) };

/**
 * One JSON call through node:http with a total time limit: a network failure or timeout is a RetryableSendError
 * (`… unreachable: …`), any answer is returned with its status and parsed body (undefined when empty or not JSON).
 * What core's fetchJson does for every other platform call, at about half the CPU of fetch (no web streams, no
 * AbortSignal timer per call): this runs once for every message the bot sends.
 */
function requestJson(url: string, method: "GET" | "POST", body: string | undefined, what: string, timeoutMs: number): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (err) {
      reject(new RetryableSendError(`${what} unreachable: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    const client = target.protocol === "https:" ? https : http;
    const headers: Record<string, string | number> = { accept: "application/json" };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(body);
    }
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fn();
    };
    const req = client.request(target, { method, headers, agent: agents[target.protocol === "https:" ? "https:" : "http:"] }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (err) => finish(() => reject(new RetryableSendError(`${what} unreachable: ${err.message}`))));
      res.on("close", () => finish(() => reject(new RetryableSendError(`${what} unreachable: the answer was cut off`))));
      res.on("end", () =>
        finish(() => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        }),
      );
    });
    const timer = setTimeout(() => {
      finish(() => reject(new RetryableSendError(`${what} unreachable: no answer within ${timeoutMs} ms`)));
      req.destroy();
    }, timeoutMs);
    req.on("error", (err) => finish(() => reject(new RetryableSendError(`${what} unreachable: ${err.message}`))));
    req.end(body);
  });
}
