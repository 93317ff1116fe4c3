// Drains the inbox: every accepted event is handled once. The handler marks the event done inside its own
// transaction, so a crash between the ack and the work loses nothing and repeats nothing.
//
// Claims are short leases kept alive by a heartbeat while this worker lives: if the process dies mid-handling,
// another instance (or this one after a restart) takes the event over within one lease, not minutes later.
// Exactly once does not rest on the lease: the handler's commit re-checks, under a row lock, that the event is
// still pending (see dispatch.ts), so a worker that lost its claim and finishes late changes nothing.
import { backoffMs } from "./backoff.ts";
import type { Logger } from "./logger.ts";
import { eachLimited, Lease, PollLoop } from "./poll-loop.ts";
import type { ClaimedInboxEvent, InboxStore } from "./ports.ts";
import type { Timers } from "./timers.ts";

export type EventHandler = (item: ClaimedInboxEvent) => Promise<void>;

/** An inbox whose claims can be renewed (InboxRepo). */
/** How long a claim lasts without renewal: how long a dead worker's events wait. */
export const INBOX_LEASE_MS = 45_000;
/**
 * At most this many events are handed to the handler at once per unit of `concurrency` (`eventsPerLane` chooses
 * fewer). The dispatcher handles events it is given at the same moment in one transaction, up to this many
 * (dispatch.ts): each transaction then carries a few people's events (one begin, lock, done-mark and commit for them
 * all) while `concurrency` transactions still run side by side.
 */
export const INBOX_EVENTS_PER_LANE = 8;
/** Tries before an event is given up (and the person told). */
export const INBOX_MAX_ATTEMPTS = 5;

export interface InboxWorkerOptions {
  batchSize?: number;
  /**
   * Transactions at once. A claim holds at most one event per person (their earliest pending one), so the
   * events of a batch are always different people's and may run side by side; one person's stay in order.
   * `concurrency` × `eventsPerLane` events are handed over at once and the dispatcher gathers them into
   * about `concurrency` transactions, each holding a database connection: size it to the pool (main.ts).
   * Default 1 (the embedded database has one connection anyway).
   */
  concurrency?: number;
  /**
   * Events per transaction (at most INBOX_EVENTS_PER_LANE, the default). Fewer on the embedded database: its one
   * connection also takes the inbox writes, which must not wait long behind a big transaction.
   */
  eventsPerLane?: number;
  /** Lease length; renewed every third of it while the batch is worked on. */
  lockMs?: number;
  idleMs?: number;
  maxAttempts?: number;
  /** Called once an event has failed for good, so the user hears about it. */
  onGiveUp?: (item: ClaimedInboxEvent, error: unknown) => Promise<void>;
  /** The lease heartbeat's timers (tests drive them); default the real ones. */
  timers?: Timers;
  /**
   * Whether a failure only means the database was unreachable (connection lost, failover): the event is retried
   * with back-off but never given up for it, so an outage cannot use up an acknowledged event's attempts.
   */
  isTransient?: (err: unknown) => boolean;
}

export class InboxWorker {
  private readonly loop: PollLoop;
  /** Set by stop(): the event in hand is finished, the rest of the batch is handed back. */
  private stopping = false;
  /** Failed events whose release the database refused (unreachable): released at the next tick, not a lease later. */
  private unreleased: { item: ClaimedInboxEvent; token: string; message: string; retryAt: Date | null; err: unknown }[] = [];

  constructor(
    private readonly store: InboxStore,
    private readonly handle: EventHandler,
    private readonly log: Logger,
    private readonly opts: InboxWorkerOptions = {},
  ) {
    this.loop = new PollLoop("inbox", () => this.drainOnce(), opts.idleMs ?? 250, log);
  }

  start(): void {
    this.stopping = false;
    this.loop.start();
  }
  wake(): void {
    this.loop.wake();
  }
  stop(): Promise<void> {
    this.stopping = true;
    return this.loop.stop();
  }

  /** Handles one batch; exposed so tests and CLIs can drain deterministically. */
  async drainOnce(): Promise<number> {
    const lockMs = this.opts.lockMs ?? INBOX_LEASE_MS;
    await this.releaseLeftovers();
    const perLane = Math.min(INBOX_EVENTS_PER_LANE, Math.max(1, this.opts.eventsPerLane ?? INBOX_EVENTS_PER_LANE));
    const inFlight = Math.max(1, this.opts.concurrency ?? 1) * perLane;
    const items = await this.store.claim(this.opts.batchSize ?? Math.max(5, 2 * inFlight), lockMs);
    if (items.length === 0) return 0;
    const lease = new Lease(
      items,
      (id, token) => this.store.renew(id, token, lockMs),
      lockMs / 3,
      (err) => this.log.warn("inbox lease renewal failed; will retry", { err }),
      this.opts.timers,
    );
    try {
      await eachLimited(items, inFlight, (item) => (this.stopping ? this.handBack(item, lease) : this.handleOne(item, lease)));
    } finally {
      lease.stop();
    }
    return items.length;
  }

  /** Shutting down: the claim goes back at once (not after a lease), so another instance or the restart takes it. */
  private async handBack(item: ClaimedInboxEvent, lease: Lease): Promise<void> {
    await lease
      .settle(item.id, async (token) => token && this.store.release(item.id, token, "handed back at shutdown", new Date()))
      .catch((err) => this.log.warn("could not hand back a claim at shutdown; it expires after its lease", { err, eventId: item.event.eventId }));
  }

  private async handleOne(item: ClaimedInboxEvent, lease: Lease): Promise<void> {
    const log = this.log.child({ eventId: item.event.eventId, platform: item.event.platform });
    if (!lease.holds(item.id)) {
      log.warn("claim ran out before handling; another worker has the event");
      return;
    }
    try {
      await this.handle(item);
      await lease.settle(item.id, async () => undefined);
    } catch (err) {
      const max = this.opts.maxAttempts ?? INBOX_MAX_ATTEMPTS;
      const giveUp = item.attempts >= max && !this.opts.isTransient?.(err);
      log.error(giveUp ? "event failed for good" : "event failed, will retry", { err, attempts: item.attempts });
      const message = err instanceof Error ? err.message : String(err);
      const retryAt = giveUp ? null : new Date(Date.now() + backoffMs(item.attempts));
      const released = await lease.settle(item.id, async (token) => {
        if (!token) return false; // another worker took over; it decides what happens next
        try {
          await this.store.release(item.id, token, message, retryAt);
        } catch (e) {
          // The database is unreachable too: the claim would otherwise hold for a whole lease, and the rest of the
          // batch with it. Released at the next tick; the batch goes on (its events fail fast the same way).
          log.warn("could not release the event; will retry", { err: e });
          this.unreleased.push({ item, token, message, retryAt, err });
          return false;
        }
        return true;
      });
      if (giveUp && released) await this.opts.onGiveUp?.(item, err).catch((e) => log.error("onGiveUp failed", { err: e }));
    }
  }

  private async releaseLeftovers(): Promise<void> {
    const left = this.unreleased;
    this.unreleased = [];
    for (const u of left) {
      try {
        // Matches nothing when the claim ran out meanwhile and another worker has the event: harmless.
        await this.store.release(u.item.id, u.token, u.message, u.retryAt);
        if (u.retryAt === null) await this.opts.onGiveUp?.(u.item, u.err).catch((e) => this.log.error("onGiveUp failed", { err: e }));
      } catch {
        this.unreleased.push(u);
      }
    }
  }
}
