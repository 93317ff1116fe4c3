// Editing a customer through the real HTTP surface: 改 客户 X 阶段 报价 (and 级别, 行业, 区域, 电话 of the main
// contact, 地址, 标签) by the owner, anyone above the owner or an admin; audited; a pick card when the name is
// unclear; colleagues, pool customers and warehouse staff refused with what they can do instead, nothing changed.
import { describe, expect, it } from "vitest";
import { answerCard, answerText, itemAfter, makeCustomer, textMatching } from "../support/customer-fixtures.ts";
import { playgroundBot } from "../support/playground-bot.ts";

describe("改 客户 X <field> <value>", () => {
  const t = playgroundBot();
  const get = (name: string) => t.db.customer.findFirstOrThrow({ where: { name } });
  const snapshot = async () => ({ customers: await t.db.customer.findMany({ orderBy: { id: "asc" } }), contacts: await t.db.contact.findMany({ orderBy: { id: "asc" } }), audits: await t.db.auditLog.count() });

  it("lets the owner change the stage (Chinese names, short forms, no spaces), audited", async () => {
    const c = await makeCustomer(t.db, "华东机电有限公司", "zhangsan");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 阶段 报价")).toBe("已把「华东机电有限公司」的阶段从「线索」改为「方案报价」。");
    expect((await get("华东机电有限公司")).stage).toBe("proposal");
    expect(await answerText(t.pg, "zhangsan", "改客户华东机电阶段为商务谈判")).toBe("已把「华东机电有限公司」的阶段从「方案报价」改为「商务谈判」。");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 阶段 谈判")).toBe("「华东机电有限公司」的阶段本来就是「商务谈判」，没有改动。");
    const audits = await t.db.auditLog.findMany({ where: { action: "customer.update", entityId: c.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.actorId, a.before, a.after])).toEqual([
      ["zhangsan", { stage: "lead" }, { stage: "proposal" }],
      ["zhangsan", { stage: "proposal" }, { stage: "negotiation" }],
    ]);
  });

  it("changes level, industry, region, address and tags", async () => {
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 级别 a")).toBe("已把「华东机电有限公司」的级别从「（空）」改为「A」。");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 行业 电机制造")).toContain("改为「电机制造」");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 区域：华东")).toContain("改为「华东」");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 地址 南京市江北新区浦滨路88号")).toContain("改为「南京市江北新区浦滨路88号」");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 标签 重点 老客户")).toBe("已更新「华东机电有限公司」的标签：重点、老客户（加：重点、老客户）。");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 标签 -老客户 +年框")).toBe("已更新「华东机电有限公司」的标签：重点、年框（加：年框）（删：老客户）。");
    expect(await get("华东机电有限公司")).toMatchObject({ level: "A", industry: "电机制造", region: "华东", address: "南京市江北新区浦滨路88号", tags: ["重点", "年框"] });
  });

  it("changes the main contact's phone; without a contact it says what to do first", async () => {
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 电话 13800138000")).toBe("「华东机电有限公司」还没有联系人。先记录一次拜访（写上联系人，例如「今天拜访了华东机电有限公司的王经理」），再改电话。");
    const c = await get("华东机电有限公司");
    await t.db.contact.create({ data: { customerId: c.id, name: "王经理", createdAt: new Date("2026-11-01T00:00:00Z") } });
    await t.db.contact.create({ data: { customerId: c.id, name: "李工", createdAt: new Date("2026-11-10T00:00:00Z") } });
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 电话 138-0013-8000")).toBe("已把「华东机电有限公司」的联系人王经理的电话从「（空）」改为「13800138000」。");
    expect((await t.db.contact.findFirstOrThrow({ where: { name: "王经理" } })).phone).toBe("13800138000");
    expect((await t.db.contact.findFirstOrThrow({ where: { name: "李工" } })).phone).toBeNull();
    expect(await t.db.auditLog.count({ where: { action: "contact.update" } })).toBe(1);
  });

  it("refuses values it cannot read, changing nothing", async () => {
    const before = await snapshot();
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 阶段 快成了")).toBe("没有「快成了」这个阶段。可选：线索、已接触、已确认需求、方案报价、商务谈判、成交、输单。没有修改任何内容。");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 级别 S")).toContain("级别只能是 A、B 或 C");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电 电话 找不到")).toContain("不像电话号码");
    expect(await answerText(t.pg, "zhangsan", "改 客户 华东机电")).toBe("请写明客户、要改的项目和新的值，例如：改 客户 华东机电 阶段 报价。可以改：阶段、级别、行业、区域、电话、地址、标签。");
    expect(await snapshot()).toEqual(before);
  });

  it("lets the manager, the director and the admin edit; the owner is told", async () => {
    expect(await answerText(t.pg, "wangwu", "改 客户 华东机电 阶段 成交")).toBe("已把「华东机电有限公司」的阶段从「商务谈判」改为「成交」。");
    expect(await textMatching(t.pg, "zhangsan", /^王五把「华东机电有限公司」的阶段/)).toBe("王五把「华东机电有限公司」的阶段从「商务谈判」改为「成交」。");
    expect(await answerText(t.pg, "zhaoliu", "改 客户 华东机电 级别 B")).toContain("改为「B」");
    expect(await answerText(t.pg, "admin", "改 客户 华东机电 级别 C")).toContain("改为「C」");
    expect((await get("华东机电有限公司")).level).toBe("C");
  });

  it("refuses a colleague, warehouse staff and a pool customer, changing nothing", async () => {
    await makeCustomer(t.db, "鼎盛机械", null);
    const before = await snapshot();
    expect(await answerText(t.pg, "lisi", "改 客户 华东机电 阶段 输单")).toBe("「华东机电有限公司」不是你的客户，只有负责人、负责人的上级或管理员可以修改。你可以修改自己的客户，例如：改 客户 名称 阶段 报价。");
    expect(await answerText(t.pg, "chenqi", "改 客户 华东机电 阶段 输单")).toBe("仓库同事不能修改客户资料，这条消息没有记录任何内容。发送「帮助」查看你能用的功能。");
    expect(await answerText(t.pg, "wangwu", "改 客户 鼎盛机械 阶段 报价")).toBe("「鼎盛机械」在公海，没有负责人。领取后就可以修改：发送「领取 鼎盛机械」。");
    expect(await snapshot()).toEqual(before);
  });

  it("asks on the pick card when the name is unclear, then edits the one picked", async () => {
    const a = await makeCustomer(t.db, "北辰数控设备", "lisi");
    await makeCustomer(t.db, "北辰机械", "lisi");
    const pick = await answerCard(t.pg, "lisi", "改 客户 北辰 级别 A");
    expect(pick.purpose).toBe("pick_customer");
    expect(pick.fields.map((f) => f.value).sort()).toEqual(["北辰数控设备", "北辰机械"].sort());
    const n = (await t.pg.botItems("lisi")).length;
    await t.pg.click("lisi", pick, "北辰数控设备");
    expect(await itemAfter(t.pg, "lisi", n)).toMatchObject({ type: "text", text: "已把「北辰数控设备」的级别从「（空）」改为「A」。" });
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: a.id } })).level).toBe("A");
    expect((await get("北辰机械")).level).toBeNull();
  });

  it("帮助 shows 改 客户 and 公海客户 to reps, and 转交 to managers, directors and admins only", async () => {
    const rep = JSON.stringify(await answerCard(t.pg, "lisi", "帮助"));
    expect(rep).toContain("改 客户 华东机电 阶段 报价");
    expect(rep).toContain("公海客户");
    expect(rep).not.toContain("转交");
    for (const u of ["wangwu", "zhaoliu", "admin"]) expect(JSON.stringify(await answerCard(t.pg, u, "帮助"))).toContain("转交 宁波东方轴承 给 张三");
    expect(JSON.stringify(await answerCard(t.pg, "chenqi", "帮助"))).not.toMatch(/转交|改 客户|公海/);
  });
});
