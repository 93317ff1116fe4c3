// Collects what a handler wants to say while it runs; the dispatcher writes it to the outbox in the same
// transaction as the handler's changes. Decides which platform reaches each person.
import type { Card } from "../../core/card.ts";
import { ConversationSchema, type Conversation, type InboundEvent, type Platform } from "../../core/inbound-event.ts";
import type { OutboundBody, OutboundMessage } from "../../core/outbound-message.ts";
import { saveCard, setResponseCode, updateCardView, type CardRow } from "../../domain/cards/card.repo.ts";
import type { Tx } from "../../domain/tx.ts";
import { identitiesOf, type UserInfo } from "../../domain/users/user.repo.ts";

const PREFERENCE: Platform[] = ["wecom", "dingtalk", "playground"];

export interface CardMeta {
  subjectType?: string;
  subjectId?: string;
  expiresAt?: Date;
}

export class OutboxCollector {
  readonly messages: OutboundMessage[] = [];
  /** Where replies go when not the event's own conversation (a click on a card that was sent to a group). */
  private replyConversation: Conversation | undefined;

  constructor(
    private readonly tx: Tx,
    private readonly event: InboundEvent | null,
    private readonly sender: UserInfo | null,
    private readonly enabled: Platform[],
  ) {}

  /** Replies to a click go where the clicked card was delivered. */
  replyWhereCardWas(conversation: Conversation | undefined): void {
    this.replyConversation = conversation;
  }

  private get conversation(): Conversation | undefined {
    return this.replyConversation ?? this.event?.conversation;
  }

  /** Answer the person who wrote, where they wrote (same chat or group). */
  reply(body: OutboundBody): void {
    if (!this.event) throw new Error("reply() needs an inbound event; use notify()");
    const conversation = this.conversation;
    this.messages.push({
      platform: this.event.platform,
      recipient: this.event.senderId,
      ...(this.sender ? { userId: this.sender.id } : {}),
      ...(conversation ? { conversation } : {}),
      body,
    });
  }

  replyText(text: string): void {
    this.reply({ type: "text", text });
  }

  async replyCard(card: Card, meta: CardMeta = {}): Promise<void> {
    if (!this.event || !this.sender) throw new Error("replyCard() needs an inbound event from a known user");
    const conversation = this.conversation;
    await saveCard(this.tx, card, { recipientId: this.sender.id, platform: this.event.platform, ...meta, ...(conversation ? { conversation } : {}) });
    this.reply({ type: "card", card });
  }

  /** Tell someone else (a manager, the warehouse). Returns false when they cannot be reached anywhere. */
  async notify(userId: string, body: OutboundBody, dedupeKey?: string): Promise<boolean> {
    const address = await this.addressOf(userId);
    if (!address) return false;
    this.messages.push({ platform: address.platform, recipient: address.externalId, userId, body, ...(dedupeKey ? { dedupeKey } : {}) });
    return true;
  }

  async sendCardTo(userId: string, card: Card, meta: CardMeta = {}, dedupeKey?: string): Promise<boolean> {
    const address = await this.addressOf(userId);
    if (!address) return false;
    await saveCard(this.tx, card, { recipientId: userId, platform: address.platform, ...meta });
    this.messages.push({ platform: address.platform, recipient: address.externalId, userId, body: { type: "card", card }, ...(dedupeKey ? { dedupeKey } : {}) });
    return true;
  }

  /**
   * Whether updateCard can change the card the person sees. WeCom needs an unused one-shot response code (from the
   * send or from a click); without one an update only arrives as a short text, so a changed card is better re-sent.
   */
  canUpdateInPlace(row: CardRow): boolean {
    return row.platform !== "wecom" || !!row.responseCode;
  }

  /** Show a card's new state where it was delivered (uses up WeCom's one-shot response code). */
  async updateCard(row: CardRow, card: Card, status: "active" | "decided" | "expired"): Promise<void> {
    await updateCardView(this.tx, row.ref, card, status);
    const ids = await identitiesOf(this.tx, row.recipientId);
    const address = ids.find((i) => i.platform === row.platform);
    if (!address || !this.enabled.includes(row.platform as Platform)) return;
    this.messages.push({
      platform: row.platform as Platform,
      recipient: address.externalId,
      userId: row.recipientId,
      body: { type: "card_update", card, ...(row.externalId ? { externalId: row.externalId } : {}), ...(row.responseCode ? { responseCode: row.responseCode } : {}) },
    });
    if (row.responseCode) await setResponseCode(this.tx, row.ref, null);
  }

  /** Reads a stored conversation back, ignoring anything malformed. */
  static storedConversation(value: unknown): Conversation | undefined {
    const parsed = ConversationSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }

  /** The same platform as the current conversation when possible, else the first available. */
  private async addressOf(userId: string): Promise<{ platform: Platform; externalId: string } | null> {
    const ids = (await identitiesOf(this.tx, userId)).filter((i) => this.enabled.includes(i.platform as Platform));
    const here = this.event && ids.find((i) => i.platform === this.event!.platform);
    if (here) return { platform: here.platform as Platform, externalId: here.externalId };
    for (const p of PREFERENCE) {
      const hit = ids.find((i) => i.platform === p);
      if (hit) return { platform: p, externalId: hit.externalId };
    }
    return null;
  }
}
