// A loop that drains work, sleeps when idle, and can be woken early (after an inbox accept).
import type { Logger } from "./logger.ts";
import { realTimers, type TimerHandle, type Timers } from "./timers.ts";

export class PollLoop {
  private running = false;
  private wakeUp: (() => void) | null = null;
  private done: Promise<void> | null = null;
  private pendingWake = false;

  constructor(
    private readonly name: string,
    /** Returns how many items it handled; 0 means idle. */
    private readonly tick: () => Promise<number>,
    private readonly idleMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.loop();
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let handled = 0;
      this.pendingWake = false;
      try {
        handled = await this.tick();
      } catch (err) {
        this.log.error(`${this.name} tick failed`, { err });
      }
      if (!this.running) break;
      if (handled === 0 && !this.pendingWake) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.idleMs);
          this.wakeUp = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wakeUp = null;
      }
    }
  }
}

/** Renews one claim; returns its new token, or null when the claim is no longer ours. */
export type RenewClaim = (id: string, token: string) => Promise<string | null>;

/**
 * The claims a worker holds on one batch, kept alive by a heartbeat. Claims are short (a dead worker's work is
 * picked up by another within one lease) and renewed every third of a lease while this worker lives. Each renewal
 * replaces the claim's token, so renewals and the final settle run one at a time: a token is never used while it
 * is being replaced.
 */
export class Lease {
  private readonly tokens = new Map<string, string>();
  /** When each claim was last taken or renewed (this process's clock): a fresh one needs no renewal to be sure. */
  private readonly since = new Map<string, number>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly timer: TimerHandle;
  private beating = false;

  constructor(
    claims: { id: string; lockToken: string }[],
    private readonly renewOne: RenewClaim,
    everyMs: number,
    private readonly onError: (err: unknown) => void = () => undefined,
    /** The heartbeat's timers (tests drive them); default the real ones. */
    private readonly timers: Timers = realTimers,
  ) {
    const now = Date.now();
    for (const c of claims) {
      this.tokens.set(c.id, c.lockToken);
      this.since.set(c.id, now);
    }
    this.timer = timers.setInterval(() => void this.beat(), everyMs, { unref: true });
  }

  /** Whether the claim is still ours (false once renewal found another worker took it over). */
  holds(id: string): boolean {
    return this.tokens.has(id);
  }

  /**
   * Renew one claim now, right before an action that must not happen twice; null when it was lost. Unlike the
   * heartbeat it throws when the database cannot say: then the action must not go ahead.
   * A claim taken or renewed less than `freshMs` ago is still ours without asking: nobody else may take it
   * before its lease runs out, and at least the rest of the lease is left (the database set it before we got it).
   */
  renew(id: string, freshMs = 0): Promise<string | null> {
    const at = this.since.get(id);
    if (freshMs > 0 && at !== undefined && Date.now() - at < freshMs) return Promise.resolve(this.tokens.get(id) ?? null);
    return this.serial(async () => {
      await this.renewHeld(id, true);
      return this.tokens.get(id) ?? null;
    });
  }

  /**
   * Stop renewing `id` and run `fn` with its current token (null when the claim was lost). Only taking the token
   * waits for a renewal in progress; `fn` itself runs beside the other claims' settles (no renewal touches `id` any
   * more), so the outcomes of side-by-side work are not recorded one after another.
   */
  settle<T>(id: string, fn: (token: string | null) => Promise<T>): Promise<T> {
    const taken = this.serial(async () => {
      const token = this.tokens.get(id) ?? null;
      this.tokens.delete(id);
      return token;
    });
    return taken.then(fn);
  }

  stop(): void {
    this.timers.clear(this.timer);
    this.tokens.clear();
  }

  private beat(): Promise<void> {
    if (this.beating) return Promise.resolve(); // the last beat is still waiting (e.g. behind a row lock)
    this.beating = true;
    // All at once: one claim waiting behind its handler's row lock must not hold up the others' renewal.
    return this.serial(async () => {
      await Promise.all([...this.tokens.keys()].map((id) => this.renewHeld(id)));
    }).finally(() => (this.beating = false));
  }

  private async renewHeld(id: string, rethrow = false): Promise<void> {
    const token = this.tokens.get(id);
    if (token === undefined) return;
    try {
      const started = Date.now();
      const next = await this.renewOne(id, token);
      if (next) {
        this.tokens.set(id, next);
        this.since.set(id, started);
      } else this.tokens.delete(id);
    } catch (err) {
      if (rethrow) throw err;
      this.onError(err); // e.g. the database is briefly unreachable: keep the claim and try again next beat
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/**
 * Runs `fn` over `items`, at most `limit` at a time, in order of start. Settles only when every item is done (a
 * failed one does not leave the others running behind the caller's back), then throws the first failure.
 */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item).catch((err: unknown) => void failures.push(err));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length) throw failures[0];
}
