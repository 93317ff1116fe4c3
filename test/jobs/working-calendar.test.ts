// The card jobs follow China's working calendar (调休 included) and the org file's company days; reminders wait out
// the quiet hours and say when they were due; a dry run shows what would go out and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyTodoJob } from "../../jobs/daily-todo.job.ts";
import { dryRunJob, formatDryRun } from "../../jobs/dry-run.ts";
import { dueRemindersJob } from "../../jobs/due-reminders.job.ts";
import { metricsEveningJob } from "../../jobs/metrics-evening.job.ts";
import { metricsWeeklyJob, weeklySchedule } from "../../jobs/metrics-weekly.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { toLocal } from "../../src/core/local-time.ts";
import { calendarKnowsYear, isQuietTime, isWorkdayDate } from "../../src/core/working-time.ts";
import { parseOrgText } from "../../src/domain/org/org-file.ts";
import type { AppDeps } from "../../src/handlers/engine/app-deps.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const SH = "Asia/Shanghai";

describe("the working calendar, quiet hours and dry runs", () => {
  let bot: TestBot;
  let customerId: string;
  const withCalendar = (calendar: { extraHolidays: string[]; extraWorkdays: string[] }): AppDeps => ({ ...bot.deps, rules: { ...bot.deps.rules, calendar } });
  const jobRuns = (job: string, period: string) => bot.db.prisma.jobRun.count({ where: { job, period } });
  const payloadOf = (p: unknown) => (typeof p === "string" ? JSON.parse(p) : p) as { body: { type: string; card?: { title: string; subtitle?: string } } };

  beforeAll(async () => {
    bot = await startTestBot({}, { workers: false });
    customerId = (await bot.db.prisma.customer.create({ data: { name: "华东机电有限公司", normalizedName: "华东机电", ownerId: "zhangsan", aliases: [], tags: [] } })).id;
    // Overdue since September: zhangsan has a morning card on any working day.
    await bot.db.prisma.task.create({ data: { ownerId: "zhangsan", customerId, title: "回访王经理", dueAt: at("2026-09-01T09:00:00"), remindedAt: at("2026-09-01T09:00:00"), escalatedAt: at("2026-09-02T09:00:00") } });
  });
  afterAll(async () => bot?.close());

  it("reads the official calendar: 国庆 off, the 调休 Saturday worked", () => {
    expect(isWorkdayDate({ year: 2026, month: 10, day: 1 })).toBe(false);
    // chinese-days 1.5.7: the National Day make-up days of 2026 are Sunday 09-20 and Saturday 10-10 (09-27 is a Sunday off).
    expect(isWorkdayDate({ year: 2026, month: 10, day: 10 })).toBe(true);
    expect(isWorkdayDate({ year: 2026, month: 9, day: 27 })).toBe(false);
  });

  it("skips the morning card on a public holiday, leaving no run behind", async () => {
    const r = await runJob(bot.deps, dailyTodoJob, at("2026-10-01T08:00:00"));
    expect(r).toEqual({ ran: false, period: "2026-10-01", skipped: "not a working day" });
    expect(await jobRuns("daily-todo", "2026-10-01")).toBe(0);
    expect(await runJob(bot.deps, metricsEveningJob, at("2026-10-01T19:00:00"))).toMatchObject({ ran: false, skipped: "not a working day" });
    expect((await runJob(bot.deps, dailyTodoJob, at("2026-11-28T08:00:00"))).skipped).toBe("not a working day"); // an ordinary Saturday
  });

  it("sends the morning card on a 调休 Saturday", async () => {
    const r = await runJob(bot.deps, dailyTodoJob, at("2026-10-10T08:00:00"));
    expect(r).toMatchObject({ ran: true, period: "2026-10-10", result: { sent: 1, failed: 0 } });
  });

  it("follows the org file's company days", async () => {
    const org = parseOrgText(
      "users: [{ id: a, name: A, roles: [rep] }]\ncalendar: { extraHolidays: [2026-11-26], extraWorkdays: ['2026-11-29'] }\n",
      "org.yaml",
    );
    expect(org.rules.calendar).toEqual({ extraHolidays: ["2026-11-26"], extraWorkdays: ["2026-11-29"] });
    expect(org.rules.quietHours).toBe("21:00-08:00");
    expect(() => parseOrgText("users: [{ id: a, name: A, roles: [rep] }]\ncalendar: { extraHolidays: [2026-02-30] }\n", "org.yaml")).toThrow(/calendar\.extraHolidays\.0/);
    expect(() => parseOrgText("users: [{ id: a, name: A, roles: [rep] }]\nrules: { quietHours: '21:00' }\n", "org.yaml")).toThrow(/rules\.quietHours/);

    const deps = withCalendar(org.rules.calendar!);
    // Thursday 11-26: a company day off.
    expect(await runJob(deps, dailyTodoJob, at("2026-11-26T08:00:00"))).toMatchObject({ ran: false, skipped: "not a working day" });
    expect(await jobRuns("daily-todo", "2026-11-26")).toBe(0);
    // Sunday 11-29: a company working day.
    expect(await runJob(deps, dailyTodoJob, at("2026-11-29T08:00:00"))).toMatchObject({ ran: true, result: { sent: 1 } });
    expect(await runJob(deps, metricsEveningJob, at("2026-11-29T19:00:00"))).toMatchObject({ ran: true });
  });

  it("sends the weekly card on the week's first working day when Monday is a holiday", async () => {
    expect(weeklySchedule("0 9 * * 1")).toEqual({ cron: "0 9 * * *", fromWeekday: 1 });
    expect(metricsWeeklyJob.cron?.(bot.deps)).toBe("0 9 * * *");
    // 10-05 to 10-07 are 国庆 holidays (Mon–Wed): Thursday 10-08 is the first working day of that week.
    for (const day of ["2026-10-05", "2026-10-06", "2026-10-07"]) {
      expect(await runJob(bot.deps, metricsWeeklyJob, at(`${day}T09:00:00`))).toMatchObject({ ran: false, skipped: "not a working day" });
    }
    expect(await runJob(bot.deps, metricsWeeklyJob, at("2026-10-08T09:00:00"))).toMatchObject({ ran: true, period: "2026-W40" });
    expect((await runJob(bot.deps, metricsWeeklyJob, at("2026-10-09T09:00:00"))).skipped).toMatch(/not the first working day/);
    expect((await runJob(bot.deps, metricsWeeklyJob, at("2026-10-10T09:00:00"))).skipped).toMatch(/not the first working day/); // 调休 Saturday
    // An ordinary Monday: that day; Tuesday then skips.
    expect(await runJob(bot.deps, metricsWeeklyJob, at("2026-11-23T09:00:00"))).toMatchObject({ ran: true, period: "2026-W47" });
    expect((await runJob(bot.deps, metricsWeeklyJob, at("2026-11-24T09:00:00"))).skipped).toMatch(/not the first working day/);
  });

  it("reads a year chinese-days does not know as Monday to Friday, saying so once", () => {
    expect(calendarKnowsYear(2026)).toBe(true);
    expect(calendarKnowsYear(2031)).toBe(false);
    const warnings: unknown[] = [];
    const warn = (m: string, f: Record<string, unknown>) => void warnings.push([m, f]);
    expect(isWorkdayDate({ year: 2031, month: 10, day: 1 }, undefined, warn)).toBe(true); // a Wednesday
    expect(isWorkdayDate({ year: 2031, month: 10, day: 4 }, undefined, warn)).toBe(false); // a Saturday
    expect(isWorkdayDate({ year: 2031, month: 10, day: 6 }, { extraHolidays: ["2031-10-06"] }, warn)).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toEqual([expect.stringContaining("Monday to Friday"), { year: 2031 }]);
  });

  it("sends the cards on a day of a year chinese-days does not know (2027) as Monday to Friday, warning once; the org file's days still count", async () => {
    // chinese-days 1.5.7 ends with 2026. 2028 starts on a Saturday: a day off, but not a known 元旦.
    expect(calendarKnowsYear(2027)).toBe(false);
    expect(calendarKnowsYear(2028)).toBe(false);
    const warnings: unknown[] = [];
    const log = { ...bot.deps.log, warn: (m: string, f?: Record<string, unknown>) => void warnings.push([m, f]), child: () => log } as AppDeps["log"];
    const deps: AppDeps = { ...bot.deps, log };
    // Friday 2027-01-01 (元旦 in fact) reads as a working day until the package knows 2027.
    expect(await runJob(deps, dailyTodoJob, at("2027-01-01T08:00:00"))).toMatchObject({ ran: true, period: "2027-01-01" });
    expect((await runJob(deps, dailyTodoJob, at("2027-01-02T08:00:00"))).skipped).toBe("not a working day"); // a Saturday
    expect(warnings.filter((w) => JSON.stringify(w).includes("2027"))).toHaveLength(1);
    // The company's own days are the way round it meanwhile.
    const withNewYear: AppDeps = { ...deps, rules: { ...deps.rules, calendar: { extraHolidays: ["2027-01-01"], extraWorkdays: [] } } };
    expect(await runJob(withNewYear, metricsEveningJob, at("2027-01-01T19:00:00"))).toMatchObject({ ran: false, skipped: "not a working day" });
  });

  it("holds a reminder due at 22:00 until 08:00 and shows its original time, once", async () => {
    expect(isQuietTime(at("2026-11-24T21:00:00"), SH, "21:00-08:00")).toBe(true);
    expect(isQuietTime(at("2026-11-25T08:00:00"), SH, "21:00-08:00")).toBe(false);
    const task = await bot.db.prisma.task.create({ data: { ownerId: "lisi", title: "给客户回电话", dueAt: at("2026-11-24T22:00:00") } });
    for (const t of ["2026-11-24T22:00:00", "2026-11-24T23:30:00", "2026-11-25T03:00:00", "2026-11-25T07:59:00"]) {
      expect(await runJob(bot.deps, dueRemindersJob, at(t))).toMatchObject({ ran: true, result: { reminded: 0, deferred: 1 } });
    }
    expect((await bot.db.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).remindedAt).toBeNull();
    expect(await runJob(bot.deps, dueRemindersJob, at("2026-11-25T08:00:00"))).toMatchObject({ ran: true, result: { reminded: 1, failed: 0 } });
    expect(await runJob(bot.deps, dueRemindersJob, at("2026-11-25T08:01:00"))).toMatchObject({ ran: true, result: { reminded: 0 } });
    const rows = await bot.db.prisma.outboxMessage.findMany({ where: { userId: "lisi", kind: "card" } });
    const reminders = rows.map((r) => payloadOf(r.payload).body.card!).filter((c) => c.subtitle === "给客户回电话");
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.title).toBe("跟进提醒（原定 22:00）");
    expect(toLocal((await bot.db.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).remindedAt!, SH)).toMatchObject({ day: 25, hour: 8 });
  });

  it("dry-runs a job: prints who would get what, and changes nothing", async () => {
    const task = await bot.db.prisma.task.create({ data: { ownerId: "zhangsan", customerId, title: "带报价再去", dueAt: at("2026-11-30T10:00:00") } });
    const snapshot = async () => ({
      outbox: await bot.db.prisma.outboxMessage.count(),
      jobRuns: await bot.db.prisma.jobRun.count(),
      audit: await bot.db.prisma.auditLog.count(),
      tasks: (await bot.db.prisma.task.findMany({ orderBy: { id: "asc" } })).map((t) => [t.id, t.status, t.remindedAt?.getTime() ?? null, t.escalatedAt?.getTime() ?? null]),
      pending: await bot.db.prisma.pendingAction.count(),
    });
    const before = await snapshot();

    const reminders = await dryRunJob(bot.deps, dueRemindersJob, at("2026-11-30T10:00:00"));
    // zhangsan's follow-up comes due; lisi's (reminded at 08:00 on the 25th) is overdue past 24 h: wangwu hears of it.
    expect(reminders).toMatchObject({ ran: true, dryRun: true, result: { reminded: 1, escalated: 1, failed: 0 } });
    expect(reminders.messages).toEqual([
      { platform: "playground", recipient: "zhangsan", userId: "zhangsan", kind: "card", summary: "跟进提醒 · 【华东机电有限公司】带报价再去" },
      { platform: "playground", recipient: "wangwu", userId: "wangwu", kind: "card", summary: expect.stringMatching(/^跟进逾期提醒 · 李四/) },
    ]);
    const todo = await dryRunJob(bot.deps, dailyTodoJob, at("2026-11-30T08:00:00"));
    expect(todo.messages.map((m) => m.userId).sort()).toEqual(["lisi", "zhangsan"]);
    const zhangsan = todo.messages.find((m) => m.userId === "zhangsan")!;
    expect(zhangsan.summary).toContain("早上好，今天的待办（2）");
    const lines = formatDryRun("daily-todo", todo);
    expect(lines[0]).toMatch(/^daily-todo 2026-11-30: dry run: would send 2 message\(s\)/);
    expect(lines).toContain(`  → zhangsan (playground:zhangsan) card: ${zhangsan.summary}`);
    expect(formatDryRun("daily-todo", await dryRunJob(bot.deps, dailyTodoJob, at("2026-10-01T08:00:00")))[0]).toBe("daily-todo 2026-10-01: dry run: would skip (not a working day)");

    expect(await snapshot()).toEqual(before);
    expect((await bot.db.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).remindedAt).toBeNull();
    // The real run afterwards is not blocked by the dry one.
    expect(await runJob(bot.deps, dueRemindersJob, at("2026-11-30T10:00:00"))).toMatchObject({ ran: true, result: { reminded: 1, escalated: 1 } });
    expect(await runJob(bot.deps, dailyTodoJob, at("2026-11-30T08:00:00"))).toMatchObject({ ran: true, result: { sent: 2 } });
  });
});
