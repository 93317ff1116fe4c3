// DingTalk OpenAPI calls: access token (core AccessTokenCache: cached, refreshed early by the injected clock,
// single-flight; refetched once on 401), a client-side QPS limit, and one mapping of failures to Retryable/Permanent
// send errors.
import { z } from "zod";
import { AccessTokenCache, fetchJson, type JsonAnswer } from "../../core/access-token.ts";
import { PermanentSendError, RetryableSendError } from "../../core/app-error.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import { endpointLabel, type ApiCallObserver } from "../../core/metrics.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { codeOf, isThrottled, retryAfterMs } from "./throttling.ts";

export interface ApiClientOptions {
  clientId: string;
  clientSecret: string;
  apiBase: string;
  log: Logger;
  clock: Clock;
  /** Per instance (see rate-limiter.ts). Default 20. */
  qps?: number;
  timeoutMs?: number;
  /** Told the latency and outcome of every call (metrics). */
  observe?: ApiCallObserver;
}

export interface CallOptions {
  /** Answers the caller handles itself (returned instead of thrown), e.g. "this card already exists". */
  tolerate?: (status: number, json: unknown) => boolean;
}

const TokenAnswerSchema = z.object({ accessToken: z.string().min(1), expireIn: z.number().catch(7200) });

export class DingtalkApi {
  private readonly tokens: AccessTokenCache;
  private readonly limiter: RateLimiter;

  constructor(private readonly o: ApiClientOptions) {
    this.limiter = new RateLimiter(o.qps ?? 20);
    this.tokens = new AccessTokenCache(() => this.fetchToken(), () => o.clock.now().getTime());
  }

  /** Call `${apiBase}${path}` with the token header; returns the parsed JSON body. */
  async call<T = Record<string, unknown>>(method: "POST" | "PUT", path: string, body: unknown, opts: CallOptions = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const res = await this.fetchJson(`${this.o.apiBase}${path}`, method, body, { "x-acs-dingtalk-access-token": token });
      if (isAuthFailure(res.status, res.json)) {
        this.tokens.invalidate(token);
        if (attempt > 0) throw new RetryableSendError(`${method} ${path}: access token refused twice`);
        this.o.log.warn("dingtalk: access token refused; fetching a new one", { path });
        continue;
      }
      if (!opts.tolerate?.(res.status, res.json)) throwIfFailed(res, `${method} ${path}`);
      return res.json as T;
    }
  }

  /**
   * POST to a sessionWebhook (a full URL from the message); answers {errcode, errmsg}. The session in the URL is the
   * credential: the token header (which DingTalk's Node example sends) is added only when one is cached, so a token
   * outage never holds up webhook replies. A refusal makes the sender fall back to the robot API.
   */
  async postWebhook(url: string, body: unknown): Promise<{ errcode?: number; errmsg?: string }> {
    const token = this.tokens.peek();
    const res = await this.fetchJson(url, "POST", body, token ? { "x-acs-dingtalk-access-token": token } : {});
    throwIfFailed(res, "session webhook");
    return res.json as { errcode?: number; errmsg?: string };
  }

  accessToken(): Promise<string> {
    return this.tokens.get();
  }

  private async fetchToken(): Promise<{ value: string; expiresInMs: number }> {
    const res = await this.fetchJson(`${this.o.apiBase}/v1.0/oauth2/accessToken`, "POST", { appKey: this.o.clientId, appSecret: this.o.clientSecret }, {}, false);
    const token = TokenAnswerSchema.safeParse(res.json);
    if (res.status !== 200 || !token.success) {
      this.o.log.error("dingtalk: could not get an access token; check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET", { status: res.status, body: res.json });
      throw new RetryableSendError(`access token: HTTP ${res.status}`);
    }
    return { value: token.data.accessToken, expiresInMs: token.data.expireIn * 1000 };
  }

  private async fetchJson(url: string, method: "POST" | "PUT", body: unknown, headers: Record<string, string>, limited = true): Promise<ApiAnswer> {
    if (limited) await this.limiter.take();
    // Errors name the path only: a session webhook's query is its credential.
    const started = performance.now();
    const endpoint = endpointLabel(url);
    let res: Awaited<ReturnType<typeof fetchJson>>;
    try {
      res = await fetchJson(url, { method, body, headers, what: `DingTalk ${method} ${url.split("?")[0]}`, timeoutMs: this.o.timeoutMs ?? 10_000 });
    } catch (err) {
      this.o.observe?.({ endpoint, seconds: (performance.now() - started) / 1000, error: "network" });
      throw err;
    }
    const code = codeOf(res.json);
    const failed = res.status >= 400 ? `http_${res.status}` : res.raw !== undefined ? "unreadable" : code && code !== "0" && code !== "undefined" ? `code_${code.slice(0, 40)}` : undefined;
    this.o.observe?.({ endpoint, seconds: (performance.now() - started) / 1000, error: failed });
    // An empty body reads as {}, a non-JSON one (an HTML block page…) as { raw } so errors can quote it.
    return { ...res, json: res.json ?? (res.raw !== undefined ? { raw: res.raw.slice(0, 200) } : {}) };
  }
}

/** DingTalk's answer; `json` is never undefined (see fetchJson). */
export type ApiAnswer = JsonAnswer;

const CONFIG_RETRY_MS = 5 * 60_000;

function isAuthFailure(status: number, json: unknown): boolean {
  const code = codeOf(json);
  return status === 401 || code === "InvalidAuthentication" || code === "40014" || code === "42001";
}

/** HTTP status and the body's code decide: throttled/5xx/network → retry later; other 4xx or errcode → never. */
function throwIfFailed(res: ApiAnswer, what: string): void {
  const { status, json } = res;
  const code = codeOf(json);
  const message = String((json as { message?: unknown; errmsg?: unknown })?.message ?? (json as { errmsg?: unknown })?.errmsg ?? "");
  if (isThrottled(res)) throw new RetryableSendError(`${what}: throttled (${status} ${code || "no code"})`, retryAfterMs(res));
  if (status >= 500) throw new RetryableSendError(`${what}: HTTP ${status} ${code} ${message}`.trim());
  // A missing permission or IP whitelist entry is the administrator's to fix: keep the message queued and
  // retry slowly (as the WeCom channel does) instead of losing it.
  if (status === 403 || /AccessDenied|PermissionDenied|IpNotInWhiteList|Forbidden/i.test(code)) {
    throw new RetryableSendError(`${what}: not permitted (${status} ${code} ${message}); grant the app the permission in the DingTalk developer console — retrying every 5 minutes`.trim(), CONFIG_RETRY_MS);
  }
  if (status >= 400) throw new PermanentSendError(`${what}: HTTP ${status} ${code} ${message}`.trim());
  // A 200 we cannot read (a proxy page…) is not a delivery.
  if (res.raw !== undefined) throw new RetryableSendError(`${what}: unreadable answer (HTTP ${status}): ${res.raw.slice(0, 100)}`);
  if (code && code !== "0" && code !== "undefined" && (json as { errcode?: unknown }).errcode !== undefined) {
    if (code === "-1") throw new RetryableSendError(`${what}: system busy`);
    throw new PermanentSendError(`${what}: errcode ${code} ${message}`.trim());
  }
}
