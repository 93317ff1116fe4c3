// Money stays exact from the price list to the card (issue #9): float errors such as 0.1 + 0.2 cannot reach a
// total, and there is one way to show an amount.
import { describe, expect, it } from "vitest";
import { metricsCard } from "../../cards/metrics/metrics.card.ts";
import { visitConfirmCard } from "../../cards/visits/visit-confirm.card.ts";
import { discountFraction, formatCny, formatDiscount, hasAtMostDecimals, lineTotal, money, moneyText, sumMoney } from "../../src/core/money.ts";

describe("money", () => {
  it("sums lines exactly where floats do not", () => {
    expect(0.1 + 0.2).not.toBe(0.3); // the errors this module exists to keep out
    expect(1.15 * 100).not.toBe(115);
    expect(lineTotal(100, 1.15).toString()).toBe("115");
    const total = sumMoney([lineTotal(1, "0.1"), lineTotal(1, 0.2), lineTotal(10000, 1.15)]);
    expect(total.toFixed(2)).toBe("11500.30");
    expect(moneyText(sumMoney(["0.1", "0.2"]))).toBe("0.30");
    expect(sumMoney([]).toFixed(2)).toBe("0.00");
  });

  it("keeps a parsed 1.15万 at 11500.00", () => {
    expect(moneyText(lineTotal(10000, "1.15"))).toBe("11500.00");
    // A parser's number is read through its decimal text, and a float error below the fen is rounded away.
    expect(moneyText(1.15 * 100)).toBe("115.00");
    expect(moneyText(11500)).toBe("11500.00");
  });

  it("reads Prisma's Decimal through its text", () => {
    const prismaLike = { toString: () => "123456789012.35", toNumber: () => 123456789012.35 };
    expect(money(prismaLike).toFixed(2)).toBe("123456789012.35");
    expect(() => money("abc")).toThrow(/not an amount/);
    expect(() => money(Number.NaN)).toThrow(/not an amount/);
  });

  it("formats exactly, also for big totals", () => {
    expect(formatCny("123456789012.35")).toBe("¥123,456,789,012.35");
    expect(formatCny(sumMoney(["99999999999999.99", "0.01"]))).toBe("¥100,000,000,000,000");
    expect(formatCny(50000)).toBe("¥50,000");
    expect(formatCny("20000.50")).toBe("¥20,000.5");
    expect(formatCny("0")).toBe("¥0");
    expect(formatCny("999.995")).toBe("¥1,000"); // half up to the fen
    expect(formatCny("-1234.5")).toBe("-¥1,234.5");
  });

  it("computes and shows discounts", () => {
    expect(discountFraction("4500", "5000").toString()).toBe("0.1");
    expect(discountFraction("1", "3").toString()).toBe("0.6667");
    expect(formatDiscount(0.1)).toBe("9折");
    expect(formatDiscount("0.05")).toBe("95折");
    expect(formatDiscount(0.125)).toBe("87.5折");
    expect(formatDiscount(0)).toBe("原价");
    expect(formatDiscount(0.1, "percent")).toBe("10%");
    expect(formatDiscount(-0.05)).toBe("高于原价5%");
  });

  it("checks decimals exactly", () => {
    expect(hasAtMostDecimals("1.005")).toBe(false);
    expect(hasAtMostDecimals(1.1)).toBe(true);
    expect(hasAtMostDecimals("12.30")).toBe(true);
    expect(hasAtMostDecimals(Number.POSITIVE_INFINITY)).toBe(false);
  });

  it("reaches the cards exactly", () => {
    const visit = visitConfirmCard({ ref: "r", customerName: "华东机电", newCustomer: false, inPool: false, summary: "s", amount: lineTotal(10000, "1.15"), timeZone: "Asia/Shanghai" });
    expect(visit.fields?.find((f) => f.label === "金额")?.value).toBe("¥11,500");
    const big = visitConfirmCard({ ref: "r", customerName: "华东机电", newCustomer: false, inPool: false, summary: "s", amount: "123456789012.35", timeZone: "Asia/Shanghai" });
    expect(big.fields?.find((f) => f.label === "金额")?.value).toBe("¥123,456,789,012.35");
    const metrics = metricsCard({
      ref: "m", periodLabel: "今天", scopeLabel: "张三", from: new Date(0), to: new Date(0), visitsByKind: [], newCustomers: 0,
      orders: { count: 3, amount: "123456789012.35" }, pendingApprovals: 0, overdue: 0, funnel: [], timeZone: "Asia/Shanghai",
    });
    expect(metrics.fields?.find((f) => f.label === "订单")?.value).toBe("3 单 · ¥123,456,789,012.35");
  });
});
