// Talks to the playground over real HTTP, as the web page does.
import { randomUUID } from "node:crypto";
import type { Card } from "../../src/core/card.ts";
import type { FeedItem } from "../../src/channels/playground/playground-feed.ts";
import { eventually } from "./test-bot.ts";

export class PlaygroundClient {
  constructor(private readonly baseUrl: string) {}

  async say(userId: string, text: string, clientId: string = randomUUID()): Promise<{ status: number; body: Record<string, unknown> }> {
    return this.post("/playground/api/messages", { userId, text, clientId });
  }

  async click(userId: string, card: Card, label: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const button = card.buttons.find((b) => b.label === label || b.label.startsWith(label));
    if (!button) throw new Error(`card ${card.title} has no button ${label}; has ${card.buttons.map((b) => b.label).join(", ")}`);
    return this.post("/playground/api/actions", { userId, actionKey: button.action, cardRef: card.ref, clientId: randomUUID() });
  }

  async post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(this.baseUrl + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }

  async feed(userId: string): Promise<FeedItem[]> {
    const res = await fetch(`${this.baseUrl}/playground/api/feed?userId=${encodeURIComponent(userId)}`);
    return ((await res.json()) as { items: FeedItem[] }).items;
  }

  async botItems(userId: string) {
    return (await this.feed(userId)).filter((i) => i.from === "bot");
  }

  /** Waits for the `n`-th (1-based) bot item and returns it. */
  async nthBotItem(userId: string, n: number) {
    return eventually(async () => (await this.botItems(userId))[n - 1], `bot item #${n} for ${userId}`);
  }

  async nthCard(userId: string, n: number, purpose?: string): Promise<Card> {
    return eventually(async () => {
      const cards = (await this.botItems(userId)).flatMap((i) => (i.type === "card" ? [i.card] : [])).filter((c) => !purpose || c.purpose === purpose);
      return cards[n - 1];
    }, `card #${n}${purpose ? ` (${purpose})` : ""} for ${userId}`);
  }

  async lastText(userId: string, count: number): Promise<string> {
    return eventually(async () => {
      const texts = (await this.botItems(userId)).flatMap((i) => (i.type === "text" ? [i.text] : []));
      return texts.length >= count ? texts[count - 1] : undefined;
    }, `text reply #${count} for ${userId}`);
  }
}
