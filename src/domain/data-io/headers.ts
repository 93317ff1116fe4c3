// Column headers as people write them in a Chinese company's spreadsheet (客户名称, 联系电话, 归属销售…) or in
// English, mapped to the fields an import knows. Pure. The header row is found among the first rows, so a title
// line above it (「2026年客户清单」) does not matter.
import { AppError } from "../../core/app-error.ts";
import type { Cell, TableRow } from "./read-table.ts";

export type ImportKind = "customers" | "products";

export type CustomerField =
  | "name" | "aliases" | "contact" | "title" | "phone" | "owner" | "ownerId" | "stage" | "level" | "industry" | "region" | "address" | "tags";
export type ProductField = "sku" | "name" | "unit" | "price" | "aliases" | "currency";

/** Known columns that are read but not stored: said in the report, never an "unknown column". */
export interface IgnoredColumn {
  ignored: string;
}

const CUSTOMER_HEADERS: Record<CustomerField, string[]> = {
  name: ["客户名称", "公司名称", "客户", "客户名", "客户全称", "企业名称", "单位名称", "公司", "公司全称", "name", "customer", "customername", "company", "companyname", "account", "accountname"],
  aliases: ["简称", "客户简称", "公司简称", "别名", "alias", "aliases", "shortname"],
  contact: ["联系人", "联系人姓名", "联系人名称", "对接人", "姓名", "contact", "contactname", "contactperson"],
  title: ["职位", "职务", "联系人职位", "联系人职务", "title", "jobtitle", "position"],
  phone: ["电话", "手机", "联系电话", "手机号", "手机号码", "电话号码", "联系方式", "联系人电话", "联系人手机", "phone", "mobile", "tel", "telephone", "phonenumber"],
  owner: ["负责人", "销售", "归属销售", "所属销售", "负责销售", "业务员", "销售代表", "销售人员", "客户经理", "跟进人", "owner", "sales", "salesrep", "rep", "salesperson", "accountowner"],
  ownerId: ["负责人账号", "负责人id", "负责人工号", "销售账号", "ownerid"],
  stage: ["阶段", "客户阶段", "销售阶段", "跟进阶段", "商机阶段", "stage", "salesstage"],
  level: ["等级", "级别", "客户等级", "客户级别", "客户分级", "level", "grade", "tier"],
  industry: ["行业", "所属行业", "industry"],
  region: ["地区", "区域", "所在地区", "所属区域", "所属地区", "省份", "省", "城市", "市", "region", "area", "province", "city"],
  address: ["地址", "收货地址", "详细地址", "公司地址", "办公地址", "送货地址", "address", "shippingaddress"],
  tags: ["标签", "客户标签", "tags", "tag"],
};

const CUSTOMER_IGNORED: Record<string, string> = {
  备注: "客户资料没有备注字段，未导入",
  说明: "客户资料没有备注字段，未导入",
  note: "客户资料没有备注字段，未导入",
  notes: "客户资料没有备注字段，未导入",
  remark: "客户资料没有备注字段，未导入",
  remarks: "客户资料没有备注字段，未导入",
  最近跟进: "由拜访记录得出，导入时不改",
  最近跟进时间: "由拜访记录得出，导入时不改",
  创建时间: "导出专用，导入时不改",
  客户id: "导出专用，导入时按客户名称匹配",
};

const PRODUCT_HEADERS: Record<ProductField, string[]> = {
  sku: ["型号", "sku", "编码", "产品编码", "物料编码", "商品编码", "货号", "产品型号", "规格型号", "料号", "code", "productcode", "model", "itemcode"],
  name: ["产品名称", "品名", "名称", "产品", "商品名称", "产品名", "name", "product", "productname", "item", "itemname"],
  unit: ["单位", "计量单位", "unit", "uom"],
  price: ["单价", "标准价", "价格", "售价", "指导价", "列表价", "标价", "含税单价", "销售单价", "price", "listprice", "unitprice"],
  aliases: ["别名", "简称", "俗称", "aliases", "alias"],
  currency: ["币种", "货币", "currency"],
};

