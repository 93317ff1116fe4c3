// Every evening each manager and director gets today's card for their team, on Monday last week's; one card per
// person per period, re-runs send nothing twice, reps get none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsEveningJob } from "../../jobs/metrics-evening.job.ts";
import { metricsWeeklyJob } from "../../jobs/metrics-weekly.job.ts";
import { ALL_JOBS } from "../../jobs/index.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { dryRunJob } from "../../jobs/dry-run.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { eventually, startTestBot, type TestBot } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);

describe("metrics jobs", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  beforeAll(async () => {
    bot = await startTestBot();
    pg = new PlaygroundClient(bot.url);
    const db = bot.db.prisma;
    const c = await db.customer.create({ data: { name: "华东机电", normalizedName: "华东机电", ownerId: "zhangsan", createdById: "zhangsan", createdAt: at("2026-11-20T10:00:00"), aliases: [], tags: [] } });
    const visit = (userId: string, occurredAt: Date) => db.activity.create({ data: { userId, customerId: c.id, kind: "visit", occurredAt, summary: "s", rawText: "r" } });
    await visit("zhangsan", at("2026-11-23T18:00:00")); // today, before the evening run
    await visit("lisi", at("2026-11-23T11:00:00"));
    await visit("zhangsan", at("2026-11-22T18:00:00")); // Sunday: last week
    await visit("zhangsan", at("2026-11-16T00:00:00")); // last Monday 00:00: last week
  });
  afterAll(async () => bot?.close());

  const metricsCards = async (userId: string) =>
    (await pg.botItems(userId)).flatMap((i) => (i.type === "card" && i.card.purpose === "metrics" ? [i.card] : []));

  it("is registered with the schedules from rules.schedule", () => {
    expect(ALL_JOBS.map((j) => j.name)).toEqual(expect.arrayContaining(["metrics-evening", "metrics-weekly"]));
    expect(metricsEveningJob.schedule(bot.deps)).toBe("0 19 * * *");
    expect(metricsWeeklyJob.schedule(bot.deps)).toBe("0 9 * * 1");
  });

  it("dry-runs the evening job: each lead's card and picture listed, nothing sent or recorded", async () => {
    const day = at("2026-11-24T19:00:00");
    const dry = await dryRunJob(bot.deps, metricsEveningJob, day);
    expect(dry).toMatchObject({ ran: true, dryRun: true, result: { sent: 2, failed: 0 } });
    expect(dry.messages.map((m) => `${m.userId} ${m.kind}`).sort()).toEqual(["wangwu card", "wangwu image", "zhaoliu card", "zhaoliu image"]);
    expect(await bot.db.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: "job:metrics-evening:2026-11-24:" } } })).toBe(0);
    expect(await bot.db.prisma.jobRun.count({ where: { job: "metrics-evening", period: "2026-11-24" } })).toBe(0);
  });

  it("sends each manager and director today's team card in the evening, once", async () => {
    const r = await runJob(bot.deps, metricsEveningJob, at("2026-11-23T19:00:00"));
    expect(r).toMatchObject({ ran: true, period: "2026-11-23", result: { sent: 2, failed: 0 } }); // 王五 (manager) and 赵六 (director)
    const card = await eventually(async () => (await metricsCards("wangwu"))[0], "wangwu's evening card");
    expect(card.title).toBe("今天业绩 · 王五团队");
    expect(card.fields.find((f) => f.label === "拜访跟进")?.value).toBe("2 次（拜访 2）");
    expect(card.lines?.slice(1)).toEqual(["拜访排行：", "1. 李四 1 次", "2. 张三 1 次", "3. 王五 0 次"]); // a tie goes by name; nobody left out
    const director = await eventually(async () => (await metricsCards("zhaoliu"))[0], "zhaoliu's evening card");
    expect(director.title).toBe("今天业绩 · 赵六团队");

    expect((await runJob(bot.deps, metricsEveningJob, at("2026-11-23T19:30:00"))).ran).toBe(false);
    // A failed run taken again sends nothing a second time.
    await bot.db.prisma.jobRun.updateMany({ where: { job: "metrics-evening", period: "2026-11-23", subject: "" }, data: { status: "failed" } });
    expect(await runJob(bot.deps, metricsEveningJob, at("2026-11-23T20:00:00"))).toMatchObject({ ran: true, result: { sent: 0, already: 2, failed: 0 } });
    expect(await bot.db.prisma.outboxMessage.count({ where: { kind: "card", dedupeKey: { startsWith: "job:metrics-evening:2026-11-23:" } } })).toBe(2);
    // Each card has its chart right after it, once too.
    expect(await bot.db.prisma.outboxMessage.count({ where: { kind: "image", dedupeKey: { startsWith: "job:metrics-evening:2026-11-23:" } } })).toBe(2);
  });

  it("sends reps, the warehouse and the admin no metrics card", async () => {
    await eventually(async () => (await bot.db.prisma.outboxMessage.count({ where: { status: "pending" } })) === 0, "outbox drained");
    for (const u of ["zhangsan", "lisi", "chenqi", "admin"]) expect(await metricsCards(u)).toEqual([]);
    const recipients = await bot.db.prisma.outboxMessage.findMany({ where: { kind: "card", dedupeKey: { startsWith: "job:metrics-" } }, select: { userId: true } });
    expect(recipients.map((m) => m.userId).sort()).toEqual(["wangwu", "zhaoliu"]);
  });

  it("sends a new card the next evening", async () => {
    const r = await runJob(bot.deps, metricsEveningJob, at("2026-11-24T19:00:00"));
    expect(r).toMatchObject({ ran: true, period: "2026-11-24", result: { sent: 2 } });
    const card = await eventually(async () => (await metricsCards("wangwu"))[1], "wangwu's second evening card");
    expect(card.fields.find((f) => f.label === "拜访跟进")?.value).toBe("0 次");
  });

  it("sends last week's card (Monday to Sunday) on Monday morning, once per week", async () => {
    const r = await runJob(bot.deps, metricsWeeklyJob, at("2026-11-23T09:00:00"));
    expect(r).toMatchObject({ ran: true, period: "2026-W47", result: { sent: 2, failed: 0 } });
    const card = await eventually(async () => (await metricsCards("wangwu")).find((c) => c.title.startsWith("上周")), "wangwu's weekly card");
    expect(card.title).toBe("上周业绩 · 王五团队");
    expect(card.subtitle).toContain("11月16日 周一 00:00 至 11月23日 周一 00:00");
    expect(card.fields.find((f) => f.label === "拜访跟进")?.value).toBe("2 次（拜访 2）"); // not this Monday's
    expect(card.lines).toContain("1. 张三 2 次");
    // Run by hand later that week: the same period, nothing sent again.
    expect(await runJob(bot.deps, metricsWeeklyJob, at("2026-11-25T15:00:00"))).toMatchObject({ ran: false, period: "2026-W47" });
  });
});
