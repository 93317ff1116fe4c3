// Reassignment through the real HTTP surface: 转交 X 给 Y by a manager of both reps (anywhere above them), a
// director or an admin moves the customer with its open follow-ups, tells both reps and is audited; 转交 张三 的客户
// 给 李四 hands over all of them; reps and warehouse staff are refused with what they can do instead, and a
// refusal changes nothing. The old owner no longer sees or completes the follow-ups that moved.
import { describe, expect, it } from "vitest";
import { DEMO_POOL_RULES, demoOrgWith } from "../support/demo-org.ts";
import { dueRemindersJob } from "../../jobs/due-reminders.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { answer, answerCard, answerText, itemAfter, makeCustomer, makeTask, textMatching } from "../support/customer-fixtures.ts";
import { playgroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

describe("转交 one customer", () => {
  const t = playgroundBot();
  const owner = async (name: string) => (await t.db.customer.findFirstOrThrow({ where: { name } })).ownerId;
  const snapshot = async () => ({
    customers: await t.db.customer.findMany({ select: { id: true, ownerId: true }, orderBy: { id: "asc" } }),
    tasks: await t.db.task.findMany({ select: { id: true, ownerId: true, status: true }, orderBy: { id: "asc" } }),
    audits: await t.db.auditLog.count(),
  });

  it("refuses a rep (naming the manager) and warehouse staff, changing nothing", async () => {
    const c = await makeCustomer(t.db, "宁波东方轴承有限公司", "zhangsan");
    await makeTask(t.db, "zhangsan", c.id, "带报价回访周经理");
    await makeTask(t.db, "zhangsan", c.id, "寄样品");
    const before = await snapshot();
    expect(await answerText(t.pg, "zhangsan", "转交 宁波东方轴承 给 李四")).toBe("转交客户需要负责人的上级或管理员来做：请联系王五。你可以发送「客户 名称」查看客户，或发送「领取 名称」领取公海客户。");
    expect(await answerText(t.pg, "lisi", "把宁波东方轴承转给李四")).toContain("请联系王五");
    expect(await answerText(t.pg, "chenqi", "转交 宁波东方轴承 给 李四")).toBe("仓库同事不能转交客户，这条消息没有记录任何内容。发送「帮助」查看你能用的功能。");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an unknown colleague, a non-sales target and a target outside the manager's team", async () => {
    const before = await snapshot();
    expect(await answerText(t.pg, "wangwu", "转交 宁波东方轴承 给 钱八")).toBe("没有找到同事「钱八」。请写同事的姓名，例如：转交 宁波东方轴承 给 张三");
    expect(await answerText(t.pg, "wangwu", "转交 宁波东方轴承 给 陈七")).toBe("陈七不负责客户（不是销售或经理），不能转交给陈七。请转交给团队里的销售。");
    expect(await answerText(t.pg, "wangwu", "转交 宁波东方轴承 给 张三")).toBe("「宁波东方轴承有限公司」已经由张三负责，不用转交。");
    expect(await snapshot()).toEqual(before);
  });

  it("moves the customer and its open follow-ups for the manager (no spaces), tells both reps, audits each row", async () => {
    const c = await t.db.customer.findFirstOrThrow({ where: { name: "宁波东方轴承有限公司" } });
    const done = await makeTask(t.db, "zhangsan", c.id, "已完成的旧事");
    await t.db.task.update({ where: { id: done.id }, data: { status: "done" } });
    expect(await answerText(t.pg, "wangwu", "转交宁波东方轴承给李四")).toBe("已把「宁波东方轴承有限公司」从张三转交给李四，2项待办一并转交。");
    expect(await owner("宁波东方轴承有限公司")).toBe("lisi");
    const tasks = await t.db.task.findMany({ where: { customerId: c.id }, orderBy: { title: "asc" } });
    expect(tasks.filter((x) => x.status === "open").map((x) => x.ownerId)).toEqual(["lisi", "lisi"]);
    expect(tasks.find((x) => x.status === "done")!.ownerId).toBe("zhangsan"); // history stays
    const audits = await t.db.auditLog.findMany({ where: { action: { in: ["customer.reassign", "task.reassign"] } } });
    expect(audits.filter((a) => a.action === "customer.reassign")).toEqual([expect.objectContaining({ actorId: "wangwu", entityId: c.id, before: { ownerId: "zhangsan" }, after: { ownerId: "lisi" } })]);
    expect(audits.filter((a) => a.action === "task.reassign")).toHaveLength(2);
    expect(await textMatching(t.pg, "lisi", /^王五把客户「宁波东方轴承有限公司」转交给你/)).toContain("2项待办已转到你的待办");
    expect(await textMatching(t.pg, "zhangsan", /^王五把你的客户「宁波东方轴承有限公司」转交给了李四/)).toContain("2项待办已一并转出");
  });

  it("the old owner's 待办 no longer shows them; the new owner's does", async () => {
    const old = await answerCard(t.pg, "zhangsan", "我的待办");
    expect(JSON.stringify(old)).not.toContain("宁波东方轴承");
    expect(await answerText(t.pg, "zhangsan", "完成 1")).toBe("你现在没有待办事项。");
    const mine = await answerCard(t.pg, "lisi", "我的待办");
    expect(JSON.stringify(mine)).toContain("带报价回访周经理");
  });

  it("lets the director (above both) and the admin reassign, and the manager take it himself", async () => {
    expect(await answerText(t.pg, "zhaoliu", "转交 宁波东方轴承 给 张三")).toMatch(/^已把「宁波东方轴承有限公司」从李四转交给张三/);
    expect(await owner("宁波东方轴承有限公司")).toBe("zhangsan");
    expect(await answerText(t.pg, "admin", "把宁波东方轴承转给李四")).toMatch(/^已把「宁波东方轴承有限公司」从张三转交给李四/);
    expect(await answerText(t.pg, "wangwu", "转交 宁波东方轴承 给 王五")).toMatch(/^已把「宁波东方轴承有限公司」从李四转交给王五，2项待办一并转交。$/);
    expect(await owner("宁波东方轴承有限公司")).toBe("wangwu");
    expect(await t.db.auditLog.count({ where: { action: "customer.reassign" } })).toBe(4);
  });

  it("refuses a manager who is not above the owner (the director's own customer), changing nothing", async () => {
    await makeCustomer(t.db, "杭州恒力泵业", "zhaoliu");
    const before = await snapshot();
    expect(await answerText(t.pg, "wangwu", "转交 杭州恒力泵业 给 张三")).toBe("「杭州恒力泵业」由赵六负责，你不是赵六的上级，不能转交。可以请赵六的上级或管理员转交。");
    expect(await snapshot()).toEqual(before);
  });

  it("asks on the pick card when the name is unclear, then reassigns the one picked", async () => {
    const a = await makeCustomer(t.db, "北辰数控设备", "zhangsan");
    await makeCustomer(t.db, "北辰机械", "zhangsan");
    const pick = await answerCard(t.pg, "wangwu", "转交 北辰 给 李四");
    expect(pick.purpose).toBe("pick_customer");
    expect(pick.fields.map((f) => f.value).sort()).toEqual(["北辰数控设备", "北辰机械"].sort());
    expect(await t.db.customer.count({ where: { name: { startsWith: "北辰" }, ownerId: "lisi" } })).toBe(0);
    const n = (await t.pg.botItems("wangwu")).length;
    await t.pg.click("wangwu", pick, "北辰数控设备");
    const reply = await itemAfter(t.pg, "wangwu", n);
    expect(reply).toMatchObject({ type: "text", text: "已把「北辰数控设备」从张三转交给李四。" });
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: a.id } })).ownerId).toBe("lisi");
    expect(await owner("北辰机械")).toBe("zhangsan");
  });

  it("refuses to complete a reminder of a follow-up whose customer moved away", async () => {
    const c = await makeCustomer(t.db, "远达纺织有限公司", "zhangsan");
    await makeTask(t.db, "zhangsan", c.id, "回访远达", new Date("2026-11-23T01:00:00Z"));
    await runJob(t.bot.deps, dueRemindersJob, new Date("2026-11-23T02:00:00Z"));
    const reminder = await t.pg.nthCard("zhangsan", 1, "reminder");
    expect(await answerText(t.pg, "wangwu", "转交 远达纺织 给 李四")).toContain("1项待办一并转交");
    const n = (await t.pg.botItems("zhangsan")).length;
    await t.pg.click("zhangsan", reminder, "完成");
    const refused = await eventually(async () => (await t.pg.botItems("zhangsan")).slice(n).find((i) => i.type === "text" && /不由你负责|只能完成/.test(i.text)), "refusal");
    expect(refused).toMatchObject({ text: "「远达纺织有限公司」已不由你负责，这项待办不能再完成。发送「我的待办」查看你现在的待办。" });
    expect(await t.db.task.count({ where: { customerId: c.id, status: "open", ownerId: "lisi" } })).toBe(1);
  });
});

