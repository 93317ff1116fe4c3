/**
 * Exponential back-off with ±20 % jitter: base, 2 × base, 4 × base … capped (defaults 1 s and 10 min). The one
 * back-off of the app: inbox and outbox retries, and DingTalk's Stream reconnects. The jitter keeps instances that
 * failed together from retrying together.
 */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 10 * 60_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}
