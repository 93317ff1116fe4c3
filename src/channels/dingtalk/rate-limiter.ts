// A small client-side limiter (token bucket) so one busy moment does not trip DingTalk's per-app QPS limit.
// It is per instance: N instances together may send N × perSecond, while DingTalk's limit (20 QPS per app per API on
// the standard plan) is shared by all of them. With several instances, lower the rate to limit ÷ instances; whatever
// still gets throttled comes back as 90018 / QpsLimitForAppkeyAndApi and is retried by the outbox.

/** Where the limiter reads the time and waits: the real clock, or a test's virtual one. */
export interface LimiterTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: LimiterTime = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly time: LimiterTime = realTime,
  ) {
    this.tokens = perSecond;
    this.last = time.now();
  }

  /** Resolves when a call may go out; calls are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.time.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.time.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    }
  }
}
