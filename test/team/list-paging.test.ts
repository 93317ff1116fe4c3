// Typed 下一页 / 上一页 when there is no list to page: the same plain answer, naming the lists this person can page
// (by their roles), whichever feature's list they saw last — never one feature's wording (it used to be the
// orders feature's, 发送「待审批」…, to anyone). With a list open, every paging word pages it (翻页 on a 公海 list too),
// and 上一页 says lists only go forward. Through the playground's real HTTP API on the real database (PGlite, or
// PostgreSQL with DATABASE_URL); nothing is stored by any of these answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { answer, answerCard, answerText, makeCustomer } from "../support/customer-fixtures.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { FIXED_NOW, startTestBot, type TestBot } from "../support/test-bot.ts";

const DAY = 24 * 3600_000;
const REP = "没有可以翻页的列表（翻页只对最近24小时内发给你的列表卡片有效）。可以翻页的列表：「我的客户」「逾期跟进」「待审批」「公海客户」，先发送其中一个。";
const MANAGER = "没有可以翻页的列表（翻页只对最近24小时内发给你的列表卡片有效）。可以翻页的列表：「团队客户」「团队待办」「逾期跟进」「待审批」「公海客户」，先发送其中一个。";
const ADMIN = "没有可以翻页的列表（翻页只对最近24小时内发给你的列表卡片有效）。可以翻页的列表：「团队客户」「团队待办」「逾期跟进」「公海客户」，先发送其中一个。";
const WAREHOUSE = "没有可以翻页的列表。要看要发的订单，请发送「待发货」。";

describe("下一页 / 上一页 with no list to page", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  const clock = new ManualClock(FIXED_NOW);
  const db = () => bot.db.prisma;
  const stored = async () => ({ cards: await db().card.count(), audits: await db().auditLog.count(), pending: await db().pendingAction.count() });

  beforeAll(async () => {
    bot = await startTestBot({}, { clock });
    pg = new PlaygroundClient(bot.url);
    // Twelve pool customers: 公海客户 has a second page.
    for (let i = 1; i <= 12; i++) await makeCustomer(db(), `翻页测试机械${String(i).padStart(2, "0")}`, null, { releasedAt: new Date(FIXED_NOW.getTime() - i * DAY) });
  });
  afterAll(async () => bot?.close());

  it("nothing shown yet: each role hears that there is no list and which lists it can page, for every paging word", async () => {
    const before = await stored();
    for (const word of ["下一页", "上一页", "翻页", "下页", "下一页。", "上一页！"]) expect(await answerText(pg, "zhangsan", word), word).toBe(REP);
    expect(await answerText(pg, "wangwu", "下一页")).toBe(MANAGER);
    expect(await answerText(pg, "zhaoliu", "上一页")).toBe(MANAGER);
    expect(await answerText(pg, "admin", "下一页")).toBe(ADMIN);
    expect(await answerText(pg, "chenqi", "下一页")).toBe(WAREHOUSE);
    expect(await answerText(pg, "chenqi", "上一页")).toBe(WAREHOUSE);
    expect(await stored()).toEqual(before);
  });

  it("a 公海 list open: 翻页 pages it (not another feature's answer), 上一页 says lists go forward only", async () => {
    const first = await answerCard(pg, "zhangsan", "公海客户");
    expect(first.subtitle).toBe("共12个公海客户，第1-10个");
    expect(await answerText(pg, "zhangsan", "上一页")).toBe("列表只能往后翻（发送「下一页」）；前面的内容在上面的卡片里。要从第一页看，请重新发送「公海客户」。");
    const second = await answerCard(pg, "zhangsan", "翻页");
    expect(second.subtitle).toBe("共12个公海客户，第11-12个");
    // The last page: 下一页 on it says so (it is still the open list: its 领取 buttons work).
    expect(await answerText(pg, "zhangsan", "下一页")).toBe("已经是最后一页了。");
  });

  it("a day later the 公海 list has run out (as a click on it would say); once it is closed, the plain answer again", async () => {
    clock.advance(DAY + 60_000);
    const before = await stored();
    expect(await answerText(pg, "zhangsan", "下一页")).toBe("这张卡片已过期，请重新发送消息。");
    expect(await answerText(pg, "zhangsan", "上一页")).toBe("这张卡片已过期，请重新发送消息。");
    expect(await stored()).toEqual(before);
    // Closed list cards (as a spent team list is, or an expired one once clicked) leave no list to page.
    await db().card.updateMany({ where: { recipientId: "zhangsan", purpose: "pool_list" }, data: { status: "expired" } });
    expect(await answerText(pg, "zhangsan", "下一页")).toBe(REP);
    expect(await answerText(pg, "zhangsan", "上一页")).toBe(REP);
  });

  it("a team list open for the manager: 下一页 pages it; 上一页 tells how to start again", async () => {
    // Fifteen customers of 张三: 团队客户 has a second page for 王五.
    for (let i = 1; i <= 15; i++) await makeCustomer(db(), `团队翻页客户${String(i).padStart(2, "0")}`, "zhangsan");
    const card = await answerCard(pg, "wangwu", "团队客户");
    expect(card.purpose).toBe("team_list");
    expect(await answerText(pg, "wangwu", "上一页")).toBe("列表只能往后翻（发送「下一页」）；前面的内容在上面的卡片里。要从第一页看，请重新发送查看这个列表的那句话（如「团队客户」「逾期跟进」）。");
    const next = await answer(pg, "wangwu", "下一页");
    expect(next).toMatchObject({ type: "card", card: { purpose: "team_list" } });
  });
});
