// Refused callbacks are logged, but a flood of forged or broken requests cannot flood the log: each source
// (remote address + reason) gets a small token bucket, and one shared bucket caps every source together (many
// addresses at once). What is not written is counted, and one summary line per source says how many were
// suppressed ("N more refused from X suppressed") once the flood has gone on for a summary period.
import type { Logger } from "./logger.ts";
import { realTimers, type Timers } from "./timers.ts";

export interface RefusalLogOptions {
  /** Lines one source + reason may write at once, then… */
  burst?: number;
  /** …one more per this many ms. */
  refillMs?: number;
  /** Lines all sources together may write at once, then one more per `globalRefillMs`. */
  globalBurst?: number;
  globalRefillMs?: number;
  /** How long after the first suppressed line the summary is written. */
  summaryMs?: number;
  /** Sources tracked at most; beyond it they are counted together as "(other sources)". */
  maxSources?: number;
  timers?: Timers;
}

interface Bucket {
  tokens: number;
  at: number;
  suppressed: number;
  source: string;
  reason: string;
}

const DEFAULTS = { burst: 5, refillMs: 10_000, globalBurst: 50, globalRefillMs: 1_000, summaryMs: 60_000, maxSources: 10_000 };
const OTHER = "(other sources)";

export class RefusalLog {
  private readonly o: typeof DEFAULTS;
  private readonly timers: Timers;
  private readonly buckets = new Map<string, Bucket>();
  private global: { tokens: number; at: number };
  private summary: object | undefined;

  constructor(
    private readonly log: Logger,
    opts: RefusalLogOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([k, v]) => k !== "timers" && v !== undefined)) };
    this.timers = opts.timers ?? realTimers;
    this.global = { tokens: this.o.globalBurst, at: this.timers.now() };
  }

  /**
   * One refused request: written as a warning if its source still has room, otherwise counted. `source` is the
   * remote address (or any stable name of the sender); `reason` a short fixed phrase, not attacker-chosen text.
   */
  refused(msg: string, source: string, reason: string, fields: Record<string, unknown> = {}): void {
    const now = this.timers.now();
    const bucket = this.bucket(source, reason, now);
    refill(bucket, now, this.o.burst, this.o.refillMs);
    refill(this.global, now, this.o.globalBurst, this.o.globalRefillMs);
    if (bucket.tokens >= 1 && this.global.tokens >= 1) {
      bucket.tokens--;
      this.global.tokens--;
      // `refusal`, not `reason`: the logger hides `reason` (what people type when they reject) unless LOG_MESSAGES.
      this.log.warn(msg, { ...fields, source, refusal: reason });
      return;
    }
    bucket.suppressed++;
    this.summary ??= this.timers.setTimeout(() => this.flush(), this.o.summaryMs, { unref: true });
  }

  /** Writes the summary lines now (the timer does this `summaryMs` after the first suppressed line). */
  flush(): void {
    this.timers.clear(this.summary);
    this.summary = undefined;
    const now = this.timers.now();
    for (const [key, b] of this.buckets) {
      if (b.suppressed > 0) {
        this.log.warn(`${b.suppressed} more refused from ${b.source} suppressed`, { source: b.source, refusal: b.reason, suppressed: b.suppressed });
        b.suppressed = 0;
      }
      // A source that has been quiet long enough to be full again is forgotten (memory stays bounded).
      refill(b, now, this.o.burst, this.o.refillMs);
      if (b.tokens >= this.o.burst) this.buckets.delete(key);
    }
  }

  private bucket(source: string, reason: string, now: number): Bucket {
    const key = `${source}\u0000${reason}`;
    let b = this.buckets.get(key);
    if (b) return b;
    if (this.buckets.size >= this.o.maxSources && source !== OTHER) return this.bucket(OTHER, reason, now);
    b = { tokens: this.o.burst, at: now, suppressed: 0, source, reason };
    this.buckets.set(key, b);
    return b;
  }
}

function refill(b: { tokens: number; at: number }, now: number, burst: number, refillMs: number): void {
  if (now <= b.at) return;
  b.tokens = Math.min(burst, b.tokens + (now - b.at) / refillMs);
  b.at = now;
}
