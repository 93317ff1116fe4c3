// The "not understood" answer's suggestions: the help lines of the person's roles closest to the message, by cue
// words and shared characters; the usual examples when nothing is close.
import { describe, expect, it } from "vitest";
import { ADMIN_HELP_EXAMPLES } from "../../cards/admin/admin-help.ts";
import { helpEntriesFor, suggestHelp } from "../../src/handlers/help/help-suggest.ts";

const examples = (text: string, roles: string[]) => suggestHelp(text, roles).map((s) => s.example);

describe("suggestHelp", () => {
  it("points an order number to the order commands, with that number", () => {
    // Said to the bot this resubmits the order; as a suggestion it points to the resubmission and the order.
    const got = examples("SO-20261205-002 单价改成7500 重新提交", ["rep"]);
    expect(got).toEqual(["重新提交 SO-20261205-002 单价4800"]);
    expect(got.join()).not.toContain("SO-20261123-001");
  });

  it("points prices to the price look-up, discounts to ordering, overdue to the to-dos, 转交 words to 转交, by role", () => {
    expect(examples("电机A多少钱", ["rep"])[0]).toBe("电机A多少钱");
    expect(examples("价钱这块我不太懂", ["rep"])[0]).toBe("电机A多少钱");
    expect(examples("能打几折优惠", ["rep"])[0]).toMatch(/^下单 /);
    expect(examples("有逾期的吗", ["rep"])).toEqual(["我的待办"]);
    expect(examples("我的带办", ["rep"])).toEqual(["我的待办"]); // a typing slip the managers' questions fix too
    expect(examples("有逾期的吗", ["manager"])).toEqual(["逾期跟进", "我的待办"]);
    expect(examples("李四离职了他的客户怎么办", ["manager"])[0]).toMatch(/^转交 /);
    expect(examples("李四离职了他的客户怎么办", ["rep"]).join()).not.toMatch(/转交/);
    expect(examples("SO-20261205-002 这单能批吗", ["manager"])[0]).toBe("同意 SO-20261205-002");
    // A visit told without the customer's name is not understood: the visit line (whose example names one) is offered.
    expect(suggestHelp("客户问电机A多少钱 下周报价", ["rep"]).map((s) => s.what)).toEqual(["查价格", "记录拜访"]);
    expect(suggestHelp("对方问能不能便宜点", ["rep"]).map((s) => s.what)).toContain("记录拜访");
  });

  it("gives the warehouse only the warehouse's lines, never ordering or figures", () => {
    expect(examples("SO-20261123-001 到哪了", ["warehouse"])).toContain("订单 SO-20261123-001");
    expect(examples("今天有什么要发的", ["warehouse"])).toEqual(["待发货"]);
    expect(examples("电机A多少钱", ["warehouse"])).toEqual([]);
    for (const e of helpEntriesFor(["warehouse"])) expect(e.example).not.toMatch(/下单|业绩|客户 /);
  });

  it("gives admins their own lines", () => {
    expect(examples("把张三改成经理", ["admin"])[0]).toMatch(/^设置 角色/);
    expect(examples("现在的审批规则是什么", ["admin"])).toEqual(["规则"]);
    // Every admin line has cue words (a renamed line in cards/admin/admin-help.ts would lose them silently).
    const admin = helpEntriesFor(["admin"]).filter((e) => ADMIN_HELP_EXAMPLES.some((a) => a.example === e.example));
    expect(admin).toHaveLength(ADMIN_HELP_EXAMPLES.length);
    for (const e of admin) expect(e.keys, e.what).toBeInstanceOf(RegExp);
  });

  it("suggests nothing for small talk, at most three lines, the same every time", () => {
    for (const t of ["今天天气不错", "早上好", "收到，谢谢", "好的 我知道了", ""]) expect(examples(t, ["rep", "manager"])).toEqual([]);
    const text = "各个阶段的客户分布，还有团队待办和业绩";
    const once = suggestHelp(text, ["director"]);
    expect(once.length).toBeGreaterThan(0);
    expect(once.length).toBeLessThanOrEqual(3);
    expect(suggestHelp(text, ["director"])).toEqual(once);
  });
});