describe("转交 张三 的客户 给 李四", () => {
  const t = playgroundBot();

  it("hands over all of a rep's customers and open follow-ups at once, one summary to each party", async () => {
    const a = await makeCustomer(t.db, "合肥远景电气", "zhangsan");
    const b = await makeCustomer(t.db, "南通鑫源泵业", "zhangsan");
    await makeCustomer(t.db, "常州恒远电机", "lisi");
    await makeTask(t.db, "zhangsan", a.id, "约孙工");
    await makeTask(t.db, "zhangsan", b.id, "看样机");
    await makeTask(t.db, "zhangsan", b.id, "送报价");
    expect(await answerText(t.pg, "zhangsan", "转交 张三 的客户 给 李四")).toContain("请联系王五");
    expect(await t.db.customer.count({ where: { ownerId: "zhangsan" } })).toBe(2);

    expect(await answerText(t.pg, "wangwu", "转交 张三 的客户 给 李四")).toBe("已把张三的2个客户和3项待办转交给李四：南通鑫源泵业、合肥远景电气。");
    expect(await t.db.customer.count({ where: { ownerId: "zhangsan" } })).toBe(0);
    expect(await t.db.customer.count({ where: { ownerId: "lisi" } })).toBe(3);
    expect(await t.db.task.count({ where: { ownerId: "lisi", status: "open" } })).toBe(3);
    expect(await t.db.auditLog.count({ where: { action: "customer.reassign" } })).toBe(2);
    expect(await t.db.auditLog.count({ where: { action: "task.reassign" } })).toBe(3);
    expect(await textMatching(t.pg, "lisi", /^王五把张三的2个客户和3项待办转交给你/)).toBeTruthy();
    expect(await textMatching(t.pg, "zhangsan", /^王五把你名下的2个客户和3项待办转交给了李四/)).toBeTruthy();
    expect(await answerText(t.pg, "admin", "转交张三的所有客户给李四")).toBe("张三名下没有客户，没有需要转交的。");
  });

  it("refuses warehouse staff and a manager outside the chain", async () => {
    await makeCustomer(t.db, "佛山顺达五金", "lisi");
    expect(await answerText(t.pg, "chenqi", "转交 李四 的客户 给 张三")).toContain("仓库同事不能转交客户");
    // 王五 is not above 赵六.
    await makeCustomer(t.db, "扬州华瑞", "zhaoliu");
    expect(await answerText(t.pg, "wangwu", "转交 赵六 的客户 给 张三")).toBe("赵六的客户由赵六负责，你不是赵六的上级，不能转交。可以请赵六的上级或管理员转交。");
    expect(await t.db.customer.count({ where: { ownerId: "zhaoliu" } })).toBe(1);
    const r = await answer(t.pg, "zhaoliu", "转交 李四 的客户 给 张三");
    expect(r).toMatchObject({ type: "text", text: expect.stringMatching(/^已把李四的4个客户和3项待办转交给张三/) });
  });

  it("hands over the customers of a rep who already left the org file (deactivated)", async () => {
    await t.db.user.update({ where: { id: "zhangsan" }, data: { active: false } });
    expect(await answerText(t.pg, "wangwu", "转交 张三 的客户 给 李四")).toMatch(/^已把张三的4个客户和3项待办转交给李四/);
    expect(await t.db.customer.count({ where: { ownerId: "zhangsan" } })).toBe(0);
    expect(await t.db.task.count({ where: { ownerId: "zhangsan", status: "open" } })).toBe(0);
    // But nobody hands a customer to someone who left.
    await makeCustomer(t.db, "金桥机械", "lisi");
    expect(await answerText(t.pg, "wangwu", "转交 金桥机械 给 张三")).toBe("没有找到同事「张三」。请写同事的姓名，例如：转交 宁波东方轴承 给 张三");
  });
});

