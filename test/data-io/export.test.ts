// Export: the files opened back with exceljs and csv-parse and compared cell by cell with the database (times as
// Asia/Shanghai wall clock, amounts exact with a ¥ format, counts as integers, Chinese headers, CSV with a BOM);
// and the round trip: an export imported again changes nothing, and into an empty database gives the same customers.
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportData } from "../../src/domain/data-io/export.service.ts";
import type { TestDatabase } from "../support/fresh-database.ts";
import { NOW, orgDb, type OrgDb } from "./setup.ts";

const TZ = "Asia/Shanghai";
const SEED = [
  "客户名称,联系人,职位,电话,负责人,阶段,地区,级别,地址,标签,简称",
  "上海华东机电设备有限公司,王经理,采购经理,13800138000,张三,方案报价,上海,A,浦东新区张江路1号,\"重点,老客户\",华东",
  "上海华东机电设备有限公司,李工,,13900001111,,,,,,,",
  "宁波东方轴承有限公司,钱经理,,13800000001,李四,已接触,浙江 宁波,B,,,",
  "苏州恒力泵业有限公司,,,051266668888,,商务谈判,,,,,",
  "\"北京\"\"星光\"\"科技, 有限公司\",赵总,,+8613600000000,王五,成交,北京,C,,,",
].join("\n");

async function sheetRows(bytes: Buffer): Promise<{ ws: ExcelJS.Worksheet; rows: unknown[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { ws, rows };
}

/** Excel holds a wall clock, to the second: the Date whose UTC fields read Shanghai's clock (always UTC+8). */
const wall = (d: Date | null) => (d ? new Date(Math.floor(d.getTime() / 1000) * 1000 + 8 * 3600_000) : undefined);
const shanghaiText = (d: Date | null) => (d ? wall(d)!.toISOString().slice(0, 16).replace("T", " ") : "");

async function customerState(db: TestDatabase) {
  const rows = await db.prisma.customer.findMany({ where: { deletedAt: null }, include: { contacts: { where: { deletedAt: null } } } });
  return rows
    .map((c) => ({
      name: c.name, normalizedName: c.normalizedName, ownerId: c.ownerId, stage: c.stage, level: c.level, industry: c.industry, region: c.region, address: c.address,
      tags: [...c.tags].sort(), aliases: [...c.aliases].sort(), contacts: c.contacts.map((p) => [p.name, p.title, p.phone]).sort(),
    }))
    .sort((a, b) => a.normalizedName.localeCompare(b.normalizedName));
}

let o: OrgDb;
let orderNumber: string;
beforeAll(async () => {
  o = await orgDb();
  const r = await o.run({ kind: "customers", bytes: SEED, fileName: "seed.csv", dryRun: false });
  expect(r.status).toBe("applied");
  const hd = await o.db.prisma.customer.findFirstOrThrow({ where: { normalizedName: "华东机电" } });
  const order = await o.db.prisma.order.create({
    data: {
      number: "SO-20261123-001", customerId: hd.id, repId: "zhangsan", status: "approved", listTotal: "1032000.00", total: "928799.99", discount: "0.1000", reason: "量大",
      createdAt: new Date("2026-11-23T01:30:00Z"),
      lines: { create: [
        { sku: "MOTOR-A", quantity: 200, listPrice: "5000.00", unitPrice: "4500.00" },
        { sku: "PLC-S7", quantity: 3, listPrice: "12000.00", unitPrice: "9599.33", shippedQty: 1 },
      ] },
    },
  });
  orderNumber = order.number;
  await o.db.prisma.activity.create({
    data: { customerId: hd.id, userId: "zhangsan", summary: "谈下季度电机需求", rawText: "今天拜访了华东机电的王经理，下季度要200台电机", occurredAt: new Date("2026-11-22T16:05:00Z"), nextAction: "带报价再去", dueAt: new Date("2026-11-25T01:00:00Z"), quantity: 200, amount: "900000.10" },
  });
  await o.db.prisma.activity.create({ data: { customerId: hd.id, userId: "zhangsan", summary: "撤销的", rawText: "x", occurredAt: NOW, undoneAt: NOW } });
});
afterAll(() => o.db.destroy());

describe("customers", () => {
  it("xlsx: one row per contact, typed cells equal to the database", async () => {
    const out = await exportData(o.db.prisma, "customers", "xlsx", TZ, NOW);
    expect(out.fileName).toBe("customers-20261123.xlsx");
    const { ws, rows } = await sheetRows(out.bytes);
    expect(rows[0]).toEqual(["客户名称", "简称", "负责人", "负责人账号", "阶段", "级别", "行业", "地区", "地址", "标签", "联系人", "职位", "电话", "最近跟进", "创建时间"]);
    const db = await o.db.prisma.customer.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { owner: true, contacts: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } } });
    const STAGES: Record<string, string> = { proposal: "方案报价", contacted: "已接触", negotiation: "商务谈判", won: "成交" };
    const expected = db.flatMap((c) => (c.contacts.length ? c.contacts : [null]).map((p) => [
      c.name, c.aliases.join("、") || undefined, c.owner?.name, c.ownerId ?? undefined, STAGES[c.stage], c.level ?? undefined, c.industry ?? undefined, c.region ?? undefined,
      c.address ?? undefined, c.tags.join("、") || undefined, p?.name, p?.title ?? undefined, p?.phone ?? undefined, wall(c.lastFollowUpAt), wall(c.createdAt),
    ]));
    // exceljs leaves trailing empty cells out of a row's values
    const trim = (r: unknown[]) => { const a = [...r]; while (a.length && a[a.length - 1] === undefined) a.pop(); return a; };
    expect(rows.slice(1).map(trim)).toEqual(expected.map(trim));
    expect(rows).toHaveLength(1 + 5);
    expect(ws.getRow(2).getCell(15).numFmt).toBe("yyyy-mm-dd hh:mm");
    expect(typeof ws.getRow(2).getCell(13).value).toBe("string"); // a phone stays text (leading 0, +86)
  });

  it("csv: UTF-8 with a BOM, the same cells as text", async () => {
    const out = await exportData(o.db.prisma, "customers", "csv", TZ, NOW);
    expect([...out.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(out.bytes, { bom: true }) as string[][];
    const star = rows.find((r) => r[0]!.includes("星光"))!;
    expect(star.slice(0, 13)).toEqual(['北京"星光"科技, 有限公司', "", "王五", "wangwu", "成交", "C", "", "北京", "", "", "赵总", "", "+8613600000000"]);
    const created = (await o.db.prisma.customer.findFirstOrThrow({ where: { name: { contains: "星光" } } })).createdAt;
    expect(star[14]).toBe(shanghaiText(created));
    expect(rows.filter((r) => r[0] === "上海华东机电设备有限公司").map((r) => r[10])).toEqual(["王经理", "李工"]);
  });

  it("round trip: the export imported again changes nothing, and into an empty database gives the same customers", async () => {
    const xlsx = await exportData(o.db.prisma, "customers", "xlsx", TZ, NOW);
    const csv = await exportData(o.db.prisma, "customers", "csv", TZ, NOW);
    for (const out of [xlsx, csv]) {
      const again = await o.run({ kind: "customers", bytes: out.bytes, fileName: out.fileName, dryRun: false });
      expect(again.problems).toEqual([]);
      expect(again.columns.filter((c) => !c.field).map((c) => c.header)).toEqual(["最近跟进", "创建时间"]);
      expect(again.status, out.fileName).toBe("unchanged");
    }
    const empty = await orgDb();
    try {
      expect((await empty.run({ kind: "customers", bytes: xlsx.bytes, fileName: xlsx.fileName, dryRun: false })).status).toBe("applied");
      expect(await customerState(empty.db)).toEqual(await customerState(o.db));
      // The CSV of the same data then finds nothing to change there either.
      expect((await empty.run({ kind: "customers", bytes: csv.bytes, fileName: csv.fileName, dryRun: false })).status).toBe("unchanged");
    } finally {
      await empty.db.destroy();
    }
  });
});

