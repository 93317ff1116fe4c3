// What the WeCom and DingTalk API clients share: an access-token cache and one JSON-over-HTTP call. How a platform
// answers (errcodes, statuses) is judged by its channel; here only transport failures become send errors.
import { RetryableSendError } from "./app-error.ts";

export interface FetchedToken {
  value: string;
  /** How long the platform says the token lives. */
  expiresInMs: number;
}

/**
 * One token per app and process: reused until `refreshEarlyMs` before it expires, fetched once for all concurrent
 * callers (both platforms throttle token calls), and dropped when the platform refuses it.
 */
export class AccessTokenCache {
  private token: { value: string; refreshAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => number = Date.now,
    private readonly refreshEarlyMs = 5 * 60_000,
  ) {}

  /** The cached token, or a fresh one (single flight). */
  get(): Promise<string> {
    const cached = this.peek();
    if (cached) return Promise.resolve(cached);
    this.inflight ??= this.fetchToken()
      .then((t) => {
        this.token = { value: t.value, refreshAt: this.now() + Math.max(0, t.expiresInMs - this.refreshEarlyMs) };
        return t.value;
      })
      .finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** The cached token if it is still good; never fetches. */
  peek(): string | undefined {
    return this.token && this.now() < this.token.refreshAt ? this.token.value : undefined;
  }

  /** The platform refused `token`: forget it, unless another caller already holds a newer one. */
  invalidate(token: string): void {
    if (this.token?.value === token) this.token = null;
  }
}

export interface JsonRequest {
  method: "GET" | "POST" | "PUT";
  /** Serialised as JSON; no body (and no content-type) when undefined. */
  body?: unknown;
  /** A multipart body instead (a file upload): fetch sets the content-type with its boundary. */
  form?: FormData;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Names the call in errors; never the URL, whose query may hold a secret or token. */
  what: string;
}

export interface JsonAnswer {
  status: number;
  /** The parsed body; undefined when the body was empty or not JSON. */
  json: unknown;
  /** The body when it was not JSON (an HTML block page, a proxy error), cut to 2,000 characters. */
  raw?: string;
  retryAfter: string | null;
}

/** One HTTP call with a timeout. A network failure or timeout is a RetryableSendError; any answer is returned. */
export async function fetchJson(url: string, req: JsonRequest): Promise<JsonAnswer> {
  let res: globalThis.Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers: { accept: "application/json", ...(req.body === undefined || req.form ? {} : { "content-type": "application/json" }), ...req.headers },
      body: req.form ?? (req.body === undefined ? undefined : JSON.stringify(req.body)),
      signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new RetryableSendError(`${req.what} unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text().catch(() => "");
  const retryAfter = res.headers.get("retry-after");
  if (!text) return { status: res.status, json: undefined, retryAfter };
  try {
    return { status: res.status, json: JSON.parse(text) as unknown, retryAfter };
  } catch {
    return { status: res.status, json: undefined, raw: text.slice(0, 2000), retryAfter };
  }
}
