/** Run a parser over labelled lines (sequentially, so an LLM endpoint is not flooded). */
import type { IntentParser } from "../parser.ts";
import { scoreFailure, scoreLine, summarize, type EvalLine, type LineResult, type Summary } from "./score.ts";

export const EVAL_TIME_ZONE = "Asia/Shanghai";

export async function evaluate(parser: IntentParser, lines: EvalLine[]): Promise<Summary> {
  const results: LineResult[] = [];
  for (const line of lines) {
    const ctx = { now: new Date(line.now), timeZone: EVAL_TIME_ZONE, ...(line.knownCustomers && { knownCustomers: line.knownCustomers }) };
    try {
      results.push(scoreLine(line, await parser.parse(line.text, ctx)));
    } catch (err) {
      results.push(scoreFailure(line, err instanceof Error ? err.message : String(err)));
    }
  }
  return summarize(results);
}

const pct = (ok: number, total: number) => `${total ? ((100 * ok) / total).toFixed(1) : "100.0"}% (${ok}/${total})`;

/** The report; `notes` (e.g. how often the LLM fell back) go just before the two accuracy lines, which stay last. */
export function formatReport(s: Summary, notes: string[] = []): string {
  const out: string[] = [];
  out.push(`lines: ${s.lines}`, "", "per field:");
  for (const [k, v] of Object.entries(s.perField).sort()) out.push(`  ${k.padEnd(12)} ${pct(v.ok, v.total)}`);
  out.push("", "per intent:");
  for (const [k, v] of Object.entries(s.perIntent).sort()) out.push(`  ${k.padEnd(24)} ${pct(v.ok, v.total)}`);
  out.push("", `misses (${s.misses.length}):`);
  for (const m of s.misses) {
    const bad = m.fields.filter((f) => !f.ok).map((f) => `${f.field}: want ${JSON.stringify(f.expected)} got ${JSON.stringify(f.actual)}`);
    const head = m.error ? `parser failed: ${m.error}`
      : m.intentOk ? m.line.expect.intent : `intent: want ${m.line.expect.intent} got ${m.actual.intent}`;
    out.push(`  - ${m.line.text}  [now ${m.line.now}]`, `      ${[head, ...bad].join("; ")}`);
  }
  if (notes.length) out.push("", ...notes);
  out.push("", `intent accuracy: ${s.intentAccuracy.toFixed(3)}`, `field accuracy: ${s.fieldAccuracy.toFixed(3)}`);
  return out.join("\n");
}
