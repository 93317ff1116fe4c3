// Collects what a handler wants to say while it runs; the dispatcher writes it to the outbox in the same
// transaction as the handler's changes. Decides which platform reaches each person.
import type { Card } from "../../core/card.ts";
import { ConversationSchema, type Conversation, type InboundEvent, type Platform } from "../../core/inbound-event.ts";
import type { OutboundBody, OutboundMessage } from "../../core/outbound-message.ts";
import { newCardRef } from "../../../cards/card-ref.ts";
import { cardsInThread, saveCard, saveCards, setResponseCode, updateCardView, type CardRow, type CardStatus } from "../../domain/cards/card.repo.ts";
import type { Tx } from "../../domain/tx.ts";
import { identitiesOf, identitiesOfMany, type UserInfo } from "../../domain/users/user.repo.ts";

const PREFERENCE: Platform[] = ["wecom", "dingtalk", "playground"];

export interface CardMeta {
  /** Deliveries with the same thread are one logical card: updateThread changes them all. */
  thread?: string;
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

  async sendCardTo(userId: string, card: Card, meta: CardMeta = {}, dedupeKey?: string, platform?: Platform): Promise<boolean> {
    const address = await this.addressOf(userId, platform);
    if (!address) return false;
    await saveCard(this.tx, card, { recipientId: userId, platform: address.platform, ...meta });
    this.messages.push({ platform: address.platform, recipient: address.externalId, userId, body: { type: "card", card }, ...(dedupeKey ? { dedupeKey } : {}) });
    return true;
  }

  /**
   * Cards to many people at once (a job's batch): their addresses in one query, the deliveries in one insert, each
   * followed by its `after` messages (a chart) to the same address. Returns who could be reached.
   */
  async sendCardsTo(items: { userId: string; card: Card; meta?: CardMeta; dedupeKey?: string; after?: { body: OutboundBody; dedupeKey?: string }[] }[]): Promise<Set<string>> {
    const ids = await identitiesOfMany(this.tx, items.map((i) => i.userId));
    const reached = new Set<string>();
    const rows: { card: Card; meta: { recipientId: string; platform: string } & CardMeta }[] = [];
    for (const item of items) {
      const address = this.pick(ids.get(item.userId) ?? []);
      if (!address) continue;
      reached.add(item.userId);
      rows.push({ card: item.card, meta: { recipientId: item.userId, platform: address.platform, ...item.meta } });
      this.messages.push({ platform: address.platform, recipient: address.externalId, userId: item.userId, body: { type: "card", card: item.card }, ...(item.dedupeKey ? { dedupeKey: item.dedupeKey } : {}) });
      for (const a of item.after ?? []) this.messages.push({ platform: address.platform, recipient: address.externalId, userId: item.userId, body: a.body, ...(a.dedupeKey ? { dedupeKey: a.dedupeKey } : {}) });
    }
    await saveCards(this.tx, rows);
    return reached;
  }

  /**
   * A card to a group chat (a WeCom app chat, a DingTalk group) rather than to a person. Its delivery row has no
   * recipient: whoever in the group acts on it is checked by the card kind's guard. False when the platform is
   * not running here.
   */
  async sendCardToGroup(platform: Platform, chatId: string, card: Card, meta: CardMeta = {}): Promise<boolean> {
    if (!this.enabled.includes(platform)) return false;
    const conversation: Conversation = { type: "group", id: chatId };
    await saveCard(this.tx, card, { recipientId: null, platform, ...meta, conversation });
    this.messages.push({ platform, recipient: chatId, conversation, body: { type: "card", card } });
    return true;
  }

  /** A message to a group chat (a reminder where the notice went). False when the platform is not running here. */
  notifyGroup(platform: Platform, chatId: string, body: OutboundBody, dedupeKey?: string): boolean {
    if (!this.enabled.includes(platform)) return false;
    this.messages.push({ platform, recipient: chatId, conversation: { type: "group", id: chatId }, body, ...(dedupeKey ? { dedupeKey } : {}) });
    return true;
  }

  /**
   * Whether updateCard can change the card the person sees. WeCom needs an unused one-shot response code (from the
   * send or from a click); without one an update only arrives as a short text, so a changed card is better re-sent.
   */
  canUpdateInPlace(row: CardRow): boolean {
    return row.platform !== "wecom" || !!row.responseCode || row.recipientId === null;
  }

  /**
   * Show a logical card's new state (a decision) on every delivery of it, for every person who has it. Where a
   * delivery cannot be changed in place (WeCom with its one-shot code spent), that copy is retired and the new
   * state arrives as a fresh card in the same thread.
   */
  async updateThread(thread: string, render: (row: CardRow) => Card, statusOf: CardStatus | ((row: CardRow) => CardStatus)): Promise<void> {
    for (const row of await cardsInThread(this.tx, thread)) {
      if (row.status === "expired") continue;
      const card = render(row);
      const status = typeof statusOf === "function" ? statusOf(row) : statusOf;
      if (this.canUpdateInPlace(row) || row.recipientId === null) {
        await this.updateCard(row, card, status);
        continue;
      }
      await updateCardView(this.tx, row.ref, card, status);
      const fresh = { ...card, ref: newCardRef() };
      await this.sendCardTo(row.recipientId, fresh, {
        thread,
        ...(row.subjectType ? { subjectType: row.subjectType } : {}),
        ...(row.subjectId ? { subjectId: row.subjectId } : {}),
      }, undefined, row.platform as Platform);
    }
  }

  /** Show a card's new state where it was delivered (uses up WeCom's one-shot response code). */
  async updateCard(row: CardRow, card: Card, status: CardStatus): Promise<void> {
    await updateCardView(this.tx, row.ref, card, status);
    if (row.recipientId === null) {
      // A group delivery: the update goes to the group it was sent to.
      const conversation = OutboxCollector.storedConversation(row.conversation);
      if (!conversation?.id || !this.enabled.includes(row.platform as Platform)) return;
      this.messages.push({
        platform: row.platform as Platform,
        recipient: conversation.id,
        conversation,
        body: { type: "card_update", card, ...(row.externalId ? { externalId: row.externalId } : {}) },
      });
      return;
    }
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

  /** The platform asked for, else the same platform as the current conversation when possible, else the first available. */
  private async addressOf(userId: string, preferred?: Platform): Promise<{ platform: Platform; externalId: string } | null> {
    return this.pick(await identitiesOf(this.tx, userId), preferred);
  }

  private pick(all: { platform: string; externalId: string }[], preferred?: Platform): { platform: Platform; externalId: string } | null {
    const ids = all.filter((i) => this.enabled.includes(i.platform as Platform));
    const asked = preferred && ids.find((i) => i.platform === preferred);
    if (asked) return { platform: preferred, externalId: asked.externalId };
    const here = this.event && ids.find((i) => i.platform === this.event!.platform);
    if (here) return { platform: here.platform as Platform, externalId: here.externalId };
    for (const p of PREFERENCE) {
      const hit = ids.find((i) => i.platform === p);
      if (hit) return { platform: p, externalId: hit.externalId };
    }
    return null;
  }
}
