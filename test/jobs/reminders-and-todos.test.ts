// Follow-ups come back at their due time as cards one can act on; overdue ones reach the manager; each
// morning people get their to-do card. Re-running a job for the same period sends nothing twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyTodoJob } from "../../jobs/daily-todo.job.ts";
import { dueRemindersJob } from "../../jobs/due-reminders.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { eventually, startTestBot, type TestBot } from "../support/test-bot.ts";

describe("reminders, escalation and the morning to-do", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  let taskId: string;
  beforeAll(async () => {
    bot = await startTestBot();
    pg = new PlaygroundClient(bot.url);
    const customer = await bot.db.prisma.customer.create({ data: { name: "华东机电有限公司", normalizedName: "华东机电", ownerId: "zhangsan", aliases: [], tags: [] } });
    const due = new Date("2026-11-24T01:00:00Z"); // Tue 09:00 Shanghai
    taskId = (await bot.db.prisma.task.create({ data: { ownerId: "zhangsan", customerId: customer.id, title: "带报价再去", dueAt: due } })).id;
    await bot.db.prisma.task.create({ data: { ownerId: "zhangsan", customerId: customer.id, title: "回访王经理", dueAt: new Date("2026-11-21T01:00:00Z") } });
  });
  afterAll(async () => bot?.close());

  it("sends nothing before the due time", async () => {
    const r = await runJob(bot.deps, dueRemindersJob, new Date("2026-11-24T00:59:00Z"));
    // Only the task due on the 21st: reminded, and (overdue > 24 h) its owner's manager is told.
    expect(r.result).toMatchObject({ reminded: 1, escalated: 1, failed: 0 });
  });

  it("reminds the owner at the due time with a card they can act on, once", async () => {
    const r = await runJob(bot.deps, dueRemindersJob, new Date("2026-11-24T01:00:30Z"));
    expect(r.result).toMatchObject({ reminded: 1 });
    const again = await runJob(bot.deps, dueRemindersJob, new Date("2026-11-24T01:00:50Z"));
    expect(again.ran).toBe(false); // same minute: one run across instances
    const later = await runJob(bot.deps, dueRemindersJob, new Date("2026-11-24T01:05:00Z"));
    expect(later.result?.reminded).toBe(0); // never twice for one task

    const cards = await eventually(async () => {
      const all = (await pg.botItems("zhangsan")).flatMap((i) => (i.type === "card" && i.card.purpose === "reminder" ? [i.card] : []));
      return all.length === 2 ? all : undefined;
    }, "two reminder cards");
    const card = cards.find((c) => c.subtitle?.includes("带报价再去"))!;
    expect(card.fields.find((f) => f.label === "客户")?.value).toBe("华东机电有限公司");
    await pg.click("zhangsan", card, "完成");
    await eventually(async () => (await bot.db.prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status === "done", "task done");
    const updated = await eventually(async () => {
      const it = (await pg.botItems("zhangsan")).find((i) => i.type === "card" && i.card.ref === card.ref);
      return it?.type === "card" && it.card.status ? it.card : undefined;
    }, "reminder card updated");
    expect(updated.status?.text).toContain("已完成");
    expect(await bot.db.prisma.auditLog.count({ where: { action: "task.complete", entityId: taskId } })).toBe(1);
  });

  it("escalates a follow-up overdue past the configured delay to the manager", async () => {
    // The task due on the 21st was escalated by the first run; the one completed above never will be.
    expect((await runJob(bot.deps, dueRemindersJob, new Date("2026-11-25T12:00:00Z"))).result?.escalated).toBe(0);
    const card = await pg.nthCard("wangwu", 1, "escalation");
    expect(card.subtitle).toContain("张三");
    expect(card.fields.find((f) => f.label === "事项")?.value).toBe("回访王经理");
    expect((await runJob(bot.deps, dueRemindersJob, new Date("2026-11-24T02:01:00Z"))).result?.escalated).toBe(0);
  });

  it("sends each person's morning to-do once, numbered like 我的待办", async () => {
    const r = await runJob(bot.deps, dailyTodoJob, new Date("2026-11-25T00:00:00Z"));
    expect(r.result).toMatchObject({ sent: 1, failed: 0 });
    const card = await pg.nthCard("zhangsan", 1, "todo_list");
    expect(card.title).toContain("今天的待办（1）");
    expect(card.lines?.[0]).toMatch(/^1\. ⚠️.*回访王经理/);
    expect((await runJob(bot.deps, dailyTodoJob, new Date("2026-11-25T00:10:00Z"))).ran).toBe(false);
  });

  it("lets a failed run be run again, without repeating what was already sent", async () => {
    await bot.db.prisma.jobRun.updateMany({ where: { job: "daily-todo", period: "2026-11-25", subject: "" }, data: { status: "failed" } });
    const again = await runJob(bot.deps, dailyTodoJob, new Date("2026-11-25T01:00:00Z"));
    expect(again).toMatchObject({ ran: true, result: { sent: 0, already: 1, failed: 0 } });
    expect((await bot.db.prisma.jobRun.findFirstOrThrow({ where: { job: "daily-todo", period: "2026-11-25", subject: "" } })).status).toBe("done");
  });

  it("snoozes from text: 推迟 1 到明天上午10点", async () => {
    await pg.say("zhangsan", "推迟 1 到明天上午10点");
    const text = await eventually(async () => (await pg.botItems("zhangsan")).flatMap((i) => (i.type === "text" && i.text.startsWith("已推迟") ? [i.text] : []))[0], "snooze reply");
    expect(text).toContain("11月24日 周二 10:00"); // the test clock says 2026-11-23
    const task = await bot.db.prisma.task.findFirstOrThrow({ where: { title: "回访王经理" } });
    expect(task.snoozedUntil?.toISOString()).toBe("2026-11-24T02:00:00.000Z");
    expect(task.remindedAt).toBeNull(); // will be reminded again at the new time
  });

  it("completes from text: 完成 1", async () => {
    await pg.say("zhangsan", "完成 1");
    await eventually(async () => (await bot.db.prisma.task.findFirstOrThrow({ where: { title: "回访王经理" } })).status === "done", "task completed");
    await pg.say("zhangsan", "完成 1");
    await eventually(async () => (await pg.botItems("zhangsan")).some((i) => i.type === "text" && i.text.includes("没有待办")), "nothing left");
  });
});
