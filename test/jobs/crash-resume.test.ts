// A morning run that dies half-way (the process gone between two batches' commits, one batch's transaction lost)
// is taken again once its claim is stale: the batch that committed is not sent again, the rest are sent, everyone
// has exactly one card, one numbered list and one done-mark. The "crash" is a database handle that rolls back the
// third unit of work and then never answers again, as a dead process would not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyTodoJob } from "../../jobs/daily-todo.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import type { DbClient, Tx } from "../../src/domain/tx.ts";
import type { AppDeps } from "../../src/handlers/engine/app-deps.ts";
import { everyone, sendDailyTodos } from "../../src/handlers/tasks/daily-todo.handler.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const MORNING = at("2026-11-24T08:00:00");
const PERIOD = "2026-11-24";
/** The production job with batches of two people, so a run has several units of work to die between. */
const smallBatches = { ...dailyTodoJob, run: async (deps: AppDeps, now: Date, period: string) => ({ ...(await sendDailyTodos(deps, await everyone(deps), period, now, 2)) }) };

/** Lets `okUnits` units of work through, rolls the next one back, then never answers again. */
function dyingDb(db: DbClient, okUnits: number): DbClient {
  let units = 0;
  const $transaction = async (fn: (tx: Tx) => Promise<unknown>, opts?: unknown) => {
    units++;
    if (units <= okUnits) return db.$transaction(fn, opts as never);
    if (units === okUnits + 1) {
      await db
        .$transaction(async (tx) => {
          await fn(tx);
          throw new Error("process died before the commit");
        }, opts as never)
        .catch(() => undefined);
    }
    return new Promise(() => {});
  };
  return new Proxy(db, { get: (target, key, receiver) => (key === "$transaction" ? $transaction : Reflect.get(target, key, receiver)) }) as DbClient;
}

describe("a daily run that crashes mid-way", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({}, { workers: false });
    // Everyone who sells has a follow-up due today: batches (by id) [admin, chenqi] [lisi, wangwu] [zhangsan, zhaoliu].
    for (const ownerId of ["lisi", "wangwu", "zhangsan", "zhaoliu"]) await bot.db.prisma.task.create({ data: { ownerId, title: `回访 ${ownerId}`, dueAt: at("2026-11-24T10:00:00") } });
  });
  afterAll(async () => bot?.close());

  const cards = (userId: string) => bot.db.prisma.outboxMessage.count({ where: { userId, kind: "card", dedupeKey: `job:daily-todo:${PERIOD}:${userId}` } });

  it("resumes after the claim goes stale and sends nobody twice", async () => {
    // Units: batch 1 (nothing to send), batch 2 commits, batch 3 dies.
    void runJob({ ...bot.deps, db: dyingDb(bot.deps.db, 2) }, smallBatches, MORNING);
    const sent = async () => (await bot.db.prisma.jobRun.findMany({ where: { job: "daily-todo", period: PERIOD, subject: { not: "" } }, orderBy: { subject: "asc" } })).map((r) => r.subject);
    for (let i = 0; i < 200 && (await sent()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200)); // the third unit's rollback
    expect(await sent()).toEqual(["lisi", "wangwu"]);
    expect(await cards("zhangsan")).toBe(0);

    // Another instance (or a restart) at once: the run is still claimed by the dead one.
    expect(await runJob(bot.deps, smallBatches, MORNING)).toMatchObject({ ran: false });
    // An hour later its claim is stale (runOncePerPeriod takes a "running" run older than an hour back).
    await bot.db.prisma.jobRun.updateMany({ where: { job: "daily-todo", period: PERIOD, subject: "" }, data: { startedAt: new Date(Date.now() - 2 * 3600_000) } });
    expect(await runJob(bot.deps, smallBatches, MORNING)).toMatchObject({ ran: true, result: { sent: 2, already: 2, failed: 0 } });

    expect(await sent()).toEqual(["lisi", "wangwu", "zhangsan", "zhaoliu"]);
    for (const u of ["lisi", "wangwu", "zhangsan", "zhaoliu"]) {
      expect(await cards(u), u).toBe(1);
      // Not merely deduplicated in the outbox: the unit itself ran once (one card delivery, one numbered list).
      expect(await bot.db.prisma.card.count({ where: { recipientId: u, purpose: "todo_list" } }), u).toBe(1);
      expect(await bot.db.prisma.pendingAction.count({ where: { userId: u, kind: "todo_list_shown" } }), u).toBe(1);
    }
    expect((await bot.db.prisma.jobRun.findFirstOrThrow({ where: { job: "daily-todo", period: PERIOD, subject: "" } })).status).toBe("done");
  });
});
