// Which price-list product a rep meant by the name as written (电机A, A型电机, MOTOR-A, "motor a", ＭＯＴＯＲ－Ａ).
// Pure: the caller passes the products. Nothing is guessed: a unique exact key is a match; a partial match, even
// a single one, comes back as `ambiguous` so the handler asks on a card before an order is priced with it.
import { distance } from "fastest-levenshtein";
import { canonicalUnit } from "../../core/units.ts";
import { lineForUnit, unitAgrees } from "./units.ts";

export interface MatchableProduct {
  sku: string;
  name: string;
  aliases: readonly string[];
}

export type ProductMatch<P extends MatchableProduct = MatchableProduct> =
  | { kind: "exact"; product: P }
  /** Several products fit (电机 → 电机A, 电机B), or only a partial one does: ask which. */
  | { kind: "ambiguous"; candidates: P[] }
  /** Nothing fits; `closest` are up to 3 product names to suggest (may be empty). */
  | { kind: "none"; closest: string[] };

/** Full-width to half-width (NFKC), lower case, and no spaces or separators, so "MOTOR-A", "motor a" and "ＭＯＴＯＲ－Ａ" are one key. */
export function normalizeProductName(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\-_·.,，。、/\\()（）【】[\]"'“”‘’]+/g, "");
}

const keysOf = (p: MatchableProduct) => [p.name, p.sku, ...p.aliases].map(normalizeProductName).filter((k) => k.length > 0);

export function matchProduct<P extends MatchableProduct>(written: string, products: readonly P[]): ProductMatch<P> {
  const q = normalizeProductName(written);
  if (!q) return { kind: "none", closest: [] };
  const exact = products.filter((p) => keysOf(p).includes(q));
  if (exact.length === 1) return { kind: "exact", product: exact[0]! };
  if (exact.length > 1) return { kind: "ambiguous", candidates: exact };
  // One contains the other (电机 ⊂ 电机a, 变频器3k2 ⊃ 变频器3k); a single letter or digit alone says too little.
  const partial = q.length >= 2 ? products.filter((p) => keysOf(p).some((k) => k.includes(q) || (k.length >= 2 && q.includes(k)))) : [];
  if (partial.length > 0) return { kind: "ambiguous", candidates: partial };
  return { kind: "none", closest: closestNames(q, products) };
}

export interface UnitLine extends MatchableProduct {
  unit: string;
}

/** A name matched with the unit written beside it, for a price list that may sell one product in several units. */
export type LineMatch<P extends UnitLine = UnitLine> =
  | ProductMatch<P>
  /** One product listed in several units (each line its own SKU and list price), none written (or one that fits several): ask which. */
  | { kind: "units"; name: string; lines: P[] }
  /** One product listed in several units, and the unit written is none of them. */
  | { kind: "unit_not_listed"; name: string; lines: P[] };

/**
 * The lines of one product sold in several units that a name stands for exactly (电缆 → 电缆 by the 卷 and 电缆 by the
 * 米; 10平方电缆, an alias of one of them, too): the exact matches and the lines of the same name, when each is in a
 * unit of its own. Null when the name is not such a product (one line, several different products, or two lines in
 * one unit: those stay a match or a question of which product), and for a SKU (CABLE-10-M is its own line).
 */
export function unitLines<P extends UnitLine>(written: string, products: readonly P[]): P[] | null {
  const q = normalizeProductName(written);
  if (!q) return null;
  const exact = products.filter((p) => keysOf(p).includes(q));
  // A SKU written names its own line.
  if (!exact.length || exact.some((p) => normalizeProductName(p.sku) === q)) return null;
  const names = new Set(exact.map((p) => normalizeProductName(p.name)));
  const lines = products.filter((p) => exact.includes(p) || names.has(normalizeProductName(p.name)));
  if (lines.length < 2) return null;
  return new Set(lines.map((p) => canonicalUnit(p.unit))).size === lines.length ? lines : null;
}

/**
 * The SKUs of the product a SKU is one line of — its lines in units of their own (CABLE-10 → CABLE-10 and
 * CABLE-10-M, both 电缆) — the SKU itself first; just the SKU for a product with one line (or one not in `products`).
 */
export function productSkusOf<P extends UnitLine>(sku: string, products: readonly P[]): string[] {
  const product = products.find((p) => p.sku === sku);
  const lines = product ? unitLines(product.name, products) : null;
  return lines?.some((l) => l.sku === sku) ? [sku, ...lines.filter((l) => l.sku !== sku).map((l) => l.sku)] : [sku];
}

/**
 * matchProduct, with the unit written (电缆 200米): a product listed in several units is matched to the line in that
 * unit (spellings as core/units.ts has them, never a conversion); without a unit the caller asks which (an order) or
 * shows them all (a price question); a unit that is none of the lines' is refused with the units listed. A product
 * with one line is matched as before (the order engine compares its unit).
 */
export function matchProductLine<P extends UnitLine>(written: string, unit: string | undefined, products: readonly P[]): LineMatch<P> {
  const lines = unitLines(written, products);
  if (!lines) return matchProduct(written, products);
  const name = lines[0]!.name;
  if (!unit?.trim()) return { kind: "units", name, lines };
  const line = lineForUnit(unit, lines);
  if (line) return { kind: "exact", product: line };
  return lines.some((l) => unitAgrees(unit, l.unit)) ? { kind: "units", name, lines } : { kind: "unit_not_listed", name, lines };
}

/** Up to 3 product names nearest to the normalized query, by edit distance and shared characters; only those sharing something. */
function closestNames(q: string, products: readonly MatchableProduct[]): string[] {
  const scored = products.map((p) => {
    const best = Math.max(...keysOf(p).map((k) => similarity(q, k)));
    return { name: p.name, score: best };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

/** 0..1: the mean of edit-distance similarity and the share of characters in common (order-free, so A型电机 ~ 电机A). */
export function similarity(a: string, b: string): number {
  const shared = sharedChars(a, b);
  if (shared === 0) return 0;
  const maxLen = Math.max(a.length, b.length);
  const edit = 1 - distance(a, b) / maxLen;
  return (edit + (2 * shared) / (a.length + b.length)) / 2;
}

function sharedChars(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const c of a) counts.set(c, (counts.get(c) ?? 0) + 1);
  let n = 0;
  for (const c of b) {
    const left = counts.get(c) ?? 0;
    if (left > 0) {
      n++;
      counts.set(c, left - 1);
    }
  }
  return n;
}
