// DingTalk's throttling answers (src/channels/dingtalk/README.md; open.dingtalk.com "调用频次与限流"), in every form they come in:
// - old-style errcode in an HTTP 200: 90002 (API-wide), 90018 (app × API QPS), 90019 (3rd-party app), 90020 (monthly quota);
// - new-style codes, usually HTTP 403: Forbidden.AccessDenied.QpsLimitForApi / QpsLimitForAppkeyAndApi / ApiCountLimitForOrg;
// - HTTP 429;
// - the per-IP block (10 000 calls / 20 s, then 5 min): {"status":1111,"wait":5,"source":"x5","punish":"deny"},
//   sometimes inside an HTML page rather than as JSON.
// All are retried later by the outbox with its back-off; when DingTalk says how long to wait we honour that.
import type { ApiAnswer } from "./api-client.ts";

const THROTTLE_CODES = new Set(["90002", "90018", "90019", "90020", "130101", "Throttling", "Throttling.Api", "Throttling.User"]);
const IP_BLOCK = /"status"\s*:\s*1111\b/;

export function isThrottled(res: Pick<ApiAnswer, "status" | "json" | "raw">): boolean {
  const code = codeOf(res.json);
  return res.status === 429 || THROTTLE_CODES.has(code) || /QpsLimit|ApiCountLimit|Throttl/i.test(code) || ipBlockWait(res) !== undefined;
}

/**
 * How long DingTalk asked us to wait, if it said: the IP block's `wait`, else a Retry-After header (both seconds).
 * `wait` is read as seconds like Retry-After; the doc pairs `"wait":5` with a 5-minute block and does not say the
 * unit, so a longer block simply answers 1111 again and is retried again.
 */
export function retryAfterMs(res: Pick<ApiAnswer, "json" | "raw" | "retryAfter">): number | undefined {
  const wait = ipBlockWait(res);
  if (wait !== undefined) return wait * 1000;
  const header = Number(res.retryAfter);
  return res.retryAfter && Number.isFinite(header) && header >= 0 ? header * 1000 : undefined;
}

/** The block's `wait` (seconds; 5 when it is missing), or undefined when this is not the IP block. */
function ipBlockWait(res: Pick<ApiAnswer, "json" | "raw">): number | undefined {
  const j = res.json as { status?: unknown; wait?: unknown } | undefined;
  if (j?.status === 1111) return typeof j.wait === "number" && j.wait >= 0 ? j.wait : 5;
  if (res.raw && IP_BLOCK.test(res.raw)) {
    const m = /"wait"\s*:\s*(\d+)/.exec(res.raw);
    return m ? Number(m[1]) : 5;
  }
  return undefined;
}

/** The error code of an answer, old style (errcode) or new (code). */
export function codeOf(json: unknown): string {
  const j = (json ?? {}) as { code?: unknown; errcode?: unknown };
  return String(j.code ?? j.errcode ?? "");
}
