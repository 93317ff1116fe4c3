// 完成 N / 推迟 N mean the N-th follow-up of the list the person was shown, not of today's list: completing one
// never renumbers what they act on next. A number from no list, or one the list does not have, is refused with the
// list shown again; nothing changes.
import { describe, expect, it } from "vitest";
import { answerCard, answerText, makeCustomer, makeTask } from "../support/customer-fixtures.ts";
import { playgroundBot } from "../support/playground-bot.ts";
import type { PlaygroundClient } from "../support/playground-client.ts";
import { eventually } from "../support/test-bot.ts";

const todoCards = async (pg: PlaygroundClient, userId: string) => (await pg.botItems(userId)).filter((i) => i.type === "card" && i.card.purpose === "todo_list").length;

/** A refusal: its text, once the list shown again after it has arrived too. */
async function refusal(pg: PlaygroundClient, userId: string, text: string): Promise<string> {
  const cards = await todoCards(pg, userId);
  const note = await answerText(pg, userId, text);
  await eventually(async () => (await todoCards(pg, userId)) > cards, "the list shown again");
  return note;
}

describe("to-do numbers are the numbers of the list shown", () => {
  const t = playgroundBot();
  const titles = ["回访一", "回访二", "回访三", "回访四"];

  it("list shows 1..4, 完成 2, then 完成 3 completes what was shown as 3", async () => {
    const c = await makeCustomer(t.db, "华东机电", "zhangsan");
    for (const [i, title] of titles.entries()) await makeTask(t.db, "zhangsan", c.id, title, new Date(Date.UTC(2026, 10, 24 + i, 1)));
    const list = await answerCard(t.pg, "zhangsan", "我的待办");
    expect(list.lines?.map((l) => l.replace(/^(\d+)\..*(回访.)$/, "$1 $2"))).toEqual(["1 回访一", "2 回访二", "3 回访三", "4 回访四"]);

    expect(await answerText(t.pg, "zhangsan", "完成 2")).toBe("已完成：【华东机电】回访二 ✅");
    expect(await answerText(t.pg, "zhangsan", "完成 3")).toBe("已完成：【华东机电】回访三 ✅");
    const open = await t.db.task.findMany({ where: { status: "open" }, orderBy: { dueAt: "asc" } });
    expect(open.map((x) => x.title)).toEqual(["回访一", "回访四"]);
    expect(await answerText(t.pg, "zhangsan", "推迟 4 到明天上午10点")).toMatch(/^已推迟到 .*回访四$/);
  });

  it("a number the shown list no longer holds open is refused, and the list is shown again with new numbers", async () => {
    const before = await t.db.auditLog.count();
    const note = await refusal(t.pg, "zhangsan", "完成 3");
    expect(note).toContain("第 3 项「【华东机电】回访三」已经完成了");
    // The refusal showed the list again (2 items now): its numbers are the ones read next.
    expect(await refusal(t.pg, "zhangsan", "完成 9")).toContain("没有第 9 项（共 2 项）");
    expect(await t.db.auditLog.count()).toBe(before); // nothing changed
    const relisted = await answerCard(t.pg, "zhangsan", "我的待办");
    expect(relisted.lines).toHaveLength(2);
    // The new list's numbers count from now on: 2 is 回访四.
    expect(await answerText(t.pg, "zhangsan", "完成 2")).toBe("已完成：【华东机电】回访四 ✅");
  });

  it("a number from no list is refused with the list shown", async () => {
    const c = await makeCustomer(t.db, "宁波东方轴承", "lisi");
    await makeTask(t.db, "lisi", c.id, "送样品");
    await makeTask(t.db, "lisi", c.id, "催回款", new Date("2026-11-26T01:00:00Z"));
    expect(await refusal(t.pg, "lisi", "完成 1")).toContain("没有发给你的列表");
    expect(await t.db.task.count({ where: { ownerId: "lisi", status: "open" } })).toBe(2);
    // Now that a list was shown, its numbers work.
    expect(await answerText(t.pg, "lisi", "完成 1")).toBe("已完成：【宁波东方轴承】送样品 ✅");
  });
});
