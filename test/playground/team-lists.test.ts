// The managers' lists through the playground's HTTP API: 我的客户, 团队客户, 客户列表 阶段=报价, 超过N天没跟进的客户,
// 团队待办, 张三的待办, 逾期跟进, 李四本周业绩, each scoped by role (rep: own; manager: themselves and everyone
// below, all levels; director and admin: everyone; warehouse: refused), at most 10 rows a card with 下一页 (button
// and typed) continuing the list that card showed, refused on someone else's card or after it expired.
// The test clock is Monday 2026-11-23 10:00 Asia/Shanghai.
import { beforeAll, describe, expect, it } from "vitest";
import type { Card } from "../../src/core/card.ts";
import type { ManualClock } from "../../src/core/clock.ts";
import type { CustomerLevel, CustomerStage } from "../../src/generated/prisma/client.ts";
import { playgroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const at = (local: string) => new Date(`${local}+08:00`);
const NOW = at("2026-11-23T10:00:00");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const pad = (n: number) => String(n).padStart(2, "0");

describe("managers' lists", () => {
  const t = playgroundBot();

  beforeAll(async () => {
    const db = t.db;
    // Below 王五 two levels down (小马 reports to 李四), and 孙八 outside 王五's team (reports to 赵六).
    await db.user.create({ data: { id: "xiaoma", name: "小马", roles: ["rep"], managerId: "lisi" } });
    await db.user.create({ data: { id: "sunba", name: "孙八", roles: ["rep"], managerId: "zhaoliu" } });

    const customer = async (name: string, ownerId: string | null, createdAt: Date, stage: CustomerStage, level: CustomerLevel | null = null, deletedAt: Date | null = null) =>
      (await db.customer.create({ data: { name, normalizedName: name, ownerId, createdById: ownerId, createdAt, stage, level, deletedAt, aliases: [], tags: [] } })).id;
    const stages: CustomerStage[] = ["proposal", "contacted", "lead"];
    const zs: string[] = [];
    for (let i = 0; i < 12; i++) zs.push(await customer(`张三客户${pad(i + 1)}`, "zhangsan", ago(i + 1), stages[i % 3]!, i % 2 === 0 ? "A" : null));
    await customer("李四客户A", "lisi", ago(20), "proposal", "A");
    const lisiB = await customer("李四客户B", "lisi", ago(40), "won", "B");
    await customer("小马客户", "xiaoma", ago(8.5), "proposal", "C");
    await customer("王五客户", "wangwu", ago(5.5), "negotiation");
    await customer("孙八客户", "sunba", ago(30), "proposal");
    await customer("公海客户", null, ago(50), "proposal");
    await customer("已撤销客户", "zhangsan", ago(60), "proposal", null, ago(59));

    const visit = (userId: string, customerId: string, occurredAt: Date) =>
      db.activity.create({ data: { userId, customerId, kind: "visit", occurredAt, summary: "s", rawText: "r" } });
    await visit("lisi", lisiB, at("2026-11-23T09:00:00"));
    await visit("lisi", lisiB, at("2026-11-23T08:00:00"));
    await visit("zhangsan", zs[0]!, at("2026-11-23T08:30:00"));

    const task = (ownerId: string, title: string, dueAt: Date, extra: { status?: "done"; snoozedUntil?: Date; customerId?: string } = {}) =>
      db.task.create({ data: { ownerId, title, dueAt, ...extra } });
    await task("zhangsan", "送报价", at("2026-11-20T10:00:00"), { customerId: zs[2]! });
    await task("zhangsan", "回访", at("2026-11-22T10:00:00"));
    await task("zhangsan", "签合同", at("2026-11-25T09:00:00"));
    await task("zhangsan", "已完成的", at("2026-11-10T09:00:00"), { status: "done" });
    await task("lisi", "催款", at("2026-11-13T10:00:00"));
    await task("lisi", "寄样品", at("2026-11-24T11:00:00"));
    await task("lisi", "推迟的", at("2026-11-20T12:00:00"), { snoozedUntil: at("2026-11-26T09:00:00") });
    await task("xiaoma", "电话回访", at("2026-11-21T10:00:00"));
    await task("wangwu", "大客户拜访", at("2026-11-19T10:00:00"));
    for (let i = 0; i < 4; i++) await task("wangwu", `周会${i + 1}`, at(`2026-11-${24 + i}T15:00:00`));
    await task("sunba", "孙八的跟进", at("2026-11-18T10:00:00"));
  });

  const botItems = (u: string) => t.pg.botItems(u);
  const cardsOf = async (u: string) => (await botItems(u)).flatMap((i) => (i.type === "card" ? [i.card] : []));
  const textsOf = async (u: string) => (await botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));

  /** Says something and waits for the card it answers with. */
  async function card(u: string, text: string): Promise<Card> {
    const before = (await cardsOf(u)).length;
    await t.pg.say(u, text);
    return eventually(async () => (await cardsOf(u))[before], `a card for ${u} after 「${text}」`);
  }
  /** Says something and waits for the text it answers with. */
  async function reply(u: string, text: string): Promise<string> {
    const before = (await textsOf(u)).length;
    await t.pg.say(u, text);
    return eventually(async () => (await textsOf(u))[before], `a text for ${u} after 「${text}」`);
  }
  async function click(u: string, c: Card, label: string): Promise<{ card?: Card; text?: string }> {
    const [cards, texts] = [(await cardsOf(u)).length, (await textsOf(u)).length];
    await t.pg.click(u, c, label);
    return eventually(async () => {
      const newCard = (await cardsOf(u))[cards];
      const newText = (await textsOf(u))[texts];
      return newCard ? { card: newCard } : newText ? { text: newText } : undefined;
    }, `an answer to ${label} for ${u}`);
  }
  const names = (c: Card) => (c.lines ?? []).filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, "").split("｜")[0]);

  it("pages a rep's own customers, the longest without a follow-up first, with 下一页 as button and as text", async () => {
    const first = await card("zhangsan", "我的客户");
    expect(first.purpose).toBe("team_list");
    expect(first.title).toBe("我的客户 · 张三");
    expect(first.subtitle).toBe("共 12 条，第 1–10 条");
    expect(names(first)).toEqual(["张三客户12", "张三客户11", "张三客户10", "张三客户09", "张三客户08", "张三客户07", "张三客户06", "张三客户05", "张三客户04", "张三客户03"]);
    expect(first.lines![0]).toBe("1. 张三客户12｜12天未跟进｜线索｜未分级｜张三");
    expect(first.lines![2]).toBe("3. 张三客户10｜10天未跟进｜方案报价｜未分级｜张三");
    expect(first.lines![3]).toBe("4. 张三客户09｜9天未跟进｜线索｜A级｜张三");
    expect(first.buttons.map((b) => b.label)).toEqual(["下一页"]);
    expect(first.textCommands).toEqual(["下一页"]);

    const next = await click("zhangsan", first, "下一页");
    expect(next.card!.subtitle).toBe("共 12 条，第 11–12 条");
    expect(next.card!.lines).toEqual(["11. 张三客户02｜2天未跟进｜已接触｜未分级｜张三", "12. 张三客户01｜今天跟进过｜方案报价｜A级｜张三"]);
    expect(next.card!.buttons).toEqual([]);
    // The page shown is spent: its button is gone, and a second press changes nothing.
    const spent = (await cardsOf("zhangsan")).find((c) => c.ref === first.ref)!;
    expect(spent.buttons).toEqual([]);
    expect(spent.status?.text).toBe("已显示下一页");
    expect((await click("zhangsan", first, "下一页").catch(() => ({ text: "no button" }))).text).toBeDefined();
    expect(await reply("zhangsan", "下一页")).toBe("已经是最后一页了。");

    // Typed 下一页 continues the list the person was shown last.
    await card("zhangsan", "我的客户");
    const typed = await card("zhangsan", "下一页");
    expect(typed.subtitle).toBe("共 12 条，第 11–12 条");
  });

  it("shows a rep only their own customers for 团队客户, and a manager everyone below them, all levels", async () => {
    const rep = await card("zhangsan", "团队客户");
    expect(rep.title).toBe("团队客户 · 张三（自己的）");
    expect(rep.subtitle).toBe("共 12 条，第 1–10 条");

    const mgr = await card("wangwu", "团队的客户");
    expect(mgr.title).toBe("团队客户 · 王五团队");
    expect(mgr.subtitle).toBe("共 16 条，第 1–10 条"); // 张三 12, 李四 2, 小马 1 (below 李四), 王五 1; not 孙八's, the pool's or a deleted one
    expect(names(mgr)).toEqual(["李四客户A", "张三客户12", "张三客户11", "张三客户10", "张三客户09", "小马客户", "张三客户08", "张三客户07", "张三客户06", "王五客户"]);
    expect(mgr.lines![0]).toBe("1. 李四客户A｜20天未跟进｜方案报价｜A级｜李四");
    expect(mgr.lines![5]).toBe("6. 小马客户｜8天未跟进｜方案报价｜C级｜小马");
    expect(mgr.lines![9]).toBe("10. 王五客户｜5天未跟进｜商务谈判｜未分级｜王五");
    const page2 = (await click("wangwu", mgr, "下一页")).card!;
    expect(names(page2)).toEqual(["张三客户05", "张三客户04", "张三客户03", "张三客户02", "张三客户01", "李四客户B"]);
    expect(page2.lines![5]).toBe("16. 李四客户B｜今天跟进过｜成交｜B级｜李四");

    const mine = await card("wangwu", "我的客户");
    expect(names(mine)).toEqual(["王五客户"]);
  });

  it("shows one colleague's customers to those who may see them, paged", async () => {
    const mgr = await card("wangwu", "张三的客户");
    expect(mgr.title).toBe("张三的客户");
    expect(mgr.subtitle).toBe("共 12 条，第 1–10 条");
    expect(names(mgr)).toEqual(["张三客户12", "张三客户11", "张三客户10", "张三客户09", "张三客户08", "张三客户07", "张三客户06", "张三客户05", "张三客户04", "张三客户03"]);
    expect(names((await click("wangwu", mgr, "下一页")).card!)).toEqual(["张三客户02", "张三客户01"]);
    expect(names(await card("wangwu", "看下小马的客户"))).toEqual(["小马客户"]); // two levels down
    expect((await card("wangwu", "李四 的客户有哪些")).subtitle).toBe("共 2 条，第 1–2 条");
    expect((await card("zhangsan", "张三的客户")).subtitle).toBe("共 12 条，第 1–10 条"); // one's own
    expect(names(await card("zhaoliu", "孙八的客户"))).toEqual(["孙八客户"]);

    expect(await reply("lisi", "张三的客户")).toBe("张三不在你的团队里，不能查看张三的客户。你可以发送「我的客户」查看自己的。");
    expect(await reply("wangwu", "孙八的客户")).toContain("孙八不在你的团队里，不能查看孙八的客户。");
    expect(await reply("wangwu", "钱九的客户")).toBe("没有找到叫「钱九」的同事。查看自己的客户请发送「我的客户」。查看客户资料请发送「客户 钱九」。");
    // A stage or the team is not a person: those lists as before.
    expect((await card("wangwu", "报价的客户")).title).toContain("报价阶段的客户");
    expect((await card("wangwu", "团队的客户")).title).toBe("团队客户 · 王五团队");
  });

  it("shows a director and an admin everyone's customers", async () => {
    for (const u of ["zhaoliu", "admin"]) {
      const c = await card(u, "团队客户");
      expect(c.title).toBe("团队客户 · 全公司");
      expect(c.subtitle).toBe("共 17 条，第 1–10 条");
      expect(c.lines![0]).toBe("1. 孙八客户｜30天未跟进｜方案报价｜未分级｜孙八");
    }
  });

  it("filters by stage, in the card's words or the everyday ones", async () => {
    const mgr = await card("wangwu", "客户列表 阶段=报价");
    expect(mgr.title).toBe("方案报价阶段的客户 · 王五团队");
    expect(names(mgr)).toEqual(["李四客户A", "张三客户10", "小马客户", "张三客户07", "张三客户04", "张三客户01"]);
    expect(mgr.buttons).toEqual([]);
    expect(names(await card("wangwu", "报价阶段的客户"))).toHaveLength(6);
    expect(names(await card("zhaoliu", "客户列表 阶段：方案报价"))).toHaveLength(7); // 孙八's too
    expect(names(await card("zhangsan", "客户列表阶段=报价"))).toEqual(["张三客户10", "张三客户07", "张三客户04", "张三客户01"]);
    expect(names(await card("wangwu", "客户列表 阶段=谈判"))).toEqual(["王五客户"]);
    expect(names(await card("lisi", "成交的客户"))).toEqual(["李四客户B"]);
    const none = await card("lisi", "客户列表 阶段=丢单");
    expect(none.lines).toEqual(["没有处于「输单」阶段的客户。"]);
    expect(await reply("wangwu", "客户列表 阶段=随便")).toContain("没有「随便」这个阶段");
  });

  it("lists customers idle for more than N days (exactly N is not more)", async () => {
    const mgr = await card("wangwu", "超过7天没跟进的客户");
    expect(mgr.title).toBe("超过7天没跟进的客户 · 王五团队");
    expect(names(mgr)).toEqual(["李四客户A", "张三客户12", "张三客户11", "张三客户10", "张三客户09", "小马客户", "张三客户08"]);
    expect(names(await card("wangwu", "超过十天没有跟进的客户"))).toEqual(["李四客户A", "张三客户12", "张三客户11"]);
    expect(names(await card("zhangsan", "超过7天没跟进的客户"))).toEqual(["张三客户12", "张三客户11", "张三客户10", "张三客户09", "张三客户08"]);
    expect(names(await card("admin", "25天没跟进的客户"))).toEqual(["孙八客户"]);
    expect((await card("lisi", "超过30天没跟进的客户")).lines).toEqual(["没有超过30天没跟进的客户。"]);
  });

  it("lists the team's open follow-ups, soonest first, paged", async () => {
    const mgr = await card("wangwu", "团队待办");
    expect(mgr.title).toBe("团队待办 · 王五团队");
    expect(mgr.subtitle).toBe("共 12 条，第 1–10 条"); // 张三 3, 李四 3 (one snoozed), 小马 1, 王五 5; not done ones, not 孙八's
    expect(mgr.lines![0]).toBe("1. 李四｜11月13日 周五 10:00（逾期10天）｜催款");
    expect(mgr.lines![2]).toBe("3. 张三｜11月20日 周五 10:00（逾期3天）｜张三客户03 送报价");
    expect(mgr.tone).toBe("warning");
    const page2 = await card("wangwu", "下一页");
    expect(page2.subtitle).toBe("共 12 条，第 11–12 条");
    expect(page2.lines).toEqual(["11. 王五｜11月26日 周四 15:00｜周会3", "12. 王五｜11月27日 周五 15:00｜周会4"]);
    expect(mgr.lines![9]).toBe("10. 李四｜11月26日 周四 09:00｜推迟的"); // snoozed: its new time counts

    expect((await card("wangwu", "我团队待办")).subtitle).toBe("共 12 条，第 1–10 条");
    const rep = await card("zhangsan", "团队待办");
    expect(rep.title).toBe("团队待办 · 张三（自己的）");
    expect(rep.subtitle).toBe("共 3 条，第 1–3 条");
    expect((await card("zhaoliu", "团队待办")).subtitle).toBe("共 13 条，第 1–10 条");
  });

  it("shows one person's to-dos only to those who may see them", async () => {
    const mgr = await card("wangwu", "张三的待办");
    expect(mgr.title).toBe("张三的待办");
    expect(mgr.lines).toEqual(["1. 11月20日 周五 10:00（逾期3天）｜张三客户03 送报价", "2. 11月22日 周日 10:00（逾期1天）｜回访", "3. 11月25日 周三 09:00｜签合同"]);
    expect((await card("wangwu", "张三待办")).title).toBe("张三的待办");
    expect((await card("wangwu", "小马的待办")).lines).toEqual(["1. 11月21日 周六 10:00（逾期2天）｜电话回访"]); // two levels down
    expect((await card("zhangsan", "张三的待办")).title).toBe("张三的待办"); // one's own
    expect((await card("zhaoliu", "孙八的待办")).title).toBe("孙八的待办");
    expect((await card("admin", "看下王五的待办")).subtitle).toBe("共 5 条，第 1–5 条");

    expect(await reply("lisi", "张三的待办")).toBe("张三不在你的团队里，不能查看张三的待办。你可以发送「我的待办」查看自己的。");
    expect(await reply("wangwu", "孙八的待办")).toBe("孙八不在你的团队里，不能查看孙八的待办。你可以查看自己和团队成员的待办，例如「团队待办」「逾期跟进」。");
    expect(await reply("zhangsan", "王五的待办")).toContain("王五不在你的团队里");
    expect(await reply("wangwu", "钱九的待办")).toBe("没有找到叫「钱九」的同事。查看自己的待办请发送「我的待办」。");
  });

  it("lists overdue follow-ups by person, the person with the oldest first, each oldest first", async () => {
    const mgr = await card("wangwu", "逾期跟进");
    expect(mgr.title).toBe("逾期跟进 · 王五团队");
    expect(mgr.lines).toEqual([
      "1. 李四｜11月13日 周五 10:00（逾期10天）｜催款",
      "2. 王五｜11月19日 周四 10:00（逾期4天）｜大客户拜访",
      "3. 张三｜11月20日 周五 10:00（逾期3天）｜张三客户03 送报价",
      "4. 张三｜11月22日 周日 10:00（逾期1天）｜回访",
      "5. 小马｜11月21日 周六 10:00（逾期2天）｜电话回访",
    ]);
    const director = await card("zhaoliu", "逾期跟进");
    expect(director.lines!.map((l) => l.split("｜")[0])).toEqual(["1. 李四", "2. 孙八", "3. 王五", "4. 张三", "5. 张三", "6. 小马"]);
    const rep = await card("zhangsan", "逾期的跟进");
    expect(rep.lines).toHaveLength(2);
    expect((await card("lisi", "逾期待办")).lines).toEqual(["1. 李四｜11月13日 周五 10:00（逾期10天）｜催款"]);
  });

  it("shows one person's numbers to those who may see them", async () => {
    const card1 = await card("wangwu", "李四本周业绩");
    expect(card1.purpose).toBe("metrics");
    expect(card1.title).toBe("本周业绩 · 李四");
    expect(card1.fields.find((f) => f.label === "拜访跟进")?.value).toBe("2 次（拜访 2）");
    expect(card1.fields.find((f) => f.label === "待其审批")?.value).toBe("0 个");
    expect(card1.fields.find((f) => f.label === "逾期跟进")?.value).toBe("1 项");
    expect((await card("wangwu", "看下李四本周业绩")).title).toBe("本周业绩 · 李四");
    expect((await card("zhaoliu", "今天张三的业绩")).title).toBe("今天业绩 · 张三");
    expect((await card("zhaoliu", "孙八本月业绩")).title).toBe("本月业绩 · 孙八");
    expect((await card("admin", "王五业绩")).title).toBe("本周业绩 · 王五"); // a manager's own numbers, not the team's
    expect((await card("lisi", "李四本周业绩")).title).toBe("本周业绩 · 李四");
    expect(await reply("zhangsan", "李四本周业绩")).toBe("李四不在你的团队里，不能查看李四的业绩。你可以发送「本周业绩」查看自己的。");
    expect(await reply("wangwu", "孙八本周业绩")).toContain("孙八不在你的团队里");
    // The parser's own 本周业绩 is untouched.
    expect((await card("wangwu", "本周业绩")).title).toBe("本周业绩 · 王五团队");
  });

  it("names every rep in the team ranking, those without a visit too", async () => {
    const c = await card("wangwu", "本周业绩");
    expect(c.subtitle).toContain("共 4 人");
    const ranking = c.lines!.slice(c.lines!.indexOf("拜访排行：") + 1);
    expect(ranking).toEqual(["1. 李四 2 次", "2. 张三 1 次", "3. 王五 0 次", "4. 小马 0 次"]);
    const all = await card("admin", "本周业绩");
    expect(all.lines).toEqual(expect.arrayContaining(["1. 李四 2 次", "2. 张三 1 次"]));
    expect(all.lines!.join("\n")).toContain("孙八 0 次");
    expect(all.lines!.join("\n")).not.toContain("陈七"); // the warehouse does not sell
  });

  it("refuses the warehouse every list and figure, storing nothing", async () => {
    const before = await t.db.pendingAction.count();
    for (const text of ["我的客户", "团队客户", "客户列表 阶段=报价", "超过7天没跟进的客户", "团队待办", "张三的待办", "逾期跟进", "李四本周业绩"]) {
      expect(await reply("chenqi", text)).toMatch(/^仓库同事不能查看/);
    }
    expect(await t.db.pendingAction.count()).toBe(before);
    expect(await cardsOf("chenqi")).toEqual([]);
  });

  it("tells managers, directors and admins about the lists in 帮助, reps not", async () => {
    for (const u of ["wangwu", "zhaoliu", "admin"]) {
      const help = await card(u, "帮助");
      expect(help.lines).toEqual(expect.arrayContaining(["管理团队：", "· 按阶段看客户：客户列表 阶段=报价", "· 某人的业绩：李四本周业绩"]));
    }
    expect((await card("zhangsan", "帮助")).lines).not.toContain("管理团队：");
    // A help question is not read as a colleague's to-dos.
    expect(await eventually(async () => ((await card("zhangsan", "怎么推迟任务")).purpose === "help" ? true : undefined), "help")).toBe(true);
  });

  it("refuses 下一页 on someone else's card, on a spent one, and after it expired", async () => {
    const mine = await card("wangwu", "团队客户");
    await t.pg.click("lisi", mine, "下一页");
    expect(await eventually(async () => (await textsOf("lisi")).at(-1)?.includes("不是发给你的") || undefined, "lisi refused")).toBe(true);
    // lisi's own typed 下一页 means lisi's own last list (here on its last page), never wangwu's.
    expect(await reply("lisi", "下一页")).toBe("已经是最后一页了。");
    expect(await reply("chenqi", "下一页")).toMatch(/^没有可以翻页的列表/);

    const clock = t.bot.deps.clock as ManualClock;
    clock.advance(25 * 3600_000);
    try {
      expect(await reply("wangwu", "下一页")).toBe("这张卡片已过期，请重新发送消息。");
      const r = await click("wangwu", mine, "下一页");
      expect(r.text).toBe("这张卡片已过期，请重新发送消息。");
    } finally {
      clock.advance(-25 * 3600_000);
    }
    // The list asked again pages as before.
    const again = await card("wangwu", "团队客户");
    expect((await click("wangwu", again, "下一页")).card!.subtitle).toBe("共 16 条，第 11–16 条");
  });
});
