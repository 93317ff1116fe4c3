// The warehouse's to-do: 我的待办 and the morning card list the dispatch notices still open (oldest first, what
// remains, problems marked) until they are fully shipped; a warehouse person with no follow-ups still gets the
// morning card while any is open, and none once all are shipped. Reps' lists stay their own.
import { describe, expect, it } from "vitest";
import { dailyTodoJob } from "../../jobs/daily-todo.job.ts";
import { runJob } from "../../jobs/scheduler.ts";
import type { Card } from "../../src/core/card.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const texts = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));
const waitText = (t: PlaygroundBot, u: string, re: RegExp) => eventually(async () => (await texts(t, u)).find((x) => re.test(x)), `a text ${re} for ${u}`);
const todoCards = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "card" && i.card.purpose === "todo_list" ? [i.card] : []));
const nthTodo = (t: PlaygroundBot, u: string, n: number) => eventually(async () => (await todoCards(t, u))[n - 1], `to-do card #${n} for ${u}`);

async function dispatchedOrder(t: PlaygroundBot, customer: string, items: string): Promise<string> {
  const c = await t.db.customer.create({ data: { name: customer, normalizedName: normalizeCompanyName(customer), ownerId: "zhangsan", aliases: [], tags: [], address: "上海市浦东新区张江路1号" } });
  await t.db.contact.create({ data: { customerId: c.id, name: "王经理", phone: "13800000000" } }); // the notice needs a delivery contact
  await t.pg.say("zhangsan", `下单 ${customer} ${items}`);
  return eventually(async () => (await t.db.order.findFirst({ where: { customerId: c.id, status: "dispatched" } }))?.number, `${customer}'s order dispatched`);
}

describe("the warehouse's to-do", () => {
  const t = playgroundBot();
  let a = "";
  let b = "";

  it("我的待办 lists open notices oldest first, with what remains and problems marked; never a price", async () => {
    await t.pg.say("chenqi", "我的待办");
    const empty = await nthTodo(t, "chenqi", 1);
    expect(empty.title).toBe("没有待办事项");
    expect(empty.lines).toEqual(["全部处理完了 👍 新的发货通知会出现在这里。"]);

    a = await dispatchedOrder(t, "华东机电有限公司", "电机A 50台 单价5000 变频器 10台 单价3200");
    b = await dispatchedOrder(t, "华南电气有限公司", "电缆 20卷 单价600");
    await t.db.order.update({ where: { number: b }, data: { dispatchedAt: at("2026-11-23T09:00:00") } }); // b's notice went out first
    await t.pg.say("chenqi", `发货 ${a} 电机A 30台 德邦 DPK3001234567`);
    await waitText(t, "zhangsan", new RegExp(`${a}.*已发货：电机A 30台`));
    await t.pg.say("chenqi", `${b} 缺货 电缆下周到`);
    await waitText(t, "zhangsan", new RegExp(`${b}.*发货有问题`));

    await t.pg.say("chenqi", "待办");
    const card = await nthTodo(t, "chenqi", 2);
    expect(card.title).toBe("待发货（2）");
    expect(card.tone).toBe("warning");
    expect(card.lines).toEqual([
      "待发货（2，其中 1 个有问题），最早的在前：",
      `· ⚠️${b} 华南电气有限公司：还剩 电缆 20卷，11月23日 周一 09:00通知（问题：缺货 电缆下周到）`,
      `· ${a} 华东机电有限公司：还剩 电机A 20台、变频器 10台，11月23日 周一 10:00通知`,
    ]);
    expect(card.textCommands).toEqual([`发货 ${a} 承运商 单号`, `${a} 有问题 原因`]);
    expect(JSON.stringify(card)).not.toMatch(/¥|5000|5,000|3200|单价|折/);
  });

  it("a rep's list stays their own: no dispatch section", async () => {
    await t.pg.say("zhangsan", "我的待办");
    const card = await eventually(async () => (await todoCards(t, "zhangsan")).at(-1), "the rep's to-do card");
    expect(card.title).toBe("没有待办事项");
    expect(JSON.stringify(card)).not.toContain(a);
  });

  it("the morning card reaches a warehouse person with no follow-ups while notices are open, once", async () => {
    const r = await runJob(t.bot.deps, dailyTodoJob, at("2026-11-24T08:00:00"));
    expect(r.result).toMatchObject({ sent: 1, failed: 0 }); // 陈七 only: nobody else has anything due
    const card: Card = await nthTodo(t, "chenqi", 3);
    expect(card.title).toBe("早上好，待发货（2）");
    expect(card.lines?.[1]).toContain(`⚠️${b}`);
    expect((await runJob(t.bot.deps, dailyTodoJob, at("2026-11-24T08:10:00"))).ran).toBe(false);
  });

  it("a notice fully shipped leaves the list; with none open, no morning card", async () => {
    await t.pg.say("chenqi", `发货 ${a} 顺丰 SF1234567890123`);
    await waitText(t, "zhangsan", new RegExp(`${a}.*已全部发出`));
    await t.pg.say("chenqi", "我的待办");
    const card = await nthTodo(t, "chenqi", 4);
    expect(card.title).toBe("待发货（1）");
    expect(card.lines?.join("\n")).not.toContain(a);

    await t.pg.say("chenqi", `发货 ${b} 顺丰 SF1234567890124`);
    await waitText(t, "zhangsan", new RegExp(`${b}.*已全部发出`));
    expect((await runJob(t.bot.deps, dailyTodoJob, at("2026-11-25T08:00:00"))).result).toMatchObject({ sent: 0, nothing: 6, failed: 0 });
  });
});
