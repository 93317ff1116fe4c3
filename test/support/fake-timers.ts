// Timers that move only when the test advances them (see src/core/timers.ts): a watchdog or a back-off then
// fires exactly when the test says, however busy the machine is.
import type { TimerHandle, Timers } from "../../src/core/timers.ts";

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  everyMs?: number;
}

export class FakeTimers implements Timers {
  private current: number;
  private seq = 0;
  private readonly pending = new Map<object, Pending>();

  constructor(start = Date.parse("2026-01-05T09:00:00Z")) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const h = {};
    this.pending.set(h, { at: this.current + Math.max(0, ms), seq: this.seq++, fn });
    return h;
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const h = {};
    const everyMs = Math.max(1, ms);
    this.pending.set(h, { at: this.current + everyMs, seq: this.seq++, fn, everyMs });
    return h;
  }

  clear(handle: TimerHandle | undefined): void {
    if (handle) this.pending.delete(handle);
  }

  /** Timers still scheduled. */
  get count(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order, each at its own time. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      let next: [object, Pending] | undefined;
      for (const e of this.pending) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[1].seq < next[1].seq))) next = e;
      if (!next) break;
      const [h, p] = next;
      this.current = Math.max(this.current, p.at);
      if (p.everyMs) this.pending.set(h, { ...p, at: p.at + p.everyMs, seq: this.seq++ });
      else this.pending.delete(h);
      p.fn();
    }
    this.current = end;
  }
}
