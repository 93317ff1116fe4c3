// warehouse.routes by SKU when one product is sold in several units (电缆: CABLE-10 by the 卷, CABLE-10-M by the
// 米, each its own SKU): a route naming one SKU of the product covers the product's other units too, unless a route
// that holds for the order (its region included) names that SKU itself — the more specific route wins, wherever it
// is listed. The rule alone (warehouseRouteFor with the demo price list's products), then through the playground's
// real HTTP API on the real database: a 米 order of 电缆 reaches the person the 卷 route names, not the whole
// warehouse; a route for the 米 SKU itself wins for its region.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { productSkusOf } from "../../src/domain/orders/product-match.ts";
import { parseOrgText, warehouseRouteFor, type WarehouseRoute } from "../../src/domain/org/org-file.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";
import { demoOrgWith } from "../support/demo-org.ts";
import { playgroundBot, type PlaygroundBot } from "../support/playground-bot.ts";
import { eventually } from "../support/test-bot.ts";

const { products } = parseOrgText(readFileSync(DEMO_ORG_FILE, "utf8"), DEMO_ORG_FILE);
const route = (routes: WarehouseRoute[], skus: string[], region?: string) =>
  warehouseRouteFor(routes, { skus, region: region ?? null }, (sku) => productSkusOf(sku, products))?.users?.[0] ?? "role";

describe("the route of a product covers its units' SKUs", () => {
  it("productSkusOf: the lines of one product in units of their own; a one-line product or an unknown SKU is itself", () => {
    expect(productSkusOf("CABLE-10", products)).toEqual(["CABLE-10", "CABLE-10-M"]);
    expect(productSkusOf("CABLE-10-M", products)).toEqual(["CABLE-10-M", "CABLE-10"]);
    expect(productSkusOf("MOTOR-A", products)).toEqual(["MOTOR-A"]); // 电机A and 电机B are two products, not two units
    expect(productSkusOf("NOPE", products)).toEqual(["NOPE"]);
  });

  it("a route for CABLE-10 takes CABLE-10-M, before a later catch-all route", () => {
    const routes: WarehouseRoute[] = [{ skus: ["CABLE-10"], users: ["cable"] }, { region: "华南", users: ["south"] }];
    expect(route(routes, ["CABLE-10-M"])).toBe("cable");
    expect(route(routes, ["CABLE-10-M"], "华南")).toBe("cable");
    expect(route(routes, ["CABLE-10"], "华南")).toBe("cable");
    expect(route(routes, ["MOTOR-A"], "华南")).toBe("south");
    expect(route(routes, ["MOTOR-A", "CABLE-10-M"])).toBe("cable");
    // Without the products (the old reading), the 米 SKU was not covered: the default stays SKU by SKU.
    expect(warehouseRouteFor(routes, { skus: ["CABLE-10-M"], region: "华南" })?.users).toEqual(["south"]);
  });

  it("a route naming the SKU itself wins over the product's route, wherever it is listed; for its own region only", () => {
    const routes: WarehouseRoute[] = [{ skus: ["CABLE-10"], users: ["roll"] }, { skus: ["CABLE-10-M"], region: "华北", users: ["metre-north"] }];
    expect(route(routes, ["CABLE-10-M"], "华北")).toBe("metre-north");
    expect(route(routes, ["CABLE-10-M"], "华东")).toBe("roll"); // the 米 route does not hold here: the product's covers it
    expect(route(routes, ["CABLE-10"], "华北")).toBe("roll"); // the 米 route never takes the 卷 SKU
    const both: WarehouseRoute[] = [{ skus: ["CABLE-10"], users: ["roll"] }, { skus: ["CABLE-10-M"], users: ["metre"] }];
    expect(route(both, ["CABLE-10-M"])).toBe("metre");
    expect(route(both, ["CABLE-10"])).toBe("roll");
    expect(route([...both].reverse(), ["CABLE-10"])).toBe("roll");
    // An order with both lines goes, as any order with several lines, to the first route that takes one of them.
    expect(route(both, ["CABLE-10-M", "CABLE-10"])).toBe("roll");
    // A route's region still has to hold: a 卷 route for 华南 takes no 米 order elsewhere.
    expect(route([{ skus: ["CABLE-10"], region: "华南", users: ["south-cable"] }], ["CABLE-10-M"], "华东")).toBe("role");
    expect(route([{ skus: ["CABLE-10"], region: "华南", users: ["south-cable"] }], ["CABLE-10-M"], "华南")).toBe("south-cable");
  });
});

