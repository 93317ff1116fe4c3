// Two instances on one PostgreSQL (issue 14, faults): each piece of work is done once, counted at the WeCom API
// simulator.
// - Inbox and outbox: two real server processes share the database; every callback reaches one of them and the
//   very same callback (WeCom's retry behind a load balancer) the other too. Each message is answered once.
// - Every scheduled job, run by two instances at the same moment (what their cron does): one run per period, and
//   no person gets a delivery twice. These run in two bots in this process (plus the two processes' outbox
//   workers delivering alongside), so each job can be started on both at once.
// PostgreSQL only: the embedded database is single-process (a second instance is refused by the data-folder
// lock, see test/foundation/data-dir-lock.test.ts), so two instances cannot share it.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_JOBS } from "../../jobs/index.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot, type Bot } from "../../src/main.ts";
import { eventually } from "../support/eventually.ts";
import { serverUrl } from "../support/fresh-database.ts";
import { FIXED_NOW } from "../support/test-bot.ts";
import { daysAgo, teamCustomer } from "../support/team-seed.ts";
import { drill, faultDatabase, killAllServers, postOnce, queueDepths, repliesByMessage, startServer, wecomSide, type FaultDatabase, type ServerProcess, type WecomSide } from "./server-process.ts";

type Json = Record<string, unknown>;
const GRACE_MS = 3000;

