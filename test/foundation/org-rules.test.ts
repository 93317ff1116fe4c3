// The rules of the organisation file: one shape, defaults when the file says nothing, and a clear stop at start
// for keys an older file used, for typos and for rules that cannot work (issue #9).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseOrgText, warehouseRouteFor } from "../../src/domain/org/org-file.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";

const PEOPLE = `users:
  - { id: rep1, name: 张三, roles: [rep], manager: mgr1 }
  - { id: mgr1, name: 王五, roles: [manager, rep], manager: dir1 }
  - { id: dir1, name: 赵六, roles: [director] }
  - { id: wh1, name: 陈七, roles: [warehouse] }
products:
  - { sku: MOTOR-A, name: 电机A, unit: 台, price: 5000 }
`;
const parse = (extra: string) => parseOrgText(PEOPLE + extra, "org.yaml");

describe("org file rules", () => {
  it("fills every rule with its default when the file says nothing", () => {
    const org = parse("");
    const { approval, dispatch, followUp, pool, schedule } = org.rules;
    expect({ ...approval, bigOrderAmount: approval.bigOrderAmount.toFixed(2) }).toEqual({
      discountLimits: { rep: 0.05, manager: 0.15, director: 0.3 },
      bigOrderAmount: "500000.00",
      remindAfterHours: 24,
      escalateAfterHours: 48,
      allowAboveList: false,
    });
    expect(approval.director).toBeUndefined();
    expect(dispatch).toEqual({ remindAfterHours: 4 });
    expect(followUp).toEqual({ defaultHour: 9, defaultDays: 3, escalateAfterHours: 24 });
    expect(pool).toEqual({ releaseAfterDays: 30, warnDaysBefore: 1, maxOwnedPerRep: 200, maxClaimsPerDay: 5 });
    expect(schedule).toEqual({ dailyTodo: "0 8 * * *", dailyMetrics: "0 19 * * *", weeklyMetrics: "0 9 * * 1", poolRelease: "0 2 * * *" });
    expect(org.warehouse).toEqual({ routes: [] });
  });

  it("fills the rest of a section that names only some keys", () => {
    const org = parse("rules:\n  approval: { discountLimits: { manager: 0.2 } }\n");
    expect(org.rules.approval.discountLimits).toEqual({ rep: 0.05, manager: 0.2, director: 0.3 });
    expect(org.rules.approval.remindAfterHours).toBe(24);
  });

  it("parses the demo file, in the new shape", () => {
    const org = parseOrgText(readFileSync(DEMO_ORG_FILE, "utf8"), DEMO_ORG_FILE);
    expect(org.rules.approval.discountLimits).toEqual({ rep: 0.05, manager: 0.15, director: 0.3 });
    expect(org.rules.approval.bigOrderAmount.toString()).toBe("500000");
    expect(org.rules.dispatch.remindAfterHours).toBe(4);
    expect(org.users.filter((u) => u.roles.includes("warehouse")).map((u) => u.id)).toEqual(["chenqi"]);
    expect(org.warehouse.routes).toEqual([]);
  });

  it.each([
    ["rules:\n  discountLimits: { rep: 0.05 }\n", "rules.discountLimits was moved: write rules.approval.discountLimits"],
    ["rules:\n  bigOrderAmount: 500000\n", "rules.bigOrderAmount was moved: write rules.approval.bigOrderAmount"],
    ["rules:\n  approval: { managerMaxDiscount: 0.15 }\n", "rules.approval.managerMaxDiscount was removed: the manager's limit is rules.approval.discountLimits.manager"],
    ["rules:\n  approval: { directorFromAmount: 500000 }\n", "rules.approval.directorFromAmount was removed: write rules.approval.bigOrderAmount"],
    ["warehouse: { users: [wh1] }\n", "warehouse.users was removed: give those people roles: [warehouse]"],
  ])("stops at a removed key and says what to write instead: %s", (extra, message) => {
    expect(() => parse(extra)).toThrow(message);
  });

  it("names every removed key of an old file at once, and nothing else about them", () => {
    const old = `warehouse: { users: [wh1] }
rules:
  discountLimits: { rep: 0.05, manager: 0.15, director: 0.3 }
  approval: { managerMaxDiscount: 0.15, directorFromAmount: 500000 }
  bigOrderAmount: 500000
`;
    let message = "";
    try {
      parse(old);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(5);
    expect(message).not.toMatch(/Unrecognized key/);
  });

  it("stops at an unknown key inside rules (a typo) instead of taking the default", () => {
    expect(() => parse("rules:\n  approval: { bigOrderAmont: 100000 }\n")).toThrow(/rules\.approval: Unrecognized key: "bigOrderAmont"/);
    expect(() => parse("rules:\n  aproval: {}\n")).toThrow(/rules: Unrecognized key: "aproval"/);
    expect(() => parse("rules:\n  pool: { maxClaimPerDay: 3 }\n")).toThrow(/rules\.pool: Unrecognized key/);
    expect(() => parse("warehouse: { route: [] }\n")).toThrow(/warehouse: Unrecognized key: "route"/);
  });

  it("wants limits that increase from rep to director", () => {
    expect(() => parse("rules:\n  approval: { discountLimits: { rep: 0.2, manager: 0.15 } }\n")).toThrow(/rules\.approval\.discountLimits: limits must increase: rep ≤ manager ≤ director/);
    expect(() => parse("rules:\n  approval: { discountLimits: { manager: 0.4 } }\n")).toThrow(/limits must increase/);
    expect(() => parse("rules:\n  approval: { discountLimits: { director: 1.5 } }\n")).toThrow(/rules\.approval\.discountLimits\.director/);
  });

  it("checks the director: a known person with the director role", () => {
    expect(parse("rules:\n  approval: { director: dir1 }\n").rules.approval.director).toBe("dir1");
    expect(() => parse("rules:\n  approval: { director: nobody }\n")).toThrow(/rules\.approval\.director: unknown user nobody/);
    expect(() => parse("rules:\n  approval: { director: mgr1 }\n")).toThrow(/rules\.approval\.director: mgr1 does not have the director role/);
  });

  it("checks warehouse routes: people with the warehouse role, known skus, somewhere to send", () => {
    const ok = parse(`warehouse:
  routes:
    - { skus: [MOTOR-A], users: [wh1] }
    - { region: 华南, wecomChat: "wrkSFfCgAAxxxx" }
    - { dingtalkGroup: "cidXXXX" }
`);
    expect(ok.warehouse.routes).toHaveLength(3);
    expect(() => parse("warehouse:\n  routes: [{ skus: [MOTOR-A], users: [rep1] }]\n")).toThrow(/warehouse\.routes\.0\.users\.0: rep1 does not have the warehouse role/);
    expect(() => parse("warehouse:\n  routes: [{ users: [ghost] }]\n")).toThrow(/warehouse\.routes\.0\.users\.0: unknown user ghost/);
    expect(() => parse("warehouse:\n  routes: [{ skus: [NOPE], users: [wh1] }]\n")).toThrow(/warehouse\.routes\.0\.skus\.0: unknown sku NOPE/);
    expect(() => parse("warehouse:\n  routes: [{ region: 华南 }]\n")).toThrow(/a route needs users, wecomChat or dingtalkGroup/);
  });

  it("routes a dispatch by the first route that matches", () => {
    const { routes } = parse(`warehouse:
  routes:
    - { skus: [MOTOR-A], users: [wh1] }
    - { region: 华南, wecomChat: "south" }
`).warehouse;
    expect(warehouseRouteFor(routes, { skus: ["MOTOR-A"], region: "华南" })?.users).toEqual(["wh1"]);
    expect(warehouseRouteFor(routes, { skus: ["X"], region: "华南" })?.wecomChat).toBe("south");
    expect(warehouseRouteFor(routes, { skus: ["X"], region: "华东" })).toBeUndefined(); // → everyone with the warehouse role
  });

  it("keeps amounts exact as written", () => {
    const org = parseOrgText(
      `${PEOPLE.replace("price: 5000", "price: 123456789012.35")}rules:\n  approval: { bigOrderAmount: 99999999999.99 }\n`,
      "org.yaml",
    );
    expect(org.products[0]!.price.toFixed(2)).toBe("123456789012.35");
    expect(org.rules.approval.bigOrderAmount.toFixed(2)).toBe("99999999999.99");
    // A figure a double cannot hold is refused for its decimals, not rounded into range first.
    expect(() => parseOrgText(PEOPLE.replace("price: 5000", "price: 0.100000000000000001"), "org.yaml")).toThrow(/products\.0\.price: at most two decimals/);
    expect(() => parseOrgText(PEOPLE.replace("price: 5000", "price: 0"), "org.yaml")).toThrow(/products\.0\.price: must be positive/);
  });
});
