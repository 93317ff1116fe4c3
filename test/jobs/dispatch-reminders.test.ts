// A dispatch notice the warehouse has not acted on reminds everyone with the warehouse role once it has waited
// rules.dispatch.remindAfterHours (4) working hours — China's official calendar, 09:00–18:00 — and only during
// working hours; never after a shipment or while a problem is open; a re-run sends nothing twice. The clock is
// injected: orders are placed at the fixture's Monday 2026-11-23 10:00, and the job is run at chosen moments.
import { describe, expect, it } from "vitest";
import { dispatchRemindersJob } from "../../jobs/dispatch-reminders.job.ts";
import { ALL_JOBS } from "../../jobs/index.ts";
import { runJob } from "../../jobs/scheduler.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { demoOrgWith } from "../support/demo-org.ts";
import { eventually } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const texts = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));
const reminders = async (t: PlaygroundBot) => (await texts(t, "chenqi")).filter((x) => x.startsWith("提醒："));
const waitText = (t: PlaygroundBot, u: string, re: RegExp) => eventually(async () => (await texts(t, u)).find((x) => re.test(x)), `a text ${re} for ${u}`);

/** An order within the rep's authority, placed through the playground: dispatched at once (at the bot's clock). */
async function dispatchedOrder(t: PlaygroundBot, customer: string): Promise<string> {
  const c = await t.db.customer.create({ data: { name: customer, normalizedName: normalizeCompanyName(customer), ownerId: "zhangsan", aliases: [], tags: [], address: "上海市浦东新区张江路1号" } });
  await t.db.contact.create({ data: { customerId: c.id, name: "王经理", phone: "13800000000" } }); // the notice needs a delivery contact
  await t.pg.say("zhangsan", `下单 ${customer} 电机A 10台 单价5000`);
  return eventually(async () => {
    const o = await t.db.order.findFirst({ where: { customerId: c.id, status: "dispatched" } });
    return o?.number;
  }, `${customer}'s order dispatched`);
}

