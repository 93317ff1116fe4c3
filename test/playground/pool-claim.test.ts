// Claiming from the public pool (公海) through the real HTTP surface: `领取 X` takes a pool customer, with an
// audit entry; anything else (owned, unknown, not a rep, over a limit) is refused in plain Chinese and changes
// nothing; close names are asked about on the pick card; of two reps claiming at once exactly one wins.
import { DEMO_POOL_RULES, demoOrgWith } from "../support/demo-org.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { takeFromPool } from "../../src/domain/customers/pool.repo.ts";
import { claimCustomer } from "../../src/domain/customers/pool.service.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { withAdmin } from "../support/db-template.ts";
import { serverUrl } from "../support/fresh-database.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";

type Db = PlaygroundBot["db"];
const makeCustomer = (db: Db, name: string, ownerId: string | null) =>
  db.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId, aliases: [], tags: [] } });

/** The bot's text replies to `userId`, waiting until there are `count`. */
async function texts(pg: PlaygroundClient, userId: string, count: number): Promise<string[]> {
  return eventually(async () => {
    const all = (await pg.botItems(userId)).flatMap((i) => (i.type === "text" ? [i.text] : []));
    return all.length >= count ? all : undefined;
  }, `${count} text replies for ${userId}`);
}

describe("claiming a pool customer", () => {
  const t = playgroundBot();

  it("claims a pool customer: owner set, audited, told", async () => {
    const c = await makeCustomer(t.db, "华东机电有限公司", null);
    await t.pg.say("zhangsan", "领取 华东机电");
    expect(await t.pg.lastText("zhangsan", 1)).toMatch(/^已领取「华东机电有限公司」，现在由你负责（今天已领取1\/5个）/);
    const after = await t.db.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.ownerId).toBe("zhangsan");
    const entries = await t.db.auditLog.findMany({ where: { action: "customer.claim", entityId: c.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: "zhangsan", entityType: "customer", before: { ownerId: null }, after: { ownerId: "zhangsan" } });
    expect(entries[0]!.eventId).toMatch(/^playground:/);
  });

  it("refuses a customer that is not in the pool, naming the owner only to who may see it", async () => {
    const c = await t.db.customer.findFirstOrThrow({ where: { name: "华东机电有限公司" } });
    await t.pg.say("wangwu", "领取 华东机电"); // zhangsan's manager may see it
    expect(await t.pg.lastText("wangwu", 1)).toBe("「华东机电有限公司」由张三负责，不在公海，不能领取。发送「公海客户」查看可以领取的客户。");
    await t.pg.say("lisi", "领取 华东机电"); // a colleague may not
    expect(await t.pg.lastText("lisi", 1)).toBe("「华东机电有限公司」不在公海，不能领取。发送「公海客户」查看可以领取的客户。");
    await t.pg.say("zhangsan", "领取 华东机电");
    expect(await t.pg.lastText("zhangsan", 2)).toContain("已经是你的客户了");
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: c.id } })).ownerId).toBe("zhangsan");
    expect(await t.db.auditLog.count({ where: { action: "customer.claim" } })).toBe(1);
  });

  it("refuses an unknown customer and people who are not reps or managers, storing nothing", async () => {
    const before = await t.db.customer.count();
    await t.pg.say("lisi", "领取 远方重工");
    expect(await t.pg.lastText("lisi", 2)).toBe("没有找到客户「远方重工」，请检查名称。");
    await makeCustomer(t.db, "鼎盛机械", null);
    await t.pg.say("chenqi", "领取 鼎盛机械"); // warehouse
    expect(await t.pg.lastText("chenqi", 1)).toBe("只有销售和经理可以领取公海客户。发送「待发货」查看要发的货，或「帮助」查看你能用的功能。");
    expect(await t.db.customer.count()).toBe(before + 1);
    expect((await t.db.customer.findFirstOrThrow({ where: { name: "鼎盛机械" } })).ownerId).toBeNull();
    expect(await t.db.auditLog.count({ where: { action: "customer.claim" } })).toBe(1);
  });

  it("asks on the pick card when several pool customers are close, offering only pool ones", async () => {
    const wanted = await makeCustomer(t.db, "北辰数控设备", null);
    await makeCustomer(t.db, "北辰机械", null);
    const owned = await makeCustomer(t.db, "北辰精工", "zhangsan"); // another rep's: neither listed nor named
    await t.pg.say("lisi", "领取 北辰");
    const pick = await t.pg.nthCard("lisi", 1, "pick_customer");
    expect(pick.fields.map((f) => f.value).sort()).toEqual(["北辰数控设备", "北辰机械"].sort());
    expect(JSON.stringify(pick)).not.toContain("北辰精工");
    expect(pick.buttons.map((b) => b.label)).not.toContain(expect.stringMatching(/新建/));
    expect(await t.db.customer.count({ where: { name: { startsWith: "北辰" }, ownerId: "lisi" } })).toBe(0);

    await t.pg.click("lisi", pick, "北辰数控设备");
    const reply = await eventually(async () => (await texts(t.pg, "lisi", 3)).find((x) => x.startsWith("已领取")), "claim reply");
    expect(reply).toContain("「北辰数控设备」");
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: wanted.id } })).ownerId).toBe("lisi");
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: owned.id } })).ownerId).toBe("zhangsan");
    const updated = await eventually(async () => {
      const it = (await t.pg.botItems("lisi")).find((i) => i.type === "card" && i.card.ref === pick.ref);
      return it?.type === "card" && it.card.status ? it.card : undefined;
    }, "pick card updated");
    expect(updated.status?.text).toBe("已领取「北辰数控设备」");
    expect(await t.db.pendingAction.count({ where: { kind: "claim_customer", status: "confirmed" } })).toBe(1);
  });

  it("lets exactly one of two reps claiming at once have the customer", async () => {
    const c = await makeCustomer(t.db, "远达纺织有限公司", null);
    const zBefore = (await texts(t.pg, "zhangsan", 2)).length;
    const lBefore = (await texts(t.pg, "lisi", 3)).length;
    await Promise.all([t.pg.say("zhangsan", "领取 远达纺织"), t.pg.say("lisi", "领取 远达纺织")]);
    const z = (await texts(t.pg, "zhangsan", zBefore + 1))[zBefore]!;
    const l = (await texts(t.pg, "lisi", lBefore + 1))[lBefore]!;
    const winner = (await t.db.customer.findUniqueOrThrow({ where: { id: c.id } })).ownerId;
    expect(["zhangsan", "lisi"]).toContain(winner);
    const [won, lost] = winner === "zhangsan" ? [z, l] : [l, z];
    expect(won).toMatch(/^已领取「远达纺织有限公司」/);
    expect(lost).toBe("「远达纺织有限公司」不在公海，不能领取。发送「公海客户」查看可以领取的客户。"); // peers: the owner is not named
    expect(await t.db.auditLog.count({ where: { action: "customer.claim", entityId: c.id } })).toBe(1);
    // The claim itself is conditional: an update that finds the customer owned changes nothing.
    expect(await takeFromPool(t.db, c.id, "wangwu")).toBe(false);
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: c.id } })).ownerId).toBe(winner);
  });

  it("loses a claim that races one not yet committed (on PostgreSQL the second waits on the row, then finds it taken)", async () => {
    const c = await makeCustomer(t.db, "苏州博远", null);
    const rules = t.bot.deps.rules.pool;
    const rep = (id: string, name: string) => ({ id, name, roles: ["rep"], managerId: "wangwu" });
    let commitA!: () => void;
    const hold = new Promise<void>((r) => (commitA = r));
    let aTook!: () => void;
    const taken = new Promise<void>((r) => (aTook = r));
    const a = t.db.$transaction(async (tx) => {
      await claimCustomer(tx, c.id, rep("zhangsan", "张三"), FIXED_NOW, "Asia/Shanghai", rules, "test:a");
      aTook();
      await hold;
    });
    await taken;
    const b = t.db.$transaction((tx) => claimCustomer(tx, c.id, rep("lisi", "李四"), FIXED_NOW, "Asia/Shanghai", rules, "test:b"));
    // On PostgreSQL A commits only once B is seen waiting on the row, however slow the machine; PGlite runs one
    // transaction at a time, so there B waits for A anyway.
    const database = t.bot.database;
    if (database.kind === "postgres") {
      const waiting = () => withAdmin(serverUrl()!, (c) => c.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'", [database.name]));
      await eventually(async () => (await waiting()).rowCount, "the second claim waiting on the row");
    }
    commitA();
    await a;
    await expect(b).rejects.toMatchObject({ code: "claim_not_in_pool", userMessage: "「苏州博远」不在公海，不能领取。发送「公海客户」查看可以领取的客户。" });
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: c.id } })).ownerId).toBe("zhangsan");
    expect(await t.db.auditLog.count({ where: { action: "customer.claim", entityId: c.id } })).toBe(1);
  });
});

