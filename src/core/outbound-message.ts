// What handlers produce and the outbox stores; per-platform senders deliver it.
import type { Card } from "./card.ts";
import type { Conversation, Platform } from "./inbound-event.ts";

export type OutboundBody =
  | { type: "text"; text: string }
  | { type: "markdown"; title: string; text: string }
  | { type: "card"; card: Card }
  /** Show a card's new state (a decision) where it was sent. */
  | { type: "card_update"; card: Card; externalId?: string; responseCode?: string };

export interface OutboundMessage {
  platform: Platform;
  /** The platform address: WeCom UserID, DingTalk staffId, playground user id. */
  recipient: string;
  /** Our user id, when the recipient is a person. */
  userId?: string;
  conversation?: Conversation;
  body: OutboundBody;
  /** Same key twice → sent once (jobs use job:date:person). */
  dedupeKey?: string;
}

/** What a sender reports for a delivered message; card sends return the platform's ids for later updates. */
export interface SendResult {
  externalId?: string;
  responseCode?: string;
}
