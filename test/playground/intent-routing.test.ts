// Every intent the parser can produce reaches a handler and gets an answer. (The public pool's own suite is
// pool-claim.test.ts; orders and approvals have theirs in orders-flow.test.ts, dispatch in dispatch-flow.test.ts.)
import { describe, expect, it } from "vitest";
import { createRulesParser, INTENT_NAMES } from "../../src/nlu/index.ts";
import { playgroundBot } from "../support/playground-bot.ts";

/** Shipment messages from someone not in the warehouse: refused, nothing stored. */
const COMING: [string, string][] = [
  ["confirm_shipment", "发货 SO-20261123-001 顺丰 SF1234567890123"],
  ["report_shipment_problem", "SO-20261123-001 缺货，发不了"],
];

describe("intent routing", () => {
  const t = playgroundBot();

  it("covers every intent of the schema", () => {
    const answered = ["log_visit", "lookup_customer", "list_todos", "complete_task", "snooze_task", "claim_customer", "show_metrics", "help", "unknown", "place_order", "decide_approval", "price_list", ...COMING.map(([i]) => i)];
    expect([...INTENT_NAMES].sort()).toEqual(answered.sort());
  });

  it("refuses shipment messages from people outside the warehouse, storing nothing", async () => {
    const parser = createRulesParser();
    let n = 0;
    for (const [intent, text] of COMING) {
      expect((await parser.parse(text, { now: new Date("2026-11-23T10:00:00+08:00"), timeZone: "Asia/Shanghai" })).intent).toBe(intent);
      await t.pg.say("wangwu", text);
      expect(await t.pg.lastText("wangwu", ++n)).toMatch(/只有仓库同事可以/);
    }
    const p = t.db;
    expect(await p.order.count()).toBe(0);
    expect(await p.customer.count()).toBe(0);
    expect(await p.shipment.count()).toBe(0);
  });

  it("routes 本周业绩 to the metrics card, not to 'coming soon'", async () => {
    const parser = createRulesParser();
    expect(await parser.parse("本周业绩", { now: new Date("2026-11-23T10:00:00+08:00"), timeZone: "Asia/Shanghai" })).toEqual({ intent: "show_metrics", period: "week" });
    await t.pg.say("wangwu", "本周业绩");
    const card = await t.pg.nthCard("wangwu", 1, "metrics");
    expect(card.title).toBe("本周业绩 · 王五团队");
    expect((await t.pg.botItems("wangwu")).some((i) => i.type === "text" && i.text.includes("业绩统计")) ).toBe(false);
  });

  it("routes 领取 to the public pool: an unknown customer is refused, nothing stored", async () => {
    const parser = createRulesParser();
    expect((await parser.parse("领取 华东机电", { now: new Date("2026-11-23T10:00:00+08:00"), timeZone: "Asia/Shanghai" })).intent).toBe("claim_customer");
    await t.pg.say("wangwu", "领取 华东机电");
    expect(await t.pg.lastText("wangwu", COMING.length + 1)).toContain("没有找到客户「华东机电」");
    expect(await t.db.customer.count()).toBe(0);
    expect(await t.db.auditLog.count({ where: { action: "customer.claim" } })).toBe(0);
  });

  it("answers orders and approvals: an unknown order number is named, nothing stored", async () => {
    await t.pg.say("wangwu", "同意 SO-20261123-001");
    expect(await t.pg.lastText("wangwu", COMING.length + 2)).toBe("没有找到订单 SO-20261123-001，请检查单号。");
    expect(await t.db.order.count()).toBe(0);
    expect(await t.db.approval.count()).toBe(0);
  });
});
