// 待审批 through the playground's real HTTP API: an approver's list (oldest turn first, exact amounts, the rule,
// which step, how long it has waited), acting from it (审批 N brings the order's approval card up again; only the
// current approver's 同意 counts, a stranger's press of the list changes nothing), a rep's own orders waiting and
// whom on, warehouse staff and an admin refused with nothing stored, the empty list, 下一页, and the words people use.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRemindersJob } from "../../jobs/approval-reminders.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { approvalListCard } from "../../cards/orders/approval-list.card.ts";
import { todoListCard } from "../../cards/tasks/todo-list.card.ts";
import { ManualClock } from "../../src/core/clock.ts";
import type { Card } from "../../src/core/card.ts";
import { readApprovalListRequest } from "../../src/handlers/orders/approval-list-words.ts";
import { answer, answerCard, answerText, itemAfter, makeCustomer, textMatching } from "../support/customer-fixtures.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { FIXED_NOW, eventually, startTestBot, type TestBot } from "../support/test-bot.ts";

const HOUR = 3600_000;
const LISI_CUSTOMERS = ["安泰机械", "百川机械", "长城机械", "德胜重工", "鼎新机械", "富源机械", "广元机械", "海川重工", "金桥机械", "利华机械", "明远重工"];

describe("待审批: what waits for the asker's decision, and acting from it", () => {
  const clock = new ManualClock(FIXED_NOW);
  let bot: TestBot;
  let pg: PlaygroundClient;
  const db = () => bot.db.prisma;
  const status = async (number: string) => (await db().order.findUniqueOrThrow({ where: { number } })).status;
  /** The rep's order card for each order placed, in order: its number. */
  const orderNumbers: string[] = [];

  async function place(userId: string, text: string): Promise<string> {
    const before = await db().order.count();
    await pg.say(userId, text);
    const row = await eventually(async () => ((await db().order.count()) > before ? db().order.findFirst({ orderBy: { createdAt: "desc" } }) : undefined), `the order (${text})`);
    orderNumbers.push(row!.number);
    return row!.number;
  }

  /** Bot items to `userId` since `before` that are cards of `purpose`. */
  async function cardAfter(userId: string, before: number, purpose: string): Promise<Card> {
    return eventually(async () => (await pg.botItems(userId)).slice(before).flatMap((i) => (i.type === "card" && i.card.purpose === purpose ? [i.card] : []))[0], `a ${purpose} card for ${userId}`);
  }

  const snapshot = async () => ({
    cards: await db().card.count(),
    pending: await db().pendingAction.count(),
    audit: await db().auditLog.count(),
    steps: (await db().approvalStep.findMany({ orderBy: { id: "asc" }, select: { status: true } })).map((s) => s.status),
  });

  let p1 = "";
  let p2 = "";
  let p3 = "";

  beforeAll(async () => {
    bot = await startTestBot({}, { clock });
    pg = new PlaygroundClient(bot.url);
    await makeCustomer(db(), "华东机电有限公司", "zhangsan", WITH_DELIVERY);
    await makeCustomer(db(), "西岭电机有限公司", "wangwu", WITH_DELIVERY);
  });
  afterAll(async () => bot?.close());

  it("nothing waiting: says so in words, and stores nothing", async () => {
    const before = await snapshot();
    expect(await answerText(pg, "zhaoliu", "待审批")).toBe("你现在没有待审批的订单。");
    expect(await answerText(pg, "lisi", "待审批")).toBe("你没有在等审批的订单。发送「我的订单」查看最近的订单。");
    expect(await snapshot()).toEqual(before);
  });

  it("an approver's list: oldest turn first, exact amounts with the discount, the rule, the step, how long it waited", async () => {
    // 8%: 王五 alone. 20%: 王五, then 赵六. 王五's own order at 20%: 赵六 alone (王五 is a rep too).
    p1 = await place("zhangsan", "下单 华东机电 电机A 10台 单价4600");
    clock.advance(HOUR);
    p2 = await place("zhangsan", "下单 华东机电 电机B 10台 单价6400");
    clock.advance(HOUR / 2);
    p3 = await place("wangwu", "下单 西岭电机 电机A 3台 单价4000");
    clock.advance(90 * 60_000); // 13:00
    expect(await status(p1)).toBe("pending_approval");

    const card = await answerCard(pg, "wangwu", "待审批");
    expect(card.purpose).toBe("approval_list");
    expect(card.title).toBe("待你审批（2）");
    expect(card.subtitle).toBe("最早的在前，第 1–2 个");
    expect(card.lines?.slice(0, 4)).toEqual([
      `1. ${p1}｜华东机电有限公司｜张三｜¥46,000（原价 ¥50,000，92折）`,
      "   折扣 8% 超出销售权限 5%｜一步审批｜11月23日 周一 10:00起，已等3小时",
      `2. ${p2}｜华东机电有限公司｜张三｜¥64,000（原价 ¥80,000，8折）`,
      "   折扣 20% 超出销售权限 5%｜第一步，共2步｜11月23日 周一 11:00起，已等2小时",
    ]);
    expect(card.lines?.join("\n")).toContain(`回复「同意 ${p1}」或「驳回 ${p1} 理由」`);
    expect(card.buttons.map((b) => b.label)).toEqual(["审批 1", "审批 2"]);
    expect(card.textCommands).toEqual(["审批 1", "审批 2", `同意 ${p1}`, `驳回 ${p1} 理由`]);
    expect(JSON.stringify(card)).not.toContain(p3); // his own order waits for 赵六, not for him: only counted
    expect(card.lines?.at(-1)).toBe("你自己提交的订单有 1 个在等审批，发送「我的订单在等审批吗」查看。");

    // The same list in other words.
    for (const words of ["我的审批", "审批列表", "待我审批", "有啥要审批的", "还有几个没批", "审批"]) {
      expect((await answerCard(pg, "wangwu", words)).title, words).toBe("待你审批（2）");
    }
  });

  it("acting from the list: 审批 N re-sends that order's approval card; only the current approver's 同意 counts", async () => {
    const list = await answerCard(pg, "wangwu", "待审批");
    // Someone else pressing 王五's list: refused, nothing changes.
    const before = await snapshot();
    await pg.click("lisi", list, "审批 2");
    expect(await textMatching(pg, "lisi", /这张卡片不是发给你的/)).toBeTruthy();
    expect(await snapshot()).toEqual(before);

    const n = (await pg.botItems("wangwu")).length;
    await pg.click("wangwu", list, "审批 2");
    const again = await cardAfter("wangwu", n, "approval");
    expect(again.title).toBe(`折扣审批 ${p2}`);
    expect(again.subtitle).toBe("张三 为「华东机电有限公司」下单，第一步，共2步");
    expect(again.fields.find((f) => f.label === "审批原因")?.value).toBe("折扣 20% 超出销售权限 5%");
    expect(again.buttons.map((b) => b.label)).toEqual(["同意", "驳回"]);
    const row = await db().card.findUniqueOrThrow({ where: { ref: again.ref } });
    expect(row.thread).toBe(`order:${p2}`);

    // The re-sent card in other hands (forwarded): refused by the approval card's own guard.
    await pg.click("zhaoliu", again, "同意");
    expect(await textMatching(pg, "zhaoliu", /只有当前审批人王五可以审批/)).toBeTruthy();
    await pg.click("zhangsan", again, "同意");
    expect(await textMatching(pg, "zhangsan", /只有当前审批人王五可以审批/)).toBeTruthy();
    expect(await status(p2)).toBe("pending_approval");
    expect(await db().auditLog.count({ where: { action: "approval.approve" } })).toBe(0);

    await pg.click("wangwu", again, "同意");
    expect(await textMatching(pg, "wangwu", new RegExp(`已同意 ${p2}，已转赵六审批`))).toBeTruthy();
    expect(await db().approvalStep.findMany({ where: { approval: { order: { number: p2 } } }, orderBy: { seq: "asc" }, select: { status: true } })).toEqual([{ status: "approved" }, { status: "pending" }]);
    // Every copy shows the decision: the first approval card too.
    await eventually(async () => {
      const copies = (await pg.botItems("wangwu")).flatMap((i) => (i.type === "card" && i.card.title === `折扣审批 ${p2}` ? [i.card] : []));
      return copies.length >= 2 && copies.every((c) => c.status?.text.includes("王五 已同意")) ? true : undefined;
    }, "every copy of the approval card decided");
    // A second press (the same card again) changes nothing: it is 赵六's turn now.
    await pg.click("wangwu", again, "同意");
    expect(await textMatching(pg, "wangwu", /只有当前审批人赵六可以审批/)).toBeTruthy();
    expect(await db().auditLog.count({ where: { action: "approval.approve" } })).toBe(1);

    // 王五's old list still names p2 as row 2, but it is 赵六's turn now: refused, nothing changes.
    const b2 = await snapshot();
    expect(await answerText(pg, "wangwu", "审批 2")).toMatch(new RegExp(`只有当前审批人赵六可以审批 ${p2}`));
    expect(await snapshot()).toEqual(b2);
  });

  it("two orders at different steps for the director; typed 审批 N on the newest list", async () => {
    clock.advance(HOUR);
    const card = await answerCard(pg, "zhaoliu", "有没有要我审批的");
    expect(card.title).toBe("待你审批（2）");
    expect(card.lines?.slice(0, 4)).toEqual([
      `1. ${p3}｜西岭电机有限公司｜王五｜¥12,000（原价 ¥15,000，8折）`,
      "   折扣 20% 超出经理权限 15%｜一步审批｜11月23日 周一 11:30起，已等2小时",
      `2. ${p2}｜华东机电有限公司｜张三｜¥64,000（原价 ¥80,000，8折）`,
      "   折扣 20% 超出销售权限 5%｜第二步，共2步｜11月23日 周一 13:00起，已等1小时",
    ]);
    const n = (await pg.botItems("zhaoliu")).length;
    await pg.say("zhaoliu", "审批 1");
    const again = await cardAfter("zhaoliu", n, "approval");
    expect(again.title).toBe(`折扣审批 ${p3}`);
    await pg.click("zhaoliu", again, "同意");
    expect(await textMatching(pg, "zhaoliu", new RegExp(`^已同意 ${p3}。`))).toBeTruthy();
    expect(await status(p3)).not.toBe("pending_approval");
    // A number the list does not have.
    expect(await answerText(pg, "zhaoliu", "审批 5")).toBe("这张待审批列表上没有第5个。发送「待审批」查看最新列表。");
    // By its number, too.
    const m = (await pg.botItems("zhaoliu")).length;
    await pg.say("zhaoliu", `审批 ${p2}`);
    expect((await cardAfter("zhaoliu", m, "approval")).title).toBe(`折扣审批 ${p2}`);
    expect(await answerText(pg, "zhaoliu", `审批 ${p3}`)).toMatch(new RegExp(`^${p3} 已不在审批中（`));
  });

  it("a rep's view: their own orders waiting, whom on and since when", async () => {
    for (const words of ["待审批", "我的订单在等审批吗"]) {
      const card = await answerCard(pg, "zhangsan", words);
      expect(card.title, words).toBe("你的订单在等审批（2）");
      expect(card.lines?.slice(0, 4)).toEqual([
        `1. ${p1}｜华东机电有限公司｜¥46,000（原价 ¥50,000，92折）`,
        "   等王五审批（一步审批）｜11月23日 周一 10:00起，已等4小时｜折扣 8% 超出销售权限 5%",
        `2. ${p2}｜华东机电有限公司｜¥64,000（原价 ¥80,000，8折）`,
        "   等赵六审批（第二步，共2步）｜11月23日 周一 13:00起，已等1小时｜折扣 20% 超出销售权限 5%",
      ]);
      expect(card.buttons).toEqual([]);
    }
    // Nothing to approve from a rep's list.
    expect(await answerText(pg, "zhangsan", "审批 1")).toMatch(/^这张列表是你自己在等审批的订单/);
    expect(await status(p1)).toBe("pending_approval");
  });

  it("warehouse staff and an admin: a polite refusal saying what they can do, nothing stored", async () => {
    const before = await snapshot();
    expect(await answerText(pg, "chenqi", "待审批")).toBe("仓库同事不能查看待审批的订单（审批和订单金额在销售那边），这条消息没有记录任何内容。你可以发送「待发货」查看要发的订单，或「我的待办」。");
    expect(await answerText(pg, "chenqi", `审批 ${p1}`)).toMatch(/^仓库同事不能查看待审批的订单/);
    expect(await answerText(pg, "chenqi", "审批 1")).toMatch(/^没有可以按编号审批的列表/);
    expect(await answerText(pg, "admin", "待审批")).toMatch(/^管理员不审批订单/);
    expect(await snapshot()).toEqual(before);
  });

  it("a long list comes ten at a time with 下一页", async () => {
    // Eleven more orders of 李四 for 王五 (a customer each: no duplicate check): with p1, twelve wait for him.
    for (const name of LISI_CUSTOMERS) {
      await makeCustomer(db(), `${name}有限公司`, "lisi", WITH_DELIVERY);
      await place("lisi", `下单 ${name} 电缆 1卷 单价540`);
      clock.advance(60_000);
    }
    // The orders' approval cards reach 王五 before he asks (else the first thing after his question may be one of them).
    await eventually(async () => ((await db().outboxMessage.count({ where: { status: { not: "sent" } } })) === 0 ? true : undefined), "the approval cards sent");
    const first = await answerCard(pg, "wangwu", "待审批");
    expect(first.title).toBe("待你审批（12）");
    expect(first.subtitle).toBe("最早的在前，第 1–10 个");
    expect(first.buttons.map((b) => b.label)).toEqual([...Array.from({ length: 10 }, (_, i) => `审批 ${i + 1}`), "下一页"]);
    expect(first.lines?.[0]).toContain(p1);
    const n = (await pg.botItems("wangwu")).length;
    await pg.click("wangwu", first, "下一页");
    const next = await itemAfter(pg, "wangwu", n);
    if (next.type !== "card") throw new Error(`expected the next page, got ${JSON.stringify(next)}`);
    expect(next.card.subtitle).toBe("最早的在前，第 11–12 个");
    expect(next.card.lines?.[0]).toMatch(/^1\. SO-\d{8}-\d{3}｜利华机械有限公司｜李四｜¥540（原价 ¥600，9折）$/);
    expect(next.card.buttons.map((b) => b.label)).toEqual(["审批 1", "审批 2"]);
    // Typed 下一页 on the last page.
    expect(await answerText(pg, "wangwu", "下一页")).toBe("已经是最后一页了。");
  });

  it("an escalated step: the list of the one it came to says why", async () => {
    const at = new Date(FIXED_NOW.getTime() + 49 * HOUR);
    clock.set(at);
    expect((await runJob(bot.deps, approvalRemindersJob, at)).result).toMatchObject({ escalated: 1 });
    // The escalation's own messages (the card to 赵六, the notes to 王五 and 张三) are out before anyone asks.
    await eventually(async () => ((await db().outboxMessage.count({ where: { status: { not: "sent" } } })) === 0 ? true : undefined), "the escalation's messages sent");
    const card = await answerCard(pg, "zhaoliu", "待审批");
    const i = card.lines!.findIndex((l) => l.includes(p1));
    expect(card.lines![i + 1]).toBe("   折扣 8% 超出销售权限 5%｜一步审批｜11月25日 周三 11:00起，已等1分钟｜王五超过48小时未处理，已转交赵六。");
    const mine = await answerCard(pg, "zhangsan", "我的订单批了吗");
    expect(mine.lines?.[1]).toBe("   等赵六审批（一步审批）｜11月25日 周三 11:00起，已等1分钟｜折扣 8% 超出销售权限 5%｜王五超过48小时未处理，已转交赵六。");
    expect(JSON.stringify(await answerCard(pg, "wangwu", "待审批"))).not.toContain(p1);
  });

  it("帮助 for a manager names 待审批", async () => {
    const help = await answer(pg, "wangwu", "帮助");
    if (help.type !== "card") throw new Error("help is a card");
    expect(help.card.lines?.join("\n")).toContain("待审批的订单（最早的在前，审批 N 调出审批卡片）：待审批 / 审批 1");
    const rep = await answer(pg, "lisi", "帮助");
    if (rep.type !== "card") throw new Error("help is a card");
    expect(rep.card.lines?.join("\n")).not.toContain("审批 N");
    expect(rep.card.lines?.join("\n")).toContain("我的订单等谁批、等了多久：我的订单批了吗");
  });
});

