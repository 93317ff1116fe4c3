/** Exponential back-off with jitter: 1 s, 2 s, 4 s … capped (default 10 min). */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 10 * 60_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}
