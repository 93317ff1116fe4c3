// WeCom silently drops app messages beyond 30/min and 1000/h to one member (protocols.md A3). Counting our
// own sends per recipient turns that silent loss into a visible "try later" that the outbox reschedules.
// The outbox enforces the same windows from the database across instances (WecomSender.recipientLimits); this
// in-process count is a second guard that needs no query. A slot is only kept for a call WeCom accepted: a
// failed call gives it back, or a few network errors would hold a member's messages for a minute.

export interface Window {
  limit: number;
  windowMs: number;
}

export const WECOM_MEMBER_WINDOWS: Window[] = [
  { limit: 30, windowMs: 60_000 },
  { limit: 1000, windowMs: 3_600_000 },
];

export class SlidingWindowLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly longest: number;

  constructor(
    private readonly windows: Window[] = WECOM_MEMBER_WINDOWS,
    private readonly now: () => number = Date.now,
  ) {
    this.longest = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Takes a slot for `key`; returns 0 when allowed, else how many ms until a slot frees up. */
  take(key: string): number {
    const t = this.now();
    const times = (this.sent.get(key) ?? []).filter((x) => x > t - this.longest);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = times.filter((x) => x > t - w.windowMs);
      const oldest = inWindow[inWindow.length - w.limit];
      if (inWindow.length >= w.limit && oldest !== undefined) wait = Math.max(wait, oldest + w.windowMs - t + 1);
    }
    if (wait === 0) times.push(t);
    if (times.length) this.sent.set(key, times);
    else this.sent.delete(key);
    if (this.sent.size > 10_000) this.sweep(t);
    return wait;
  }

  /** Returns the newest slot of `key`: the send it was taken for did not reach WeCom (or WeCom refused it). */
  giveBack(key: string): void {
    const times = this.sent.get(key);
    if (!times?.length) return;
    times.pop();
    if (times.length === 0) this.sent.delete(key);
  }

  private sweep(t: number): void {
    for (const [k, v] of this.sent) if (!v.some((x) => x > t - this.longest)) this.sent.delete(k);
  }
}
