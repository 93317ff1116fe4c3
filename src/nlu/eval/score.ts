/**
 * Scoring parsed intents against a labelled set (test/fixtures/nlu/*.jsonl).
 *
 * A line: {"text": "...", "now": "2026-11-23T10:00:00+08:00", "expect": {"intent": "...", ...},
 *          "knownCustomers"?: ["..."]}. `expect` names only the fields that must match:
 *  - customer: equal after normalizeCompanyName
 *  - due / until / occurred: the local date "YYYY-MM-DD" in Asia/Shanghai, or "YYYY-MM-DDTHH:mm" to check the time too, or
 *    a full timestamp with its offset ("2027-05-14T15:00:00+08:00"): the same instant, to the minute
 *  - numbers: equal (1e-6); items: same length, each {product (case/space-insensitive), quantity, unit?, unit_price?};
 *    an expected unit is the unit as typed, equal in one spelling (公斤 = kg, 米 = m: core/units.ts), and when
 *    expected it must be there; an item without one in `expect` is not judged on it
 *  - free text (next_action, reason, task, summary): the actual text, without spaces and punctuation,
 *    contains the expected one and is at most 2×its length + 4 characters (so a whole message does not pass)
 *  - carrier: equal in canonical form, the trade suffix (物流/快递/速运/快运/速递) dropped on both sides. The
 *    parser returns the canonical name (安能, 德邦, 京东) so a shipment's carrier is one value whatever the rep
 *    typed (德邦 / 德邦物流 / 德邦快递 are one carrier for reports and for tracking-number checks); a label
 *    written as typed (安能物流) means the same carrier and must not count as a miss.
 *  - anything else (contact, order, tracking_no, kind, period, decision): equal after trimming
 * Fields are only counted when expected; a field of a wrongly classified message counts as missed.
 */
import { normalizeCompanyName } from "../customer-match.ts";
import type { Intent } from "../intent.ts";
import { toLocal } from "../../core/local-time.ts";
import { canonicalUnit } from "../../core/units.ts";

export interface EvalLine {
  text: string;
  now: string;
  expect: Record<string, unknown> & { intent: string };
  knownCustomers?: string[];
}

export interface FieldResult { field: string; ok: boolean; expected: unknown; actual: unknown }
export interface LineResult {
  line: EvalLine;
  actual: Intent;
  intentOk: boolean;
  fields: FieldResult[];
  /** The parser threw (e.g. an LLM answer that failed with no fallback): the whole line is a miss. */
  error?: string;
}

const FREE_TEXT = new Set(["next_action", "reason", "task", "summary"]);
/** 安能物流 → 安能, 顺丰速运 → 顺丰: the carrier's canonical form (中铁快运 → 中铁 on both sides alike). */
export const canonicalCarrier = (s: string) => s.normalize("NFKC").trim().replace(/(?:物流|快递|速运|快运|速递)$/, "").toUpperCase();
const squash = (s: string) => s.normalize("NFKC").replace(/[\s\p{P}\p{S}]+/gu, "").toLowerCase();

function localStamp(iso: string, withTime: boolean, timeZone: string): string {
  const l = toLocal(new Date(iso), timeZone);
  const p = (n: number) => String(n).padStart(2, "0");
  const date = `${l.year}-${p(l.month)}-${p(l.day)}`;
  return withTime ? `${date}T${p(l.hour)}:${p(l.minute)}` : date;
}

export function fieldMatches(field: string, expected: unknown, actual: unknown, timeZone = "Asia/Shanghai"): boolean {
  if (actual === undefined || actual === null) return false;
  if (field === "customer") return normalizeCompanyName(String(expected)) === normalizeCompanyName(String(actual));
  if (field === "due" || field === "until" || field === "occurred") {
    const e = String(expected);
    if (typeof actual !== "string") return false;
    if (/T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(e)) {
      return Math.floor(Date.parse(e) / 60_000) === Math.floor(Date.parse(actual) / 60_000);
    }
    return localStamp(actual, e.includes("T"), timeZone) === e;
  }
  if (typeof expected === "number") return typeof actual === "number" && Math.abs(expected - actual) < 1e-6;
  if (field === "items") {
    if (!Array.isArray(expected) || !Array.isArray(actual) || expected.length !== actual.length) return false;
    return expected.every((e: Record<string, unknown>, i) => {
      const a = actual[i] as Record<string, unknown>;
      if (squash(String(e.product)) !== squash(String(a.product))) return false;
      if (e.quantity !== a.quantity) return false;
      if (e.unit !== undefined && (typeof a.unit !== "string" || canonicalUnit(String(e.unit)) !== canonicalUnit(a.unit))) return false;
      return e.unit_price === undefined || (typeof a.unit_price === "number" && Math.abs(Number(e.unit_price) - a.unit_price) < 1e-6);
    });
  }
  if (field === "carrier") return canonicalCarrier(String(expected)) === canonicalCarrier(String(actual));
  if (FREE_TEXT.has(field)) {
    const e = squash(String(expected));
    const a = squash(String(actual));
    return a.includes(e) && a.length <= 2 * e.length + 4;
  }
  return String(expected).trim() === String(actual).trim();
}

export function scoreLine(line: EvalLine, actual: Intent): LineResult {
  const intentOk = actual.intent === line.expect.intent;
  const fields: FieldResult[] = [];
  for (const [field, expected] of Object.entries(line.expect)) {
    if (field === "intent") continue;
    const value = (actual as Record<string, unknown>)[field];
    fields.push({ field, expected, actual: value, ok: intentOk && fieldMatches(field, expected, value) });
  }
  return { line, actual, intentOk, fields };
}

export function scoreFailure(line: EvalLine, error: string): LineResult {
  const fields = Object.entries(line.expect)
    .filter(([field]) => field !== "intent")
    .map(([field, expected]) => ({ field, expected, actual: undefined, ok: false }));
  return { line, actual: { intent: "unknown" }, intentOk: false, fields, error };
}

export interface Summary {
  lines: number;
  intentAccuracy: number;
  fieldAccuracy: number;
  perField: Record<string, { ok: number; total: number }>;
  perIntent: Record<string, { ok: number; total: number }>;
  misses: LineResult[];
}

export function summarize(results: LineResult[]): Summary {
  const perField: Summary["perField"] = {};
  const perIntent: Summary["perIntent"] = {};
  let intentOk = 0;
  let fieldOk = 0;
  let fieldTotal = 0;
  for (const r of results) {
    const pi = (perIntent[r.line.expect.intent] ??= { ok: 0, total: 0 });
    pi.total++;
    if (r.intentOk) { pi.ok++; intentOk++; }
    for (const f of r.fields) {
      const pf = (perField[f.field] ??= { ok: 0, total: 0 });
      pf.total++;
      fieldTotal++;
      if (f.ok) { pf.ok++; fieldOk++; }
    }
  }
  return {
    lines: results.length,
    intentAccuracy: results.length ? intentOk / results.length : 0,
    fieldAccuracy: fieldTotal ? fieldOk / fieldTotal : 1,
    perField,
    perIntent,
    misses: results.filter((r) => !r.intentOk || r.fields.some((f) => !f.ok)),
  };
}

export function parseJsonl(content: string): EvalLine[] {
  return content
    .split(/\r?\n/)
    .filter((l) => l.trim() && !l.trim().startsWith("//"))
    .map((l, i) => {
      const v = JSON.parse(l) as EvalLine;
      if (typeof v.text !== "string" || typeof v.now !== "string" || typeof v.expect?.intent !== "string") {
        throw new Error(`line ${i + 1}: needs text, now and expect.intent`);
      }
      return v;
    });
}
