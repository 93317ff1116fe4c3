// 本周业绩 / 今天业绩 / 本月业绩: a rep sees their own numbers, a manager their team's with the top reps, a director
// the whole line below them, an admin everyone's. Periods start at local midnight, Monday 00:00 and the 1st (the
// test clock is Monday 2026-11-23 10:00 Asia/Shanghai); undone visits, deleted customers and cancelled orders
// do not count.
import { beforeAll, describe, expect, it } from "vitest";
import type { Card } from "../../src/core/card.ts";
import type { ActivityKind, CustomerStage, OrderStatus, TaskStatus } from "../../src/generated/prisma/client.ts";
import { playgroundBot } from "../support/playground-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const field = (card: Card, label: string) => card.fields.find((f) => f.label === label)?.value;

describe("metrics card", () => {
  const t = playgroundBot();

  beforeAll(async () => {
    const db = t.db;
    const customer = async (name: string, ownerId: string | null, createdById: string, createdAt: Date, stage: CustomerStage, deletedAt?: Date) =>
      (await db.customer.create({ data: { name, normalizedName: name, ownerId, createdById, createdAt, stage, deletedAt: deletedAt ?? null, aliases: [], tags: [] } })).id;
    const c1 = await customer("华东机电", "zhangsan", "zhangsan", at("2026-11-23T09:00:00"), "contacted");
    const c2 = await customer("华南电气", "zhangsan", "zhangsan", at("2026-11-22T23:30:00"), "proposal"); // Sunday: last week
    const c3 = await customer("西北重工", "lisi", "lisi", at("2026-11-23T00:10:00"), "lead");
    await customer("已撤销客户", "zhangsan", "zhangsan", at("2026-11-23T09:30:00"), "lead", at("2026-11-23T09:31:00")); // undone creation
    await customer("东北轴承", "wangwu", "wangwu", at("2026-11-05T10:00:00"), "won");
    await customer("公海客户", null, "lisi", at("2026-10-01T10:00:00"), "lead");

    const activity = (userId: string, customerId: string, kind: ActivityKind, occurredAt: Date, undoneAt?: Date) =>
      db.activity.create({ data: { userId, customerId, kind, occurredAt, summary: "s", rawText: "r", undoneAt: undoneAt ?? null } });
    await activity("zhangsan", c1, "visit", at("2026-11-23T09:00:00"));
    await activity("zhangsan", c1, "call", at("2026-11-23T00:00:00")); // local midnight: today
    await activity("zhangsan", c2, "visit", at("2026-11-22T23:59:00")); // Sunday night: last week, this month
    await activity("zhangsan", c2, "visit", at("2026-10-31T23:59:00")); // last month
    await activity("zhangsan", c1, "visit", at("2026-11-23T08:00:00"), at("2026-11-23T08:05:00")); // undone
    await activity("lisi", c3, "visit", at("2026-11-23T08:30:00"));
    await activity("lisi", c3, "visit", at("2026-11-23T09:30:00"));
    await activity("lisi", c3, "visit", at("2026-11-23T09:45:00"));

    const task = (ownerId: string, dueAt: Date, extra: { status?: TaskStatus; snoozedUntil?: Date } = {}) =>
      db.task.create({ data: { ownerId, title: "跟进", dueAt, ...extra } });
    await task("zhangsan", at("2026-11-22T09:00:00")); // overdue
    await task("zhangsan", at("2026-11-20T09:00:00"), { snoozedUntil: at("2026-11-24T09:00:00") }); // snoozed: not overdue
    await task("zhangsan", at("2026-11-20T09:00:00"), { status: "done" });
    await task("lisi", at("2026-11-23T09:00:00")); // overdue
    await task("lisi", at("2026-11-25T09:00:00"));

    const order = (number: string, repId: string, customerId: string, total: string, status: OrderStatus, createdAt: Date) =>
      db.order.create({ data: { number, repId, customerId, total, listTotal: total, status, createdAt } });
    const o1 = await order("SO-20261123-001", "zhangsan", c1, "12000", "pending_approval", at("2026-11-23T09:10:00"));
    await order("SO-20261123-002", "zhangsan", c1, "5000", "cancelled", at("2026-11-23T09:20:00"));
    await order("SO-20261123-003", "lisi", c3, "8000.50", "approved", at("2026-11-23T09:00:00"));
    await db.approval.create({ data: { orderId: o1.id, rule: "discount", requestedById: "zhangsan", steps: { create: [{ seq: 1, approverId: "wangwu", status: "pending" }] } } });
  });

  async function ask(userId: string, text: string, n: number): Promise<Card> {
    await t.pg.say(userId, text);
    return t.pg.nthCard(userId, n, "metrics");
  }

  it("shows a rep only their own numbers for this week (from Monday 00:00)", async () => {
    const card = await ask("zhangsan", "本周业绩", 1);
    expect(card.title).toBe("本周业绩 · 张三");
    expect(card.subtitle).toContain("11月23日 周一 00:00 至 11月23日 周一 10:00");
    expect(field(card, "拜访跟进")).toBe("2 次（拜访 1、电话 1）"); // not Sunday's, not the undone one
    expect(field(card, "新客户")).toBe("1 家"); // not Sunday's, not the deleted one
    expect(field(card, "订单")).toBe("1 单 · ¥12,000"); // the cancelled one does not count
    expect(field(card, "待我审批")).toBe("0 个");
    expect(field(card, "逾期跟进")).toBe("1 项"); // snoozed and done ones are not overdue
    expect(card.lines).toEqual(["客户阶段：已接触 1 → 方案报价 1"]); // no top list for one person
    expect(card.fields.length).toBeLessThanOrEqual(6);
  });

  it("cuts today at local midnight and the month at the 1st", async () => {
    const today = await ask("zhangsan", "今天业绩", 2);
    expect(today.title).toBe("今天业绩 · 张三");
    expect(field(today, "拜访跟进")).toBe("2 次（拜访 1、电话 1）");
    const month = await ask("zhangsan", "本月业绩", 3);
    expect(month.title).toBe("本月业绩 · 张三");
    expect(month.subtitle).toContain("11月1日 周日 00:00");
    expect(field(month, "拜访跟进")).toBe("3 次（拜访 2、电话 1）"); // Sunday's counts, October's does not
    expect(field(month, "新客户")).toBe("2 家");
  });

  it("shows a manager the team (and themselves) with the top reps", async () => {
    const card = await ask("wangwu", "本周业绩", 1);
    expect(card.title).toBe("本周业绩 · 王五团队");
    expect(card.subtitle).toContain("共 3 人");
    expect(field(card, "拜访跟进")).toBe("5 次（拜访 4、电话 1）");
    expect(field(card, "新客户")).toBe("2 家");
    expect(field(card, "订单")).toBe("2 单 · ¥20,000.5");
    expect(field(card, "待我审批")).toBe("1 个");
    expect(field(card, "逾期跟进")).toBe("2 项");
    expect(card.lines).toEqual(["客户阶段：线索 1 → 已接触 1 → 方案报价 1 → 成交 1", "拜访排行：", "1. 李四 3 次", "2. 张三 2 次", "3. 王五 0 次"]); // everyone in the team, zero visits too
  });

  it("shows a director everyone below them, and an admin everyone", async () => {
    const director = await ask("zhaoliu", "这周业绩怎么样", 1);
    expect(director.title).toBe("本周业绩 · 赵六团队");
    expect(director.subtitle).toContain("共 4 人");
    expect(field(director, "拜访跟进")).toBe("5 次（拜访 4、电话 1）");
    expect(field(director, "待我审批")).toBe("0 个");
    const admin = await ask("admin", "本月业绩", 1);
    expect(admin.title).toBe("本月业绩 · 全公司");
    expect(field(admin, "拜访跟进")).toBe("6 次（拜访 5、电话 1）");
    expect(admin.lines).toContain("1. 李四 3 次");
  });

  it("answers with a card whoever asks, storing nothing", async () => {
    const before = await t.db.auditLog.count();
    await ask("lisi", "业绩", 1);
    expect(await t.db.auditLog.count()).toBe(before);
  });
});
