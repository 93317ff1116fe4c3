import type { OutboundMessage, SendResult } from "../../core/outbound-message.ts";
import type { ChannelSender } from "../../core/ports.ts";
import type { PlaygroundFeed } from "./playground-feed.ts";

/** Delivers outbox messages to the playground page instead of a platform. */
export class PlaygroundSender implements ChannelSender {
  readonly platform = "playground" as const;
  constructor(private readonly feed: PlaygroundFeed) {}

  async send(m: OutboundMessage): Promise<SendResult> {
    const b = m.body;
    switch (b.type) {
      case "text":
        this.feed.push(m.recipient, { from: "bot", type: "text", text: b.text });
        return {};
      case "markdown":
        this.feed.push(m.recipient, { from: "bot", type: "markdown", title: b.title, text: b.text });
        return {};
      case "card":
        this.feed.push(m.recipient, { from: "bot", type: "card", card: b.card });
        return { externalId: b.card.ref };
      case "card_update":
        this.feed.updateCard(m.recipient, b.card);
        return {};
      case "image": {
        // Kept in memory with the feed and served by the playground's media route; the page shows it inline.
        const png = Buffer.from(b.png, "base64");
        if (png.length) this.feed.pushImage(m.recipient, png, b.alt);
        return {};
      }
    }
  }
}
