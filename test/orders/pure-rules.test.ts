// The order engine's pure parts: product matching, exact pricing, compliance messages, approval plans and the
// state machine's table.
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/app-error.ts";
import { money } from "../../src/core/money.ts";
import { RulesSchema } from "../../src/domain/org/org-file.ts";
import { planApproval, type ChainPerson } from "../../src/domain/orders/approval-plan.ts";
import { checkPriced, checkRequest } from "../../src/domain/orders/compliance.ts";
import { assertTransition, ORDER_STATUSES, ORDER_TRANSITIONS } from "../../src/domain/orders/order-state.ts";
import type { OrderRequest } from "../../src/domain/orders/order.types.ts";
import { priceOrder, type PriceListEntry } from "../../src/domain/orders/pricing.ts";
import { matchProduct } from "../../src/domain/orders/product-match.ts";

const PRODUCTS = [
  { sku: "MOTOR-A", name: "电机A", aliases: ["A型电机"] },
  { sku: "MOTOR-B", name: "电机B", aliases: ["B型电机"] },
  { sku: "INV-3K", name: "变频器", aliases: ["变频器3K"] },
  { sku: "PLC-S7", name: "PLC控制器", aliases: ["PLC", "S7-1200"] },
  { sku: "CABLE-10", name: "电缆", aliases: ["10平方电缆"] },
];
const LIST: PriceListEntry[] = [
  { sku: "MOTOR-A", name: "电机A", unit: "台", listPrice: money("5000") },
  { sku: "MOTOR-B", name: "电机B", unit: "台", listPrice: money("8000") },
  { sku: "INV-3K", name: "变频器", unit: "台", listPrice: money("3200") },
  { sku: "SEAL", name: "密封圈", unit: "个", listPrice: money("0.3") },
  { sku: "CABLE-10", name: "电缆", unit: "卷", listPrice: money("600") },
];
const rules = RulesSchema.parse({}).approval;
const req = (lines: OrderRequest["lines"], extra: Partial<OrderRequest> = {}): OrderRequest => ({ customerId: "c1", lines, ...extra });

describe("product matching", () => {
  it.each([
    ["电机A", "MOTOR-A"],
    ["A型电机", "MOTOR-A"],
    ["MOTOR-A", "MOTOR-A"],
    ["motor a", "MOTOR-A"],
    ["ＭＯＴＯＲ－Ａ", "MOTOR-A"],
    ["电机 a", "MOTOR-A"],
    ["变频器3K", "INV-3K"],
    ["变频器", "INV-3K"],
    ["plc", "PLC-S7"],
  ])("%s is %s", (written, sku) => {
    const m = matchProduct(written, PRODUCTS);
    expect(m.kind).toBe("exact");
    expect(m.kind === "exact" && m.product.sku).toBe(sku);
  });

  it("asks when several fit or only a part fits", () => {
    const m = matchProduct("电机", PRODUCTS);
    expect(m.kind === "ambiguous" && m.candidates.map((c) => c.sku)).toEqual(["MOTOR-A", "MOTOR-B"]);
    const partial = matchProduct("S7", PRODUCTS);
    expect(partial.kind === "ambiguous" && partial.candidates.map((c) => c.sku)).toEqual(["PLC-S7"]);
  });

  it("names up to 3 closest products for an unknown one", () => {
    const m = matchProduct("电机C型", PRODUCTS);
    expect(m.kind).toBe("none");
    expect(m.kind === "none" && m.closest.slice(0, 2).sort()).toEqual(["电机A", "电机B"]);
    expect(m.kind === "none" && m.closest.length).toBeLessThanOrEqual(3);
    expect(matchProduct("咖啡机", PRODUCTS)).toMatchObject({ kind: "none" });
  });
});

