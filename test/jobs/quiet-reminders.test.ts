// Quiet hours (rules.quietHours, default 21:00–08:00) hold the non-urgent reminders of approvals and dispatch
// notices as they hold follow-up reminders: nothing is claimed or sent inside them, the first run after they end
// sends the reminder once, naming when it was due (原定 22:00). The clock is injected (runJob at chosen moments).
import { describe, expect, it } from "vitest";
import { approvalRemindersJob } from "../../jobs/approval-reminders.job.ts";
import { dispatchRemindersJob } from "../../jobs/dispatch-reminders.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { heldSinceNote, holdForQuietHours, workingDeadline } from "../../src/core/working-time.ts";
import type { AppDeps } from "../../src/handlers/engine/app-deps.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const SH = "Asia/Shanghai";
const texts = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));

describe("quiet hours for approval and dispatch reminders", () => {
  const t = playgroundBot();

  it("says when a held reminder was due, and finds when N working hours were reached", () => {
    expect(holdForQuietHours(at("2026-11-24T21:00:00"), SH, "21:00-08:00")).toBe(true);
    expect(holdForQuietHours(at("2026-11-25T08:00:00"), SH, "21:00-08:00")).toBe(false);
    expect(holdForQuietHours(at("2026-11-24T23:00:00"), SH, undefined)).toBe(false);
    expect(heldSinceNote(at("2026-11-24T22:00:00"), SH, "21:00-08:00")).toBe("原定 22:00");
    expect(heldSinceNote(at("2026-11-24T20:59:00"), SH, "21:00-08:00")).toBeNull();
    // 4 working hours (09:00–18:00) from Monday 16:00: Tuesday 11:00.
    expect(workingDeadline(at("2026-11-23T16:00:00"), 4, at("2026-11-25T00:00:00"), SH)).toEqual(at("2026-11-24T11:00:00"));
  });

  it("holds an approval reminder due at 22:00 until 08:00, then sends it once with its original time", async () => {
    await t.db.customer.create({ data: { name: "华东机电有限公司", normalizedName: normalizeCompanyName("华东机电有限公司"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
    await t.pg.say("zhangsan", "下单 华东机电 PLC控制器 2套 单价10800");
    const step = await eventually(() => t.db.approvalStep.findFirst({ where: { approverId: "wangwu", status: "pending" }, include: { approval: { include: { order: true } } } }), "a step waiting for wangwu");
    const number = step.approval.order.number;
    // Its turn began Monday 22:00: rules.approval.remindAfterHours (24) later is Tuesday 22:00, inside quiet hours.
    await t.db.approvalStep.update({ where: { id: step.id }, data: { activatedAt: at("2026-11-23T22:00:00") } });
    for (const moment of ["2026-11-24T22:00:00", "2026-11-25T03:00:00", "2026-11-25T07:55:00"]) {
      expect((await runJob(t.bot.deps, approvalRemindersJob, at(moment))).result).toMatchObject({ reminded: 0, escalated: 0, quietHours: 1 });
    }
    expect((await t.db.approvalStep.findUniqueOrThrow({ where: { id: step.id } })).remindedAt).toBeNull();
    expect((await runJob(t.bot.deps, approvalRemindersJob, at("2026-11-25T08:00:00"))).result).toMatchObject({ reminded: 1, escalated: 0, failed: 0 });
    expect((await runJob(t.bot.deps, approvalRemindersJob, at("2026-11-25T08:05:00"))).result).toMatchObject({ reminded: 0 });
    const reminders = await eventually(async () => {
      const found = (await texts(t, "wangwu")).filter((x) => x.includes(`${number}`) && x.startsWith("提醒"));
      return found.length ? found : undefined;
    }, "wangwu's approval reminder");
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatch(new RegExp(`^提醒（原定 22:00）：${number}（华东机电有限公司`));
  });

  it("holds a dispatch reminder that came due in quiet hours (working hours till 22:00) until they end", async () => {
    // A company whose warehouse works 08:00–22:00: quiet hours cut the evening short.
    const deps: AppDeps = { ...t.bot.deps, rules: { ...t.bot.deps.rules, workingHours: { start: "08:00", end: "22:00" } } };
    const c = await t.db.customer.create({ data: { name: "华南电气有限公司", normalizedName: normalizeCompanyName("华南电气有限公司"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
    await t.db.contact.create({ data: { customerId: c.id, name: "王经理", phone: "13800000000" } });
    await t.pg.say("zhangsan", "下单 华南电气 电机A 10台 单价5000");
    const order = await eventually(() => t.db.order.findFirst({ where: { customerId: c.id, status: "dispatched" } }), "the order dispatched");
    // Notified Monday 17:30: 4 working hours later is 21:30, inside quiet hours.
    await t.db.order.update({ where: { id: order.id }, data: { dispatchedAt: at("2026-11-23T17:30:00") } });
    expect((await runJob(deps, dispatchRemindersJob, at("2026-11-23T21:20:00"))).result).toMatchObject({ reminded: 0, quietHours: 1 });
    expect((await runJob(deps, dispatchRemindersJob, at("2026-11-23T21:45:00"))).result).toMatchObject({ reminded: 0, quietHours: 1 });
    expect((await t.db.order.findUniqueOrThrow({ where: { id: order.id } })).noticeRemindedAt).toBeNull();
    expect((await runJob(deps, dispatchRemindersJob, at("2026-11-24T08:00:00"))).result).toMatchObject({ reminded: 1, failed: 0 });
    expect((await runJob(deps, dispatchRemindersJob, at("2026-11-24T08:05:00"))).result).toMatchObject({ reminded: 0 });
    const text = await eventually(async () => (await texts(t, "chenqi")).find((x) => x.includes(order.number) && x.startsWith("提醒")), "the warehouse's reminder");
    expect(text).toMatch(new RegExp(`^提醒（原定 21:30）：${order.number}（华南电气有限公司）已通知仓库 \\d+ 个工作小时还未发货`));
  });
});
