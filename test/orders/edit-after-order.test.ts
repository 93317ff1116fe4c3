// 「改 数量 300米」 typed right after placing an order (there is no draft and no visit to change): the answer speaks about
// that order — its number, why it cannot change in its state and what works instead (撤回 and order again, 驳回 and
// 重新提交, 取消订单, the warehouse and the manager) — never "没有可以修改的拜访记录", and nothing is stored. Typed any way
// the correction is typed (改数量300米, 改下数量 5卷, 修改 数量：5, 改 单价 580). A visit newer than the order is still
// corrected; a visit-only field (改 跟进 …) still corrects an older visit; a day later the order is no longer the
// rep's "most recent thing". The command suggested for a rejected order is sent and really resubmits it. Through the
// playground's real HTTP API on the real database (PGlite, or PostgreSQL with DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import type { Card } from "../../src/core/card.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { eventually, FIXED_NOW, startTestBot, type TestBot } from "../support/test-bot.ts";

const NO_VISIT = "没有可以修改的拜访记录。先记录一次拜访，再发送「改 …」。";

describe("改 … after placing an order: the answer is about the order", () => {
  let bot: TestBot;
  let pg: PlaygroundClient;
  const clock = new ManualClock(FIXED_NOW);
  beforeAll(async () => {
    bot = await startTestBot({}, { clock });
    pg = new PlaygroundClient(bot.url);
    await bot.db.prisma.customer.create({ data: { name: "南通鑫源泵业", normalizedName: normalizeCompanyName("南通鑫源泵业"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
  });
  afterAll(async () => bot?.close());
  const db = () => bot.db.prisma;

  const cardsOf = async (userId: string, purpose: string) =>
    (await pg.botItems(userId)).flatMap((i) => (i.type === "card" && i.card.purpose === purpose ? [i.card] : []));
  const textsOf = async (userId: string) => (await pg.botItems(userId)).flatMap((i) => (i.type === "text" ? [i.text] : []));
  /** Says something and returns the next text the person gets (the answer). */
  async function answer(text: string, userId = "zhangsan"): Promise<string> {
    const said = (await textsOf(userId)).length;
    await pg.say(userId, text);
    return eventually(async () => (await textsOf(userId))[said], `the answer to 「${text}」`);
  }
  /** Says something and returns the next card of the purpose. */
  async function cardAfter(text: string, purpose: string, userId = "zhangsan"): Promise<Card> {
    const had = (await cardsOf(userId, purpose)).length;
    await pg.say(userId, text);
    return eventually(async () => (await cardsOf(userId, purpose))[had], `a ${purpose} card after 「${text}」`);
  }
  const stored = async () => ({
    orders: await db().order.findMany({ orderBy: { number: "asc" }, select: { number: true, status: true, total: true, updatedAt: true, lines: { select: { sku: true, quantity: true, unitPrice: true } } } }),
    approvals: await db().approval.count(),
    steps: await db().approvalStep.count(),
    audits: await db().auditLog.count(),
    cards: await db().card.count(),
    openCards: await db().card.count({ where: { status: "active" } }),
    pending: await db().pendingAction.count(),
    activities: await db().activity.findMany({ select: { quantity: true, contactId: true, summary: true } }),
    tasks: await db().task.findMany({ select: { dueAt: true, status: true } }),
  });
  /** Answers each text about the order, changing nothing; returns the answers. */
  async function refusals(texts: readonly string[]): Promise<string[]> {
    const before = await stored();
    const out: string[] = [];
    for (const t of texts) out.push(await answer(t));
    expect(await stored()).toEqual(before);
    return out;
  }

  let first = "";

  it("with nothing placed and no visit, 改 数量 300米 gets the visit answer as before", async () => {
    expect(await answer("改 数量 300米")).toBe(NO_VISIT);
  });

  it("waiting for 王五: every way of typing the change names the order, says it waits for 王五, and offers 撤回 or 驳回 + 重新提交", async () => {
    const card = await cardAfter("下单 南通鑫源泵业 电缆 20卷 单价550", "order");
    first = card.title.replace("订单 ", "");
    expect(card.fields.find((f) => f.label === "状态")?.value).toBe("待审批");
    const typed = ["改 数量 300米", "改数量 5卷", "改数量300米", "改下数量 5卷", "改一下数量 5卷", "修改 数量：5", "改 单价 580", "改 折扣 95折"];
    const answers = await refusals(typed);
    answers.forEach((a, i) => {
      expect(a, typed[i]).toMatch(new RegExp(`^订单 ${first}（南通鑫源泵业，¥11,000）正在等王五审批，审批期间不能修改。`));
      expect(a, typed[i]).toContain(`发送「撤回 ${first}」撤回（这张订单会取消）`);
      expect(a, typed[i]).not.toContain("拜访");
    });
    const [metres, rolls, glued, filler, filler2, colon, unitPrice, discount] = answers;
    // Into the 米 line: the ¥550 written for the 卷 is not carried over, and a resubmission cannot change the unit.
    expect(metres).toContain("再重新下单，例如：下单 南通鑫源泵业 电缆 300米\n");
    expect(metres).toContain("改单位（卷 → 米）只能撤回后重新下单");
    expect(metres).not.toContain("重新提交 SO");
    expect(glued).toBe(metres);
    expect(rolls).toContain("例如：下单 南通鑫源泵业 电缆 5卷 单价550\n");
    expect(rolls).toContain(`或请王五驳回，驳回后发送「重新提交 ${first} 数量5卷」修改后重新提交（单号不变，再走一次审批）`);
    expect(filler).toBe(rolls);
    expect(filler2).toBe(rolls);
    expect(colon).toContain(`重新提交 ${first} 数量5」`);
    expect(unitPrice).toContain("下单 南通鑫源泵业 电缆 20卷 单价580");
    expect(unitPrice).toContain(`「重新提交 ${first} 单价580」`);
    expect(discount).toContain("下单 南通鑫源泵业 电缆 20卷 95折");
    expect(discount).toContain(`「重新提交 ${first} 95折」`);
    // A visit's field with no visit to change: said, then the order.
    const follow = (await refusals(["改 跟进 明天上午10点"]))[0]!;
    expect(follow).toMatch(new RegExp(`^没有可以修改的拜访记录。你最近的订单 ${first}（南通鑫源泵业，¥11,000）正在等王五审批`));
    expect(follow).toContain(`驳回后发送「重新提交 ${first}」打开草稿`);
  });

  it("rejected: the resubmission command with the change (it works as suggested); a change of unit: 撤回 and order again", async () => {
    expect(await answer(`驳回 ${first} 价格太低`, "wangwu")).toContain("驳回");
    await eventually(async () => ((await db().order.findUniqueOrThrow({ where: { number: first } })).status === "rejected" ? true : undefined), "rejected");
    const [rolls, metres] = await refusals(["改 数量 5卷", "改 数量 300米"]);
    expect(rolls).toBe([
      `订单 ${first}（南通鑫源泵业，¥11,000）已被王五驳回（价格太低），要用重新提交来改（单号不变）：`,
      `· 发送「重新提交 ${first} 数量5卷」`,
      `· 或发送「重新提交 ${first}」打开草稿，改好（改 数量 …、改 单价 …、改 折扣 …）后点提交`,
      `不要这张订单了：发送「撤回 ${first}」。`,
    ].join("\n"));
    expect(metres).toBe(`订单 ${first}（南通鑫源泵业，¥11,000）已被王五驳回（价格太低）。重新提交只能改原来各行的单价、数量和折扣，不能改单位（卷 → 米）：发送「撤回 ${first}」撤回后，再重新下单，例如：下单 南通鑫源泵业 电缆 300米`);
    // What the answer says to send does what it says.
    const card = await cardAfter(`重新提交 ${first} 数量5卷`, "order");
    expect(card.title).toBe(`订单 ${first}`);
    expect(card.lines?.join("\n")).toContain("电缆 5卷 × ¥550");
    expect(card.lines?.join("\n")).toContain("已修改并重新提交，待王五审批");
  });

  it("withdrawn (the card's 撤回): cancelled, so it is ordered again", async () => {
    const card = (await cardsOf("zhangsan", "order")).at(-1)!;
    expect(await (async () => { await pg.click("zhangsan", card, "撤回"); return eventually(async () => (await textsOf("zhangsan")).find((x) => x === `已撤回订单 ${first}。`), "withdrawn"); })()).toBeTruthy();
    const [metres, rolls] = await refusals(["改 数量 300米", "改数量 5卷"]);
    expect(metres).toBe(`订单 ${first}（南通鑫源泵业，¥2,750）已取消，不能再修改。请重新下单，例如：下单 南通鑫源泵业 电缆 300米`);
    expect(rolls).toBe(`订单 ${first}（南通鑫源泵业，¥2,750）已取消，不能再修改。请重新下单，例如：下单 南通鑫源泵业 电缆 5卷 单价550`);
  });

  it("approved and with the warehouse: 取消订单 while nothing has shipped; once goods leave, the warehouse and the manager", async () => {
    const card = await cardAfter("下单 南通鑫源泵业 电机A 2台", "order");
    const n = card.title.replace("订单 ", "");
    await eventually(async () => ((await db().order.findUniqueOrThrow({ where: { number: n } })).status === "dispatched" ? true : undefined), "dispatched");
    const [three] = await refusals(["改 数量 3台"]);
    expect(three).toBe(`订单 ${n}（南通鑫源泵业，¥10,000）已批准并通知仓库发货，不能再修改。还没发货，要改的话：发送「取消订单 ${n} 原因」取消，再重新下单，例如：下单 南通鑫源泵业 电机A 3台`);
    expect(await answer(`发货 ${n} 电机A 1台 顺丰 SF1234567890123`, "chenqi")).toBeTruthy();
    await eventually(async () => ((await db().shipment.count()) === 1 ? true : undefined), "one shipment");
    const [partly] = await refusals(["改数量3台"]);
    expect(partly).toBe(`订单 ${n}（南通鑫源泵业，¥10,000）已有发货，不能再修改，也不能整单取消。剩下的部分请联系仓库和你的经理王五处理；要再订货，请重新下单。`);
    expect(await answer(`发货 ${n} 顺丰 SF1234567890124`, "chenqi")).toBeTruthy();
    await eventually(async () => ((await db().order.findUniqueOrThrow({ where: { number: n } })).status === "shipped" ? true : undefined), "shipped");
    const [gone] = await refusals(["改 单价 4800"]);
    expect(gone).toBe(`订单 ${n}（南通鑫源泵业，¥10,000）已发货，不能再修改或取消。有问题请联系仓库和你的经理王五；要再订货，请重新下单。`);
  });

  it("a visit newer than the order is corrected as before; an order newer than the visit takes 改 数量 but not 改 跟进", async () => {
    await cardAfter("今天拜访了南通鑫源泵业的刘工，要300米电缆，下周三带样品再去", "visit_confirm");
    expect(await answer("改 数量 500")).toBe("已修改「南通鑫源泵业」的记录：需求数量 → 500");
    expect(await answer("改下数量 600")).toBe("已修改「南通鑫源泵业」的记录：需求数量 → 600");
    const card = await cardAfter("下单 南通鑫源泵业 变频器 10台 9折", "order");
    const n = card.title.replace("订单 ", "");
    const [qty] = await refusals(["改 数量 5台"]);
    expect(qty).toMatch(new RegExp(`^订单 ${n}（南通鑫源泵业，¥[\\d,]+）正在等王五审批，审批期间不能修改。`));
    expect(qty).toContain("下单 南通鑫源泵业 变频器 5台 单价");
    // The order has no follow-up: 改 跟进 is the visit's.
    expect(await answer("改 跟进 下周五下午3点")).toBe("已修改「南通鑫源泵业」的记录：下次跟进 → 12月4日 周五 15:00");
    expect((await db().activity.findFirstOrThrow()).quantity).toBe(600);
  });

  it("a day later the order is no longer the most recent thing: the visit's answers as before", async () => {
    clock.advance(25 * 3600_000);
    const [late] = await refusals(["改 数量 5台"]);
    expect(late).toMatch(/^最近一条拜访（.*南通鑫源泵业）已超过24小时，不能再修改；可以重新记录一次。$/);
  });

  it("an order of two lines: the product named picks the line; unnamed, the draft to amend (a resubmission must name it)", async () => {
    const card = await cardAfter("下单 南通鑫源泵业 电机B 2台 电缆 5卷 9折", "order");
    const n = card.title.replace("订单 ", "");
    expect(card.fields.find((f) => f.label === "状态")?.value).toBe("待审批");
    const [unnamed, named, metres] = await refusals(["改 数量 5", "改 电缆 数量 8卷", "改 电缆 数量 300米"]);
    expect(unnamed).toContain(`· 发送「撤回 ${n}」撤回（这张订单会取消），再按新的数字重新下单\n`);
    expect(unnamed).toContain(`驳回后发送「重新提交 ${n}」打开草稿，改好再提交`);
    expect(named).toMatch(/例如：下单 南通鑫源泵业 电机B 2台 单价[\d.]+ 电缆 8卷 单价540\n/);
    expect(named).toContain(`驳回后发送「重新提交 ${n} 电缆 数量8卷」修改后重新提交`);
    expect(metres).toMatch(/例如：下单 南通鑫源泵业 电机B 2台 单价[\d.]+ 电缆 300米\n/);
    expect(metres).toContain("改单位（卷 → 米）只能撤回后重新下单");
  });
});