describe("pricing is exact", () => {
  it("200 × 4500 against a list of 5000 is ¥900,000 at 9折", () => {
    const p = priceOrder(LIST, req([{ sku: "MOTOR-A", quantity: 200, unitPrice: money("4500") }]));
    expect(p.total.toFixed(2)).toBe("900000.00");
    expect(p.listTotal.toFixed(2)).toBe("1000000.00");
    expect(p.discount.toFixed(4)).toBe("0.1000");
    expect(p.lines[0]!.discount.toFixed(4)).toBe("0.1000");
  });

  it("adds tenths of a yuan without float errors", () => {
    const p = priceOrder(LIST, req([{ sku: "SEAL", quantity: 3, unitPrice: money("0.1") }, { sku: "SEAL", quantity: 1, unitPrice: money("0.2") }]));
    expect(p.total.toString()).toBe("0.5");
    expect(p.listTotal.toString()).toBe("1.2");
    expect(p.discount.toFixed(4)).toBe("0.5833"); // 1 − 0.5/1.2, half up
  });

  it("takes 1.15万 exactly and an order-wide discount to the fen", () => {
    const p = priceOrder(LIST, req([{ sku: "MOTOR-B", quantity: 3, unitPrice: money("1.15e4") }, { sku: "INV-3K", quantity: 7 }], { discount: money("0.05") }));
    expect(p.lines[0]!.total.toFixed(2)).toBe("34500.00");
    expect(p.lines[0]!.discount.toFixed(4)).toBe("-0.4375");
    expect(p.lines[1]!.unitPrice.toFixed(2)).toBe("3040.00");
    expect(p.total.toFixed(2)).toBe("55780.00");
    // 1/3 off 600 is 400.00 exactly; 0.333 off is 400.20
    const q = priceOrder(LIST, req([{ sku: "CABLE-10", quantity: 1 }], { discount: money("0.333") }));
    expect(q.lines[0]!.unitPrice.toFixed(2)).toBe("400.20");
  });
});

describe("compliance", () => {
  it("refuses quantities that are not positive whole numbers and prices below a fen", () => {
    const f = checkRequest(req([{ sku: "MOTOR-A", quantity: 1.5 }, { sku: "SEAL", quantity: 0 }, { sku: "INV-3K", quantity: 2, unitPrice: money("3000.555") }]), new Map([["MOTOR-A", "电机A"], ["SEAL", "密封圈"], ["INV-3K", "变频器"]]));
    expect(f.map((x) => x.message)).toEqual([
      "电机A 的数量 1.5 不对：数量必须是正整数。",
      "密封圈 的数量 0 不对：数量必须是正整数。",
      "变频器 的单价 3000.555 不对：单价最多精确到分（两位小数）。",
    ]);
    expect(f.every((x) => x.severity === "refuse")).toBe(true);
  });

  it("refuses a price above list unless allowed, then flags it", () => {
    const p = priceOrder(LIST, req([{ sku: "MOTOR-A", quantity: 2, unitPrice: money("5200") }]));
    expect(checkPriced(p, rules)).toEqual([
      { code: "above_list", severity: "refuse", sku: "MOTOR-A", message: "电机A 单价 ¥5,200 高于价格表 ¥5,000（高于原价4%）：规则不允许高于价格表报价，请按价格表或更低的价格下单。" },
    ]);
    expect(checkPriced(p, { ...rules, allowAboveList: true })[0]).toMatchObject({ severity: "flag", message: "电机A 单价 ¥5,200 高于价格表 ¥5,000（高于原价4%），按规则允许，已标记。" });
  });

  it("flags a big order with both amounts", () => {
    const p = priceOrder(LIST, req([{ sku: "MOTOR-A", quantity: 124 }]));
    expect(checkPriced(p, rules)).toEqual([{ code: "big_order", severity: "flag", message: "订单金额 ¥620,000 ≥ 大单金额 ¥500,000，需要总监审批。" }]);
    const just = priceOrder(LIST, req([{ sku: "MOTOR-A", quantity: 100 }]));
    expect(checkPriced(just, rules).map((x) => x.code)).toEqual(["big_order"]); // at the threshold counts
  });
});

