// The nightly public-pool run: the owner is warned the night before an idle customer is released, then it goes
// to the pool with an audit entry and the former owner is told; a visit after the warning keeps it; a re-run of
// the same night, or a failed run run again, sends nothing twice. rules.pool here: the demo's 30 days, 1 day warning.
import cron from "node-cron";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_JOBS } from "../../jobs/index.ts";
import { poolReleaseJob } from "../../jobs/pool-release.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";

const at = (iso: string) => new Date(iso);

describe("pool release job", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  const clock = new ManualClock(FIXED_NOW);
  const ids: Record<string, string> = {};
  const db = () => bot.db.prisma;
  const texts = async (userId: string) => (await pg.botItems(userId)).flatMap((i) => (i.type === "text" ? [i.text] : []));
  const customer = (name: string) => db().customer.findUniqueOrThrow({ where: { id: ids[name]! } });

  beforeAll(async () => {
    bot = await startTestBot({}, { clock });
    pg = new PlaygroundClient(bot.url);
    const make = async (name: string, ownerId: string, dates: { lastFollowUpAt?: Date; createdAt: Date }) => {
      ids[name] = (await db().customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId, aliases: [], tags: [], ...dates } })).id;
    };
    // Last visit 11-01 15:00: idle 30 days from 12-01 15:00, so warned the night of 12-01 and released on 12-02.
    await make("华东机电", "zhangsan", { lastFollowUpAt: at("2026-11-01T15:00:00+08:00"), createdAt: at("2026-10-01T09:00:00+08:00") });
    // Never visited: counted from its creation (11-01 10:00), same nights.
    await make("恒通精密", "zhangsan", { createdAt: at("2026-11-01T10:00:00+08:00") });
    // Idle long before anyone was warned: warned first, released only the next night.
    await make("鼎盛机械", "lisi", { lastFollowUpAt: at("2026-10-01T10:00:00+08:00"), createdAt: at("2026-09-01T10:00:00+08:00") });
    // Recently visited: never touched.
    await make("远达纺织", "lisi", { lastFollowUpAt: at("2026-11-20T10:00:00+08:00"), createdAt: at("2026-09-01T10:00:00+08:00") });
  });
  afterAll(async () => bot?.close());

  it("is scheduled nightly at 02:00 in the bot's time zone and runnable by name", () => {
    expect(ALL_JOBS.map((j) => j.name)).toContain("pool-release");
    const expr = poolReleaseJob.schedule(bot.deps);
    expect(expr).toBe("0 2 * * *");
    expect(cron.validate(expr)).toBe(true);
    expect(poolReleaseJob.period(at("2026-11-30T02:00:00+08:00"), "Asia/Shanghai")).toBe("2026-11-30");
  });

  it("warns a customer overdue but never warned, and nobody else yet", async () => {
    const r = await runJob(bot.deps, poolReleaseJob, at("2026-11-30T02:00:00+08:00"));
    expect(r.result).toEqual({ warned: 1, released: 0, failed: 0 });
    const t = await eventually(async () => (await texts("lisi"))[0], "warning to lisi");
    expect(t).toBe("「鼎盛机械」已59天未跟进，明天将释放到公海；记录一次拜访即可保留。");
    expect((await customer("鼎盛机械")).ownerId).toBe("lisi"); // not released without notice
    expect((await customer("华东机电")).poolWarnedAt).toBeNull();
  });

  it("warns the owner the night before, once", async () => {
    const night = at("2026-12-01T02:00:00+08:00");
    const r = await runJob(bot.deps, poolReleaseJob, night);
    expect(r.result).toEqual({ warned: 2, released: 1, failed: 0 }); // 鼎盛机械 goes now: warned the night before
    const warnings = await eventually(async () => {
      const all = await texts("zhangsan");
      return all.length === 2 ? all.sort() : undefined;
    }, "two warnings to zhangsan");
    expect(warnings).toEqual([
      "「华东机电」已29天未跟进，明天将释放到公海；记录一次拜访即可保留。",
      "「恒通精密」已29天未跟进，明天将释放到公海；记录一次拜访即可保留。",
    ].sort());
    expect((await customer("华东机电")).poolWarnedAt?.toISOString()).toBe(night.toISOString());
    expect((await customer("华东机电")).ownerId).toBe("zhangsan");
    expect((await customer("远达纺织")).poolWarnedAt).toBeNull();

    // Same night again: one run per period. A failed run run again finds nothing left to say.
    expect((await runJob(bot.deps, poolReleaseJob, at("2026-12-01T02:30:00+08:00"))).ran).toBe(false);
    await db().jobRun.updateMany({ where: { job: "pool-release", period: "2026-12-01", subject: "" }, data: { status: "failed" } });
    expect((await runJob(bot.deps, poolReleaseJob, at("2026-12-01T03:00:00+08:00"))).result).toEqual({ warned: 0, released: 0, failed: 0 });
    expect(await db().auditLog.count({ where: { action: "customer.pool_warn" } })).toBe(3);
  });

  it("releases 鼎盛机械 to the pool with an audit entry and tells its former owner", async () => {
    const c = await customer("鼎盛机械");
    expect(c.ownerId).toBeNull();
    expect(c.releasedAt?.toISOString()).toBe(at("2026-12-01T02:00:00+08:00").toISOString());
    expect(c.poolWarnedAt).toBeNull();
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "customer.release", entityId: c.id } });
    expect(entry).toMatchObject({ actorId: null, eventId: "job:pool-release", before: { ownerId: "lisi" }, after: { ownerId: null } });
    const t = await eventually(async () => (await texts("lisi"))[1], "release notice to lisi");
    expect(t).toMatch(/^「鼎盛机械」已60天未跟进，已释放到公海/);
  });

  it("keeps a customer visited after the warning, and releases the other the next night", async () => {
    clock.set(at("2026-12-01T10:00:00+08:00"));
    await pg.say("zhangsan", "今天拜访了恒通精密的李经理，聊了明年的备件");
    await eventually(async () => (await customer("恒通精密")).poolWarnedAt === null, "visit clears the warning");
    expect((await customer("恒通精密")).lastFollowUpAt?.toISOString()).toBe(at("2026-12-01T10:00:00+08:00").toISOString());

    const r = await runJob(bot.deps, poolReleaseJob, at("2026-12-02T02:00:00+08:00"));
    expect(r.result).toEqual({ warned: 0, released: 1, failed: 0 });
    expect((await customer("恒通精密")).ownerId).toBe("zhangsan");
    const released = await customer("华东机电");
    expect(released.ownerId).toBeNull();
    expect(await db().auditLog.count({ where: { action: "customer.release", entityId: released.id, actorId: null, eventId: "job:pool-release" } })).toBe(1);
    const notice = await eventually(async () => (await texts("zhangsan")).find((x) => x.includes("已释放到公海")), "release notice to zhangsan");
    expect(notice).toMatch(/^「华东机电」已30天未跟进，已释放到公海/);

    // Run again for the same night: nothing is released or said twice.
    await db().jobRun.updateMany({ where: { job: "pool-release", period: "2026-12-02", subject: "" }, data: { status: "failed" } });
    expect((await runJob(bot.deps, poolReleaseJob, at("2026-12-02T03:00:00+08:00"))).result).toEqual({ warned: 0, released: 0, failed: 0 });
    expect(await db().outboxMessage.count({ where: { dedupeKey: { startsWith: `pool-release:${released.id}:` } } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: "customer.release" } })).toBe(2);
  });

  it("gives a claimed customer a full period from the claim", async () => {
    clock.set(at("2026-12-02T10:00:00+08:00"));
    await pg.say("wangwu", "领取 华东机电");
    await eventually(async () => (await customer("华东机电")).ownerId === "wangwu", "claimed");
    // Its last follow-up is a month old, but it was claimed today: neither warned nor released tonight.
    expect((await runJob(bot.deps, poolReleaseJob, at("2026-12-03T02:00:00+08:00"))).result).toEqual({ warned: 0, released: 0, failed: 0 });
    // The night of 12-31 warns the others (恒通精密, visited 12-01; 远达纺织, overdue), not the claimed one …
    expect((await runJob(bot.deps, poolReleaseJob, at("2026-12-31T02:00:00+08:00"))).result).toEqual({ warned: 2, released: 0, failed: 0 });
    expect((await customer("华东机电")).poolWarnedAt).toBeNull();
    // … which is warned the night before its 30 days from the claim end, as the others are released.
    expect((await runJob(bot.deps, poolReleaseJob, at("2027-01-01T02:00:00+08:00"))).result).toEqual({ warned: 1, released: 2, failed: 0 });
    expect((await customer("华东机电")).poolWarnedAt).not.toBeNull();
    expect((await customer("华东机电")).ownerId).toBe("wangwu");
    const warning = await eventually(async () => (await texts("wangwu")).find((x) => x.startsWith("「华东机电」")), "warning to wangwu");
    expect(warning).toContain("明天将释放到公海");
  });
});
