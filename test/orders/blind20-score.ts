// Scores a labelled set of price questions and resubmissions the way the dispatcher meets them: typed twins of
// buttons first, then the feature commands (重新提交 SO-… is one), then the rule parser's intent. A price question
// passes when the parser says price_list and its products name exactly the expected products of the price list
// (matched as the price look-up matches them); a resubmission when the command's parse names the order and exactly
// the expected changes. visit / order lines must be log_visit / place_order; other lines must be neither a price
// look-up nor a resubmission.
import { z } from "zod";
import { REGISTRY } from "../../src/handlers/features.ts";
import { createRulesParser, looksLikeResubmission, parseResubmission } from "../../src/nlu/index.ts";
import { productNames, twinRoute } from "./demo-price-list.ts";

const Change = z.object({ product: z.string().nullable(), unitPrice: z.number().optional(), quantity: z.number().optional() });
const Line = z.discriminatedUnion("expect", [
  z.object({ id: z.string(), as: z.string(), text: z.string(), expect: z.literal("price"), products: z.array(z.string()) }),
  z.object({ id: z.string(), as: z.string(), text: z.string(), expect: z.literal("resubmit"), order: z.string(), changes: z.array(Change) }),
  z.object({ id: z.string(), as: z.string(), text: z.string(), expect: z.enum(["visit", "order", "other"]) }),
]);
export type Blind20Line = z.infer<typeof Line>;
export const parseBlind20 = (text: string) => text.split("\n").filter((l) => l.trim()).map((l) => Line.parse(JSON.parse(l)));

const canonical = (written: string): string[] => productNames(written, true);

export interface Blind20Result { line: Blind20Line; ok: boolean; route: string; detail: string }

export async function scoreBlind20(lines: Blind20Line[]): Promise<Blind20Result[]> {
  const parser = createRulesParser();
  const ctx = { now: new Date("2026-12-05T10:00:00+08:00"), timeZone: "Asia/Shanghai" };
  const out: Blind20Result[] = [];
  for (const line of lines) {
    const { text } = line;
    let ok = false;
    let route: string;
    let detail = "";
    const twin = twinRoute(text);
    if (twin) route = twin;
    else if (looksLikeResubmission(text)) {
      route = "resubmit";
      const r = parseResubmission(text);
      if (!r.ok) detail = JSON.stringify(r);
      else if (line.expect === "resubmit") {
        const want = line.changes.flatMap((c) => [
          ...(c.unitPrice !== undefined ? [`${c.product ?? ""}|unit_price|${c.unitPrice}`] : []),
          ...(c.quantity !== undefined ? [`${c.product ?? ""}|quantity|${c.quantity}`] : []),
        ]).sort();
        const have = r.changes.map((c) => `${"product" in c && c.product ? canonical(c.product).join("/") : ""}|${c.field}|${Number(c.value)}`).sort();
        ok = r.order === line.order && JSON.stringify(want) === JSON.stringify(have);
        detail = `${r.order ?? "(no order)"} ${have.join(", ")}`;
      }
    } else if (REGISTRY.commands.some((c) => c.matches(text))) route = "command";
    else {
      const intent = await parser.parse(text, ctx);
      route = intent.intent;
      if (line.expect === "price" && intent.intent === "price_list") {
        const have = new Set((intent.products ?? []).flatMap(canonical));
        ok = have.size === line.products.length && line.products.every((p) => have.has(p));
        detail = [...have].join(", ");
      }
      if (line.expect === "visit") ok = intent.intent === "log_visit";
      if (line.expect === "order") ok = intent.intent === "place_order";
    }
    if (line.expect === "other") ok = route !== "resubmit" && route !== "price_list";
    out.push({ line, ok, route, detail });
  }
  return out;
}
