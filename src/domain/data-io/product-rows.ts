// Price-list rows of an import file: 型号, 产品名称, 单位, 单价 (exact: a price is read from its text, never through
// a float; at most two decimals, like the column), optional 别名 and 币种. Pure.
import { hasAtMostDecimals, moneyText, money } from "../../core/money.ts";
import { fieldCell, type HeaderMatch } from "./headers.ts";
import type { Problem } from "./customer-rows.ts";
import type { Cell, TableRow } from "./read-table.ts";

export interface ProductIn {
  lines: number[];
  sku: string;
  name: string;
  unit: string;
  /** "4999.50": the Decimal(14,2) text. */
  price: string;
  aliases: string[];
  currency: string;
}

const MAX_PRICE_DIGITS = 12; // Decimal(14,2): twelve digits before the point
const CURRENCY_WORDS: Record<string, string> = { 人民币: "CNY", rmb: "CNY", 元: "CNY", 美元: "USD", 欧元: "EUR" };

const text = (c: Cell): string | null => (c === null ? null : String(c).trim() || null);

/**
 * The exact amount a price cell holds. A numeric xlsx cell is read through its shortest decimal text (what was
 * typed: 4999.5 → "4999.5"); a computed one that is not a whole fen (0.30000000000000004) is refused, not rounded.
 */
export function readPrice(c: Cell): { ok: true; value: string } | { ok: false; reason: string } {
  if (c === null) return { ok: false, reason: "缺少单价" };
  const raw = typeof c === "number" ? String(c) : String(c).trim().replace(/^(?:¥|￥|RMB|CNY)\s*/i, "").replace(/\s*(?:元|圆)$/, "").replace(/[,，\s]/g, "");
  if (!/^\d+(?:\.\d+)?$/.test(raw)) return { ok: false, reason: `单价「${String(c)}」不是金额（例如 4999.50）` };
  if (!hasAtMostDecimals(raw, 2)) return { ok: false, reason: `单价「${String(c)}」超过两位小数（精确到分）` };
  const v = money(raw);
  if (v.lte(0)) return { ok: false, reason: `单价「${String(c)}」必须大于 0` };
  if (v.trunc().toFixed(0).length > MAX_PRICE_DIGITS) return { ok: false, reason: `单价「${String(c)}」太大` };
  return { ok: true, value: moneyText(v) };
}

export function readProductRow(match: HeaderMatch, row: TableRow): { product?: ProductIn; problems: string[] } {
  const problems: string[] = [];
  const get = (f: string) => text(fieldCell(match, row, f));
  const sku = get("sku");
  const name = get("name");
  const unit = get("unit");
  if (!sku) problems.push("缺少型号（SKU/编码）");
  else if ([...sku].length > 64) problems.push("型号太长（最多 64 个字符）");
  if (!name) problems.push("缺少产品名称");
  else if ([...name].length > 64) problems.push("产品名称太长（最多 64 个字）");
  if (!unit) problems.push("缺少单位（台、套、箱…）");
  else if ([...unit].length > 8) problems.push(`单位「${unit}」太长（最多 8 个字）`);
  const price = readPrice(fieldCell(match, row, "price"));
  if (!price.ok) problems.push(price.reason);
  const currencyText = get("currency");
  const currency = currencyText ? (CURRENCY_WORDS[currencyText.toLowerCase()] ?? currencyText.toUpperCase()) : "CNY";
  if (!/^[A-Z]{3}$/.test(currency)) problems.push(`币种「${currencyText}」不认识（例如 CNY）`);
  const aliases = [...new Set((get("aliases") ?? "").split(/[,，、;；|]+/).map((a) => a.trim()).filter((a) => a && a !== name))];
  if (problems.length || !sku || !name || !unit || !price.ok) return { problems };
  return { problems, product: { lines: [row.line], sku, name, unit, price: price.value, aliases, currency } };
}

/** The same 型号 twice: one product when the rows agree, a problem on the later row when they do not. */
export function mergeProductRows(rows: readonly ProductIn[]): { products: ProductIn[]; merges: { lines: number[]; name: string }[]; problems: Problem[] } {
  const bySku = new Map<string, ProductIn>();
  const problems: Problem[] = [];
  for (const p of rows) {
    const first = bySku.get(p.sku);
    if (!first) {
      bySku.set(p.sku, { ...p, lines: [...p.lines], aliases: [...p.aliases] });
      continue;
    }
    const diffs = (["name", "unit", "price", "currency"] as const).filter((k) => first[k] !== p[k]).map((k) => ({ name: "产品名称", unit: "单位", price: "单价", currency: "币种" })[k]);
    if (diffs.length) {
      problems.push({ line: p.lines[0]!, message: `型号「${p.sku}」和第 ${first.lines[0]} 行重复，但${diffs.join("、")}不同` });
      continue;
    }
    first.lines.push(...p.lines);
    for (const a of p.aliases) if (!first.aliases.includes(a)) first.aliases.push(a);
  }
  const products = [...bySku.values()];
  return { products, merges: products.filter((p) => p.lines.length > 1).map((p) => ({ lines: p.lines, name: `${p.name}（${p.sku}）` })), problems };
}