const PRODUCT_IGNORED: Record<string, string> = {
  备注: "产品资料没有备注字段，未导入",
  note: "产品资料没有备注字段，未导入",
  notes: "产品资料没有备注字段，未导入",
  状态: "价格表导入只新增、更新或重新启用产品，不停用",
  在售: "价格表导入只新增、更新或重新启用产品，不停用",
};

/** 「*客户名称（必填）」, "Customer Name" → 客户名称, customername. */
export function headerKey(cell: Cell): string {
  if (cell === null) return "";
  return String(cell)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, "")
    .replace(/[\s*_:：\-/]+/g, "");
}

function lookup(kind: ImportKind): Map<string, string> {
  const table: Record<string, string[]> = kind === "customers" ? CUSTOMER_HEADERS : PRODUCT_HEADERS;
  const m = new Map<string, string>();
  for (const [field, words] of Object.entries(table)) for (const w of words) m.set(headerKey(w), field);
  return m;
}

export interface ColumnMapping {
  index: number;
  header: string;
  /** The field it fills, or null when known but not stored (with why) or unknown. */
  field: string | null;
  note?: string;
}

export interface HeaderMatch {
  /** Line of the header row. */
  line: number;
  columns: ColumnMapping[];
  unknown: string[];
  /** Column indexes per field, in file order. */
  byField: Map<string, number[]>;
}

const REQUIRED: Record<ImportKind, { field: string; label: string }[]> = {
  customers: [{ field: "name", label: "客户名称" }],
  products: [
    { field: "sku", label: "型号（或 SKU、编码）" },
    { field: "name", label: "产品名称" },
    { field: "unit", label: "单位" },
    { field: "price", label: "单价" },
  ],
};

/** Finds the header row (among the first ten) and maps its columns; a missing required column stops the import. */
export function matchHeaders(kind: ImportKind, rows: readonly TableRow[]): HeaderMatch {
  const known = lookup(kind);
  const ignored = kind === "customers" ? CUSTOMER_IGNORED : PRODUCT_IGNORED;
  const candidates = rows.slice(0, 10);
  const score = (r: TableRow) => r.cells.filter((c) => known.has(headerKey(c))).length;
  const header = candidates.find((r) => score(r) >= 2 || (score(r) === 1 && r.cells.filter((c) => c !== null).length === 1)) ?? candidates.find((r) => score(r) > 0);
  const required = REQUIRED[kind];
  if (!header) {
    throw new AppError("import_no_header", `没有找到表头行：第一行应是列名，至少要有${required.map((r) => `「${r.label}」`).join("")}。`);
  }
  const columns: ColumnMapping[] = [];
  const unknown: string[] = [];
  const byField = new Map<string, number[]>();
  header.cells.forEach((cell, index) => {
    if (cell === null) return;
    const text = String(cell).trim();
    const key = headerKey(cell);
    const field = known.get(key);
    if (field) {
      columns.push({ index, header: text, field });
      byField.set(field, [...(byField.get(field) ?? []), index]);
    } else if (ignored[key]) columns.push({ index, header: text, field: null, note: ignored[key] });
    else {
      columns.push({ index, header: text, field: null, note: "不认识的列，未导入" });
      unknown.push(text);
    }
  });
  const missing = required.filter((r) => !byField.has(r.field));
  if (missing.length) {
    throw new AppError("import_missing_column", `第 ${header.line} 行的表头缺少${missing.map((r) => `「${r.label}」`).join("")}列。找到的列：${columns.map((c) => c.header).join("、") || "（无）"}。`);
  }
  return { line: header.line, columns, unknown, byField };
}

/** A field's cell in a row: the first non-empty of its columns (region: all of them joined, 浙江省 杭州市). */
export function fieldCell(match: HeaderMatch, row: TableRow, field: string): Cell {
  const idx = match.byField.get(field) ?? [];
  const cells = idx.map((i) => row.cells[i] ?? null).filter((c) => c !== null && String(c).trim() !== "");
  if (!cells.length) return null;
  if (field === "region" && cells.length > 1) return [...new Set(cells.map((c) => String(c).trim()))].join(" ");
  return cells[0]!;
}
