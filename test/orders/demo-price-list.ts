// What the held-out price sets (blind20, blind21) are scored against: the demo organisation's price list
// (prisma/org.demo.yaml), which they were written against, and the names a written product means there, matched as
// the price look-up and the order engine match them.
import { fileURLToPath } from "node:url";
import { loadOrgFile } from "../../src/domain/org/org-file.ts";
import { matchProduct } from "../../src/domain/orders/product-match.ts";
import { REGISTRY } from "../../src/handlers/features.ts";

export const DEMO_PRICE_LIST = (loadOrgFile(fileURLToPath(new URL("../../prisma/org.demo.yaml", import.meta.url))).products ?? []).map((p) => ({
  sku: p.sku,
  name: p.name,
  aliases: p.aliases ?? [],
  unit: p.unit,
  price: String(p.price),
}));

/**
 * The price-list names `written` means, each once (a product listed in several units — 电缆 by the 卷 and by the 米 —
 * is one name); with `split`, words written apart that match nothing together are tried one by one. `?written` when
 * nothing matches.
 */
export function productNames(written: string, split: boolean): string[] {
  const m = matchProduct(written, DEMO_PRICE_LIST);
  if (m.kind === "exact") return [m.product.name];
  if (m.kind === "ambiguous") return [...new Set(m.candidates.map((p) => p.name))];
  const words = written.split(/\s+/).filter(Boolean);
  return split && words.length > 1 ? [...new Set(words.flatMap((w) => productNames(w, true)))] : [`?${written}`];
}

/** A typed twin of a card's button the dispatcher takes before any parser (`twin <purpose>.<verb>`), or null. */
export function twinRoute(text: string): string | null {
  const twin = REGISTRY.typed.find(({ twin: t }) => t.pattern.test(text));
  return twin ? `twin ${twin.kind.spec.purpose}.${twin.twin.verb}` : null;
}
