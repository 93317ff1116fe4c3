// Interfaces the core needs from the outside; main.ts wires the implementations.
import type { InboundEvent, Platform } from "./inbound-event.ts";
import type { OutboundMessage, SendResult } from "./outbound-message.ts";

/**
 * What receivers call before acking: durable and deduplicated. A sender who is not a known, active person of
 * the organisation gets "unknown_sender": nothing is stored but a polite refusal in the outbox.
 */
export type AcceptOutcome = "accepted" | "duplicate" | "unknown_sender";
export interface InboxPort {
  accept(event: InboundEvent): Promise<AcceptOutcome>;
}

export interface ClaimedInboxEvent {
  id: string;
  event: InboundEvent;
  attempts: number;
  /** Proves this worker still holds the claim (the lock time it set); stale holders change nothing. */
  lockToken: string;
}

export interface InboxStore extends InboxPort {
  /**
   * Lock up to `limit` pending events for `lockMs`, oldest first, skipping ones other workers hold and any
   * event whose sender has an earlier one still pending (one person's events are handled in order).
   */
  claim(limit: number, lockMs: number): Promise<ClaimedInboxEvent[]>;
  /** Put an event back for a later try, or give up on it — only while this claim still holds. */
  release(id: string, lockToken: string, error: string, retryAt: Date | null): Promise<void>;
  /** Extend a claim still held (the worker's heartbeat); null when it ran out or the event is no longer pending. */
  renew(id: string, lockToken: string, lockMs: number): Promise<string | null>;
}

export interface ClaimedOutboxMessage {
  id: string;
  message: OutboundMessage;
  attempts: number;
  createdAt: Date;
  /** Proves this worker still holds the claim; see OutboxStore.renew. */
  lockToken: string;
}

export interface OutboxStore {
  /** Oldest first; at most one pending message per recipient is handed out at a time, across all workers. */
  claim(limit: number, lockMs: number, platforms: Platform[]): Promise<ClaimedOutboxMessage[]>;
  /** Re-take the lock right before sending; null when another worker took the message over (do not send). */
  renew(id: string, lockToken: string, lockMs: number): Promise<string | null>;
  markSent(id: string, lockToken: string, result: SendResult): Promise<void>;
  /** `notAnAttempt`: the message only waited (its recipient's turn or limit); nothing was tried. */
  reschedule(id: string, lockToken: string, error: string, nextAttemptAt: Date, opts?: { notAnAttempt?: boolean }): Promise<void>;
  markDead(id: string, lockToken: string, error: string): Promise<void>;
  /**
   * When messages were delivered to each of these recipients within the last `windowMs` (for per-recipient
   * limits), oldest first; one query for a whole batch.
   */
  recentSends(platform: Platform, recipients: string[], windowMs: number): Promise<Map<string, Date[]>>;
  /** Deletes rows that have served their purpose (e.g. strangers' refusals); returns how many. */
  housekeep(): Promise<number>;
}

/** One per platform: delivers a message or throws RetryableSendError / PermanentSendError. */
export interface ChannelSender {
  readonly platform: Platform;
  /**
   * Most messages one recipient may get per window (WeCom: 30/min, 1000/h, excess silently dropped). The outbox
   * enforces them from the database, so they hold across instances.
   */
  readonly recipientLimits?: { limit: number; windowMs: number }[];
  send(message: OutboundMessage): Promise<SendResult>;
}
