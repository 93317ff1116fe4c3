// Price-list import: exact prices (never through a float), a price change opens a new price-list entry from now
// (orders keep theirs), the same file twice changes nothing, and one source of truth: while the org file lists
// products it is the price list and the import refuses; without `products:` the database is, and a restart
// (loading the org file again) leaves imported products alone.
import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDeps } from "../../src/cli/data-io.routes.ts";
import { exportData } from "../../src/domain/data-io/export.service.ts";
import { importFile } from "../../src/domain/data-io/import.service.ts";
import { syncOrg } from "../../src/domain/org/org.repo.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";
import { demoOrgWith } from "../support/demo-org.ts";
import { auditCount, NOW, orgDb, xlsxOf, type OrgDb } from "./setup.ts";

/** The demo organisation with its `products:` section taken out: the database keeps the price list. */
function orgWithoutProducts(): string {
  const yaml = readFileSync(DEMO_ORG_FILE, "utf8");
  const section = yaml.match(/^products:\n(?: {2}- .*\n)+/m)?.[0];
  if (!section) throw new Error("demo org changed: no products section; update this test");
  return demoOrgWith([[section, ""]]);
}

const PRICES = [
  "型号,品名,单位,标准价,别名,备注",
  "MOTOR-A,电机A,台,\"5,000.00\",A型电机,",
  "GEAR-9,减速机,台,4999.99,\"减速器,齿轮箱\",新品",
  "BIG-1,成套设备,套,¥123456789012.35,,",
  "GEAR-9,减速机,台,4999.99,减速器,", // the same product twice, agreeing: merged
].join("\n");

