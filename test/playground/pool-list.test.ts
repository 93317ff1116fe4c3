// The pool, visible, through the real HTTP surface: 公海客户 (or 公海 电机) lists pool customers ten a card with
// why and when each was released and a 领取 button each; a click (or typed 领取 N) claims through the same code
// and limits as typed 领取 X; 下一页 pages. The nightly release closes the customer's open follow-ups with a note.
// The demo organisation starts with pool and idle customers, seeded once.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_POOL_RULES, demoOrgWith } from "../support/demo-org.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolReleaseJob } from "../../jobs/pool-release.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { poolListCard } from "../../cards/pool/pool-list.card.ts";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { parseEnv } from "../../src/env.ts";
import { DEMO_ORG_FILE, startBot } from "../../src/main.ts";
import { answer, answerCard, answerText, itemAfter, makeCustomer, makeTask } from "../support/customer-fixtures.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";

const DAY = 24 * 3600_000;
const NAMES = ["安泰机械", "百川机械", "长城机械", "德胜重工", "鼎新机械", "富源机械", "广元机械", "海川重工", "金桥机械", "凯达机械", "利华机械", "明远重工"];

describe("公海客户 and its 领取 buttons", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  const db = () => bot.db.prisma;
  const owner = async (name: string) => (await db().customer.findFirstOrThrow({ where: { name } })).ownerId;

  beforeAll(async () => {
    const orgFile = demoOrgWith([[DEMO_POOL_RULES, "pool: { releaseAfterDays: 30, warnDaysBefore: 1, maxOwnedPerRep: 200, maxClaimsPerDay: 2 }"]]);
    bot = await startTestBot({ ORG_FILE: orgFile });
    // Twelve pool customers released on different days (the newest first on the card), one owned, one deleted.
    for (let i = 1; i <= 12; i++) {
      const releasedAt = new Date(FIXED_NOW.getTime() - i * DAY);
      const c = await makeCustomer(db(), NAMES[i - 1]!, null, { releasedAt, industry: i % 4 === 0 ? "电机" : "机械" });
      await db().auditLog.create({ data: { actorId: null, action: "customer.release", entityType: "customer", entityId: c.id, before: { ownerId: "lisi", idleSince: new Date(releasedAt.getTime() - 31 * DAY).toISOString() }, after: { ownerId: null }, createdAt: releasedAt } });
    }
    await makeCustomer(db(), "宏图电机有限公司", "lisi");
    await makeCustomer(db(), "华兴已删除", null, { deletedAt: FIXED_NOW });
  });
  afterAll(async () => bot?.close());

  it("lists ten pool customers with why and when they were released, and a 领取 button each; 下一页 shows the rest", async () => {
    pg = new PlaygroundClient(bot.url);
    const card = await answerCard(pg, "zhangsan", "公海客户");
    expect(card.purpose).toBe("pool_list");
    expect(card.subtitle).toBe("共12个公海客户，第1-10个");
    expect(card.fields).toHaveLength(10);
    expect(card.fields[0]).toEqual({ label: "1. 安泰机械", value: "机械，11月22日 释放，31天未跟进，自动释放" });
    expect(card.buttons.map((b) => b.label)).toEqual([...Array.from({ length: 10 }, (_, i) => `领取 ${i + 1}`), "下一页"]);
    expect(JSON.stringify(card)).not.toMatch(/宏图电机有限公司|已删除/);
    const n = (await pg.botItems("zhangsan")).length;
    await pg.click("zhangsan", card, "下一页");
    const next = await itemAfter(pg, "zhangsan", n);
    expect(next).toMatchObject({ type: "card", card: { subtitle: "共12个公海客户，第11-12个" } });
    if (next.type !== "card") throw new Error("no card");
    expect(next.card.fields.map((f) => f.label)).toEqual(["1. 利华机械", "2. 明远重工"]);
    expect(next.card.buttons.map((b) => b.label)).toEqual(["领取 1", "领取 2"]);
    // Typed 下一页 continues the newest list card; on the last page there is none to continue.
    expect(await answerText(pg, "zhangsan", "下一页")).toBe("已经是最后一页了。");
  });

  it("on WeCom goes without buttons (markdown with every row), 领取 N and 下一页 typed", () => {
    const rows = NAMES.slice(0, 10).map((name, i) => ({ id: `c${i}`, name, industry: null, region: null, releasedAt: null, reason: null }));
    const card = poolListCard({ ref: "crd_TESTTESTTEST", filter: null, offset: 0, total: 12, rows, timeZone: "Asia/Shanghai", buttons: false });
    expect(card.buttons).toEqual([]);
    expect(card.fields).toHaveLength(10);
    expect(card.textCommands).toEqual([...Array.from({ length: 10 }, (_, i) => `领取 ${i + 1}`), "下一页"]);
  });

  it("filters by name or industry (公海 电机), and says so when nothing matches", async () => {
    const card = await answerCard(pg, "lisi", "公海 电机");
    expect(card.fields.map((f) => f.label)).toEqual(["1. 德胜重工", "2. 海川重工", "3. 明远重工"]);
    expect((await answerCard(pg, "lisi", "公海客户 凯达")).fields.map((f) => f.label)).toEqual(["1. 凯达机械"]);
    expect(await answerText(pg, "lisi", "公海 纺织")).toBe("公海里没有和「纺织」相关的客户。发送「公海客户」查看全部公海客户。");
  });

  it("claims from the card within the limits, and refuses over them, changing nothing", async () => {
    const card = await answerCard(pg, "wangwu", "公海客户");
    let n = (await pg.botItems("wangwu")).length;
    await pg.click("wangwu", card, "领取 1");
    expect(await itemAfter(pg, "wangwu", n)).toMatchObject({ type: "text", text: expect.stringMatching(/^已领取「安泰机械」，现在由你负责（今天已领取1\/2个）/) });
    expect(await owner("安泰机械")).toBe("wangwu");
    // Typed twin: 领取 N on the newest list card.
    expect(await answerText(pg, "wangwu", "领取 2")).toMatch(/^已领取「百川机械」.*今天已领取2\/2个/);
    n = (await pg.botItems("wangwu")).length;
    await pg.click("wangwu", card, "领取 3");
    expect(await itemAfter(pg, "wangwu", n)).toMatchObject({ type: "text", text: "今天已领取2个客户，每人每天最多领取2个，明天再来吧。" });
    expect(await owner("长城机械")).toBeNull();
    // Already taken: clicking a row someone claimed meanwhile is refused.
    const zs = await answerCard(pg, "zhangsan", "公海客户");
    expect(zs.fields[0]!.label).toBe("1. 长城机械");
    expect(await answerText(pg, "lisi", "领取 长城机械")).toMatch(/^已领取/);
    n = (await pg.botItems("zhangsan")).length;
    await pg.click("zhangsan", zs, "领取 1");
    expect(await itemAfter(pg, "zhangsan", n)).toMatchObject({ type: "text", text: "「长城机械」不在公海，不能领取。发送「公海客户」查看可以领取的客户。" });
    expect(await owner("长城机械")).toBe("lisi");
    expect(await db().auditLog.count({ where: { action: "customer.claim" } })).toBe(3);
  });

  it("refuses a click on someone else's card and a forged row, changing nothing", async () => {
    const card = await answerCard(pg, "zhangsan", "公海客户");
    const n = (await pg.botItems("lisi")).length;
    await pg.click("lisi", card, "领取 1");
    expect(await itemAfter(pg, "lisi", n)).toMatchObject({ type: "text", text: "这张卡片不是发给你的，不能操作。" });
    const owned = await db().customer.findFirstOrThrow({ where: { name: "宏图电机有限公司" } });
    const m = (await pg.botItems("zhangsan")).length;
    await pg.post("/playground/api/actions", { userId: "zhangsan", actionKey: `claim:${card.ref}:${owned.id}`, cardRef: card.ref, clientId: randomUUID() });
    expect(await itemAfter(pg, "zhangsan", m)).toMatchObject({ type: "text", text: "这个按钮和卡片对不上，已忽略。" });
    expect(await owner("宏图电机有限公司")).toBe("lisi");
  });

  it("shows the list to managers, the director and the admin (who cannot claim); refuses warehouse staff", async () => {
    expect((await answerCard(pg, "zhaoliu", "公海客户")).purpose).toBe("pool_list");
    expect(await answerText(pg, "zhaoliu", "领取 1")).toBe("只有销售和经理可以领取公海客户。你可以发送「公海客户」查看，再用「转交 客户名 给 销售名」交给团队里的销售。");
    expect((await answerCard(pg, "admin", "查看公海")).purpose).toBe("pool_list");
    expect(await answerText(pg, "chenqi", "公海客户")).toBe("仓库同事不能查看公海客户，这条消息没有记录任何内容。发送「帮助」查看你能用的功能。");
    expect(await answerText(pg, "chenqi", "领取 1")).toBe("没有可以按编号领取的公海列表。发送「公海客户」查看，或发送「领取 客户名」。");
  });

  it("still hands a pool sentence to the parser (公海里的X我认领一下 claims)", async () => {
    const r = await answer(pg, "lisi", "公海里的凯达机械我认领一下");
    expect(r).toMatchObject({ type: "text", text: expect.stringMatching(/^已领取「凯达机械」/) });
  });
});

