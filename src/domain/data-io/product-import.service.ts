// The price-list import against the database: new products are created, changed ones updated (a new price, unit
// or currency closes the price-list entry in force and opens one from now, as the org file's loader does, so
// orders already placed keep their price), a deactivated one in the file comes back. Products missing from the
// file are left as they are (a price-list file may be partial). Every change audited under the import's run id.
import { moneyText } from "../../core/money.ts";
import { audit } from "../audit/audit.repo.ts";
import { openPrice } from "../org/price-list.repo.ts";
import type { Tx } from "../tx.ts";
import type { ProductIn } from "./product-rows.ts";

interface ExistingProduct {
  sku: string;
  name: string;
  aliases: string[];
  unit: string;
  price: string;
  currency: string;
  active: boolean;
}

export interface ProductStep {
  lines: number[];
  name: string;
  existing: ExistingProduct | null;
  input: ProductIn;
  after: Partial<ExistingProduct>;
  summary: string[];
}

export interface ProductPlan {
  steps: ProductStep[];
  unchanged: number;
  merges: { lines: number[]; name: string; existingName: string }[];
  /** Active products the file does not mention (left unchanged). */
  notInFile: number;
}

export async function loadExistingProducts(tx: Tx): Promise<ExistingProduct[]> {
  const rows = await tx.product.findMany({ orderBy: { sku: "asc" } });
  return rows.map((r) => ({ sku: r.sku, name: r.name, aliases: r.aliases, unit: r.unit, price: moneyText(r.price), currency: r.currency, active: r.active }));
}

export function planProducts(file: readonly ProductIn[], existing: readonly ExistingProduct[]): ProductPlan {
  const bySku = new Map(existing.map((p) => [p.sku, p]));
  const plan: ProductPlan = { steps: [], unchanged: 0, merges: [], notInFile: 0 };
  for (const p of file) {
    const e = bySku.get(p.sku) ?? null;
    const step: ProductStep = { lines: p.lines, name: `${p.name}（${p.sku}）`, existing: e, input: p, after: {}, summary: [] };
    if (!e) {
      step.summary.push(`${p.unit}，单价 ${p.price}${p.currency === "CNY" ? " 元" : ` ${p.currency}`}`);
      plan.steps.push(step);
      continue;
    }
    plan.merges.push({ lines: p.lines, name: p.name, existingName: `${e.name}（${e.sku}）` });
    const labels = { name: "名称", unit: "单位", price: "单价", currency: "币种" } as const;
    for (const k of ["name", "unit", "price", "currency"] as const) {
      if (p[k] !== e[k]) {
        step.after[k] = p[k];
        step.summary.push(`${labels[k]} ${e[k]}→${p[k]}`);
      }
    }
    const aliases = p.aliases.filter((a) => !e.aliases.includes(a));
    if (aliases.length) {
      step.after.aliases = [...e.aliases, ...aliases];
      step.summary.push(`加别名 ${aliases.join("、")}`);
    }
    if (!e.active) {
      step.after.active = true;
      step.summary.push("重新启用");
    }
    if (step.summary.length) plan.steps.push(step);
    else plan.unchanged++;
  }
  const inFile = new Set(file.map((p) => p.sku));
  plan.notInFile = existing.filter((e) => e.active && !inFile.has(e.sku)).length;
  return plan;
}

export async function applyProductPlan(tx: Tx, plan: ProductPlan, actorId: string, runId: string, now: Date): Promise<{ created: number; updated: number; pricesChanged: number }> {
  const counts = { created: 0, updated: 0, pricesChanged: 0 };
  // The audit log records a price as a JSON number, as the org file's loader does (exact for Decimal(14,2)).
  const forAudit = <T extends { price?: string }>(s: T) => (s.price === undefined ? s : { ...s, price: Number(s.price) });
  for (const s of plan.steps) {
    const p = s.input;
    if (!s.existing) {
      const data = { name: p.name, aliases: p.aliases, unit: p.unit, price: p.price, currency: p.currency, active: true };
      await tx.product.create({ data: { sku: p.sku, ...data } });
      await openPrice(tx, p.sku, data, now);
      await audit(tx, { actorId, eventId: runId, action: "product.create", entityType: "product", entityId: p.sku, after: forAudit({ ...data, source: "import" }) });
      counts.created++;
      continue;
    }
    const e = s.existing;
    await tx.product.update({ where: { sku: p.sku }, data: s.after });
    if (s.after.price !== undefined || s.after.unit !== undefined || s.after.currency !== undefined) {
      await openPrice(tx, p.sku, { price: p.price, unit: p.unit, currency: p.currency }, now);
      if (s.after.price !== undefined) counts.pricesChanged++;
    }
    const before = Object.fromEntries(Object.keys(s.after).map((k) => [k, e[k as keyof ExistingProduct]]));
    await audit(tx, { actorId, eventId: runId, action: s.after.active ? "product.reactivate" : "product.update", entityType: "product", entityId: p.sku, before: forAudit(before), after: forAudit({ ...s.after, source: "import" }) });
    counts.updated++;
  }
  return counts;
}