describe("转交 and rules.pool.maxOwnedPerRep", () => {
  // The receiving rep may own at most 3 customers, as for 领取.
  const t = playgroundBot(() => ({ ORG_FILE: demoOrgWith([[DEMO_POOL_RULES, "pool: { releaseAfterDays: 30, warnDaysBefore: 1, maxOwnedPerRep: 3, maxClaimsPerDay: 5 }"]]) }));
  const snapshot = async () => ({
    customers: await t.db.customer.findMany({ select: { id: true, ownerId: true }, orderBy: { id: "asc" } }),
    tasks: await t.db.task.findMany({ select: { id: true, ownerId: true, status: true }, orderBy: { id: "asc" } }),
    audits: await t.db.auditLog.count(),
  });

  it("refuses one customer that would take the receiver over the limit, naming what they own and the limit", async () => {
    await t.db.customer.updateMany({ where: { ownerId: { in: ["zhangsan", "lisi"] } }, data: { ownerId: null } });
    for (const n of ["甲辰机电", "乙巳电气"]) await makeCustomer(t.db, n, "lisi");
    const c = await makeCustomer(t.db, "丙午自动化", "zhangsan");
    await makeTask(t.db, "zhangsan", c.id, "送样");
    await makeCustomer(t.db, "丁未重工", "zhangsan");
    await makeCustomer(t.db, "戊申精密", "zhangsan");
    // 李四 owns 2 of 3: one more fits.
    expect(await answerText(t.pg, "wangwu", "转交 丙午自动化 给 李四")).toBe("已把「丙午自动化」从张三转交给李四，1项待办一并转交。");
    const before = await snapshot();
    expect(await answerText(t.pg, "wangwu", "转交丁未重工给李四")).toBe("李四名下已有3个客户，上限3个，再转交1个会超过上限，没有转交。可以转交给其他同事，或先把李四不再跟进的客户转出。");
    expect(await answerText(t.pg, "admin", "把戊申精密转给李四")).toContain("李四名下已有3个客户，上限3个");
    expect(await snapshot()).toEqual(before);
    expect(JSON.stringify(await t.pg.botItems("lisi"))).not.toContain("丁未重工");
  });

  it("refuses the whole handover of a rep's customers when it would not fit, changing nothing", async () => {
    await t.db.customer.updateMany({ where: { ownerId: "lisi" }, data: { ownerId: null } });
    await makeCustomer(t.db, "己酉电气", "lisi");
    await makeCustomer(t.db, "庚戌机械", "lisi");
    const before = await snapshot();
    // 张三 owns 2, 李四 2: 4 would be over the limit.
    expect(await answerText(t.pg, "wangwu", "转交 张三 的客户 给 李四")).toBe("李四名下已有2个客户，上限3个，再转交2个会超过上限，没有转交。可以转交给其他同事，或先把李四不再跟进的客户转出。");
    expect(await snapshot()).toEqual(before);
    await t.db.customer.updateMany({ where: { name: "庚戌机械" }, data: { ownerId: null } });
    expect(await answerText(t.pg, "wangwu", "转交 张三 的客户 给 李四")).toMatch(/^已把张三的2个客户转交给李四/);
  });
});