const texts = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "text" ? [i.text] : []));
const waitText = (t: PlaygroundBot, u: string, re: RegExp) => eventually(async () => (await texts(t, u)).find((x) => re.test(x)), `a text ${re} for ${u}`);
const notices = async (t: PlaygroundBot, u: string) => (await t.pg.botItems(u)).flatMap((i) => (i.type === "card" && i.card.purpose === "dispatch_notice" ? [i.card] : []));
const noticeFor = (t: PlaygroundBot, u: string, customer: string) =>
  eventually(async () => (await notices(t, u)).find((c) => JSON.stringify(c).includes(customer)), `${u}'s notice for ${customer}`);

/** The demo organisation with two more warehouse people: 周八 takes cables (the 卷 SKU), 吴九 the 米 SKU in 华北 only. */
const orgWithCableRoutes = () =>
  demoOrgWith(
    [["  - { id: admin,", "  - { id: zhouba, name: 周八, roles: [warehouse], wecom: ZhouBa }\n  - { id: wujiu, name: 吴九, roles: [warehouse], wecom: WuJiu }\n  - { id: admin,"]],
    "\nwarehouse:\n  routes:\n    - { skus: [CABLE-10], users: [zhouba] }\n    - { skus: [CABLE-10-M], region: 华北, users: [wujiu] }\n",
  );

describe("dispatch of a 米 order of 电缆 through the playground", () => {
  const t = playgroundBot(() => ({ ORG_FILE: orgWithCableRoutes() }));

  async function customer(name: string, region?: string) {
    await t.db.customer.create({
      data: {
        name, normalizedName: normalizeCompanyName(name), ownerId: "zhangsan", aliases: [], tags: [], ...(region ? { region } : {}),
        address: "杭州市滨江区江南大道1号", contacts: { create: { name: "孙经理", phone: "13700001111" } },
      },
    });
  }

  it("电缆 300米 goes to the person the 卷 route names, not to the whole warehouse", async () => {
    await customer("滨江电气有限公司");
    await t.pg.say("zhangsan", "下单 滨江电气 电缆 300米");
    const notice = await noticeFor(t, "zhouba", "滨江电气");
    const number = notice.title.replace("发货通知 ", "");
    expect(JSON.stringify(notice)).toContain("电缆");
    expect(await waitText(t, "zhangsan", new RegExp(`订单 ${number} 已通知仓库发货（周八）`))).toBeTruthy();
    expect((await t.db.orderLine.findMany({ where: { order: { number } }, select: { sku: true, quantity: true } }))).toEqual([{ sku: "CABLE-10-M", quantity: 300 }]);
    expect((await notices(t, "chenqi")).map((c) => c.title)).not.toContain(`发货通知 ${number}`);
    expect((await notices(t, "wujiu")).map((c) => c.title)).not.toContain(`发货通知 ${number}`);
  });

  it("in 华北, where a route names the 米 SKU itself, that route wins; the 卷 SKU still goes by its own route", async () => {
    await customer("北方线缆有限公司", "华北");
    await t.pg.say("zhangsan", "下单 北方线缆 电缆 200米");
    const metre = await noticeFor(t, "wujiu", "北方线缆");
    expect(await waitText(t, "zhangsan", new RegExp(`订单 ${metre.title.replace("发货通知 ", "")} 已通知仓库发货（吴九）`))).toBeTruthy();
    await t.pg.say("zhangsan", "下单 北方线缆 电缆 3卷");
    const roll = await eventually(async () => (await notices(t, "zhouba")).find((c) => JSON.stringify(c).includes("北方线缆")), "周八's notice for the 卷 order");
    expect(roll.title).not.toBe(metre.title);
    expect(await waitText(t, "zhangsan", new RegExp(`订单 ${roll.title.replace("发货通知 ", "")} 已通知仓库发货（周八）`))).toBeTruthy();
    expect((await notices(t, "chenqi")).filter((c) => JSON.stringify(c).includes("北方线缆"))).toHaveLength(0);
  });
});
