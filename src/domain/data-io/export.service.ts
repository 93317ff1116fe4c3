// What `npm run export` writes: customers (one row per contact, so a customer with three contacts has three rows
// that the import merges back into one customer), orders (one row per order line, with the order's totals from
// the order engine, never re-added here), activities (visits, calls, messages; undone ones left out) and the price
// list (products, in the columns the products import reads back).
import { STAGE_LABELS } from "../customers/customer-fields.ts";
import { lineTotal } from "../../core/money.ts";
import { ORDER_STATUS_LABELS } from "../orders/order-state.ts";
import type { DbClient, Tx } from "../tx.ts";
import { localText, writeCsv, writeXlsx, type Column, type TypedTable, type Value } from "./table-writers.ts";

export type ExportKind = "customers" | "orders" | "activities" | "products";
export type ExportFormat = "csv" | "xlsx";

const col = (header: string, type: Column["type"] = "text", width?: number): Column => ({ header, type, ...(width ? { width } : {}) });

export const CUSTOMER_COLUMNS = [
  col("客户名称", "text", 28), col("简称"), col("负责人"), col("负责人账号"), col("阶段"), col("级别", "text", 6), col("行业"), col("地区"),
  col("地址", "text", 30), col("标签"), col("联系人"), col("职位"), col("电话", "text", 15), col("最近跟进", "datetime"), col("创建时间", "datetime"),
];

async function customersTable(tx: Tx): Promise<TypedTable> {
  const rows = await tx.customer.findMany({
    where: { deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { owner: { select: { name: true } }, contacts: { where: { deletedAt: null }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  });
  const out: Value[][] = [];
  for (const c of rows) {
    const base: Value[] = [
      c.name, c.aliases.join("、") || null, c.owner?.name ?? null, c.ownerId, STAGE_LABELS[c.stage] ?? c.stage, c.level, c.industry, c.region, c.address, c.tags.join("、") || null,
    ];
    const contacts = c.contacts.length ? c.contacts : [null];
    for (const p of contacts) out.push([...base, p?.name ?? null, p?.title ?? null, p?.phone ?? null, c.lastFollowUpAt, c.createdAt]);
  }
  return { sheet: "客户", columns: CUSTOMER_COLUMNS, rows: out };
}

export const ORDER_COLUMNS = [
  col("订单号", "text", 18), col("下单时间", "datetime"), col("客户", "text", 28), col("销售"), col("状态"), col("型号"), col("产品"), col("单位", "text", 6),
  col("数量", "integer"), col("标价", "money"), col("成交单价", "money"), col("金额", "money"), col("已发货数量", "integer"),
  col("订单标价合计", "money"), col("订单金额", "money"), col("折扣", "percent"), col("折扣理由", "text", 24),
];

async function ordersTable(tx: Tx): Promise<TypedTable> {
  const orders = await tx.order.findMany({
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { customer: { select: { name: true } }, rep: { select: { name: true } }, lines: { orderBy: { id: "asc" }, include: { product: { select: { name: true, unit: true } } } } },
  });
  const out: Value[][] = [];
  for (const o of orders) {
    for (const l of o.lines) {
      out.push([
        o.number, o.createdAt, o.customer.name, o.rep.name, ORDER_STATUS_LABELS[o.status], l.sku, l.product.name, l.product.unit,
        l.quantity, l.listPrice.toString(), l.unitPrice.toString(), lineTotal(l.quantity, l.unitPrice.toString()).toFixed(2), l.shippedQty,
        o.listTotal.toString(), o.total.toString(), o.discount.toString(), o.reason,
      ]);
    }
  }
  return { sheet: "订单", columns: ORDER_COLUMNS, rows: out };
}

const KIND_LABELS: Record<string, string> = { visit: "拜访", call: "电话", message: "消息" };

export const ACTIVITY_COLUMNS = [
  col("时间", "datetime"), col("客户", "text", 28), col("销售"), col("类型", "text", 6), col("联系人"), col("内容", "text", 40), col("下一步", "text", 24),
  col("下次跟进", "datetime"), col("数量", "integer"), col("金额", "money"), col("原文", "text", 40),
];

async function activitiesTable(tx: Tx): Promise<TypedTable> {
  const rows = await tx.activity.findMany({
    where: { undoneAt: null },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    include: { customer: { select: { name: true } }, user: { select: { name: true } }, contact: { select: { name: true } } },
  });
  return {
    sheet: "拜访记录",
    columns: ACTIVITY_COLUMNS,
    rows: rows.map((a) => [
      a.occurredAt, a.customer.name, a.user.name, KIND_LABELS[a.kind] ?? a.kind, a.contact?.name ?? null, a.summary, a.nextAction, a.dueAt, a.quantity, a.amount?.toString() ?? null, a.rawText,
    ]),
  };
}

export const PRODUCT_COLUMNS = [col("型号", "text", 14), col("产品名称", "text", 20), col("单位", "text", 6), col("单价", "money"), col("别名", "text", 20), col("币种", "text", 6), col("状态", "text", 6)];

/** The price list in force, in the columns `npm run import -- products` reads back. */
async function productsTable(tx: Tx): Promise<TypedTable> {
  const rows = await tx.product.findMany({ orderBy: { sku: "asc" } });
  return {
    sheet: "价格表",
    columns: PRODUCT_COLUMNS,
    rows: rows.map((p) => [p.sku, p.name, p.unit, p.price.toString(), p.aliases.join("、") || null, p.currency, p.active ? "在售" : "停用"]),
  };
}

const TABLES: Record<ExportKind, (tx: Tx) => Promise<TypedTable>> = { customers: customersTable, orders: ordersTable, activities: activitiesTable, products: productsTable };

export interface ExportResult {
  bytes: Buffer;
  rows: number;
  fileName: string;
}

/** Reads in one transaction (a consistent snapshot) and writes the file. */
export async function exportData(db: DbClient, kind: ExportKind, format: ExportFormat, timeZone: string, now: Date): Promise<ExportResult> {
  const table = await db.$transaction(
    (tx) => TABLES[kind](tx),
    { timeout: 5 * 60_000, maxWait: 60_000 },
  );
  const bytes = format === "csv" ? writeCsv(table, timeZone) : await writeXlsx(table, timeZone);
  const stamp = localText(now, timeZone).slice(0, 10).replace(/-/g, "");
  return { bytes, rows: table.rows.length, fileName: `${kind}-${stamp}.${format}` };
}
