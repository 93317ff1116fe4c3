// A small client-side limiter (token bucket) so one busy moment does not trip DingTalk's per-app QPS limit.
// It is per instance: N instances together may send N × perSecond, while DingTalk's limit (20 QPS per app per API on
// the standard plan) is shared by all of them. With several instances, lower the rate to limit ÷ instances; whatever
// still gets throttled comes back as 90018 / QpsLimitForAppkeyAndApi and is retried by the outbox.
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  /** Resolves when a call may go out; calls are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn;
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}