describe("the database keeps the price list (no products: in the org file)", () => {
  let o: OrgDb;
  beforeAll(async () => {
    o = await orgDb(orgWithoutProducts());
  });
  afterAll(() => o.db.destroy());

  it("bad prices and missing fields are reported by line; nothing written", async () => {
    const bad = await xlsxOf([
      ["产品名称", "型号", "单位", "单价"],
      ["电机C", "MOTOR-C", "台", 0.1 + 0.2], // a computed cell that is not a whole fen
      ["电机D", "MOTOR-D", "台", "4999.999"],
      ["电机E", null, "台", -5],
      ["电机F", "MOTOR-F", null, "免费"],
    ]);
    const r = await o.run({ kind: "products", bytes: bad, fileName: "prices.xlsx", dryRun: false });
    expect(r.status).toBe("refused");
    expect(r.problems).toEqual([
      { line: 2, message: "单价「0.30000000000000004」超过两位小数（精确到分）" },
      { line: 3, message: "单价「4999.999」超过两位小数（精确到分）" },
      { line: 4, message: "缺少型号（SKU/编码）" },
      { line: 4, message: "单价「-5」不是金额（例如 4999.50）" },
      { line: 5, message: "缺少单位（台、套、箱…）" },
      { line: 5, message: "单价「免费」不是金额（例如 4999.50）" },
    ]);
    expect(await o.db.prisma.product.count()).toBe(0);
  });

  it("imports exact prices with their price-list entries, audited; the same file again changes nothing", async () => {
    const r = await o.run({ kind: "products", bytes: PRICES, fileName: "prices.csv", dryRun: false });
    expect(r.status).toBe("applied");
    expect(r.merges).toEqual([{ lines: [3, 5], name: "减速机（GEAR-9）", into: "file" }]);
    const rows = await o.db.prisma.product.findMany({ orderBy: { sku: "asc" }, include: { prices: true } });
    expect(rows.map((p) => [p.sku, p.name, p.unit, p.price.toFixed(2), p.aliases, p.prices.map((x) => [x.price.toFixed(2), x.validFrom.toISOString(), x.validTo])])).toEqual([
      ["BIG-1", "成套设备", "套", "123456789012.35", [], [["123456789012.35", NOW.toISOString(), null]]],
      ["GEAR-9", "减速机", "台", "4999.99", ["减速器", "齿轮箱"], [["4999.99", NOW.toISOString(), null]]],
      ["MOTOR-A", "电机A", "台", "5000.00", ["A型电机"], [["5000.00", NOW.toISOString(), null]]],
    ]);
    const audit = await o.db.prisma.auditLog.findMany({ where: { eventId: r.runId! } });
    expect(audit.map((a) => `${a.actorId} ${a.action}`).sort()).toEqual(["admin import.products", "admin product.create", "admin product.create", "admin product.create"]);

    const n = await auditCount(o.db);
    const again = await o.run({ kind: "products", bytes: PRICES, fileName: "prices.csv", dryRun: false });
    expect(again.status).toBe("unchanged");
    expect(await auditCount(o.db)).toBe(n);
  });

  it("a new price closes the entry in force and opens one from now; loading the org file again keeps it", async () => {
    const later = new Date(NOW.getTime() + 86_400_000);
    const r = await importFile(importDeps(o.db.prisma, o.org, normalizeCompanyName, () => later), {
      kind: "products", bytes: Buffer.from("型号,品名,单位,单价\nMOTOR-A,电机A,台,5200.5\n"), fileName: "p.csv", dryRun: false,
    });
    expect(r.counts).toMatchObject({ updated: 1, pricesChanged: 1 });
    expect(r.warnings).toEqual([{ line: null, message: "数据库里另有 2 个在售产品不在这个文件里，保持不变（导入不停用产品）" }]);
    const prices = await o.db.prisma.productPrice.findMany({ where: { sku: "MOTOR-A" }, orderBy: { validFrom: "asc" } });
    expect(prices.map((p) => [p.price.toFixed(2), p.validTo?.toISOString() ?? null])).toEqual([["5000.00", later.toISOString()], ["5200.50", null]]);

    await syncOrg(o.db.prisma, o.org, later); // a restart
    const motor = await o.db.prisma.product.findUniqueOrThrow({ where: { sku: "MOTOR-A" } });
    expect([motor.price.toFixed(2), motor.active]).toEqual(["5200.50", true]);
    expect(await o.db.prisma.product.count({ where: { active: true } })).toBe(3);
  });

  it("the price list exported, then edited in Excel: unchanged as exported; one price edited in the workbook is the one change", async () => {
    const out = await exportData(o.db.prisma, "products", "xlsx", "Asia/Shanghai", NOW);
    const same = await o.run({ kind: "products", bytes: out.bytes, fileName: out.fileName, dryRun: false });
    expect(same.problems).toEqual([]);
    expect(same.status).toBe("unchanged");

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([undefined, "型号", "产品名称", "单位", "单价", "别名", "币种", "状态"]);
    ws.eachRow((row) => {
      if (row.getCell(1).value === "GEAR-9") row.getCell(4).value = 4899.9; // typed in Excel: a number cell
    });
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await o.run({ kind: "products", bytes: edited, fileName: "价格表.xlsx", dryRun: false });
    expect(r.status).toBe("applied");
    expect(r.changes).toEqual([{ lines: [3], name: "减速机（GEAR-9）", action: "update", fields: ["单价 4999.99→4899.90"] }]);
    expect((await o.db.prisma.product.findUniqueOrThrow({ where: { sku: "GEAR-9" } })).price.toFixed(2)).toBe("4899.90");
  });
});

describe("the org file keeps the price list", () => {
  let o: OrgDb;
  beforeAll(async () => {
    o = await orgDb();
  });
  afterAll(() => o.db.destroy());

  it("the import refuses, saying where the price list lives and how to move it", async () => {
    const r = await o.run({ kind: "products", bytes: PRICES, fileName: "prices.csv", dryRun: false });
    expect(r.status).toBe("refused");
    expect(r.problems[0]).toEqual({ line: null, message: expect.stringContaining("价格表由组织文件（ORG_FILE 里的 products:）管理") });
    expect((await o.db.prisma.product.findUniqueOrThrow({ where: { sku: "MOTOR-A" } })).price.toFixed(2)).toBe("5000.00");
  });
});