describe("orders and activities", () => {
  it("orders: one row per line, amounts exact with a ¥ format, quantities integers, the order's totals as the engine stored them", async () => {
    const { ws, rows } = await sheetRows((await exportData(o.db.prisma, "orders", "xlsx", TZ, NOW)).bytes);
    expect(rows[0]).toEqual(["订单号", "下单时间", "客户", "销售", "状态", "型号", "产品", "单位", "数量", "标价", "成交单价", "金额", "已发货数量", "订单标价合计", "订单金额", "折扣", "折扣理由"]);
    const when = new Date(Date.UTC(2026, 10, 23, 9, 30)); // 09:30 in Shanghai
    expect(rows.slice(1)).toEqual([
      [orderNumber, when, "上海华东机电设备有限公司", "张三", "已批准", "MOTOR-A", "电机A", "台", 200, 5000, 4500, 900000, 0, 1032000, 928799.99, 0.1, "量大"],
      [orderNumber, when, "上海华东机电设备有限公司", "张三", "已批准", "PLC-S7", "PLC控制器", "套", 3, 12000, 9599.33, 28797.99, 1, 1032000, 928799.99, 0.1, "量大"],
    ]);
    expect(ws.getRow(2).getCell(12).numFmt).toBe('"¥"#,##0.00');
    expect(ws.getRow(2).getCell(9).numFmt).toBe("0");
    expect(ws.getRow(2).getCell(16).numFmt).toBe("0.00%");

    const csv = parse((await exportData(o.db.prisma, "orders", "csv", TZ, NOW)).bytes, { bom: true }) as string[][];
    expect(csv[2]).toEqual([orderNumber, "2026-11-23 09:30", "上海华东机电设备有限公司", "张三", "已批准", "PLC-S7", "PLC控制器", "套", "3", "12000.00", "9599.33", "28797.99", "1", "1032000.00", "928799.99", "10%", "量大"]);
  });

  it("activities: undone ones left out, times in Shanghai", async () => {
    const { rows } = await sheetRows((await exportData(o.db.prisma, "activities", "xlsx", TZ, NOW)).bytes);
    expect(rows[0]).toEqual(["时间", "客户", "销售", "类型", "联系人", "内容", "下一步", "下次跟进", "数量", "金额", "原文"]);
    expect(rows.slice(1)).toEqual([
      [new Date(Date.UTC(2026, 10, 23, 0, 5)), "上海华东机电设备有限公司", "张三", "拜访", undefined, "谈下季度电机需求", "带报价再去", new Date(Date.UTC(2026, 10, 25, 9, 0)), 200, 900000.1, "今天拜访了华东机电的王经理，下季度要200台电机"],
    ]);
  });
});
