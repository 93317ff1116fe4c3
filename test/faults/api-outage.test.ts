// WeCom's API down for a while (issue 14, faults): calls time out, then HTTP 500, then errcode -1 (system busy),
// then 45009 (rate limit: the API is blocked for the whole app). Messages keep arriving and being handled; their
// replies wait in the outbox (pending, retried with back-off, never dead), and once WeCom is back they all go, in
// order per person, each once, counted at the simulator by the message each reply quotes.
// The real bot takes the callbacks and its inbox worker runs; the real outbox worker and WeCom sender deliver,
// built here with a short call timeout and a hand-driven clock for the 45009 block, and driven batch by batch.
// Each retry's pause is checked to lie ahead, then let go by (the database keeps real time).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WecomApi } from "../../src/channels/wecom/wecom-api.ts";
import { WecomSender } from "../../src/channels/wecom/wecom-sender.ts";
import { createLogger } from "../../src/core/logger.ts";
import { OutboxWorker } from "../../src/core/outbox-worker.ts";
import { OutboxRepo } from "../../src/domain/plumbing/outbox.repo.ts";
import type { Outage } from "../simulators/wecom-api.ts";
import { eventually } from "../support/eventually.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";
import { drill, repliesInOrder, wecomSide, type WecomSide } from "./server-process.ts";

let side: WecomSide;
let bot: TestBot;
beforeAll(async () => {
  side = await wecomSide(5);
  bot = await startTestBot(side.env, { workers: false });
  bot.inboxWorker.start(); // callbacks are handled as usual; only the outbox is driven by hand
});
afterAll(async () => {
  await bot?.close();
  await side?.sim.close();
});

it("holds every reply while WeCom times out, answers 500, -1 and 45009, then sends them all once, in order per person", async () => {
  const run = `a${randomBytes(2).toString("hex")}`;
  let now = Date.now();
  const log = createLogger("silent");
  const api = new WecomApi({ corpId: side.config.corpId, secret: side.config.secret, apiBase: side.sim.url }, { log, timeoutMs: 300, now: () => now });
  const outbox = new OutboxWorker(new OutboxRepo(bot.db.sql), [new WecomSender(api, side.config.agentId, log)], log);
  const driver = side.driver(bot.url);
  const sql = bot.db.sql;
  const ours = `%故障演练 ${run}-%`;
  const count = async (where: string) =>
    Number((await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE payload::text LIKE $1 AND ${where}`, [ours]))[0]!.n);
  /** Every due message is tried (one per person at a time, so drain until nothing is due). */
  const drain = async () => {
    while ((await outbox.drainOnce()) > 0);
  };

  const expected = new Map<string, string[]>(); // member → their messages, in the order they wrote them
  let n = 0;
  const phases: Outage[] = ["timeout", "http_500", -1, 45009];
  for (const outage of phases) {
    side.sim.setOutage(outage);
    // Each member writes two more messages, one after the other; WeCom's callbacks keep working.
    await Promise.all(
      side.reps.map(async (rep) => {
        for (let k = 0; k < 2; k++) {
          const text = drill(run, n++);
          expected.set(rep, [...(expected.get(rep) ?? []), text]);
          expect((await driver.deliver(driver.textXml(rep, text))).status).toBe(200);
        }
      }),
    );
    const total = [...expected.values()].flat().length;
    await eventually(async () => (await count("true")) === total, `${total} replies queued`);
    const hits = side.sim.outageHits.length;
    await drain(); // everything due is tried again, and fails
    expect(side.sim.outageHits.length, `WeCom called during the ${outage} outage`).toBeGreaterThan(hits);
    expect(await count("status = 'pending'")).toBe(total); // waiting: not sent, not dead
    // Each person's first waiting message is retried later (the ones behind it wait their turn).
    const dueHeads = `status = 'pending' AND "nextAttemptAt" <= now() AND NOT EXISTS (SELECT 1 FROM "OutboxMessage" e
      WHERE e.recipient = "OutboxMessage".recipient AND e.status = 'pending' AND e.id < "OutboxMessage".id)`;
    expect(await count(dueHeads)).toBe(0);
    expect(repliesInOrder(side.sim, run).size).toBe(0);
    await sql.query(`UPDATE "OutboxMessage" SET "nextAttemptAt" = now() WHERE status = 'pending' AND payload::text LIKE $1`, [ours]);
  }
  // 45009 blocks message/send for a minute: while blocked nothing is called.
  const hits = side.sim.outageHits.length;
  side.sim.setOutage(null);
  await drain();
  expect(side.sim.outageHits.length).toBe(hits);
  expect(side.sim.requests.filter((r) => r.path === "/cgi-bin/message/send")).toHaveLength(0);

  now += 61_000; // the block is over
  for (let round = 0; round < 20 && (await count("status = 'pending'")) > 0; round++) {
    await sql.query(`UPDATE "OutboxMessage" SET "nextAttemptAt" = now() WHERE status = 'pending' AND payload::text LIKE $1`, [ours]);
    await drain();
  }
  expect(await count("status = 'sent'")).toBe(n);
  const got = repliesInOrder(side.sim, run);
  for (const [rep, texts] of expected) expect(got.get(rep), rep).toEqual(texts); // all, once each, in order
  expect(await count("status = 'dead'")).toBe(0);
}, 90_000);