describe("a release closes the customer's open follow-ups; a claim moves any left to the new owner", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  const clock = new ManualClock(FIXED_NOW);
  const db = () => bot.db.prisma;
  beforeAll(async () => {
    bot = await startTestBot({}, { clock });
    pg = new PlaygroundClient(bot.url);
  });
  afterAll(async () => bot?.close());

  it("cancels the follow-ups with a note, tells the owner, and lists the customer with why", async () => {
    const c = await makeCustomer(db(), "鼎盛机械", "lisi", { lastFollowUpAt: new Date("2026-10-01T10:00:00+08:00"), createdAt: new Date("2026-09-01T10:00:00+08:00"), poolWarnedAt: new Date("2026-11-20T02:00:00+08:00") });
    const task = await makeTask(db(), "lisi", c.id, "回访鼎盛");
    const r = await runJob(bot.deps, poolReleaseJob, new Date("2026-11-23T02:00:00+08:00"));
    expect(r.result).toMatchObject({ released: 1 });
    expect((await db().task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("cancelled");
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "task.cancel", entityId: task.id } });
    expect(audit.after).toEqual({ status: "cancelled", note: "客户已释放到公海，跟进自动关闭" });
    const told = await eventually(async () => (await pg.botItems("lisi")).find((i) => i.type === "text" && i.text.includes("已释放到公海")), "release notice");
    expect(told).toMatchObject({ text: expect.stringContaining("它的1项待办已自动关闭") });
    expect(await answerText(pg, "lisi", "完成 1")).toBe("你现在没有待办事项。");
    const card = await answerCard(pg, "zhangsan", "公海客户");
    expect(card.fields).toEqual([{ label: "1. 鼎盛机械", value: "11月23日 释放，52天未跟进，自动释放" }]);
  });

  it("a claim takes any open follow-up still on the customer along to the new owner", async () => {
    const c = await makeCustomer(db(), "远达纺织", null);
    const left = await makeTask(db(), "lisi", c.id, "旧的跟进"); // left behind from before this rule
    expect(await answerText(pg, "zhangsan", "领取 远达纺织")).toMatch(/^已领取「远达纺织」/);
    expect((await db().task.findUniqueOrThrow({ where: { id: left.id } })).ownerId).toBe("zhangsan");
    expect(await db().auditLog.count({ where: { action: "task.reassign", entityId: left.id } })).toBe(1);
  });
});

