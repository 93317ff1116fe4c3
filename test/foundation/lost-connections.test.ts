// A connection lost inside a transaction (failover, network cut) must give its pool slot back, and an exhausted
// pool must make callbacks fail fast with 503 while /healthz still answers. The lost connections are PostgreSQL
// only (PGlite has none to lose); a stalled inbox write answers 503 on either database.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import type { SqlRunner } from "../../src/db/sql-runner.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot } from "../../src/main.ts";
import { freshDatabase, serverUrl, type TestDatabase } from "../support/fresh-database.ts";
import { FIXED_NOW } from "../support/test-bot.ts";

const base = serverUrl();

/** Resolves with the value, or rejects once `ms` have passed (a generous bound, not a timing assertion). */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: the pool hangs`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

describe.skipIf(!base)("lost PostgreSQL connections", () => {
  let fresh: TestDatabase;
  let admin: pg.Client;
  let db: Database;
  beforeAll(async () => {
    fresh = await freshDatabase();
    const url = new URL(base!);
    url.pathname = `/${fresh.name}`;
    db = await openDatabase({ url: url.toString(), poolSize: 2, connectTimeoutMs: 1000, onIdleError: () => undefined });
    admin = new pg.Client({ connectionString: base });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await fresh?.destroy();
  });

  it("gives the slot back when the backend is terminated inside a transaction", async () => {
    for (let i = 0; i < 3; i++) {
      const failed = db.prisma.$transaction(async (tx) => {
        const [me] = await tx.$queryRaw<{ pid: number }[]>`select pg_backend_pid() as pid`;
        await admin.query("select pg_terminate_backend($1)", [me?.pid]);
        await tx.$queryRaw`select 1`;
      });
      // 57P01, or "not queryable" when the termination lands before the next statement.
      await expect(failed).rejects.toThrow();
    }
    // More losses than the pool has connections: a plain query and two transactions at once still get one.
    expect(await within(5000, db.prisma.$queryRaw<{ x: number }[]>`select 1 as x`)).toEqual([{ x: 1 }]);
    const both = Promise.all([0, 1].map((n) => db.prisma.$transaction(async (tx) => (await tx.$queryRaw<{ n: number }[]>`select ${n}::int as n`)[0]?.n)));
    expect(await within(5000, both)).toEqual([0, 1]);
    expect(await db.sql.withSession((s) => s.query<{ x: number }>("select 2 as x"))).toEqual([{ x: 2 }]);
  });

  it("answers 503 while the pool is exhausted, /healthz all along, and recovers by itself", async () => {
    const env = parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent", PLAYGROUND: "true", JOBS: "false", INBOX_ACCEPT_TIMEOUT_MS: "1500" });
    const bot = await startBot(env, { database: db, clock: new ManualClock(FIXED_NOW), log: createLogger("silent"), workers: false });
    try {
      const say = (text: string) =>
        fetch(`${bot.url}/playground/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "zhangsan", text }) });

      // Hold both connections of the pool, as stuck transactions would.
      let letGo!: () => void;
      const gate = new Promise<void>((resolve) => (letGo = resolve));
      let held = 0;
      const holders = [0, 1].map(() => db.sql.withSession(async () => ((held += 1), await gate)));
      await within(5000, (async () => { while (held < 2) await new Promise((r) => setTimeout(r, 10)); })());

      const refused = await within(10_000, say("帮助"));
      expect(refused.status).toBe(503);
      const health = await within(2000, fetch(`${bot.url}/healthz`));
      expect(health.status).toBe(200);

      letGo();
      await Promise.all(holders);
      const ok = await within(10_000, say("我的待办"));
      expect(ok.status).toBe(202);
      expect((await ok.json()) as unknown).toEqual({ outcome: "accepted" });
    } finally {
      await bot.stop();
    }
  });
});

describe("a stalled inbox write", () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase();
  });
  afterAll(async () => fresh?.destroy());

  it("answers 503 over HTTP instead of hanging, /healthz still answers, and the next message is accepted", async () => {
    let stalled = false;
    // The database stops answering (a lock, a hung server): every query waits for ever while `stalled`.
    const sql: SqlRunner = {
      ...fresh.sql,
      query: <T,>(text: string, params?: unknown[]) => (stalled ? new Promise<T[]>(() => undefined) : fresh.sql.query<T>(text, params)),
    };
    const env = parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent", PLAYGROUND: "true", JOBS: "false", INBOX_ACCEPT_TIMEOUT_MS: "300" });
    const bot = await startBot(env, { database: { ...fresh, sql }, clock: new ManualClock(FIXED_NOW), log: createLogger("silent"), workers: false });
    try {
      const say = (text: string) =>
        fetch(`${bot.url}/playground/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId: "zhangsan", text }) });
      stalled = true;
      expect((await within(10_000, say("帮助"))).status).toBe(503);
      expect((await within(2000, fetch(`${bot.url}/healthz`))).status).toBe(200);
      stalled = false;
      const ok = await within(10_000, say("我的待办"));
      expect(ok.status).toBe(202);
    } finally {
      await bot.stop();
    }
  });
});
