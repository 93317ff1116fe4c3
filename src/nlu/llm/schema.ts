/**
 * The JSON Schema sent to the model (generated from IntentSchema) and the light clean-up applied to
 * what comes back before IntentSchema validates it. The clean-up only fixes formatting (nulls for
 * absent fields, order-number spelling, dates without an offset); it never invents content.
 */
import { z } from "zod";
import { IntentSchema } from "../intent.ts";
import { normalizeOrderNo } from "../rules/orders.ts";
import { formatLocalIso } from "../../core/local-time.ts";

type Json = Record<string, unknown>;

function toAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toAnyOf);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === "$schema") continue;
    out[k === "oneOf" ? "anyOf" : k] = toAnyOf(v);
  }
  return out;
}

/** {"result": <one of the intents>}: providers require an object at the root, so the union is wrapped. */
export function intentJsonSchema(): Json {
  return {
    type: "object",
    properties: { result: toAnyOf(z.toJSONSchema(IntentSchema, { io: "input", unrepresentable: "any" })) },
    required: ["result"],
    additionalProperties: false,
  };
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!v || typeof v !== "object") return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v as Json)) {
    if (x === null || x === "") continue;
    out[k] = dropNulls(x);
  }
  return out;
}

function fixDate(v: unknown, timeZone: string): unknown {
  if (typeof v !== "string") return v;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/.exec(v.trim());
  if (!m) return v.trim().replace(" ", "T");
  const [, y, mo, d, h, mi] = m;
  return formatLocalIso({ year: +y!, month: +mo!, day: +d!, hour: h ? +h : 9, minute: mi ? +mi : 0 }, timeZone);
}

const NUMERIC = ["quantity", "amount", "discount", "unit_price"];

/** Unwrap {"result": …}, drop nulls, normalise order numbers, add the zone's offset to bare dates. */
export function coerceModelOutput(raw: unknown, messageText: string, timeZone: string): unknown {
  let v = raw;
  if (v && typeof v === "object" && !("intent" in v) && "result" in v) v = (v as Json).result;
  v = dropNulls(v);
  if (!v || typeof v !== "object" || Array.isArray(v)) return v;
  const o = v as Json;
  if (typeof o.intent === "string") o.intent = o.intent.trim().toLowerCase();
  if (typeof o.order === "string") o.order = normalizeOrderNo(o.order) ?? o.order;
  if (typeof o.tracking_no === "string") o.tracking_no = o.tracking_no.replace(/\s+/g, "").toUpperCase();
  for (const k of ["due", "until", "occurred"]) if (k in o) o[k] = fixDate(o[k], timeZone);
  for (const k of NUMERIC) if (typeof o[k] === "string" && /^\d+(\.\d+)?$/.test(o[k] as string)) o[k] = Number(o[k]);
  if (typeof o.discount === "number" && o.discount >= 1 && o.discount < 100) o.discount = o.discount / 100; // 10 meaning 10%
  if (Array.isArray(o.items)) {
    for (const it of o.items as Json[]) {
      for (const k of NUMERIC) if (typeof it[k] === "string" && /^\d+(\.\d+)?$/.test(it[k] as string)) it[k] = Number(it[k]);
      if (typeof it.unit === "string" && !it.unit.trim()) delete it.unit; // " " for no unit
    }
  }
  // "电机A" for ["电机A"]; [] for the whole list.
  if (typeof o.products === "string") o.products = [o.products];
  if (Array.isArray(o.products) && o.products.length === 0) delete o.products;
  if (o.intent === "price_list" && Array.isArray(o.items)) {
    // [] or items with nothing but the name: no count or unit was written. A counted good named only in items is named.
    const items = (o.items as Json[]).filter((it) => it && typeof it === "object" && (it.quantity !== undefined || it.unit !== undefined));
    if (items.length) o.items = items;
    else delete o.items;
    const named = Array.isArray(o.products) ? (o.products as unknown[]) : [];
    for (const it of items) if (typeof it.product === "string" && !named.includes(it.product)) named.push(it.product);
    if (named.length) o.products = named;
  }
  if (o.intent === "log_visit" && o.summary === undefined) o.summary = messageText.slice(0, 1000);
  return o;
}
