// Customers, contacts and follow-ups made straight in the database for the customer and pool suites, and the
// next bot item after a message (a text or a card).
import type { FeedItem } from "../../src/channels/playground/playground-feed.ts";
import type { Card } from "../../src/core/card.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import type { PlaygroundBot } from "./playground-bot.ts";
import type { PlaygroundClient } from "./playground-client.ts";
import { eventually } from "./test-bot.ts";

type Db = PlaygroundBot["db"];

export const makeCustomer = (db: Db, name: string, ownerId: string | null, extra: Record<string, unknown> = {}) =>
  db.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId, aliases: [], tags: [], ...extra } });

export const makeTask = (db: Db, ownerId: string, customerId: string, title: string, dueAt = new Date("2026-11-25T01:00:00Z")) =>
  db.task.create({ data: { ownerId, customerId, title, dueAt } });

/** Sends `text` as `userId` and returns the bot's first answer to it. */
export async function answer(pg: PlaygroundClient, userId: string, text: string): Promise<Extract<FeedItem, { from: "bot" }>> {
  const before = (await pg.botItems(userId)).length;
  await pg.say(userId, text);
  return (await eventually(async () => (await pg.botItems(userId))[before], `answer to "${text}" for ${userId}`)) as Extract<FeedItem, { from: "bot" }>;
}

export async function answerText(pg: PlaygroundClient, userId: string, text: string): Promise<string> {
  const a = await answer(pg, userId, text);
  if (a.type !== "text") throw new Error(`expected a text answer to "${text}", got a card ${JSON.stringify(a)}`);
  return a.text;
}

export async function answerCard(pg: PlaygroundClient, userId: string, text: string): Promise<Card> {
  const a = await answer(pg, userId, text);
  if (a.type !== "card") throw new Error(`expected a card answer to "${text}", got ${JSON.stringify(a)}`);
  return a.card;
}

/** Waits for a text to `userId` matching `re` (a notification). */
export async function textMatching(pg: PlaygroundClient, userId: string, re: RegExp): Promise<string> {
  return eventually(async () => (await pg.botItems(userId)).flatMap((i) => (i.type === "text" && re.test(i.text) ? [i.text] : []))[0], `a text matching ${re} for ${userId}`);
}

/** The bot's next item to `userId` after a click (the first one beyond `before`). */
export async function itemAfter(pg: PlaygroundClient, userId: string, before: number) {
  return eventually(async () => (await pg.botItems(userId))[before], `bot item #${before + 1} for ${userId}`);
}