describe.skipIf(!serverUrl())("two instances on one PostgreSQL (PostgreSQL only: the embedded database is single-process)", () => {
  let db: FaultDatabase;
  let side: WecomSide;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    [db, side] = await Promise.all([faultDatabase(), wecomSide(10)]);
    servers = await Promise.all([0, 1].map(() => startServer({ ...db.env, ...side.env, SHUTDOWN_GRACE_MS: String(GRACE_MS) })));
  }, 120_000);
  afterAll(async () => {
    await killAllServers();
    await side?.sim.close();
    await db?.destroy();
  });

  const drained = () =>
    eventually(async () => {
      const q = await queueDepths(servers[0]!.url);
      return q?.inbox === 0 && q.outbox === 0;
    }, "inbox and outbox empty", 30_000);

  it("inbox and outbox: every callback, sent to one instance and again to the other, is answered once", async () => {
    const run = `d${randomBytes(2).toString("hex")}`;
    const [a, b] = servers.map((s) => side.driver(s.url));
    const texts: string[] = [];
    await Promise.all(
      side.reps.map(async (rep, r) => {
        for (let k = 0; k < 3; k++) {
          const text = drill(run, r * 3 + k);
          texts.push(text);
          const [first, second] = (r + k) % 2 ? [a!, b!] : [b!, a!];
          const once = await postOnce(first, rep, text);
          const again = await postOnce(second, rep, text, once.prepared); // WeCom's retry, landing on the other
          expect([once.status, again.status]).toEqual([200, 200]);
        }
      }),
    );
    await eventually(() => texts.every((t) => repliesByMessage(side.sim, run).has(t)), `a reply to each of ${texts.length} messages`, 30_000);
    await drained();
    const counts = repliesByMessage(side.sim, run);
    expect(texts.filter((t) => counts.get(t) !== 1)).toEqual([]);
  }, 90_000);

  it("every scheduled job, started on both instances at the same moment, runs once and delivers once", async () => {
    const open = () => openDatabase({ url: db.env.DATABASE_URL!, poolSize: 5 });
    const databases: Database[] = await Promise.all([open(), open()]);
    const env = parseEnv({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", JOBS: "false", ...side.env });
    const bots: Bot[] = [];
    try {
      for (const database of databases) bots.push(await startBot(env, { database, clock: new ManualClock(FIXED_NOW), log: createLogger("silent") }));
      const prisma = databases[0]!.prisma;
      // Work for the jobs: a follow-up due this morning, one overdue for days (escalated to the manager), a
      // customer idle past the pool's 30 days (its owner is warned).
      const due = await teamCustomer(prisma, "演练机电", "zhangsan", daysAgo(5));
      await prisma.task.create({ data: { ownerId: "zhangsan", customerId: due.id, title: "带报价回访", dueAt: new Date(FIXED_NOW.getTime() - 3600_000) } });
      await prisma.task.create({ data: { ownerId: "lisi", title: "催款", dueAt: daysAgo(3) } });
      await teamCustomer(prisma, "久未跟进实业", "lisi", daysAgo(45));

      const before = side.sim.sent.length;
      const outcomes: Record<string, { ran: number; skipped: number; result: Json | undefined }> = {};
      for (const job of ALL_JOBS) {
        const both = await Promise.all(bots.map((bot) => runJob(bot.deps, job, FIXED_NOW)));
        for (const bot of bots) bot.outboxWorker.wake();
        outcomes[job.name] = { ran: both.filter((r) => r.ran).length, skipped: both.filter((r) => r.skipped).length, result: both.find((r) => r.ran)?.result };
      }
      for (const [name, o] of Object.entries(outcomes)) expect(o.skipped === 2 || o.ran === 1, `${name}: ${JSON.stringify(o)}`).toBe(true);
      expect(outcomes["due-reminders"]!.result).toMatchObject({ reminded: 2, escalated: 1 });
      expect(outcomes["pool-release"]!.result).toMatchObject({ warned: 1 });

      await drained();
      const delivered = side.sim.sent.slice(before);
      // What a person sees of a message; a job run twice would send the same again (under a new card id).
      const seen = (m: Json) => {
        const c = m.template_card as Json | undefined;
        const content = (m.text ?? m.markdown) as Json | undefined;
        return JSON.stringify([m.touser, m.msgtype, content?.content ?? [c?.main_title, c?.sub_title_text, c?.horizontal_content_list]]);
      };
      const keys = delivered.filter((m) => m.msgtype !== "image").map(seen);
      expect(keys.length).toBeGreaterThanOrEqual(4); // reminders, escalation, warning, to-dos, metrics cards
      expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
      const queued = await databases[0]!.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE status = 'sent' AND kind <> 'image' AND "createdAt" >= $1`, [new Date(Date.now() - 120_000)]);
      expect(queued[0]!.n).toBeGreaterThanOrEqual(keys.length);
    } finally {
      for (const bot of bots) await bot.stop();
      for (const database of databases) await database.close();
    }
  }, 90_000);

  it("SIGTERM while a send hangs: each instance still exits within SHUTDOWN_GRACE_MS, and the message stays queued", async () => {
    const run = `g${randomBytes(2).toString("hex")}`;
    side.sim.setOutage("timeout"); // WeCom does not answer: the send in hand cannot finish
    expect((await postOnce(side.driver(servers[0]!.url), side.reps[0]!, drill(run, 0))).status).toBe(200);
    await eventually(() => side.sim.heldCount > 0, "the reply's send hanging");
    const exits = await Promise.all(servers.map((s) => s.kill("SIGTERM")));
    side.sim.setOutage(null);
    // The one holding the send gives up waiting after the grace period (exit 1, saying so); the other finishes.
    const cut = servers.filter((_, i) => exits[i]!.code === 1);
    expect(exits.every((e) => e.code === 0 || e.code === 1), JSON.stringify(exits)).toBe(true);
    expect(cut.length).toBeGreaterThan(0);
    for (const s of cut) expect(s.output()).toContain(`shutdown did not finish within SHUTDOWN_GRACE_MS (${GRACE_MS} ms)`);
    const left = await db.use((d) =>
      d.sql.query<{ status: string }>(`SELECT status FROM "OutboxMessage" WHERE payload::text LIKE $1`, [`%故障演练 ${run}-%`]),
    );
    expect(left.map((r) => r.status)).toEqual(["pending"]); // not sent, not lost: the next start sends it
  }, 90_000);
});