describe("待审批 cards and words (no bot)", () => {
  it("WeCom: no buttons (markdown with every row), 审批 N and 下一页 typed", () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ number: `SO-20261123-0${10 + i}`, customer: "华东机电", rep: "张三", total: "4600.00", listTotal: "5000.00", discount: "0.0800", rule: "折扣 8% 超出销售权限 5%", seq: 1, steps: 1, since: FIXED_NOW }));
    const card = approvalListCard({ ref: "crd_TESTTESTTEST", mode: "approver", offset: 0, total: 12, rows, now: new Date(FIXED_NOW.getTime() + 30 * 60_000), timeZone: "Asia/Shanghai", buttons: false });
    expect(card.buttons).toEqual([]);
    expect(card.lines?.[1]).toBe("   折扣 8% 超出销售权限 5%｜一步审批｜11月23日 周一 10:00起，已等30分钟");
    expect(card.lines).toContain("还有 2 个，发送「下一页」继续。");
    expect(card.textCommands).toEqual([...Array.from({ length: 10 }, (_, i) => `审批 ${i + 1}`), "同意 SO-20261123-010", "驳回 SO-20261123-010 理由", "下一页"]);
  });

  it("a to-do card with approvals only does not repeat its title as the first line", () => {
    const approvals = [{ number: "SO-20261123-001", customer: "华东机电", rep: "张三", total: "46000.00", discount: "0.0800", since: FIXED_NOW }];
    const card = todoListCard({ ref: "crd_TESTTESTTEST", userName: "王五", now: FIXED_NOW, tasks: [], approvals, timeZone: "Asia/Shanghai" });
    expect(card.title).toBe("待你审批（1）");
    expect(card.lines?.[0]).toMatch(/^· SO-20261123-001 华东机电 ¥46,000（92折）张三/);
    expect(card.lines?.join("\n")).not.toContain("待你审批（1）");
    // With follow-ups too, the section keeps its heading (the title is the to-dos').
    const both = todoListCard({ ref: "crd_TESTTESTTEST", userName: "王五", now: FIXED_NOW, tasks: [{ title: "回访", customer: "华东机电", dueAt: FIXED_NOW }], approvals, timeZone: "Asia/Shanghai" });
    expect(both.lines?.[0]).toBe("待你审批（1）：");
  });

  it("reads the words approvers and reps use, and leaves other messages alone", () => {
    for (const t of ["待审批", "我的审批", "审批列表", "待我审批", "有啥要审批的", "还有几个没批", "审批", "看下待审批", "有没有要我审批的", "待审批的订单", "谁在等我审批", "还有多少没审批？"]) expect(readApprovalListRequest(t), t).toBe("queue");
    for (const t of ["我的订单在等审批吗", "我的订单审批了吗", "我的订单批了吗", "我的单子批了没", "我提交的订单审批到哪了"]) expect(readApprovalListRequest(t), t).toBe("mine");
    for (const t of ["我的订单", "审批规则", "同意 SO-20261123-001", "客户说要走审批流程", "帮我批一下", "我的待办", "怎么审批", "下单 华东机电 电机A 10台 单价4600 请审批"]) expect(readApprovalListRequest(t), t).toBeNull();
  });
});
