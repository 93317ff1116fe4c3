// Delivers the outbox through per-platform senders with retry and back-off. A platform outage delays
// messages; it never drops them. Messages to one recipient keep their order within a batch.
//
// Claims are short leases renewed by a heartbeat while this worker lives (also during a slow send), so a dead
// worker's messages go out from another instance within one lease. Housekeeping runs now and then between batches.
import { PermanentSendError, RetryableSendError } from "./app-error.ts";
import { backoffMs } from "./backoff.ts";
import type { Logger } from "./logger.ts";
import { eachLimited, Lease, PollLoop } from "./poll-loop.ts";
import type { ChannelSender, ClaimedOutboxMessage, OutboxStore } from "./ports.ts";
import type { SendResult } from "./outbound-message.ts";
import type { Timers } from "./timers.ts";

/** An outbox that can also clean up after itself (OutboxRepo). */
/** How long a claim lasts without renewal: how long a dead worker's messages wait. */
export const OUTBOX_LEASE_MS = 45_000;

export interface OutboxWorkerOptions {
  batchSize?: number;
  /**
   * Recipients served at once. A claim holds at most one message per recipient (their earliest pending one), so
   * sends to different people run side by side (a platform call takes tens of milliseconds) while each person's
   * messages keep their order. Default 1.
   */
  concurrency?: number;
  /** Lease length; renewed every third of it while the batch is worked on. */
  lockMs?: number;
  /** How often housekeeping runs (default every 10 minutes). */
  housekeepEveryMs?: number;
  idleMs?: number;
  /** After this long undelivered, a message is dead-lettered (kept, visible, logged). Default 3 days. */
  maxAgeMs?: number;
  /** Called after a card was delivered, with the platform's ids (to update the card later). */
  onSent?: (item: ClaimedOutboxMessage, result: SendResult) => Promise<void>;
  /** The lease heartbeat's timers (tests drive them); default the real ones. */
  timers?: Timers;
}

export class OutboxWorker {
  private readonly loop: PollLoop;
  private readonly senders = new Map<string, ChannelSender>();
  private lastHousekeeping = 0;
  /** Set by stop(): the message in hand is finished, the rest of the batch is handed back. */
  private stopping = false;
  /**
   * Claims whose outcome the database could not take (unreachable): recorded at the next tick instead of staying
   * claimed for a lease; one that was sent is then marked sent, not sent again.
   */
  private leftovers: { item: ClaimedOutboxMessage; token: string; sent: SendResult | null }[] = [];

  constructor(
    private readonly store: OutboxStore,
    senders: ChannelSender[],
    private readonly log: Logger,
    private readonly opts: OutboxWorkerOptions = {},
  ) {
    for (const s of senders) this.senders.set(s.platform, s);
    this.loop = new PollLoop("outbox", () => this.drainOnce(), opts.idleMs ?? 250, log);
  }

  /**
   * When each recipient of a batch got messages within the longest limit window, read in one query per platform
   * (only for platforms with limits, only for messages that count). Sends made during the batch are added.
   */
  private async loadRecentSends(items: ClaimedOutboxMessage[]): Promise<Map<string, number[]>> {
    const sent = new Map<string, number[]>();
    const byPlatform = new Map<string, Set<string>>();
    for (const { message } of items) {
      if (message.body.type === "card_update" || !this.senders.get(message.platform)?.recipientLimits?.length) continue;
      byPlatform.set(message.platform, (byPlatform.get(message.platform) ?? new Set()).add(message.recipient));
    }
    for (const [platform, recipients] of byPlatform) {
      const limits = this.senders.get(platform)!.recipientLimits!;
      const longest = Math.max(...limits.map((l) => l.windowMs));
      const found = await this.store.recentSends(platform as ClaimedOutboxMessage["message"]["platform"], [...recipients], longest);
      for (const [recipient, dates] of found) sent.set(`${platform}:${recipient}`, dates.map((d) => d.getTime()));
    }
    return sent;
  }

