// A visit's next step replaces the rep's open follow-ups of that customer: three visits in a day leave one open
// follow-up, not four. The replaced ones are closed (cancelled, audited as replaced); undoing the visit reopens them.
import { describe, expect, it } from "vitest";
import { answerCard, makeCustomer, makeTask } from "../support/customer-fixtures.ts";
import { playgroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

describe("one open follow-up per customer after visits", () => {
  const t = playgroundBot();

  it("three visits in a day to a customer with an open follow-up leave exactly one open follow-up", async () => {
    const c = await makeCustomer(t.db, "杭州恒力泵业", "zhangsan");
    const old = await makeTask(t.db, "zhangsan", c.id, "送样品");
    const first = await answerCard(t.pg, "zhangsan", "今天拜访了杭州恒力泵业的李总，下周二带样品再去");
    expect(first.purpose).toBe("visit_confirm");
    expect(first.lines?.[0]).toContain("替代了之前 1 个未完成的跟进");
    await answerCard(t.pg, "zhangsan", "下午又去了杭州恒力泵业，李总说要比价，周五再联系");
    const third = await answerCard(t.pg, "zhangsan", "晚上给杭州恒力泵业李总打了电话，下周一上午10点去签合同");
    expect(third.purpose).toBe("visit_confirm");

    const open = await t.db.task.findMany({ where: { customerId: c.id, status: "open" } });
    expect(open).toHaveLength(1);
    expect(open[0]!.dueAt.toISOString()).toBe("2026-11-30T02:00:00.000Z"); // the last visit's: Mon 10:00
    expect(await t.db.task.count({ where: { customerId: c.id, status: "cancelled" } })).toBe(3);
    const entry = await t.db.auditLog.findFirstOrThrow({ where: { action: "task.cancel", entityId: old.id } });
    expect(entry.after).toMatchObject({ status: "cancelled", note: "被新的拜访跟进替代" });
    const list = await answerCard(t.pg, "zhangsan", "我的待办");
    expect(list.lines).toHaveLength(1);
  });

  it("undoing the last visit reopens the follow-up it replaced", async () => {
    const third = (await t.pg.botItems("zhangsan")).flatMap((i) => (i.type === "card" && i.card.purpose === "visit_confirm" ? [i.card] : [])).at(-1)!;
    await t.pg.click("zhangsan", third, "撤销");
    await eventually(async () => (await t.db.auditLog.count({ where: { action: "task.reopen" } })) === 1, "replaced follow-up reopened");
    const open = await t.db.task.findMany({ where: { status: "open" } });
    expect(open).toHaveLength(1);
    expect(open[0]!.dueAt.toISOString()).not.toBe("2026-11-30T02:00:00.000Z");
    const text = await eventually(async () => (await t.pg.botItems("zhangsan")).flatMap((i) => (i.type === "text" && i.text.startsWith("已撤销") ? [i.text] : []))[0], "undo reply");
    expect(text).toContain("替代的 1 个跟进已恢复");
  });

  it("another rep's follow-up of a pool customer is not touched", async () => {
    const c = await makeCustomer(t.db, "苏州华锐精密", null);
    const theirs = await makeTask(t.db, "lisi", c.id, "回访");
    await answerCard(t.pg, "zhangsan", "今天拜访了苏州华锐精密的陈工，下周三再去");
    expect((await t.db.task.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("open");
  });
});

describe("a visit reported the next day", () => {
  const t = playgroundBot();

  it("is recorded when it happened, shown on the card, and never moves the last follow-up back", async () => {
    // The clock says Monday 2026-11-23 10:00; 上周五 is Friday 11-20, 昨天下午 Sunday 11-22 14:00.
    const c = await makeCustomer(t.db, "宁波恒远机械", "zhangsan", { lastFollowUpAt: new Date("2026-11-21T03:00:00Z") });
    const card = await answerCard(t.pg, "zhangsan", "昨天下午去了宁波恒远机械 见了刘总 下周三再联系");
    expect(card.purpose).toBe("visit_confirm");
    expect(card.subtitle).toContain("发生在 11月22日 周日 14:00");
    const first = await t.db.activity.findFirstOrThrow({ where: { customerId: c.id } });
    expect(first.occurredAt.toISOString()).toBe("2026-11-22T06:00:00.000Z");
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: c.id } })).lastFollowUpAt?.toISOString()).toBe("2026-11-22T06:00:00.000Z");

    await answerCard(t.pg, "zhangsan", "上周五打电话给宁波恒远机械 刘总说要看样品");
    const calls = await t.db.activity.findMany({ where: { customerId: c.id, kind: "call" } });
    expect(calls.map((a) => a.occurredAt.toISOString())).toEqual(["2026-11-20T01:00:00.000Z"]);
    // Friday's call is older than Sunday's visit: the customer's last follow-up stays Sunday.
    expect((await t.db.customer.findUniqueOrThrow({ where: { id: c.id } })).lastFollowUpAt?.toISOString()).toBe("2026-11-22T06:00:00.000Z");
  });

  it("a visit with no time in the message is recorded now, with no 发生在 line", async () => {
    const card = await answerCard(t.pg, "zhangsan", "去了宁波恒远机械 刘总不在");
    expect(card.subtitle ?? "").not.toContain("发生在");
  });
});
