/**
 * npm run eval:nlu -- --file test/fixtures/nlu/messages.jsonl [--parser rules|llm] [--mode json_schema|json_object|tools] [--no-fallback]
 * The llm parser reads OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL (and OPENAI_MODE, OPENAI_TIMEOUT_MS).
 * Prints accuracy per field and per intent, the misses, how often the LLM fell back to the rules (llm only),
 * and last `intent accuracy: X` and `field accuracy: Y`. With --no-fallback a failed LLM answer is a miss.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createLlmParser, type LlmMode } from "../llm/llm-parser.ts";
import type { IntentParser } from "../parser.ts";
import { createRulesParser } from "../rules/index.ts";
import { countingFallback, fallbackNote, type CountingFallback } from "../eval/fallback-counter.ts";
import { evaluate, formatReport } from "../eval/run.ts";
import { parseJsonl } from "../eval/score.ts";

const MODES = ["json_schema", "json_object", "tools"] as const;
const USAGE = "usage: npm run eval:nlu -- --file <jsonl> [--parser rules|llm] [--mode json_schema|json_object|tools] [--no-fallback]";

function buildLlmParser(mode: string | undefined, fallback: CountingFallback): IntentParser {
  const { OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL, OPENAI_TIMEOUT_MS } = process.env;
  if (!OPENAI_BASE_URL || !OPENAI_API_KEY || !OPENAI_MODEL) {
    throw new Error("--parser llm needs OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL");
  }
  const m = mode ?? process.env.OPENAI_MODE ?? "json_schema";
  if (!(MODES as readonly string[]).includes(m)) throw new Error(`mode must be one of ${MODES.join(", ")}`);
  return createLlmParser({
    baseURL: OPENAI_BASE_URL, apiKey: OPENAI_API_KEY, model: OPENAI_MODEL, mode: m as LlmMode, fallback,
    ...(OPENAI_TIMEOUT_MS && { timeoutMs: Number(OPENAI_TIMEOUT_MS) }),
    log: (msg, extra) => console.error(`[llm] ${msg}`, extra ?? ""),
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: "string" }, parser: { type: "string", default: "rules" }, mode: { type: "string" },
      "no-fallback": { type: "boolean", default: false },
    },
  });
  if (!values.file) throw new Error(USAGE);
  const kind = values.parser ?? "rules";
  if (kind !== "rules" && kind !== "llm") throw new Error(`--parser must be rules or llm, not ${kind}`);
  const noFallback = values["no-fallback"] ?? false;
  if (noFallback && kind !== "llm") throw new Error("--no-fallback only applies to --parser llm");
  const lines = parseJsonl(readFileSync(values.file, "utf8"));
  const rules = createRulesParser();
  if (kind === "rules") {
    console.log(formatReport(await evaluate(rules, lines)));
    return;
  }
  const fallback = countingFallback(rules, noFallback);
  const summary = await evaluate(buildLlmParser(values.mode, fallback), lines);
  console.log(formatReport(summary, [fallbackNote(fallback.count, lines.length, noFallback)]));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
