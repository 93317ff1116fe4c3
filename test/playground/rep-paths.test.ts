// Rep paths that went wrong (issue #12): voice filler stuck to a name, a new-customer card without the closest
// existing names, 改联系人王总 without a space; and each role's 帮助 and refusals, role by role.
import { describe, expect, it } from "vitest";
import { answerCard, answerText, makeCustomer } from "../support/customer-fixtures.ts";
import { playgroundBot } from "../support/playground-bot.ts";

describe("a rep's visit log with a spoken name", () => {
  const t = playgroundBot();

  it("drops the voice filler stuck to the name: 去了那个杭州恒力泵业啊见了… asks about 「杭州恒力泵业」", async () => {
    const card = await answerCard(t.pg, "zhangsan", "去了那个杭州恒力泵业啊见了李总，下周二再去");
    expect(card.purpose).toBe("pick_customer");
    expect(card.title).toBe("「杭州恒力泵业」是新客户吗？");
    await t.pg.click("zhangsan", card, "新建");
    await t.pg.nthCard("zhangsan", 1, "visit_confirm");
    expect((await t.db.customer.findFirstOrThrow()).name).toBe("杭州恒力泵业");
  });

  it("an order for a new name gets the same closest names on its card", async () => {
    const card = await answerCard(t.pg, "zhangsan", "下单 恒力阀门 电机A 1台 单价5000");
    expect(card.buttons.map((b) => b.label)).toContain("杭州恒力泵业");
    expect(card.buttons.map((b) => b.label)).toContain("新建「恒力阀门」");
    expect(await t.db.order.count()).toBe(0);
  });

  it("the new-customer card also offers the closest existing names, and picking one records the visit there", async () => {
    const card = await answerCard(t.pg, "zhangsan", "今天拜访了恒力阀门的赵工，下周三再去");
    expect(card.title).toBe("「恒力阀门」是新客户吗？");
    expect(card.subtitle).toContain("如果是下面的已有客户");
    expect(card.buttons.map((b) => b.label)).toEqual(["杭州恒力泵业", "新建「恒力阀门」", "取消"]);
    await t.pg.click("zhangsan", card, "杭州恒力泵业");
    await t.pg.nthCard("zhangsan", 2, "visit_confirm");
    expect(await t.db.customer.count()).toBe(1);
    expect(await t.db.activity.count()).toBe(2);
  });

  it("a name with nothing close gets only 新建 / 取消", async () => {
    const card = await answerCard(t.pg, "zhangsan", "今天拜访了远航电子的孙经理，下周四再去");
    expect(card.buttons.map((b) => b.label)).toEqual(["新建「远航电子」", "取消"]);
  });

  it("改联系人王总 (no space) answers with the correction syntax and changes nothing", async () => {
    const before = await t.db.auditLog.count();
    const text = await answerText(t.pg, "zhangsan", "改联系人王总");
    expect(text).toContain("改 联系人 王总");
    expect(text).toContain("改 跟进 下周五下午3点");
    expect(text).not.toContain("没太明白");
    expect(await t.db.auditLog.count()).toBe(before);
    // With the space it corrects the newest visit.
    expect(await answerText(t.pg, "zhangsan", "改 联系人 王总")).toContain("联系人 → 王总");
  });
});

describe("帮助 and refusals, role by role", () => {
  const t = playgroundBot();
  const help = async (who: string) => (await answerCard(t.pg, who, "帮助")).lines?.join("\n") ?? "";

  it("a rep: visits, orders and claims; no approvals, no team lists", async () => {
    const card = await answerCard(t.pg, "zhangsan", "帮助");
    expect(card.fields).toEqual([{ label: "你的角色", value: "销售" }]);
    const lines = card.lines?.join("\n") ?? "";
    expect(lines).toMatch(/记录拜访/);
    expect(lines).toMatch(/下单/);
    expect(lines).toMatch(/领取 华东机电/);
    expect(lines).not.toMatch(/审批|团队客户/);
  });

  it("a manager: also approvals and the team section", async () => {
    const lines = await help("wangwu");
    expect(lines).toMatch(/领取 华东机电/);
    expect(lines).toMatch(/同意 SO-/);
    expect(lines).toMatch(/团队客户[\s\S]*转交/);
  });

  it("a director: orders, approvals, the team; no claiming", async () => {
    const lines = await help("zhaoliu");
    expect(lines).toMatch(/下单/);
    expect(lines).toMatch(/同意 SO-/);
    expect(lines).toMatch(/团队待办/);
    expect(lines).not.toMatch(/领取 华东机电/);
  });

  it("an admin: the team section, and neither orders, claims nor approvals", async () => {
    const lines = await help("admin");
    expect(lines).toMatch(/团队客户/);
    expect(lines).toMatch(/管理员不下单、不领取、不审批/);
    expect(lines).not.toMatch(/下单 华东机电|领取 华东机电|同意 SO-/);
  });

  it("warehouse: its own help; cannot create customers or log visits, and every refusal says what to do instead", async () => {
    const card = await answerCard(t.pg, "chenqi", "帮助");
    expect(card.title).toBe("仓库同事可以这样用");
    const tries: [string, RegExp][] = [
      ["今天拜访了华东机电的王经理，下周三带报价再去", /^仓库同事不能记录拜访.*发送「帮助」查看你能用的功能/],
      ["去了那个杭州恒力泵业啊见了李总", /^仓库同事不能记录拜访/],
      ["新建", /^没有等待你确认的内容/],
      ["改联系人王总", /^仓库同事不能修改拜访记录.*帮助/],
      ["领取 华东机电", /^只有销售和经理可以领取公海客户。发送「待发货」/],
    ];
    for (const [text, re] of tries) expect(await answerText(t.pg, "chenqi", text)).toMatch(re);
    expect(await t.db.customer.count()).toBe(0);
    expect(await t.db.activity.count()).toBe(0);
    expect(await t.db.pendingAction.count({ where: { userId: "chenqi" } })).toBe(0);
  });

  it("a director or admin refused a claim is told to hand the customer to a rep instead", async () => {
    await makeCustomer(t.db, "苏州博远", null);
    expect(await answerText(t.pg, "zhaoliu", "领取 苏州博远")).toContain("转交 客户名 给 销售名");
  });
});
