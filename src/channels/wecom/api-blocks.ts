// After a 45009 WeCom blocks that API for the whole app — 60 s, 60 min or a day, depending on which limit was
// hit (src/channels/wecom/README.md, doc 90454). Calling it again meanwhile only meets the block again, for every recipient,
// so we stop calling that API for a while, longer each time it is still blocked, and start over after a success.
const STEPS_MS = [60_000, 5 * 60_000, 60 * 60_000];

export class ApiBlocks {
  private readonly blocks = new Map<string, { until: number; step: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** How long `path` must not be called (ms); 0 when it may be called now. */
  waitFor(path: string): number {
    const b = this.blocks.get(path);
    return b ? Math.max(0, b.until - this.now()) : 0;
  }

  /** Records a 45009 on `path`; returns how long to wait. */
  block(path: string): number {
    const b = this.blocks.get(path);
    // Calls already on their way when the block began answer 45009 too: they do not make it longer.
    if (b && b.until > this.now()) return b.until - this.now();
    const step = Math.min((b?.step ?? -1) + 1, STEPS_MS.length - 1);
    const ms = STEPS_MS[step]!;
    this.blocks.set(path, { until: this.now() + ms, step });
    return ms;
  }

  /** A call that went through: the limit has reset, the next 45009 starts from the shortest wait again. */
  clear(path: string): void {
    this.blocks.delete(path);
  }
}
