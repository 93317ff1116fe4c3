// Starts the real bot (real express app on port 0, real workers) on a fresh database, for one test file.
import { ManualClock, type Clock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot, type Bot, type StartOptions } from "../../src/main.ts";
import { freshDatabase, type TestDatabase } from "./fresh-database.ts";

export interface TestBot extends Bot {
  database: TestDatabase;
  /** Stop the bot and drop its database. */
  close(): Promise<void>;
}

/** 2026-11-23 10:00 Asia/Shanghai, a Monday: the date the fixtures are written for. */
export const FIXED_NOW = new Date("2026-11-23T10:00:00+08:00");

export async function startTestBot(envOverrides: Record<string, string> = {}, opts: StartOptions & { clock?: Clock } = {}): Promise<TestBot> {
  const database = await freshDatabase();
  const env = parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", PLAYGROUND: "true", JOBS: "false", ...envOverrides });
  const bot = await startBot(env, {
    database,
    clock: opts.clock ?? new ManualClock(FIXED_NOW),
    log: createLogger(env.LOG_LEVEL),
    ...opts,
  });
  return {
    ...bot,
    database,
    async close() {
      await bot.stop();
      await database.destroy();
    },
  };
}

export { eventually } from "./eventually.ts";