  /** 0 when the recipient may get a message now, else how long until a slot frees up. */
  private recipientLimitWait(sender: ChannelSender, { platform, recipient, body: { type: kind } }: ClaimedOutboxMessage["message"], recent: Map<string, number[]>): number {
    const limits = sender.recipientLimits;
    if (!limits?.length) return 0;
    if (kind === "card_update") return 0; // edits a message already delivered; platforms limit new messages only
    const sent = recent.get(`${platform}:${recipient}`) ?? [];
    const now = Date.now();
    let wait = 0;
    for (const l of limits) {
      const inWindow = sent.filter((t) => t > now - l.windowMs);
      if (inWindow.length >= l.limit) wait = Math.max(wait, inWindow[inWindow.length - l.limit]! + l.windowMs - now + 1);
    }
    return wait;
  }

  private get lockMs(): number {
    return this.opts.lockMs ?? OUTBOX_LEASE_MS;
  }

  addSender(sender: ChannelSender): void {
    this.senders.set(sender.platform, sender);
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

  async drainOnce(): Promise<number> {
    await this.recordLeftovers();
    await this.housekeepNowAndThen();
    const platforms = [...this.senders.keys()] as Parameters<OutboxStore["claim"]>[2];
    if (platforms.length === 0) return 0;
    const items = await this.store.claim(this.opts.batchSize ?? 20, this.lockMs, platforms);
    if (items.length === 0) return 0;
    const lease = new Lease(
      items,
      (id, token) => this.store.renew(id, token, this.lockMs),
      this.lockMs / 3,
      (err) => this.log.warn("outbox lease renewal failed; will retry", { err }),
      this.opts.timers,
    );
    // Anything the database refuses between the claim and a message's own outcome hands the message back at the next
    // tick (leftovers), never holds it — and every later message to that person — until the lease runs out.
    const handBack = (item: ClaimedOutboxMessage, fn: (token: string) => Promise<unknown>) =>
      lease.settle(item.id, async (token) => {
        if (!token) return;
        try {
          await fn(token);
        } catch {
          this.leftovers.push({ item, token, sent: null });
        }
      });
    try {
      let recent: Map<string, number[]>;
      try {
        recent = await this.loadRecentSends(items);
      } catch (err) {
        for (const item of items) await this.keepForLater(item, lease, err);
        return items.length;
      }
      // Normally one message per recipient (the claim's rule); should a store hand out more, a recipient's
      // messages still go one after another, and one that must wait holds back the ones behind it.
      const byRecipient = new Map<string, ClaimedOutboxMessage[]>();
      for (const item of items) {
        const key = `${item.message.platform}:${item.message.recipient}`;
        byRecipient.set(key, [...(byRecipient.get(key) ?? []), item]);
      }
      await eachLimited([...byRecipient.values()], Math.max(1, this.opts.concurrency ?? 1), async (queue) => {
        let after: Date | null = null; // when to try this recipient again, to keep their order
        for (const item of queue) {
          if (this.stopping) {
            // Shutting down: back at once (not after a lease), not counted as an attempt.
            await handBack(item, (t) => this.store.reschedule(item.id, t, "handed back at shutdown", new Date(), { notAnAttempt: true }));
            continue;
          }
          if (after) {
            const at: Date = after;
            await handBack(item, (t) => this.store.reschedule(item.id, t, "waiting for an earlier message to the same recipient", at, { notAnAttempt: true }));
            continue;
          }
          after = await this.deliver(item, lease, recent).catch((err: unknown) => this.keepForLater(item, lease, err));
        }
      });
    } finally {
      lease.stop();
    }
    return items.length;
  }

  /** The database failed before the send (checking the claim): hand the message back at the next tick. */
  private async keepForLater(item: ClaimedOutboxMessage, lease: Lease, err: unknown): Promise<null> {
    this.log.warn("outbox: database unavailable before sending; handing the message back", { err, outboxId: item.id });
    await lease.settle(item.id, async (token) => void (token && this.leftovers.push({ item, token, sent: null })));
    return null;
  }

  private async recordLeftovers(): Promise<void> {
    const left = this.leftovers;
    this.leftovers = [];
    for (const l of left) {
      try {
        // Both match nothing when the claim ran out and another worker took the message: harmless.
        if (l.sent) {
          await this.store.markSent(l.item.id, l.token, l.sent);
          if (this.opts.onSent) await this.opts.onSent(l.item, l.sent);
        } else await this.store.reschedule(l.item.id, l.token, "handed back: the database was unavailable", new Date(), { notAnAttempt: true });
      } catch {
        this.leftovers.push(l);
      }
    }
  }

  /** Deletes what has served its purpose (e.g. strangers' refusals), at most every `housekeepEveryMs`. */
  async housekeep(): Promise<number> {
    this.lastHousekeeping = Date.now();
    const removed = await this.store.housekeep();
    if (removed > 0) this.log.info("outbox housekeeping", { removed });
    return removed;
  }

  private async housekeepNowAndThen(): Promise<void> {
    if (Date.now() - this.lastHousekeeping < (this.opts.housekeepEveryMs ?? 10 * 60_000)) return;
    await this.housekeep().catch((err) => this.log.warn("outbox housekeeping failed", { err }));
  }

  /** Returns the retry time when the message was rescheduled. */
  private async deliver(item: ClaimedOutboxMessage, lease: Lease, recent: Map<string, number[]>): Promise<Date | null> {
    const { message } = item;
    const log = this.log.child({ outboxId: item.id, platform: message.platform, recipient: message.recipient });
    const sender = this.senders.get(message.platform);
    if (!sender) return null; // not claimed unless a sender exists
    // Make sure the claim is still ours right before sending (asking the database unless it was taken or renewed
    // within the last third of a lease); the heartbeat keeps it during the send.
    if (!(await lease.renew(item.id, this.lockMs / 3))) {
      log.warn("claim expired before sending; another worker has the message");
      return null;
    }
    const settle = (fn: (token: string) => Promise<void>, sent: SendResult | null = null) =>
      lease.settle(item.id, async (token) => {
        if (!token) return log.warn("claim lost during the send; another worker has the message");
        try {
          await fn(token);
        } catch (err) {
          // The database is unreachable: recorded at the next tick (a sent message is marked sent, not sent again).
          log.warn("could not record the outcome; will retry", { err });
          this.leftovers.push({ item, token, sent });
        }
      });
    const limitWait = this.recipientLimitWait(sender, message, recent);
    if (limitWait > 0) {
      const at = new Date(Date.now() + limitWait);
      log.info("recipient limit reached; message waits", { retryInMs: limitWait });
      await settle((token) => this.store.reschedule(item.id, token, "recipient limit reached; waiting", at, { notAnAttempt: true }));
      return at;
    }
    try {
      const result = await sender.send(message);
      const key = `${message.platform}:${message.recipient}`;
      if (recent.has(key)) recent.get(key)!.push(Date.now()); // a later message to them in this batch counts it
      await settle((token) => this.store.markSent(item.id, token, result), result);
      if (this.opts.onSent) await this.opts.onSent(item, result);
      return null;
    } catch (err) {
      const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (err instanceof PermanentSendError) {
        log.error("message can never be delivered; dead-lettered", { err: text });
        await settle((token) => this.store.markDead(item.id, token, text));
        return null;
      }
      const age = Date.now() - item.createdAt.getTime();
      if (age > (this.opts.maxAgeMs ?? 3 * 24 * 3600_000)) {
        log.error("message undeliverable for too long; dead-lettered", { err: text, attempts: item.attempts });
        await settle((token) => this.store.markDead(item.id, token, text));
        return null;
      }
      const wait = err instanceof RetryableSendError && err.retryAfterMs !== undefined ? err.retryAfterMs : backoffMs(item.attempts);
      const at = new Date(Date.now() + wait);
      log.warn("send failed, will retry", { err: text, attempts: item.attempts, retryInMs: wait });
      await settle((token) => this.store.reschedule(item.id, token, text, at));
      return at;
    }
  }
}
