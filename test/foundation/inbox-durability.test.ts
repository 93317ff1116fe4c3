// An accepted event survives a crash between the ack and the work: the next instance handles it, once.
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot } from "../../src/main.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { eventually, FIXED_NOW } from "../support/test-bot.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.destroy());

const env = () => parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent", PLAYGROUND: "true" });
const opts = (workers: boolean) => ({ database: db, clock: new ManualClock(FIXED_NOW), log: createLogger("silent"), workers });

it("handles events accepted before a restart exactly once", async () => {
  // Instance 1 acks two messages but "crashes" before working on them (workers off).
  const first = await startBot(env(), opts(false));
  const pg1 = new PlaygroundClient(first.url);
  expect((await pg1.say("zhangsan", "我的待办")).body.outcome).toBe("accepted");
  expect((await pg1.say("zhangsan", "帮助")).body.outcome).toBe("accepted");
  await first.stop();
  expect(await db.prisma.inboxEvent.count({ where: { status: "pending" } })).toBe(2);

  // Instance 2 picks them up.
  const second = await startBot(env(), opts(true));
  try {
    await eventually(async () => (await db.prisma.inboxEvent.count({ where: { status: "done" } })) === 2, "both events handled");
    await eventually(async () => (await db.prisma.outboxMessage.count({ where: { status: "sent" } })) === 2, "both replies sent");
    const purposes = (await db.prisma.card.findMany({ orderBy: { createdAt: "asc" } })).map((c) => c.purpose);
    expect(purposes).toEqual(["todo_list", "help"]);
    // Draining again changes nothing.
    expect(await second.inboxWorker.drainOnce()).toBe(0);
    expect(await db.prisma.card.count()).toBe(2);
  } finally {
    await second.stop();
  }
});
