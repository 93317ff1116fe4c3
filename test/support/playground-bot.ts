// One real bot per describe block, talked to through the playground's HTTP API: registers its own
// beforeAll/afterAll, so a suite reads `const t = playgroundBot(); … t.pg.say(…)`.
import { afterAll, beforeAll } from "vitest";
import { PlaygroundClient } from "./playground-client.ts";
import { startTestBot, type TestBot } from "./test-bot.ts";

export interface PlaygroundBot {
  readonly bot: TestBot;
  readonly pg: PlaygroundClient;
  /** The bot's Prisma client. */
  readonly db: TestBot["db"]["prisma"];
}

export function playgroundBot(env: Record<string, string> | (() => Record<string, string>) = {}): PlaygroundBot {
  let bot: TestBot | undefined;
  let pg: PlaygroundClient | undefined;
  beforeAll(async () => {
    bot = await startTestBot(typeof env === "function" ? env() : env);
    pg = new PlaygroundClient(bot.url);
  });
  afterAll(async () => bot?.close());
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("playgroundBot used before beforeAll ran");
    return v;
  };
  return {
    get bot() { return started(bot); },
    get pg() { return started(pg); },
    get db() { return started(bot).db.prisma; },
  };
}