describe("dispatch reminders", () => {
  const t = playgroundBot();
  const run = (local: string) => runJob(t.bot.deps, dispatchRemindersJob, at(local));
  let a = "";
  let b = "";
  let c = "";

  it("is registered, every five minutes", () => {
    expect(ALL_JOBS).toContain(dispatchRemindersJob);
    expect(dispatchRemindersJob.schedule(t.bot.deps)).toBe("*/5 * * * *");
  });

  it("counts working hours over a holiday: nothing on 国庆, the reminder after 4 working hours", async () => {
    b = await dispatchedOrder(t, "国庆机电有限公司");
    // This notice went out on Wednesday 09-30 at 16:00: two working hours that day, then the National Day week.
    await t.db.order.update({ where: { number: b }, data: { dispatchedAt: at("2026-09-30T16:00:00") } });
    expect((await run("2026-10-02T10:00:00")).result).toMatchObject({ reminded: 0, outsideWorkingHours: 1 }); // a holiday
    expect((await run("2026-10-08T10:30:00")).result).toMatchObject({ reminded: 0, outsideWorkingHours: 0 }); // 3.5 working hours
    expect((await run("2026-10-08T11:00:00")).result).toMatchObject({ reminded: 1, failed: 0 });
    const text = await waitText(t, "chenqi", new RegExp(`^提醒：${b}`));
    expect(text).toBe(`提醒：${b}（国庆机电有限公司）已通知仓库 4 个工作小时还未发货。回复「发货 ${b} 承运商 单号」或「${b} 有问题 原因」。`);
    expect(text).not.toMatch(/¥|5000|5,000/);
    // Shipped: never reminded again.
    await t.pg.say("chenqi", `发货 ${b} 顺丰 SF1234567890123`);
    await waitText(t, "zhangsan", new RegExp(`${b}.*已发货`));
    expect((await run("2026-10-09T17:00:00")).result).toMatchObject({ reminded: 0 });
  });

  it("reminds after 4 working hours, once, never with an open problem, during working hours only", async () => {
    a = await dispatchedOrder(t, "华东机电有限公司"); // Monday 10:00
    c = await dispatchedOrder(t, "华南电气有限公司");
    await t.pg.say("chenqi", `${c} 缺货 电机A下周到`);
    await waitText(t, "zhangsan", new RegExp(`${c}.*发货有问题`));

    expect((await run("2026-11-23T13:55:00")).result).toMatchObject({ reminded: 0 });
    expect((await run("2026-11-23T14:00:00")).result).toMatchObject({ reminded: 1, failed: 0 }); // a only: c has a problem
    expect((await run("2026-11-23T14:00:30")).ran).toBe(false); // the same period: one run across instances
    expect((await run("2026-11-23T14:05:00")).result).toMatchObject({ reminded: 0 }); // reminded already
    expect((await run("2026-11-23T17:55:00")).result).toMatchObject({ reminded: 0 }); // 3.9 working hours since
    expect((await run("2026-11-23T20:00:00")).result).toMatchObject({ reminded: 0, outsideWorkingHours: 1 });
    expect((await run("2026-11-24T08:30:00")).result).toMatchObject({ reminded: 0, outsideWorkingHours: 1 });
    await eventually(async () => (await reminders(t)).length === 2 || undefined, "two reminders so far");
    expect((await reminders(t))[1]).toContain(`提醒：${a}（华东机电有限公司）已通知仓库 4 个工作小时还未发货`);
    expect(await reminders(t)).not.toContainEqual(expect.stringContaining(c));
    expect(await t.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "dispatch-reminder:" } } })).toBe(2);
  });

  it("reminds again after as many working hours more, until handled; a resumed notice is due again", async () => {
    // Tuesday 09:00 is 4 working hours after Monday's 14:00 reminder (the evening and night do not count).
    expect((await run("2026-11-24T09:00:00")).result).toMatchObject({ reminded: 1 });
    await eventually(async () => (await reminders(t)).length === 3 || undefined, "the third reminder");
    expect((await reminders(t))[2]).toContain(`提醒：${a}（华东机电有限公司）已通知仓库 8 个工作小时还未发货`);

    await t.pg.say("chenqi", `恢复 ${c}`);
    await waitText(t, "zhangsan", new RegExp(`${c} 的发货问题已解决`));
    await t.pg.say("chenqi", `发货 ${a} 电机A 4台 德邦 DPK3001234567`); // partial: a is being handled
    await waitText(t, "zhangsan", new RegExp(`${a}.*已发货：电机A 4台`));

    expect((await run("2026-11-24T09:10:00")).result).toMatchObject({ reminded: 1 }); // c only
    await eventually(async () => (await reminders(t)).length === 4 || undefined, "the fourth reminder");
    expect((await reminders(t))[3]).toContain(`提醒：${c}（华南电气有限公司）`);
    expect((await run("2026-11-25T15:00:00")).result).toMatchObject({ reminded: 1 }); // c again, never a
    expect(await t.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "dispatch-reminder:" } } })).toBe(5);
    expect(await t.db.outboxMessage.count({ where: { dedupeKey: { startsWith: "dispatch-reminder:" }, userId: { not: "chenqi" } } })).toBe(0);
  });
});

describe("dispatch reminders on a company's own holiday (calendar.extraHolidays)", () => {
  const t = playgroundBot(() => ({ ORG_FILE: demoOrgWith([], "\ncalendar:\n  extraHolidays: [2026-11-23]\n") }));
  const run = (local: string) => runJob(t.bot.deps, dispatchRemindersJob, at(local));

  it("counts no working hours on the company's day off: the reminder comes 4 hours into the next working day", async () => {
    const n = await dispatchedOrder(t, "华东机电有限公司"); // Monday 2026-11-23 10:00, the company's day off
    expect((await run("2026-11-23T15:00:00")).result).toMatchObject({ reminded: 0, outsideWorkingHours: 1 });
    expect((await run("2026-11-24T12:00:00")).result).toMatchObject({ reminded: 0, outsideWorkingHours: 0 }); // 3 working hours
    expect((await run("2026-11-24T13:00:00")).result).toMatchObject({ reminded: 1 });
    expect(await waitText(t, "chenqi", new RegExp(`^提醒：${n}.*4 个工作小时`))).toBeTruthy();
  });
});