describe("claim limits (rules.pool)", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  const clock = new ManualClock(FIXED_NOW); // Monday 2026-11-23 10:00 Shanghai
  const db = () => bot.db.prisma;

  beforeAll(async () => {
    const orgFile = demoOrgWith([[DEMO_POOL_RULES, "pool: { releaseAfterDays: 30, warnDaysBefore: 1, maxOwnedPerRep: 4, maxClaimsPerDay: 2 }"]]);
    bot = await startTestBot({ ORG_FILE: orgFile }, { clock });
    pg = new PlaygroundClient(bot.url);
    await makeCustomer(db(), "恒通精密", "zhangsan");
    // 甲方/乙方 mean "the client/the supplier" and never start a company name (src/nlu/rules/company-words.ts), so the
    // made-up names use the stems 甲辰 … instead.
    for (const n of ["甲辰机电", "乙巳电气", "丙午自动化", "丁未重工"]) await makeCustomer(db(), n, null);
  });
  afterAll(async () => bot?.close());

  it("stops at maxClaimsPerDay claims per local day, and counts again from local midnight", async () => {
    await pg.say("zhangsan", "领取 甲辰机电");
    expect(await pg.lastText("zhangsan", 1)).toContain("今天已领取1/2个");
    await pg.say("zhangsan", "领取 乙巳电气");
    expect(await pg.lastText("zhangsan", 2)).toContain("今天已领取2/2个");
    await pg.say("zhangsan", "领取 丙午自动化");
    expect(await pg.lastText("zhangsan", 3)).toBe("今天已领取2个客户，每人每天最多领取2个，明天再来吧。");
    expect((await db().customer.findFirstOrThrow({ where: { name: "丙午自动化" } })).ownerId).toBeNull();

    // 23:30 the same day (Shanghai) is still today; 00:30 the next day is a new day, though still the 23rd in UTC.
    clock.set(new Date("2026-11-23T23:30:00+08:00"));
    await pg.say("zhangsan", "领取 丙午自动化");
    expect(await pg.lastText("zhangsan", 4)).toContain("每人每天最多领取2个");
    clock.set(new Date("2026-11-24T00:30:00+08:00"));
    await pg.say("zhangsan", "领取 丙午自动化");
    expect(await pg.lastText("zhangsan", 5)).toContain("已领取「丙午自动化」");
    expect(await db().auditLog.count({ where: { action: "customer.claim", actorId: "zhangsan" } })).toBe(3);
  });

  it("stops at maxOwnedPerRep owned customers", async () => {
    // zhangsan owns 恒通精密 + three claimed = 4, the limit.
    await pg.say("zhangsan", "领取 丁未重工");
    expect(await pg.lastText("zhangsan", 6)).toMatch(/^你名下已有4个客户，达到上限（4个），不能再领取。/);
    expect((await db().customer.findFirstOrThrow({ where: { name: "丁未重工" } })).ownerId).toBeNull();
    expect(await db().auditLog.count({ where: { action: "customer.claim" } })).toBe(3);
    // The limit is per rep: a colleague may still claim it.
    await pg.say("lisi", "领取 丁未重工");
    expect(await pg.lastText("lisi", 1)).toContain("已领取「丁未重工」");
  });
});
