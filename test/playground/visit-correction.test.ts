// The confirmation card's 修改: one field corrected by a short reply, the follow-up task following the visit,
// the card showing the new values, every change audited, and bad corrections refused without changing anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Card } from "../../src/core/card.ts";
import type { ManualClock } from "../../src/core/clock.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { eventually, startTestBot, type TestBot } from "../support/test-bot.ts";

describe("correcting a recorded visit", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  let confirm: Card;
  let texts = 0;
  beforeAll(async () => {
    bot = await startTestBot();
    pg = new PlaygroundClient(bot.url);
    await bot.db.prisma.customer.create({ data: { name: "恒通精密", normalizedName: normalizeCompanyName("恒通精密"), ownerId: "zhangsan", aliases: [], tags: [] } });
    await pg.say("zhangsan", "今天拜访了恒通精密的张总，要50台电机，下周三带报价再去");
    confirm = await pg.nthCard("zhangsan", 1, "visit_confirm");
  });
  afterAll(async () => bot?.close());
  const db = () => bot.db.prisma;
  const nextText = () => pg.lastText("zhangsan", ++texts);
  const cardNow = () =>
    eventually(async () => {
      const items = (await pg.botItems("zhangsan")).filter((i) => i.type === "card" && i.card.ref === confirm.ref);
      return items.at(-1)?.type === "card" ? (items.at(-1) as { card: Card }).card : undefined;
    }, "confirmation card");
  const field = (c: Card, label: string) => c.fields.find((f) => f.label === label)?.value;

  it("offers 修改 on the card and explains how to correct", async () => {
    expect(confirm.buttons.map((b) => b.label)).toEqual(["修改", "撤销"]);
    await pg.click("zhangsan", confirm, "修改");
    expect(await nextText()).toContain("改 跟进 下周五下午3点");
  });

  it("moves the follow-up and shows it on the card", async () => {
    await pg.say("zhangsan", "改 跟进 下周五下午3点");
    expect(await nextText()).toBe("已修改「恒通精密」的记录：下次跟进 → 12月4日 周五 15:00");
    const task = await db().task.findFirstOrThrow({ where: { ownerId: "zhangsan", status: "open" } });
    expect(task.dueAt.toISOString()).toBe("2026-12-04T07:00:00.000Z");
    await eventually(async () => (field(await cardNow(), "下次跟进") ?? "").startsWith("12月4日 周五 15:00") || undefined, "card shows the new time");
    expect(await db().auditLog.count({ where: { action: "task.reschedule", entityId: task.id } })).toBe(1);
  });

  it("changes the contact and the quantity", async () => {
    await pg.say("zhangsan", "改 联系人 李总");
    expect(await nextText()).toContain("联系人 → 李总");
    await pg.say("zhangsan", "修改数量为300");
    expect(await nextText()).toContain("需求数量 → 300");
    const activity = await db().activity.findFirstOrThrow({ include: { contact: true } });
    expect(activity.contact?.name).toBe("李总");
    expect(activity.quantity).toBe(300);
    // 张总 was created by this visit and nothing else refers to it.
    expect((await db().contact.findFirstOrThrow({ where: { name: "张总" } })).deletedAt).not.toBeNull();
    const card = await eventually(async () => {
      const c = await cardNow();
      return field(c, "需求数量") === "300" ? c : undefined;
    }, "card shows 300");
    expect(field(card, "联系人")).toBe("李总");
    expect(await db().auditLog.count({ where: { action: "activity.edit" } })).toBe(3);
  });

  it("refuses a correction it cannot read, changing nothing", async () => {
    const before = await db().activity.findFirstOrThrow();
    await pg.say("zhangsan", "改 跟进 昨天下午");
    expect(await nextText()).toContain("跟进时间要在现在之后");
    await pg.say("zhangsan", "改 数量 很多");
    expect(await nextText()).toContain("数量要是正整数");
    expect(await db().activity.findFirstOrThrow()).toEqual(before);
    expect(await db().auditLog.count({ where: { action: "activity.edit" } })).toBe(3);
  });

  it("leaves ordinary messages that start with 改 to the parser", async () => {
    await pg.say("zhangsan", "修改内容后再给恒通精密发过去，改时间了 下周三再去恒通精密");
    await pg.nthCard("zhangsan", 2, "visit_confirm"); // a new visit, not a correction of the first
    const first = await db().activity.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    expect(first.summary).toContain("今天拜访了恒通精密");
    expect(await db().auditLog.count({ where: { action: "activity.edit" } })).toBe(3);
    confirm = await pg.nthCard("zhangsan", 2, "visit_confirm");
  });

  it("corrects only a visit recorded within the last day", async () => {
    const clock = bot.deps.clock as ManualClock;
    clock.advance(25 * 3600_000);
    try {
      await pg.say("zhangsan", "改 数量 5");
      expect(await nextText()).toContain("已超过24小时");
    } finally {
      clock.advance(-25 * 3600_000);
    }
  });

  it("has nothing to correct once the newest visit is undone, even if an older one stands", async () => {
    await pg.click("zhangsan", await cardNow(), "撤销");
    expect(await nextText()).toContain("已撤销");
    await pg.say("zhangsan", "改 数量 5");
    expect(await nextText()).toContain("没有可以修改的拜访记录");
    expect((await db().activity.findFirstOrThrow({ orderBy: { createdAt: "asc" } })).quantity).toBe(300);
  });
});