describe("approval plans", () => {
  const rep: ChainPerson = { id: "zhangsan", name: "张三", roles: ["rep"] };
  const manager: ChainPerson = { id: "wangwu", name: "王五", roles: ["manager", "rep"] };
  const director: ChainPerson = { id: "zhaoliu", name: "赵六", roles: ["director"] };
  const chain = [manager, director];
  const at = (unit: string, qty = 10) => priceOrder(LIST, req([{ sku: "MOTOR-A", quantity: qty, unitPrice: money(unit) }]));
  const approvers = (p: ReturnType<typeof planApproval>) => (p.kind === "steps" ? p.steps.map((s) => `${s.approverName}:${s.level}`) : "auto");

  it("within the rep's authority: approved at once", () => {
    expect(planApproval(rep, chain, at("4750"), rules)).toEqual({ kind: "auto" });
  });

  it("10% goes to the manager, naming the rule", () => {
    const p = planApproval(rep, chain, at("4500"), rules);
    expect(approvers(p)).toEqual(["王五:manager"]);
    expect(p.kind === "steps" && p.reasons).toEqual([{ code: "discount_over_limit", text: "折扣 10% 超出销售权限 5%" }]);
  });

  it("20% goes to the manager, then the director", () => {
    expect(approvers(planApproval(rep, chain, at("4000"), rules))).toEqual(["王五:manager", "赵六:director"]);
  });

  it("a big order within authority goes to the director", () => {
    const p = planApproval(rep, chain, at("5000", 124), rules);
    expect(approvers(p)).toEqual(["赵六:director"]);
    expect(p.kind === "steps" && p.reasons.map((r) => r.text)).toEqual(["订单金额 ¥620,000 ≥ 大单金额 ¥500,000"]);
  });

  it("a big order with a manager's discount: manager, then director", () => {
    expect(approvers(planApproval(rep, chain, at("4500", 124), rules))).toEqual(["王五:manager", "赵六:director"]);
  });

  it("a named director decides at director level", () => {
    const named: ChainPerson = { id: "sunba", name: "孙八", roles: ["director"] };
    expect(approvers(planApproval(rep, chain, at("4000"), { ...rules, director: "sunba" }, named))).toEqual(["王五:manager", "孙八:director"]);
  });

  it("above even the director's limit still goes to the director, and says so", () => {
    const p = planApproval(rep, chain, at("3000"), rules);
    expect(approvers(p)).toEqual(["王五:manager", "赵六:director"]);
    expect(p.kind === "steps" && p.reasons.map((r) => r.text)).toContain("折扣 40% 超出总监权限 30%，仍由总监赵六决定");
  });

  it("judges the deepest line, not only the order's mean", () => {
    const p = priceOrder(LIST, req([{ sku: "MOTOR-A", quantity: 1, unitPrice: money("4000") }, { sku: "MOTOR-B", quantity: 10 }]));
    const plan = planApproval(rep, chain, p, rules);
    expect(plan.kind === "steps" && plan.reasons[0]!.text).toBe("电机A 折扣 20% 超出销售权限 5%");
  });

  it("nobody above the rep: says whom to set", () => {
    expect(() => planApproval(rep, [], at("4500"), rules)).toThrow(AppError);
    expect(() => planApproval(rep, [], at("4500"), rules)).toThrow(/给张三设置 manager/);
    expect(() => planApproval(rep, [manager], at("5000", 124), rules)).toThrow(/rules\.approval\.director/);
  });
});

describe("order state machine", () => {
  it("allows exactly the moves in the table and refuses every other with a reason", () => {
    const legal: string[] = [];
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const allowed = ORDER_TRANSITIONS[from].includes(to);
        if (allowed) {
          expect(() => assertTransition(from, to)).not.toThrow();
          legal.push(`${from}>${to}`);
        } else {
          expect(() => assertTransition(from, to, "SO-1")).toThrow(AppError);
        }
      }
    }
    expect(legal).toEqual([
      "draft>pending_approval",
      "draft>approved",
      "draft>cancelled",
      "pending_approval>approved",
      "pending_approval>rejected",
      "pending_approval>cancelled",
      "approved>dispatched",
      "approved>cancelled",
      // A rejected order amended and resubmitted (approved at once or back to approval), or withdrawn for good.
      "rejected>pending_approval",
      "rejected>approved",
      "rejected>cancelled",
      "dispatched>shipped",
      "dispatched>cancelled",
      "shipped>delivered",
    ]);
    expect(() => assertTransition("shipped", "cancelled", "SO-20261204-001")).toThrow("订单 SO-20261204-001 已发货，不能改为已取消：货已发出，不能取消。");
  });
});
