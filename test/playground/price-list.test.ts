// Price look-up through the playground's real HTTP API, as a rep, a manager, a director, an admin and warehouse staff
// would ask: the whole list, named goods matched like an order's (case, spaces, aliases, typos), what the asker may
// give without approval (their rules.approval.discountLimits) with a 下单 line to copy that really goes through at
// once; warehouse staff refused (they see no prices); visit logs that mention a price stay visit logs.
import { describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { WITH_DELIVERY } from "../support/delivery.ts";
import { playgroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

describe("price look-up", () => {
  const t = playgroundBot();

  /** Says something and waits for the first text it answers with (all texts of the answer, joined). */
  async function ask(u: string, text: string): Promise<string> {
    const before = (await t.pg.botItems(u)).length;
    const sent = await t.pg.say(u, text);
    expect(sent.status).toBeLessThan(300);
    await eventually(async () => ((await t.pg.botItems(u)).length > before ? true : undefined), `an answer for ${u} after 「${text}」`);
    // A long list may come in parts: let the whole answer arrive.
    await new Promise((r) => setTimeout(r, 300));
    return (await t.pg.botItems(u)).slice(before).map((i) => (i.type === "text" ? i.text : `[card ${i.type === "card" ? i.card.title : i.type}]`)).join("\n");
  }

  it("价格表 / 报价单 / 有哪些产品: every active product with unit, list price in CNY, the rep's limit and floor, and a 下单 line", async () => {
    for (const q of ["价格表", "报价单", "有哪些产品"]) {
      const a = await ask("zhangsan", q);
      // 电缆 is listed twice, by the 卷 and by the 米 (its own list price): two lines.
      expect(a).toMatch(/^价格表（人民币，2026-11-23 执行，共 6 个产品）：/);
      expect(a).toContain("· 电机A（MOTOR-A）¥5,000/台，你可直接给到 ¥4,750");
      expect(a).toContain("· 电机B（MOTOR-B）¥8,000/台，你可直接给到 ¥7,600");
      expect(a).toContain("· 变频器（INV-3K）¥3,200/台，你可直接给到 ¥3,040");
      expect(a).toContain("· PLC控制器（PLC-S7）¥12,000/套，你可直接给到 ¥11,400");
      expect(a).toContain("· 电缆（CABLE-10）¥600/卷，你可直接给到 ¥570");
      expect(a).toContain("· 电缆（CABLE-10-M）¥7.5/米，你可直接给到 ¥7.13");
      expect(a).toContain("你（销售）的折扣权限：5%（95折）以内直接批准，更低需要上级审批；订单金额 ≥ ¥500,000 需总监审批。");
      expect(a).toMatch(/下单例如：下单 客户名称 \S+ 10\S 单价\d+/);
    }
  });

  it("named goods, written loosely: case, spaces, aliases, typos, several at once", async () => {
    const a = await ask("zhangsan", "电机a 现在什么价");
    expect(a).toContain("· 电机A（MOTOR-A）¥5,000/台，你可直接给到 ¥4,750");
    expect(a).not.toContain("电机B");
    expect(a).toContain("下单例如：下单 客户名称 电机A 10台 单价4750");
    expect(await ask("zhangsan", "电机A多少钱")).toContain("¥5,000/台");
    expect(await ask("zhangsan", "变频器 单价")).toContain("· 变频器（INV-3K）¥3,200/台");
    expect(await ask("zhangsan", "A型电机多少钱")).toContain("· 电机A（MOTOR-A）¥5,000/台");
    // 电机 alone: both motors.
    const both = await ask("zhangsan", "电机什么价");
    expect(both).toContain("电机A（MOTOR-A）");
    expect(both).toContain("电机B（MOTOR-B）");
    const two = await ask("zhangsan", "电机A和电缆多少钱");
    expect(two).toContain("电机A（MOTOR-A）");
    expect(two).toContain("· 电缆（CABLE-10）¥600/卷");
    // A one-character slip with a single product that close: that product, said so (a list price shown is harmless).
    const typo = await ask("zhangsan", "变频气多少钱");
    expect(typo).toContain("「变频气」按「变频器」查的");
    expect(typo).toContain("· 变频器（INV-3K）¥3,200/台");
    for (const [q, name, line] of [["变平器多少钱", "变平器", "· 变频器（INV-3K）"], ["电揽什么价", "电揽", "· 电缆（CABLE-10）"], ["店机A单价多少", "店机A", "· 电机A（MOTOR-A）"]] as const) {
      const a = await ask("zhangsan", q);
      expect(a).toContain(`「${name}」按「`);
      expect(a).toContain(line);
      expect(a).not.toContain("电机B");
    }
    // Two products that close (电机C: 电机A and 电机B): both offered, none guessed.
    const close = await ask("zhangsan", "电机C多少钱");
    expect(close).toContain("价格表里没有「电机C」，最接近的是：");
    expect(close).not.toContain("按「");
    const none = await ask("zhangsan", "飞机多少钱");
    expect(none).toBe("价格表里没有「飞机」。发送「价格表」查看全部产品。");
  });

  it("the floor is what the rep may give: an order at it is approved at once, one below it goes to the manager", async () => {
    await t.db.customer.create({ data: { name: "华东机电有限公司", normalizedName: normalizeCompanyName("华东机电有限公司"), ownerId: "zhangsan", aliases: [], tags: [], ...WITH_DELIVERY } });
    const a = await ask("zhangsan", "变频器多少钱");
    const line = /下单例如：(下单 客户名称 变频器 10台 单价(\d+))/.exec(a)!;
    expect(line[2]).toBe("3040");
    await t.pg.say("zhangsan", line[1]!.replace("客户名称", "华东机电"));
    const first = await eventually(async () => (await t.db.order.findFirst({ where: { repId: "zhangsan" }, include: { lines: true } })) ?? undefined, "the order");
    expect(first.status).toBe("dispatched");
    expect(first.lines[0]!.unitPrice.toFixed(2)).toBe("3040.00");
    const b = await ask("zhangsan", "电机B价格");
    expect(b).toContain("你可直接给到 ¥7,600");
    await t.pg.say("zhangsan", "下单 华东机电 电机B 1台 单价7590");
    const second = await eventually(async () => (await t.db.order.findFirst({ where: { repId: "zhangsan", lines: { some: { sku: "MOTOR-B" } } } })) ?? undefined, "the second order");
    expect(second.status).toBe("pending_approval");
  });

  it("each role sees its own limit; an admin only the list prices; warehouse staff are refused and nothing is stored", async () => {
    expect(await ask("wangwu", "电机A多少钱")).toContain("你（经理）的折扣权限：15%（85折）以内直接批准");
    expect(await ask("wangwu", "电机A多少钱")).toContain("你可直接给到 ¥4,250");
    expect(await ask("zhaoliu", "电机A多少钱")).toContain("你（总监）的折扣权限：30%（7折）以内直接批准");
    const admin = await ask("admin", "价格表");
    expect(admin).toContain("· 电机A（MOTOR-A）¥5,000/台\n");
    expect(admin).toContain("管理员不下单，这里只列出标价。");
    const audits = await t.db.auditLog.count();
    const cards = await t.db.card.count();
    for (const q of ["价格表", "电机A多少钱", "变频器 单价"]) {
      const refusal = await ask("chenqi", q);
      expect(refusal).toBe("仓库同事看不到价格：发货通知和订单里都不显示价格。需要报价请联系负责的销售。发送「帮助」查看你能用的功能。");
      expect(refusal).not.toMatch(/¥|\d{3,}/);
    }
    expect(await t.db.auditLog.count()).toBe(audits);
    expect(await t.db.card.count()).toBe(cards);
  });

  it("a visit log that mentions a price stays a visit log; 下单 stays an order", async () => {
    const before = await t.db.activity.count();
    await t.pg.say("zhangsan", "今天拜访了华东机电的王经理，他问电机A多少钱，下周三带报价再去");
    await eventually(async () => ((await t.db.activity.count()) > before ? true : undefined), "the visit recorded");
    const orders = await t.db.order.count();
    await t.pg.say("zhangsan", "下单 华东机电 电机A 2台 单价4900");
    await eventually(async () => ((await t.db.order.count()) > orders ? true : undefined), "the order placed");
    // 下单 … 价格按目录价: an order at the list price, no look-up.
    const n = await t.db.order.count();
    const items = (await t.pg.botItems("zhangsan")).length;
    await t.pg.say("zhangsan", "下单 华东机电 电缆3卷 价格按目录价");
    await eventually(async () => ((await t.db.order.count()) > n ? true : undefined), "the order at the list price placed");
    await eventually(async () => ((await t.pg.botItems("zhangsan")).slice(items).some((i) => i.type === "card") ? true : undefined), "the order card");
    const said = (await t.pg.botItems("zhangsan")).slice(items).map((i) => JSON.stringify(i)).join("\n");
    expect(said).toContain("电缆 3卷 × ¥600（标价）");
    expect(said).not.toContain("价格（人民币");
  });
});
