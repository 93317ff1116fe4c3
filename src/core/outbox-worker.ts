// Delivers the outbox through per-platform senders with retry and back-off. A platform outage delays
// messages; it never drops them. Messages to one recipient keep their order within a batch.
import { PermanentSendError, RetryableSendError } from "./app-error.ts";
import { backoffMs } from "./backoff.ts";
import type { Logger } from "./logger.ts";
import { PollLoop } from "./poll-loop.ts";
import type { ChannelSender, ClaimedOutboxMessage, OutboxStore } from "./ports.ts";
import type { SendResult } from "./outbound-message.ts";

export interface OutboxWorkerOptions {
  batchSize?: number;
  lockMs?: number;
  idleMs?: number;
  /** After this long undelivered, a message is dead-lettered (kept, visible, logged). Default 3 days. */
  maxAgeMs?: number;
  /** Called after a card was delivered, with the platform's ids (to update the card later). */
  onSent?: (item: ClaimedOutboxMessage, result: SendResult) => Promise<void>;
}

export class OutboxWorker {
  private readonly loop: PollLoop;
  private readonly senders = new Map<string, ChannelSender>();

  constructor(
    private readonly store: OutboxStore,
    senders: ChannelSender[],
    private readonly log: Logger,
    private readonly opts: OutboxWorkerOptions = {},
  ) {
    for (const s of senders) this.senders.set(s.platform, s);
    this.loop = new PollLoop("outbox", () => this.drainOnce(), opts.idleMs ?? 250, log);
  }

  /** 0 when the recipient may get a message now, else how long until a slot frees up. */
  private async recipientLimitWait(sender: ChannelSender, platform: ClaimedOutboxMessage["message"]["platform"], recipient: string): Promise<number> {
    const limits = sender.recipientLimits;
    if (!limits?.length) return 0;
    const longest = Math.max(...limits.map((l) => l.windowMs));
    const sent = (await this.store.recentSends(platform, recipient, longest)).map((d) => d.getTime());
    const now = Date.now();
    let wait = 0;
    for (const l of limits) {
      const inWindow = sent.filter((t) => t > now - l.windowMs);
      if (inWindow.length >= l.limit) wait = Math.max(wait, inWindow[inWindow.length - l.limit]! + l.windowMs - now + 1);
    }
    return wait;
  }

  private get lockMs(): number {
    return this.opts.lockMs ?? 5 * 60_000;
  }

  addSender(sender: ChannelSender): void {
    this.senders.set(sender.platform, sender);
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

  async drainOnce(): Promise<number> {
    const platforms = [...this.senders.keys()] as Parameters<OutboxStore["claim"]>[2];
    if (platforms.length === 0) return 0;
    const items = await this.store.claim(this.opts.batchSize ?? 20, this.lockMs, platforms);
    const blocked = new Map<string, Date>(); // recipient → when to try again, to keep order per recipient
    for (const item of items) {
      const key = `${item.message.platform}:${item.message.recipient}`;
      const after = blocked.get(key);
      if (after) {
        await this.store.reschedule(item.id, item.lockToken, "waiting for an earlier message to the same recipient", after);
        continue;
      }
      const next = await this.deliver(item);
      if (next) blocked.set(key, next);
    }
    return items.length;
  }

  /** Returns the retry time when the message was rescheduled. */
  private async deliver(item: ClaimedOutboxMessage): Promise<Date | null> {
    const { message } = item;
    const log = this.log.child({ outboxId: item.id, platform: message.platform, recipient: message.recipient });
    const sender = this.senders.get(message.platform);
    if (!sender) return null; // not claimed unless a sender exists
    // Earlier sends in this batch may have been slow: make sure the claim is still ours before sending.
    const token = await this.store.renew(item.id, item.lockToken, this.lockMs);
    if (!token) {
      log.warn("claim expired before sending; another worker has the message");
      return null;
    }
    const limitWait = await this.recipientLimitWait(sender, message.platform, message.recipient);
    if (limitWait > 0) {
      const at = new Date(Date.now() + limitWait);
      log.info("recipient limit reached; message waits", { retryInMs: limitWait });
      await this.store.reschedule(item.id, token, "recipient limit reached; waiting", at);
      return at;
    }
    try {
      const result = await sender.send(message);
      await this.store.markSent(item.id, token, result);
      if (this.opts.onSent) await this.opts.onSent(item, result);
      return null;
    } catch (err) {
      const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (err instanceof PermanentSendError) {
        log.error("message can never be delivered; dead-lettered", { err: text });
        await this.store.markDead(item.id, token, text);
        return null;
      }
      const age = Date.now() - item.createdAt.getTime();
      if (age > (this.opts.maxAgeMs ?? 3 * 24 * 3600_000)) {
        log.error("message undeliverable for too long; dead-lettered", { err: text, attempts: item.attempts });
        await this.store.markDead(item.id, token, text);
        return null;
      }
      const wait = err instanceof RetryableSendError && err.retryAfterMs !== undefined ? err.retryAfterMs : backoffMs(item.attempts);
      const at = new Date(Date.now() + wait);
      log.warn("send failed, will retry", { err: text, attempts: item.attempts, retryInMs: wait });
      await this.store.reschedule(item.id, token, text, at);
      return at;
    }
  }
}