describe("the demo organisation's starting customers", () => {
  let database: TestDatabase;
  const env = parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent", PLAYGROUND: "true", JOBS: "false" });
  const start = (opts: { demoSeed?: boolean; env?: typeof env } = {}) =>
    startBot(opts.env ?? env, { database, clock: new ManualClock(FIXED_NOW), log: createLogger("silent"), demoSeed: opts.demoSeed ?? true });
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => database?.destroy());

  it("are there on a fresh start: pool customers with why, idle owned ones, and not added again on restart", async () => {
    const bot = await start();
    try {
      const db = bot.db.prisma;
      expect(await db.customer.count({ where: { ownerId: null } })).toBe(3);
      const idle = await db.customer.findMany({ where: { ownerId: { not: null } }, orderBy: { name: "asc" } });
      expect(idle).toHaveLength(3);
      for (const c of idle) expect(FIXED_NOW.getTime() - c.lastFollowUpAt!.getTime()).toBeGreaterThanOrEqual(14 * DAY);
      const pg = new PlaygroundClient(bot.url);
      const card = await answerCard(pg, "zhangsan", "公海客户");
      expect(card.fields).toHaveLength(3);
      expect(card.fields[0]).toEqual({ label: "1. 常州恒远电机有限公司", value: "电机制造 · 华东，11月20日 释放，30天未跟进，自动释放" });
      expect(await answerText(pg, "zhangsan", "领取 1")).toMatch(/^已领取「常州恒远电机有限公司」/);
      // The idle demo customer with a follow-up can be handed over at once.
      expect(await answerText(pg, "wangwu", "转交 宁波东方轴承 给 张三")).toBe("已把「宁波东方轴承有限公司」从李四转交给张三，1项待办一并转交。");
    } finally {
      await bot.stop();
    }
    const again = await start();
    try {
      const db = again.db.prisma;
      expect(await db.customer.count()).toBe(6);
      expect(await db.customer.count({ where: { ownerId: null } })).toBe(2); // the claim stays; nothing re-created
      expect(await db.auditLog.count({ where: { action: "demo.seed" } })).toBe(1);
    } finally {
      await again.stop();
    }
  });

  it("never for another org file, nor in tests unless asked", async () => {
    const other = await freshDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "org-"));
    const orgFile = path.join(dir, "org.yaml");
    writeFileSync(orgFile, readFileSync(DEMO_ORG_FILE, "utf8"));
    try {
      const bot = await startBot(parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "silent", PLAYGROUND: "true", JOBS: "false", ORG_FILE: orgFile }), { database: other, clock: new ManualClock(FIXED_NOW), log: createLogger("silent"), demoSeed: true });
      expect(await bot.db.prisma.customer.count()).toBe(0);
      await bot.stop();
      const plain = await startBot(env, { database: other, clock: new ManualClock(FIXED_NOW), log: createLogger("silent") });
      expect(await plain.db.prisma.customer.count()).toBe(0);
      await plain.stop();
    } finally {
      await other.destroy();
    }
  });
});
