// PostgreSQL unreachable or losing connections (issue 14, faults), with the real bot taking real WeCom callbacks
// through a TCP proxy of its own (tcp-proxy.ts), never by touching the shared server:
// - paused (a hung server: connections frozen, new ones unanswered) and cut (every connection reset): callbacks
//   are not acknowledged with 200 (WeCom retries them), the bot stays up, /readyz says not ready (/healthz still
//   answers), and it recovers by itself once traffic flows again: callbacks 200, /readyz ready, queued work done.
// - backends terminated again and again (pg_terminate_backend every 300 ms) under concurrent callbacks: no hang
//   (every callback answered 200 or 503), full recovery, and every acknowledged message handled once.
// Replies are counted at the WeCom API simulator by the message each quotes.
// PostgreSQL only: the embedded database (PGlite) runs inside the bot's process, so there is no connection to
// lose and no server to become unreachable; its stalled-write path (503, /healthz up) is in
// test/foundation/lost-connections.test.ts on both databases.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot, type Bot } from "../../src/main.ts";
import { eventually } from "../support/eventually.ts";
import { databaseUrl } from "../support/db-template.ts";
import { freshDatabase, serverUrl, type TestDatabase } from "../support/fresh-database.ts";
import { FIXED_NOW } from "../support/test-bot.ts";
import type { Prepared, WecomDriver } from "../simulators/wecom-driver.ts";
import { drill, postOnce, repliesByMessage, wecomSide, type WecomSide } from "./server-process.ts";
import { TcpProxy } from "./tcp-proxy.ts";

const base = serverUrl();

describe.skipIf(!base)("PostgreSQL unreachable or losing connections (PostgreSQL only: PGlite has no server or connection to lose)", () => {
  let fresh: TestDatabase;
  let proxy: TcpProxy;
  let side: WecomSide;
  let db: Database;
  let bot: Bot;
  let driver: WecomDriver;

  beforeAll(async () => {
    const server = new URL(base!);
    [fresh, side] = await Promise.all([freshDatabase(), wecomSide(5)]);
    proxy = await new TcpProxy({ host: server.hostname, port: Number(server.port || 5432) }).start();
    const viaProxy = new URL(databaseUrl(base!, fresh.name));
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    db = await openDatabase({ url: viaProxy.toString(), poolSize: 5, connectTimeoutMs: 1000, onIdleError: () => undefined });
    const env = parseEnv({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", JOBS: "false", INBOX_ACCEPT_TIMEOUT_MS: "1000", ...side.env });
    bot = await startBot(env, { database: db, clock: new ManualClock(FIXED_NOW), log: createLogger(process.env.TEST_LOG_LEVEL === "debug" ? "debug" : "silent") });
    driver = side.driver(bot.url);
  });
  afterAll(async () => {
    proxy?.restore();
    await bot?.stop();
    await db?.close();
    await proxy?.close();
    await side?.sim.close();
    await fresh?.destroy();
  });

  const ready = async () => (await fetch(`${bot.url}/readyz`)).status;
  /** Read on the test's own connection, not through the proxy. */
  const pending = async () =>
    (await fresh.sql.query<{ n: number }>(`SELECT (SELECT count(*) FROM "InboxEvent" WHERE status = 'pending') + (SELECT count(*) FROM "OutboxMessage" WHERE status = 'pending') AS n`))[0]!.n;
  /** What is still to do, for a failure message. */
  const leftover = async () =>
    JSON.stringify({
      inbox: await fresh.sql.query(`SELECT id, status, attempts, "lockedUntil", left("lastError", 120) AS error FROM "InboxEvent" WHERE status <> 'done'`),
      outbox: await fresh.sql.query(`SELECT id, status, attempts, "lockedUntil", "nextAttemptAt", left("lastError", 120) AS error FROM "OutboxMessage" WHERE status <> 'sent'`),
    });
  const explained = (e: unknown) => leftover().then((l) => Promise.reject(new Error(`${String(e)}; left to do: ${l}`)));
  /** Every text answered exactly once, and nothing left to do. */
  const allAnsweredOnce = async (run: string, texts: string[]) => {
    await eventually(() => texts.every((t) => repliesByMessage(side.sim, run).has(t)), `replies to all ${texts.length} acknowledged messages`, 30_000).catch(explained);
    await eventually(async () => Number(await pending()) === 0, "inbox and outbox empty", 20_000).catch(explained);
    const counts = repliesByMessage(side.sim, run);
    expect(texts.filter((t) => counts.get(t) !== 1)).toEqual([]);
    expect([...counts.values()].filter((c) => c !== 1)).toEqual([]);
  };

  for (const fault of ["pause", "cut"] as const) {
    it(`${fault === "pause" ? "paused (hung server)" : "cut (connections reset)"}: 503 to callbacks, /readyz not ready, the bot stays up, and it recovers by itself`, async () => {
      const run = `${fault[0]}${randomBytes(2).toString("hex")}`;
      const texts = side.reps.map((_, i) => drill(run, i));
      // Working before: the first message of each rep is taken.
      expect((await postOnce(driver, side.reps[0]!, texts[0]!)).status).toBe(200);
      await eventually(() => repliesByMessage(side.sim, run).size === 1, "the reply before the fault");

      proxy[fault]();
      const during = await Promise.all(side.reps.slice(1).map((rep, i) => postOnce(driver, rep, texts[i + 1]!)));
      expect(during.map((r) => r.status)).toEqual(during.map(() => 503)); // not acknowledged: WeCom will retry
      expect(await ready()).toBe(503);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200); // up all along

      proxy.restore();
      await eventually(async () => (await ready()) === 200, "/readyz ready again", 20_000);
      // WeCom's retries of the refused callbacks now go through.
      for (const [i, rep] of side.reps.slice(1).entries()) {
        await eventually(async () => (await postOnce(driver, rep, texts[i + 1]!, during[i]!.prepared)).status === 200, `the retry of ${texts[i + 1]} acknowledged`);
      }
      await allAnsweredOnce(run, texts);
    });
  }

  it("backends terminated every 300 ms under concurrent callbacks: no hang, 200 or 503 only, and every acknowledged message handled once", async () => {
    const run = `x${randomBytes(2).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    let killing = true;
    let kills = 0;
    const killer = (async () => {
      while (killing) {
        const r = await admin.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [fresh.name]);
        kills += Number((r.rows[0] as { n: number }).n);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    const answers: { rep: string; text: string; status: number; prepared: Prepared }[] = [];
    let n = 0;
    try {
      // Each rep sends one message after the other for a few seconds while backends keep dying.
      const until = Date.now() + 3000;
      await Promise.all(
        side.reps.map(async (rep) => {
          for (let k = 0; k < 8 && Date.now() < until; k++) {
            const text = drill(run, n++);
            const r = await postOnce(driver, rep, text);
            answers.push({ rep, text, status: r.status, prepared: r.prepared });
          }
        }),
      );
    } finally {
      killing = false;
      await killer;
      await admin.end();
    }
    expect(kills).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]); // never hung, never a 500
    expect(answers.some((a) => a.status === 200)).toBe(true);

    // WeCom retries what was refused; everything acknowledged is handled once.
    for (const a of answers.filter((x) => x.status !== 200)) {
      await eventually(async () => (await postOnce(driver, a.rep, a.text, a.prepared)).status === 200, `the retry of ${a.text} acknowledged`);
    }
    await eventually(async () => (await ready()) === 200, "/readyz ready");
    await allAnsweredOnce(run, answers.map((a) => a.text));
  }, 90_000);
});
