// Warehouse staff through the playground: their own help, and every sales action refused politely with nothing
// stored (no visits, customers, orders, look-ups or sales figures).
import { describe, expect, it } from "vitest";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { playgroundBot } from "../support/playground-bot.ts";

describe("a warehouse person", () => {
  const t = playgroundBot();

  it("gets the warehouse's own help, not the rep's", async () => {
    await t.pg.say("chenqi", "帮助");
    const card = await t.pg.nthCard("chenqi", 1, "help");
    expect(card.title).toBe("仓库同事可以这样用");
    expect(card.lines?.join()).not.toContain("记录拜访");
  });

  it("cannot log visits, place orders, look up customers or see sales figures; nothing is stored", async () => {
    await t.db.customer.create({ data: { name: "华东机电有限公司", normalizedName: normalizeCompanyName("华东机电有限公司"), ownerId: "zhangsan", aliases: [], tags: [] } });
    const tries: [string, RegExp][] = [
      ["今天拜访了华东机电的王经理，下周三带报价再去", /仓库同事不能记录拜访/],
      ["下单 华东机电 电机A 10台 单价4900", /只有销售、经理和总监可以下单/],
      ["客户 华东机电", /仓库同事不能查看客户资料/],
      ["本周业绩", /仓库同事不能查看销售业绩/],
      ["领取 华东机电", /只有销售和经理可以领取/],
    ];
    let n = 0;
    for (const [text, re] of tries) {
      await t.pg.say("chenqi", text);
      expect(await t.pg.lastText("chenqi", ++n)).toMatch(re);
    }
    expect(await t.db.activity.count()).toBe(0);
    expect(await t.db.order.count()).toBe(0);
    expect(await t.db.customer.count()).toBe(1);
    expect(await t.db.pendingAction.count()).toBe(0);
  });
});
