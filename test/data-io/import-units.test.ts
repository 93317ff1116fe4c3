// The price-list import with one product in two units (电缆 by the 卷 and, cut to length, by the 米): rows are lines by
// SKU, so two rows of one name are two lines, each its own unit and exact list price, and the order engine's look-up
// finds the line a unit names. One SKU in two units is refused by line, nothing written. On the real database.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activePriceList } from "../../src/domain/orders/order.service.ts";
import { matchProductLine } from "../../src/domain/orders/product-match.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";
import { demoOrgWith } from "../support/demo-org.ts";
import { auditCount, NOW, orgDb, type OrgDb } from "./setup.ts";

/** The demo organisation without its `products:` section: the database keeps the price list (the import writes it). */
function orgWithoutProducts(): string {
  const section = readFileSync(DEMO_ORG_FILE, "utf8").match(/^products:\n(?: {2}- .*\n)+/m)?.[0];
  if (!section) throw new Error("demo org changed: no products section; update this test");
  return demoOrgWith([[section, ""]]);
}

describe("importing a product sold in two units", () => {
  let o: OrgDb;
  beforeAll(async () => {
    o = await orgDb(orgWithoutProducts());
  });
  afterAll(() => o.db.destroy());

  it("one SKU in two units is refused by line; nothing written", async () => {
    const r = await o.run({ kind: "products", bytes: "型号,品名,单位,单价\nCABLE-10,电缆,卷,600\nCABLE-10,电缆,米,7.5\n", fileName: "prices.csv", dryRun: false });
    expect(r.status).toBe("refused");
    expect(r.problems).toEqual([{ line: 3, message: "型号「CABLE-10」和第 2 行重复，但单位、单价不同" }]);
    expect(await o.db.prisma.product.count()).toBe(0);
  });

  it("two SKUs of one name: two lines, each its unit and exact price; the unit written finds its line", async () => {
    const csv = "型号,品名,单位,单价,别名\nCABLE-10,电缆,卷,600.00,10平方电缆\nCABLE-10-M,电缆,米,7.50,10平方电缆\n";
    const r = await o.run({ kind: "products", bytes: csv, fileName: "prices.csv", dryRun: false });
    expect(r.status).toBe("applied");
    const list = await activePriceList(o.db.prisma, NOW);
    expect(list.map((p) => `${p.sku} ${p.name} ${p.unit} ${p.price.toFixed(2)}`)).toEqual(["CABLE-10 电缆 卷 600.00", "CABLE-10-M 电缆 米 7.50"]);
    const line = (unit?: string) => {
      const m = matchProductLine("电缆", unit, list);
      return m.kind === "exact" ? m.product.sku : m.kind;
    };
    expect([line("米"), line("m"), line("卷"), line(undefined), line("箱")]).toEqual(["CABLE-10-M", "CABLE-10-M", "CABLE-10", "units", "unit_not_listed"]);
    const n = await auditCount(o.db);
    expect((await o.run({ kind: "products", bytes: csv, fileName: "prices.csv", dryRun: false })).status).toBe("unchanged");
    expect(await auditCount(o.db)).toBe(n);
  });
});
