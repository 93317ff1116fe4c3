// A name the team reader took for a colleague's is checked against the directory: a colleague with any name is
// answered (晓东的客户, though 晓 is no family name), a word that is no one's name and no colleague's (重点的客户)
// gets the not-understood answer instead of 没有找到叫「重点」的同事, and group words (咱们部门) are the team, never
// a person. Through the playground's HTTP API, as 王五 (a manager).
import { beforeAll, describe, expect, it } from "vitest";
import type { Card } from "../../src/core/card.ts";
import { playgroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

describe("names in the managers' questions", () => {
  const t = playgroundBot();

  beforeAll(async () => {
    await t.db.user.create({ data: { id: "xiaodong", name: "晓东", roles: ["rep"], managerId: "wangwu" } });
    await t.db.customer.create({ data: { name: "晓东的客户甲", normalizedName: "晓东的客户甲", ownerId: "xiaodong", createdById: "xiaodong", stage: "lead", aliases: [], tags: [] } });
  });

  /** Says something and waits for the first thing the bot answers. */
  async function answer(u: string, text: string): Promise<{ card?: Card; text?: string }> {
    const before = (await t.pg.botItems(u)).length;
    await t.pg.say(u, text);
    const item = await eventually(async () => (await t.pg.botItems(u))[before], `an answer for ${u} after 「${text}」`);
    return item.type === "card" ? { card: item.card } : item.type === "text" ? { text: item.text } : {};
  }
  const flat = (a: { card?: Card; text?: string }) => a.text ?? JSON.stringify(a.card);

  it("lists a colleague's customers whatever their name looks like", async () => {
    expect(flat(await answer("wangwu", "晓东的客户"))).toContain("晓东的客户甲");
  });

  it("does not answer 找不到 for a word that names no one", async () => {
    const a = flat(await answer("wangwu", "重点的客户"));
    expect(a).not.toContain("没有找到");
    expect(a).not.toContain("同事");
  });

  it("reads 咱们部门 as the team, not a person", async () => {
    const a = flat(await answer("wangwu", "咱们部门手上客户都有谁啊"));
    expect(a).not.toContain("咱们部门");
    expect(a).toContain("晓东的客户甲");
  });
});
