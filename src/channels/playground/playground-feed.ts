// What each playground user's "phone" shows: their messages and the bot's, in memory (dev only), pushed to
// open pages over server-sent events.
import { EventEmitter } from "node:events";
import type { Card } from "../../core/card.ts";

export type FeedItem =
  | { id: number; at: number; from: "user"; text: string }
  | { id: number; at: number; from: "bot"; type: "text"; text: string }
  | { id: number; at: number; from: "bot"; type: "markdown"; title: string; text: string }
  | { id: number; at: number; from: "bot"; type: "card"; card: Card }
  /** A picture (a chart): `src` is the playground's media route, the bytes stay here. */
  | { id: number; at: number; from: "bot"; type: "image"; src: string; alt: string };

type NewItem = FeedItem extends infer T ? (T extends FeedItem ? Omit<T, "id" | "at"> : never) : never;

/** Where the playground serves pictures (playground-router.ts). */
export const MEDIA_PATH = "/playground/media";

export class PlaygroundFeed {
  private readonly feeds = new Map<string, FeedItem[]>();
  private readonly events = new EventEmitter();
  private seq = 0;
  /** Pictures by media id, the newest `keepMedia` only (dev only: in memory). */
  private mediaSeq = 0;
  private readonly media = new Map<string, Uint8Array>();

  constructor(
    private readonly keep = 300,
    private readonly keepMedia = 200,
  ) {
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

  /** A picture for this user: stored under a media id and shown through MEDIA_PATH/<id>. */
  pushImage(userId: string, png: Uint8Array, alt: string): FeedItem {
    const id = `m${Date.now().toString(36)}${(++this.mediaSeq).toString(36)}`;
    this.media.set(id, png);
    for (const old of this.media.keys()) {
      if (this.media.size <= this.keepMedia) break;
      this.media.delete(old);
    }
    return this.push(userId, { from: "bot", type: "image", src: `${MEDIA_PATH}/${id}`, alt });
  }

  /** A stored picture's PNG bytes, or undefined when unknown or aged out. */
  mediaPng(id: string): Uint8Array | undefined {
    return this.media.get(id);
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
