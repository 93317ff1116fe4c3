// Customer matching through the real HTTP surface: close names are asked about on a card (never guessed), the
// choice is remembered as an alias, the best match survives however many similar customers exist, and undo
// keeps a contact that a later visit still refers to.
import { describe, expect, it } from "vitest";
import { playgroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";

describe("customer matching", () => {
  const t = playgroundBot();
  const db = () => t.db;
  const customer = (name: string, ownerId: string | null = "zhangsan") =>
    db().customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId, aliases: [], tags: [] } });

  it("asks which customer on a card when a look-up is ambiguous, then remembers the name as an alias", async () => {
    const full = await customer("上海华东机电设备有限公司");
    await customer("华东机械");
    await t.pg.say("zhangsan", "客户 华东");
    const pick = await t.pg.nthCard("zhangsan", 1, "pick_customer");
    expect(pick.fields.map((f) => f.value).sort()).toEqual(["上海华东机电设备有限公司", "华东机械"].sort());
    expect(pick.buttons.map((b) => b.label)).not.toContain(expect.stringMatching(/新建/)); // a look-up never creates
    expect(await db().card.count({ where: { purpose: "customer_profile" } })).toBe(0);

    await t.pg.click("zhangsan", pick, "上海华东机电");
    const profile = await t.pg.nthCard("zhangsan", 1, "customer_profile");
    expect(profile.title).toBe("上海华东机电设备有限公司");
    expect((await db().customer.findUniqueOrThrow({ where: { id: full.id } })).aliases).toEqual(["华东"]);
    expect(await db().auditLog.count({ where: { action: "customer.alias_add", entityId: full.id } })).toBe(1);

    // The learned alias decides the next time, with no card.
    await t.pg.say("zhangsan", "客户 华东");
    const second = await t.pg.nthCard("zhangsan", 2, "customer_profile");
    expect(second.title).toBe("上海华东机电设备有限公司");
    expect(await db().card.count({ where: { purpose: "pick_customer" } })).toBe(1);
  });

  it("never lists or teaches other people's customers", async () => {
    // (A rep's own customers already resolve short names in the parser, so the cases here are people for whom
    // the close names belong to colleagues.)
    const team = await customer("北辰数控设备"); // zhangsan's, in wangwu's team
    await customer("北辰数码", "zhaoliu"); // the director's own: not visible to wangwu
    // A look-up offers only what the asker may see; one visible candidate still asks, it does not guess.
    await t.pg.say("wangwu", "客户 北辰");
    const pick = await t.pg.nthCard("wangwu", 1, "pick_customer");
    expect(pick.fields.map((f) => f.value)).toEqual(["北辰数控设备"]);
    // A manager may look at a team member's customer, but the pick teaches it no name (only owners do).
    await t.pg.click("wangwu", pick, "北辰数控设备");
    await t.pg.nthCard("wangwu", 1, "customer_profile");
    expect((await db().customer.findUniqueOrThrow({ where: { id: team.id } })).aliases).toEqual([]);
    // A visit log offers only own and pool customers, and says that colleagues have close ones.
    await t.pg.say("lisi", "今天拜访了北辰的刘工，下周一再去");
    const lisiPick = await t.pg.nthCard("lisi", 1, "pick_customer");
    expect(lisiPick.fields).toEqual([]);
    expect(lisiPick.buttons.map((b) => b.label)).toEqual(["新建「北辰」", "取消"]);
    expect(lisiPick.lines?.[0]).toContain("其他同事负责");
  });

  it("forgets a name learned by a pick when that visit is undone", async () => {
    // Pool customers: anyone may log a visit and teach a name (lisi has no customers of her own to prefer).
    const c = await customer("江南环保工程", null);
    await customer("江南环境", null);
    await t.pg.say("lisi", "今天拜访了江南的吴厂长，下周二再去");
    const pick = await t.pg.nthCard("lisi", 2, "pick_customer");
    await t.pg.click("lisi", pick, "江南环保工程");
    const confirm = await t.pg.nthCard("lisi", 1, "visit_confirm");
    expect((await db().customer.findUniqueOrThrow({ where: { id: c.id } })).aliases).toEqual(["江南"]);
    await t.pg.click("lisi", confirm, "撤销");
    await eventually(async () => (await db().customer.findUniqueOrThrow({ where: { id: c.id } })).aliases.length === 0 || undefined, "alias removed");
    expect(await db().auditLog.count({ where: { action: "customer.alias_remove", entityId: c.id } })).toBe(1);
  });

  it("finds the best match even among many customers sharing part of its name", async () => {
    const best = await customer("远景重工");
    for (let i = 0; i < 60; i++) await customer(`远景${i}号物流`, null);
    await t.pg.say("zhangsan", "客户 远景重工");
    const profile = await t.pg.nthCard("zhangsan", 3, "customer_profile");
    expect(profile.title).toBe(best.name);
  });

  it("keeps a contact on undo when a later visit still refers to it", async () => {
    await customer("明光照明");
    await t.pg.say("zhangsan", "今天拜访了明光照明的赵经理，下周二再去");
    const first = await t.pg.nthCard("zhangsan", 1, "visit_confirm");
    await t.pg.say("zhangsan", "刚给明光照明的赵经理打了电话，后天寄样品");
    await t.pg.nthCard("zhangsan", 2, "visit_confirm");
    const contact = await db().contact.findFirstOrThrow({ where: { name: "赵经理" } });

    await t.pg.click("zhangsan", first, "撤销");
    await eventually(async () => (await db().activity.count({ where: { undoneAt: { not: null }, customer: { name: "明光照明" } } })) === 1 || undefined, "first visit undone");
    expect((await db().contact.findUniqueOrThrow({ where: { id: contact.id } })).deletedAt).toBeNull();
    expect(await db().activity.count({ where: { contactId: contact.id, undoneAt: null } })).toBe(1);
  });
});
