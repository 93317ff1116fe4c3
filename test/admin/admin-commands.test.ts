// The admin's chat commands on the playground (demo organisation): 设置 角色 in its spellings, 规则, 帮助 — by the
// admin, and refused (nothing changes, nothing audited) for everyone else.
import { describe, expect, it } from "vitest";
import { playgroundBot } from "../support/playground-bot.ts";

describe("admin commands", () => {
  const t = playgroundBot();
  const roles = async (id: string) => (await t.db.user.findUniqueOrThrow({ where: { id }, select: { roles: true, roleOverride: true } }));
  const overrides = () => t.db.auditLog.count({ where: { action: { startsWith: "user.role_override" } } });

  it("a manager's 设置 角色 is refused politely and changes nothing", async () => {
    await t.pg.say("wangwu", "设置 角色 张三 总监");
    expect(await t.pg.lastText("wangwu", 1)).toContain("只有管理员可以设置角色");
    expect(await roles("zhangsan")).toEqual({ roles: ["rep"], roleOverride: [] });
    expect(await overrides()).toBe(0);
  });

  it("the admin sets a role, in any spacing; it is audited and the person is told", async () => {
    await t.pg.say("admin", "设置 角色 张三 经理");
    expect(await t.pg.lastText("admin", 1)).toContain("已把张三的角色设为：经理（原来：销售）");
    expect(await roles("zhangsan")).toEqual({ roles: ["manager"], roleOverride: ["manager"] });
    expect(await t.pg.lastText("zhangsan", 1)).toContain("管理员把你的角色设为：经理");
    const row = await t.db.auditLog.findFirstOrThrow({ where: { action: "user.role_override", entityId: "zhangsan" } });
    expect(row).toMatchObject({ actorId: "admin", before: { roles: ["rep"], roleOverride: [] }, after: { roles: ["manager"] } });

    await t.pg.say("admin", "设置角色 李四 经理、销售");
    expect(await t.pg.lastText("admin", 2)).toContain("已把李四的角色设为：经理、销售");
    await t.pg.say("admin", "设置 张三 为销售");
    expect(await t.pg.lastText("admin", 3)).toContain("已把张三的角色设为：销售");
    expect((await roles("zhangsan")).roles).toEqual(["rep"]);
    expect(await overrides()).toBe(3);
  });

  it("refuses an unknown role, an unknown person and the admin's own demotion, changing nothing", async () => {
    const before = await overrides();
    await t.pg.say("admin", "设置 角色 张三 老板");
    expect(await t.pg.lastText("admin", 4)).toContain("没有「老板」这个角色");
    await t.pg.say("admin", "设置 角色 王麻子 经理");
    expect(await t.pg.lastText("admin", 5)).toContain("没有找到在职的同事「王麻子」");
    await t.pg.say("admin", "设置 角色 管理员 销售");
    expect(await t.pg.lastText("admin", 6)).toContain("不能去掉自己的管理员角色");
    expect((await roles("admin")).roles).toEqual(["admin"]);
    expect(await overrides()).toBe(before);
  });

  it("设置 角色 … 恢复 clears the override and gives back the roles from before it, at once", async () => {
    await t.pg.say("admin", "设置 角色 李四 恢复");
    expect(await t.pg.lastText("admin", 7)).toContain("已取消李四的单独角色设置，角色恢复为设置之前的：销售");
    expect(await roles("lisi")).toEqual({ roles: ["rep"], roleOverride: [] });
    expect(await t.pg.lastText("lisi", 2)).toContain("管理员把你的角色恢复为：销售");
  });

  it("规则 shows the rules in force to the admin only", async () => {
    await t.pg.say("admin", "规则");
    const card = await t.pg.nthCard("admin", 1, "rules");
    const fields = Object.fromEntries(card.fields.map((f) => [f.label, f.value]));
    expect(fields["销售折扣权限"]).toBe("最多95折（5%）");
    expect(fields["经理折扣权限"]).toBe("最多85折（15%）");
    expect(fields["大单金额"]).toContain("¥500,000 及以上需总监审批");
    expect(fields["工作时间"]).toContain("09:00–18:00");
    expect(fields["免打扰"]).toBe("21:00–08:00");
    expect(card.lines?.join("\n")).toContain("30天未跟进释放到公海，提前1天提醒负责人；每人最多200个客户，每天最多领取5个");
    expect(card.lines?.join("\n")).toContain("通讯录同步：未配置");

    await t.pg.say("zhangsan", "规则");
    expect(await t.pg.lastText("zhangsan", 3)).toContain("只有管理员可以查看规则");
  });

  it("帮助 lists the admin commands for admins only", async () => {
    await t.pg.say("admin", "帮助");
    const help = await t.pg.nthCard("admin", 1, "help");
    expect(help.lines?.join("\n")).toContain("设置 角色 张三 经理");
    expect(help.lines?.join("\n")).toContain("同步通讯录");
    await t.pg.say("lisi", "帮助");
    const rep = await t.pg.nthCard("lisi", 1, "help");
    expect(rep.lines?.join("\n")).not.toContain("同步通讯录");
  });

  it("同步通讯录 without a directory section says how to set it up, and queues nothing", async () => {
    await t.pg.say("admin", "同步通讯录");
    expect(await t.pg.lastText("admin", 8)).toContain("还没有配置通讯录同步");
    expect(await t.db.directorySyncRequest.count()).toBe(0);
  });
});

describe("设置 角色 … 恢复 after several settings", () => {
  const t = playgroundBot();
  it("goes back to the roles from before the first setting, not the one in between", async () => {
    await t.pg.say("admin", "设置 角色 张三 经理");
    await t.pg.lastText("admin", 1);
    await t.pg.say("admin", "设置 角色 张三 仓库");
    await t.pg.lastText("admin", 2);
    await t.pg.say("admin", "设置 角色 张三 恢复");
    expect(await t.pg.lastText("admin", 3)).toContain("角色恢复为设置之前的：销售");
    expect(await t.db.user.findUniqueOrThrow({ where: { id: "zhangsan" }, select: { roles: true, roleOverride: true } })).toEqual({ roles: ["rep"], roleOverride: [] });
  });
});
