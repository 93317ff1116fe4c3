// What each playground user's "phone" shows: their messages and the bot's, in memory (dev only), pushed to
// open pages over server-sent events.
import { EventEmitter } from "node:events";
import type { Card } from "../../core/card.ts";

export type FeedItem =
  | { id: number; at: number; from: "user"; text: string }
  | { id: number; at: number; from: "bot"; type: "text"; text: string }
  | { id: number; at: number; from: "bot"; type: "markdown"; title: string; text: string }
  | { id: number; at: number; from: "bot"; type: "card"; card: Card };

type NewItem = FeedItem extends infer T ? (T extends FeedItem ? Omit<T, "id" | "at"> : never) : never;

export class PlaygroundFeed {
  private readonly feeds = new Map<string, FeedItem[]>();
  private readonly events = new EventEmitter();
  private seq = 0;

  constructor(private readonly keep = 300) {
    this.events.setMaxListeners(1000);
  }

  push(userId: string, item: NewItem): FeedItem {
    const full = { ...item, id: ++this.seq, at: Date.now() } as FeedItem;
    const list = this.feeds.get(userId) ?? [];
    list.push(full);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
    this.feeds.set(userId, list);
    this.events.emit(userId, { op: "add", item: full });
    return full;
  }

  /** A card changed (a decision): every copy in this user's feed shows the new state. */
  updateCard(userId: string, card: Card): boolean {
    const list = this.feeds.get(userId) ?? [];
    let found = false;
    for (const it of list) {
      if (it.from === "bot" && it.type === "card" && it.card.ref === card.ref) {
        it.card = card;
        found = true;
      }
    }
    this.events.emit(userId, { op: "update", card });
    return found;
  }

  history(userId: string): FeedItem[] {
    return [...(this.feeds.get(userId) ?? [])];
  }

  subscribe(userId: string, fn: (e: unknown) => void): () => void {
    this.events.on(userId, fn);
    return () => this.events.off(userId, fn);
  }
}
