// Products and their price list from the organisation file. Product.price is the list price in force; every
// change of price, unit or currency closes the current ProductPrice entry and opens a new one, so the price
// at any past moment can still be looked up. Each change is audited.
import { moneyText, type MoneyInput } from "../../core/money.ts";
import { audit } from "../audit/audit.repo.ts";
import type { Tx } from "../tx.ts";
import type { OrgFile } from "./org-file.ts";
import { changedFields, ORG_FILE_ACTOR } from "./org-changes.ts";

/** A product as the file gives it; the price may also be a plain number or string (tests, tools). */
export type FileProduct = Omit<OrgFile["products"][number], "price"> & { price: MoneyInput };

interface ProductState {
  name: string;
  aliases: string[];
  unit: string;
  /** yuan, exact, as the Decimal(14,2) column's text ("5000.00"): compared and stored as text, never as a float */
  price: string;
  currency: string;
  active: boolean;
}

/**
 * The audit log records a price as a JSON number (5000, 5000.1), as it always has. That is exact: a
 * Decimal(14,2) has at most 14 significant digits, which a double and its shortest text give back unchanged.
 */
const forAudit = <T extends Partial<ProductState>>(s: T) => (s.price === undefined ? s : { ...s, price: Number(s.price) });

/** Returns how many products were created, changed or deactivated. */
export async function syncProducts(tx: Tx, products: readonly FileProduct[], now: Date): Promise<number> {
  const rows = await tx.product.findMany();
  const current = new Map(rows.map((r) => [r.sku, { name: r.name, aliases: r.aliases, unit: r.unit, price: moneyText(r.price), currency: r.currency, active: r.active }]));
  let changes = 0;
  for (const p of products) {
    const after: ProductState = { name: p.name, aliases: p.aliases, unit: p.unit, price: moneyText(p.price), currency: p.currency, active: true };
    const before = current.get(p.sku);
    if (!before) {
      await tx.product.create({ data: { sku: p.sku, ...after } });
      await openPrice(tx, p.sku, after, now);
      await audit(tx, { actorId: ORG_FILE_ACTOR, action: "product.create", entityType: "product", entityId: p.sku, after: forAudit(after) });
      changes++;
      continue;
    }
    const diff = changedFields(before, after);
    if (!diff) continue;
    await tx.product.update({ where: { sku: p.sku }, data: diff.after });
    if (diff.after.price !== undefined || diff.after.unit !== undefined || diff.after.currency !== undefined) await openPrice(tx, p.sku, after, now);
    const action = diff.after.active === true ? "product.reactivate" : "product.update";
    await audit(tx, { actorId: ORG_FILE_ACTOR, action, entityType: "product", entityId: p.sku, before: forAudit(diff.before), after: forAudit(diff.after) });
    changes++;
  }
  const inFile = new Set(products.map((p) => p.sku));
  for (const [sku, state] of current) {
    if (inFile.has(sku) || !state.active) continue;
    await tx.product.update({ where: { sku }, data: { active: false } });
    await audit(tx, { actorId: ORG_FILE_ACTOR, action: "product.deactivate", entityType: "product", entityId: sku, before: { active: true }, after: { active: false } });
    changes++;
  }
  return changes;
}

/** Close the entry in force and start a new one at `now` (or correct it, if it started at this same moment). */
export async function openPrice(tx: Tx, sku: string, p: Pick<ProductState, "price" | "currency" | "unit">, now: Date): Promise<void> {
  const entry = { price: p.price, currency: p.currency, unit: p.unit };
  const open = await tx.productPrice.findFirst({ where: { sku, validTo: null }, orderBy: { validFrom: "desc" } });
  if (open && open.validFrom.getTime() >= now.getTime()) {
    await tx.productPrice.update({ where: { id: open.id }, data: entry });
    return;
  }
  if (open) await tx.productPrice.update({ where: { id: open.id }, data: { validTo: now } });
  await tx.productPrice.create({ data: { sku, ...entry, validFrom: now } });
}

/** The list price of a product at a moment (an order's date), or null if it had none then. */
export async function listPriceAt(tx: Tx, sku: string, at: Date) {
  return tx.productPrice.findFirst({
    where: { sku, validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] },
    orderBy: { validFrom: "desc" },
    select: { price: true, currency: true, unit: true, validFrom: true, validTo: true },
  });
}

/** The active products, for matching a name as written (name, aliases, sku). */
export async function listActiveProducts(tx: Tx) {
  return tx.product.findMany({ where: { active: true }, select: { sku: true, name: true, aliases: true, unit: true }, orderBy: { sku: "asc" } });
}

/** Name, unit, active flag and the list price in force at `at` for each sku that had one then (orders are priced by it). */
export async function priceListAt(tx: Tx, skus: readonly string[], at: Date) {
  const products = await tx.product.findMany({
    where: { sku: { in: [...skus] } },
    select: {
      sku: true,
      name: true,
      active: true,
      prices: { where: { validFrom: { lte: at }, OR: [{ validTo: null }, { validTo: { gt: at } }] }, orderBy: { validFrom: "desc" }, take: 1, select: { price: true, unit: true } },
    },
  });
  return products.flatMap((p) => {
    const entry = p.prices[0];
    return entry ? [{ sku: p.sku, name: p.name, active: p.active, unit: entry.unit, price: entry.price }] : [];
  });
}
