/**
 * Timers and a millisecond clock, injectable so tests can drive time instead of waiting for it (a fake moves
 * only when the test advances it). Code that schedules its own work (watchdogs, retries, heartbeats) takes one;
 * the default is the real one.
 */
export interface Timers {
  now(): number;
  /** `unref`: do not keep the process alive for this timer. */
  setTimeout(fn: () => void, ms: number, opts?: { unref?: boolean }): TimerHandle;
  setInterval(fn: () => void, ms: number, opts?: { unref?: boolean }): TimerHandle;
  clear(handle: TimerHandle | undefined): void;
}

/** Opaque: only the Timers that made it can clear it. */
export type TimerHandle = object;

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout(fn, ms, opts) {
    const t = setTimeout(fn, ms);
    if (opts?.unref) t.unref();
    return t;
  },
  setInterval(fn, ms, opts) {
    const t = setInterval(fn, ms);
    if (opts?.unref) t.unref();
    return t;
  },
  clear(handle) {
    // clearTimeout and clearInterval are interchangeable in Node.
    if (handle) clearTimeout(handle as NodeJS.Timeout);
  },
};
