// What the price look-up promises a rep: the floor it shows is exactly what the order engine approves at once.
// Property-tested against the real approval plan and pricing: any list price (fen), any limit (4 decimals) and
// role — an order at the floor needs nobody, and a fen below the floor is (by exact arithmetic) over the limit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal, discountFraction, money } from "../../src/core/money.ts";
import { RulesSchema } from "../../src/domain/org/org-file.ts";
import { planApproval, type ChainPerson } from "../../src/domain/orders/approval-plan.ts";
import { authorityFor, floorPrice, quote, quoteTotal } from "../../src/domain/orders/price-quote.ts";
import { priceOrder } from "../../src/domain/orders/pricing.ts";

const chain: ChainPerson[] = [{ id: "m", name: "王五", roles: ["manager"] }, { id: "d", name: "赵六", roles: ["director"] }];

describe("the price look-up's floor", () => {
  it("is list × (1 − limit) rounded up to the fen: ¥5,000 at 5% → ¥4,750; ¥3,333.33 at 5% → ¥3,166.67", () => {
    expect(floorPrice(money("5000"), money("0.05")).toFixed(2)).toBe("4750.00");
    expect(floorPrice(money("3333.33"), money("0.05")).toFixed(2)).toBe("3166.67");
    expect(floorPrice(money("0.3"), money("0.05")).toFixed(2)).toBe("0.29");
  });

  it("per role: the highest of the person's limits; an admin (no limit role) gets none", () => {
    const rules = RulesSchema.parse({}).approval;
    expect(authorityFor({ id: "z", name: "张三", roles: ["rep"] }, rules).limit?.toString()).toBe("0.05");
    expect(authorityFor({ id: "w", name: "王五", roles: ["manager", "rep"] }, rules)).toMatchObject({ role: "manager" });
    expect(authorityFor({ id: "a", name: "管理员", roles: ["admin"] }, rules).limit).toBeNull();
    const [q] = quote([{ sku: "MOTOR-A", name: "电机A", unit: "台", price: money("5000") }], authorityFor({ id: "a", name: "管理员", roles: ["admin"] }, rules));
    expect(q!.floor).toBeNull();
  });

  it("an order at the floor is approved at once; a fen below it is over the limit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 100_000_000 }), // list price in fen
        fc.integer({ min: 1, max: 5000 }), // rep limit in 1/10000
        fc.integer({ min: 1, max: 50 }), // quantity
        (fen, bp, quantity) => {
          const list = new Decimal(fen).div(100);
          const limit = new Decimal(bp).div(10000);
          const rules = RulesSchema.parse({ approval: { discountLimits: { rep: limit.toNumber(), manager: 0.6, director: 0.9 }, bigOrderAmount: 1e12 } }).approval;
          const rep = { id: "z", name: "张三", roles: ["rep"] };
          const [q] = quote([{ sku: "S", name: "货", unit: "台", price: list }], authorityFor(rep, rules));
          const floor = q!.floor!;
          const priced = priceOrder([{ sku: "S", name: "货", unit: "台", listPrice: list }], { customerId: "c", lines: [{ sku: "S", quantity, unitPrice: floor }] });
          expect(planApproval(rep, chain, priced, rules)).toEqual({ kind: "auto" });
          // Exactly (not at 4 decimals): the floor is within the limit, a fen less is not.
          expect(new Decimal(1).minus(floor.div(list)).lte(limit)).toBe(true);
          const below = floor.minus("0.01");
          if (below.gt(0)) expect(new Decimal(1).minus(below.div(list)).gt(limit)).toBe(true);
          expect(discountFraction(floor, list).lte(limit)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the price look-up's total (电机A 200台多少钱)", () => {
  it("¥5,000 × 200 at 5%: ¥1,000,000, at the floor ¥950,000; both reach ¥500,000. ¥7.5 × 3: ¥22.5 and ¥21.39 (¥7.13 a metre)", () => {
    const rules = RulesSchema.parse({}).approval;
    const rep = authorityFor({ id: "z", name: "张三", roles: ["rep"] }, rules);
    const [motor, cable] = quote([{ sku: "MOTOR-A", name: "电机A", unit: "台", price: money("5000") }, { sku: "CABLE-10-M", name: "电缆", unit: "米", price: money("7.5") }], rep);
    const t = quoteTotal([{ product: motor!, quantity: 200 }], rep);
    expect([t.listTotal.toFixed(2), t.floorTotal!.toFixed(2), t.bigAtList, t.bigAtFloor]).toEqual(["1000000.00", "950000.00", true, true]);
    const c = quoteTotal([{ product: cable!, quantity: 3 }], rep);
    expect([c.listTotal.toFixed(2), c.floorTotal!.toFixed(2), c.bigAtList]).toEqual(["22.50", "21.39", false]);
    const edge = quoteTotal([{ product: motor!, quantity: 100 }], rep); // ¥500,000 at list is big (≥), ¥475,000 is not
    expect([edge.bigAtList, edge.bigAtFloor]).toEqual([true, false]);
    const admin = authorityFor({ id: "a", name: "管理员", roles: ["admin"] }, rules);
    expect(quoteTotal([{ product: quote([{ sku: "S", name: "货", unit: "台", price: money("5000") }], admin)[0]!, quantity: 2 }], admin).floorTotal).toBeNull();
  });

  it("is what the order engine makes of the same lines: the totals exactly, the director needed exactly when it says", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ fen: fc.integer({ min: 1, max: 10_000_000 }), quantity: fc.integer({ min: 1, max: 500 }) }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 3000 }), // rep limit in 1/10000
        fc.integer({ min: 1, max: 200_000_000 }), // big-order amount in fen
        (rows, bp, bigFen) => {
          const limit = new Decimal(bp).div(10000);
          const big = new Decimal(bigFen).div(100);
          const rules = RulesSchema.parse({ approval: { discountLimits: { rep: limit.toNumber(), manager: 0.6, director: 0.9 }, bigOrderAmount: big.toNumber() } }).approval;
          const rep = { id: "z", name: "张三", roles: ["rep"] };
          const list = rows.map((r, i) => ({ sku: `S${i}`, name: `货${i}`, unit: "台", price: new Decimal(r.fen).div(100) }));
          const authority = authorityFor(rep, rules);
          const t = quoteTotal(quote(list, authority).map((product, i) => ({ product, quantity: rows[i]!.quantity })), authority);
          const entries = list.map((p) => ({ sku: p.sku, name: p.name, unit: p.unit, listPrice: p.price }));
          const at = (price: (i: number) => Decimal) => priceOrder(entries, { customerId: "c", lines: rows.map((r, i) => ({ sku: `S${i}`, quantity: r.quantity, unitPrice: price(i) })) });
          const atList = at((i) => list[i]!.price);
          const atFloor = at((i) => t.lines[i]!.product.floor ?? list[i]!.price);
          expect(t.listTotal.eq(atList.total)).toBe(true);
          expect((t.floorTotal ?? t.listTotal).eq(atFloor.total)).toBe(true);
          expect(t.lines.map((l) => l.listTotal.toFixed(2))).toEqual(atList.lines.map((l) => l.total.toFixed(2)));
          // At the floor nothing is over the rep's limit: only the amount can call for anyone, and then the director.
          const plan = planApproval(rep, chain, atFloor, rules);
          if (t.bigAtFloor) expect(plan).toMatchObject({ kind: "steps", steps: [{ approverId: "d" }], reasons: [{ code: "big_order" }] });
          else expect(plan).toEqual({ kind: "auto" });
          expect(planApproval(rep, chain, atList, rules).kind === "steps").toBe(t.bigAtList);
        },
      ),
      { numRuns: 300 },
    );
  });
});
