// What handlers produce and the outbox stores; per-platform senders deliver it. The outbox reads stored messages
// back through OutboundMessageSchema, so a malformed row is dead-lettered instead of reaching a sender.
import { z } from "zod";
import { CardSchema } from "./card.ts";
import { ConversationSchema, PlatformSchema } from "./inbound-event.ts";

export const OutboundBodySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("markdown"), title: z.string(), text: z.string() }),
  z.object({ type: z.literal("card"), card: CardSchema }),
  /** Show a card's new state (a decision) where it was sent. */
  z.object({ type: z.literal("card_update"), card: CardSchema, externalId: z.string().optional(), responseCode: z.string().optional() }),
  /**
   * A picture (a chart) sent right after its card. The PNG travels base64 in the payload (a few tens of KB) only
   * until it is delivered: the outbox clears `png` when the row is marked sent. A sender whose upload fails drops
   * the picture (the card went as its own message), so it never blocks the person's later messages.
   */
  z.object({ type: z.literal("image"), png: z.string(), alt: z.string(), name: z.string().optional() }),
]);
export type OutboundBody = z.infer<typeof OutboundBodySchema>;

export const OutboundMessageSchema = z.object({
  platform: PlatformSchema,
  /** The platform address: WeCom UserID, DingTalk staffId, playground user id. */
  recipient: z.string(),
  /** Our user id, when the recipient is a person. */
  userId: z.string().optional(),
  conversation: ConversationSchema.optional(),
  body: OutboundBodySchema,
  /** Same key twice → sent once (jobs use job:date:person). */
  dedupeKey: z.string().optional(),
});
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;

/** What a sender reports for a delivered message; card sends return the platform's ids for later updates. */
export interface SendResult {
  externalId?: string;
  responseCode?: string;
}
