// Drains the inbox: every accepted event is handled once. The handler marks the event done inside its own
// transaction, so a crash between the ack and the work loses nothing and repeats nothing.
import { backoffMs } from "./backoff.ts";
import type { Logger } from "./logger.ts";
import { PollLoop } from "./poll-loop.ts";
import type { ClaimedInboxEvent, InboxStore } from "./ports.ts";

export type EventHandler = (item: ClaimedInboxEvent) => Promise<void>;

export interface InboxWorkerOptions {
  batchSize?: number;
  lockMs?: number;
  idleMs?: number;
  maxAttempts?: number;
  /** Called once an event has failed for good, so the user hears about it. */
  onGiveUp?: (item: ClaimedInboxEvent, error: unknown) => Promise<void>;
}

export class InboxWorker {
  private readonly loop: PollLoop;

  constructor(
    private readonly store: InboxStore,
    private readonly handle: EventHandler,
    private readonly log: Logger,
    private readonly opts: InboxWorkerOptions = {},
  ) {
    this.loop = new PollLoop("inbox", () => this.drainOnce(), opts.idleMs ?? 250, log);
  }

  start(): void {
    this.loop.start();
  }
  wake(): void {
    this.loop.wake();
  }
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Handles one batch; exposed so tests and CLIs can drain deterministically. */
  async drainOnce(): Promise<number> {
    // Small batches and a long lock: a claim must outlive the handling of the whole batch (LLM calls included).
    const items = await this.store.claim(this.opts.batchSize ?? 5, this.opts.lockMs ?? 5 * 60_000);
    for (const item of items) {
      const log = this.log.child({ eventId: item.event.eventId, platform: item.event.platform });
      try {
        await this.handle(item);
      } catch (err) {
        const max = this.opts.maxAttempts ?? 5;
        const giveUp = item.attempts >= max;
        log.error(giveUp ? "event failed for good" : "event failed, will retry", { err, attempts: item.attempts });
        const message = err instanceof Error ? err.message : String(err);
        await this.store.release(item.id, item.lockToken, message, giveUp ? null : new Date(Date.now() + backoffMs(item.attempts)));
        if (giveUp) await this.opts.onGiveUp?.(item, err).catch((e) => log.error("onGiveUp failed", { err: e }));
      }
    }
    return items.length;
  }
}
