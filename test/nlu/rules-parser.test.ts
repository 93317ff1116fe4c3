import { describe, expect, it } from "vitest";
import { IntentSchema } from "../../src/nlu/intent.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";
import { normalizeOrderNo } from "../../src/nlu/rules/orders.ts";

const rules = createRulesParser();
const ctx = { now: new Date("2026-11-23T10:00:00+08:00"), timeZone: "Asia/Shanghai" };

describe("rule parser", () => {
  it("parses the issue's example visit", async () => {
    const r = await rules.parse("今天拜访了华东机电的王经理，下季度要200台电机，预算紧，下周三带报价再去", ctx);
    expect(r).toMatchObject({
      intent: "log_visit", customer: "华东机电", contact: "王经理", quantity: 200,
      due: "2026-12-02T09:00:00+08:00", next_action: "带报价再去", kind: "visit",
    });
  });

  it.each([
    ["客户 华东机电", { intent: "lookup_customer", customer: "华东机电" }],
    ["我的待办", { intent: "list_todos" }],
    ["完成 2", { intent: "complete_task", task: "2" }],
    ["推迟 2 到明天下午", { intent: "snooze_task", task: "2", until: "2026-11-24T14:00:00+08:00" }],
    ["下单 华东机电 电机A 200台 单价4500", { intent: "place_order", customer: "华东机电", items: [{ product: "电机A", quantity: 200, unit: "台", unit_price: 4500 }] }],
    ["给华东机电下单 电机A 200台 打9折", { intent: "place_order", customer: "华东机电", items: [{ product: "电机A", quantity: 200, unit: "台" }], discount: 0.1 }],
    ["发货 SO-20261123-001 顺丰 SF1234567890", { intent: "confirm_shipment", order: "SO-20261123-001", carrier: "顺丰", tracking_no: "SF1234567890" }],
    ["缺货 SO-20261123-001 电机A只有50台", { intent: "report_shipment_problem", order: "SO-20261123-001", reason: "电机A只有50台" }],
    ["同意 so20261123001", { intent: "decide_approval", order: "SO-20261123-001", decision: "approve" }],
    ["驳回 SO-20261123-001 价格太低", { intent: "decide_approval", order: "SO-20261123-001", decision: "reject", reason: "价格太低" }],
    ["领取 华东机电", { intent: "claim_customer", customer: "华东机电" }],
    ["本周业绩", { intent: "show_metrics", period: "week" }],
    ["帮助", { intent: "help" }],
    ["?", { intent: "help" }],
    ["哈哈", { intent: "unknown" }],
    ["", { intent: "help" }],
  ])("%s", async (text, expected) => {
    expect(await rules.parse(text, ctx)).toEqual(expected);
  });

  it("maps names onto known customers", async () => {
    const r = await rules.parse("领取 华东机店", { ...ctx, knownCustomers: ["华东机电设备有限公司", "宏达电子"] });
    expect(r).toEqual({ intent: "claim_customer", customer: "华东机电设备有限公司" });
  });

  it("always returns a schema-valid intent, even for junk", async () => {
    for (const junk of ["SO-2026", "发货", "下单", "推迟", "x".repeat(5000), "🙂🙂", "领取", "SO-20261123-001", "客户", "0", "1.2亿"]) {
      expect(IntentSchema.safeParse(await rules.parse(junk, ctx)).success).toBe(true);
    }
  });

  it("normalises order numbers", () => {
    expect(normalizeOrderNo("so20261123001")).toBe("SO-20261123-001");
    expect(normalizeOrderNo("SO-20261123-001")).toBe("SO-20261123-001");
    expect(normalizeOrderNo("so_20261123_001")).toBe("SO-20261123-001");
    expect(normalizeOrderNo("PO-20261123-001")).toBeUndefined();
  });
});

describe("when the visit happened (occurred)", () => {
  // Saturday 2026-12-05 10:30: reps log yesterday's visit the next morning.
  const sat = { now: new Date("2026-12-05T10:30:00+08:00"), timeZone: "Asia/Shanghai" };
  it.each([
    ["昨天下午打电话给杭州新锐科技 李工说想要50套plc 月底前给报价", "2026-12-04T14:00:00+08:00", "2026-12-31T09:00:00+08:00"],
    ["前天去了华东机电 王经理说下周一给答复", "2026-12-03T09:00:00+08:00", "2026-12-07T09:00:00+08:00"],
    ["周三拜访了华东机电", "2026-12-02T09:00:00+08:00", undefined],
    ["上周五见了恒力液压的张总 明天再打电话", "2026-11-27T09:00:00+08:00", "2026-12-06T09:00:00+08:00"],
    ["早上去了华东机电 聊得不错", "2026-12-05T08:00:00+08:00", undefined],
    ["12月1号去的博远科技 周一带样品过去", "2026-12-01T09:00:00+08:00", "2026-12-07T09:00:00+08:00"],
  ])("%s", async (text, occurred, due) => {
    const r = await rules.parse(text, sat);
    expect(r).toMatchObject({ intent: "log_visit", occurred });
    expect(r.intent === "log_visit" && r.due).toBe(due ?? undefined);
  });

  it.each([
    ["今天去宁波东方轴承 见了陈总 要20台变频器 下周三再跟"], // today: just now
    ["上周拜访过的恒通物流今天回电话了 说下周签"], // 上周 is background, and names no day
    ["华东机电王总说昨天的报价太高了 下周二再谈"], // 昨天 is about the quote, deep in the clause
    ["下午三点去华东机电"], // a plan, not a report
    ["10月20号拜访了华东机电 王总说下周一给答复"], // beyond 30 days: recorded as now rather than guessed
  ])("%s has no occurred time", async (text) => {
    const r = await rules.parse(text, sat);
    expect(r.intent).toBe("log_visit");
    expect(r.intent === "log_visit" && r.occurred).toBeUndefined();
  });
});

describe("an approver's or the warehouse's answer without the order number", () => {
  it.each([
    ["同意", { intent: "decide_approval", decision: "approve" }],
    ["同意了", { intent: "decide_approval", decision: "approve" }],
    ["驳回 价格太低了", { intent: "decide_approval", decision: "reject", reason: "价格太低了" }],
    ["不同意，折扣太大", { intent: "decide_approval", decision: "reject" }],
    ["缺货 电机a只有10台 下周到货", { intent: "report_shipment_problem" }],
    ["发了 顺丰 SF1234567890123", { intent: "confirm_shipment", carrier: "顺丰", tracking_no: "SF1234567890123" }],
  ])("%s", async (text, expected) => {
    const r = await rules.parse(text, ctx);
    expect(r).toMatchObject(expected);
    expect("order" in r).toBe(false);
  });

  it.each([["华东机电王总同意下周签合同"], ["客户说缺货的话可以等"], ["今天拜访了华东机电 同意下周三再谈"]])("%s is not one", async (text) => {
    const r = await rules.parse(text, ctx);
    expect(["decide_approval", "report_shipment_problem", "confirm_shipment"]).not.toContain(r.intent);
  });
});
