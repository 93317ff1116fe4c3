// Which price-list product a rep meant by the name as written (电机A, A型电机, MOTOR-A, "motor a", ＭＯＴＯＲ－Ａ).
// Pure: the caller passes the products. Nothing is guessed: a unique exact key is a match; a partial match, even
// a single one, comes back as `ambiguous` so the handler asks on a card before an order is priced with it.
import { distance } from "fastest-levenshtein";

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
