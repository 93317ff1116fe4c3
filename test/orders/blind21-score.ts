// Scores a labelled set of price questions with counts and units, orders and look-alikes the way the dispatcher
// meets them (typed twins of buttons first, then the feature commands, then the rule parser's intent), like
// blind20-score.ts. A price line passes when the parser says price_list and names exactly the expected goods (matched
// as the look-up matches them), each with the expected count, and with the expected unit wherever the line says one;
// when the line expects a total, the total at list price worked out from what the parser read (the demo price list's
// line for that product and unit, × the count) must equal it. An order line must be place_order with the same goods,
// counts and units. An "other" line must be neither a price look-up nor an order.
import { Decimal } from "decimal.js";
import { z } from "zod";
import { canonicalUnit } from "../../src/core/units.ts";
import { REGISTRY } from "../../src/handlers/features.ts";
import { createRulesParser } from "../../src/nlu/index.ts";
import { DEMO_PRICE_LIST, productNames, twinRoute } from "./demo-price-list.ts";

const Item = z.object({ product: z.string(), quantity: z.number().nullable(), unit: z.string().nullable() });
const Line = z.discriminatedUnion("expect", [
  z.object({ id: z.string(), text: z.string(), expect: z.literal("price"), items: z.array(Item), total_fen: z.number().int().nullable() }),
  z.object({ id: z.string(), text: z.string(), expect: z.literal("order"), items: z.array(Item), total_fen: z.null() }),
  z.object({ id: z.string(), text: z.string(), expect: z.literal("other") }),
]);
export type Blind21Line = z.infer<typeof Line>;
export const parseBlind21 = (text: string) => text.split("\n").filter((l) => l.trim()).map((l) => Line.parse(JSON.parse(l)));

const PRICE_LIST = DEMO_PRICE_LIST;

/** The price-list name a written product means (a product listed in several units is one name), or `?written`. */
const canonical = (written: string): string => {
  const names = productNames(written, false);
  return names.length === 1 ? names[0]! : `?${written}`;
};

/** The list price of `name` in `unit` (or its only unit), in fen; null when the unit leaves it open. */
function priceFen(name: string, unit: string | undefined): Decimal | null {
  const lines = PRICE_LIST.filter((p) => p.name === name);
  const line = unit ? lines.find((l) => canonicalUnit(l.unit) === canonicalUnit(unit)) : lines.length === 1 ? lines[0] : undefined;
  return line ? new Decimal(line.price).mul(100) : null;
}

interface Read { product: string; quantity?: number; unit?: string }
const key = (r: { product: string; quantity: number | null; unit: string | null }) => `${r.product}|${r.quantity ?? "-"}|${r.unit ? canonicalUnit(r.unit) : "-"}`;

/** Expected against read: same goods and counts; units compared where the line says one. */
function sameItems(want: z.infer<typeof Item>[], read: Read[]): boolean {
  if (want.length !== read.length) return false;
  const have = read.map((r) => ({ product: canonical(r.product), quantity: r.quantity ?? null, unit: r.unit ?? null }));
  const left = [...have];
  for (const w of want) {
    const i = left.findIndex((h) => h.product === w.product && h.quantity === w.quantity && (w.unit === null || (h.unit !== null && canonicalUnit(h.unit) === canonicalUnit(w.unit))));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

export interface Blind21Result { line: Blind21Line; ok: boolean; route: string; detail: string }

export async function scoreBlind21(lines: Blind21Line[]): Promise<Blind21Result[]> {
  const parser = createRulesParser();
  const ctx = { now: new Date("2026-12-05T10:00:00+08:00"), timeZone: "Asia/Shanghai" };
  const out: Blind21Result[] = [];
  for (const line of lines) {
    const { text } = line;
    let ok = false;
    let route: string;
    let detail = "";
    const twin = twinRoute(text);
    if (twin) route = twin;
    else if (REGISTRY.commands.some((c) => c.matches(text))) route = "command";
    else {
      const intent = await parser.parse(text, ctx);
      route = intent.intent;
      if (intent.intent === "price_list" && line.expect === "price") {
        // Goods named without a count or unit are in products only; with one, in items too.
        const items: Read[] = intent.items?.length ? intent.items : [];
        const plain = (intent.products ?? []).filter((p) => !items.some((i) => canonical(i.product) === canonical(p)));
        const read: Read[] = [...items, ...plain.map((p) => ({ product: p }))];
        detail = read.map((r) => key({ product: canonical(r.product), quantity: r.quantity ?? null, unit: r.unit ?? null })).join(", ");
        ok = sameItems(line.items, read);
        if (ok && line.total_fen !== null) {
          let total = new Decimal(0);
          for (const r of read) {
            const p = priceFen(canonical(r.product), r.unit);
            if (!p || r.quantity === undefined) { total = new Decimal(NaN); break; }
            total = total.add(p.mul(r.quantity));
          }
          ok = total.eq(line.total_fen);
          detail += ` total ${total.toString()} fen`;
        }
      }
      if (intent.intent === "place_order" && line.expect === "order") {
        const read = intent.items.map((i) => ({ product: i.product, quantity: i.quantity, ...(i.unit ? { unit: i.unit } : {}) }));
        detail = read.map((r) => key({ product: canonical(r.product), quantity: r.quantity, unit: r.unit ?? null })).join(", ");
        ok = sameItems(line.items, read);
      }
    }
    if (line.expect === "other") ok = route !== "price_list" && route !== "place_order";
    out.push({ line, ok, route, detail });
  }
  return out;
}
