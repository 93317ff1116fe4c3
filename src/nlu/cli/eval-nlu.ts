/**
 * npm run eval:nlu -- --file test/fixtures/nlu/messages.jsonl [--parser rules|llm] [--mode json_schema|json_object|tools]
 * The llm parser reads OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL (and OPENAI_MODE, OPENAI_TIMEOUT_MS).
 * Prints accuracy per field and per intent, the misses, and last `intent accuracy: X` and `field accuracy: Y`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createLlmParser, type LlmMode } from "../llm/llm-parser.ts";
import type { IntentParser } from "../parser.ts";
import { createRulesParser } from "../rules/index.ts";
import { evaluate, formatReport } from "../eval/run.ts";
import { parseJsonl } from "../eval/score.ts";

const MODES = ["json_schema", "json_object", "tools"] as const;

function buildParser(kind: string, mode: string | undefined): IntentParser {
  const rules = createRulesParser();
  if (kind === "rules") return rules;
  if (kind !== "llm") throw new Error(`--parser must be rules or llm, not ${kind}`);
  const { OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL, OPENAI_TIMEOUT_MS } = process.env;
  if (!OPENAI_BASE_URL || !OPENAI_API_KEY || !OPENAI_MODEL) {
    throw new Error("--parser llm needs OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL");
  }
  const m = mode ?? process.env.OPENAI_MODE ?? "json_schema";
  if (!(MODES as readonly string[]).includes(m)) throw new Error(`mode must be one of ${MODES.join(", ")}`);
  return createLlmParser({
    baseURL: OPENAI_BASE_URL, apiKey: OPENAI_API_KEY, model: OPENAI_MODEL, mode: m as LlmMode, fallback: rules,
    ...(OPENAI_TIMEOUT_MS && { timeoutMs: Number(OPENAI_TIMEOUT_MS) }),
    log: (msg, extra) => console.error(`[llm] ${msg}`, extra ?? ""),
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { file: { type: "string" }, parser: { type: "string", default: "rules" }, mode: { type: "string" } },
  });
  if (!values.file) throw new Error("usage: npm run eval:nlu -- --file <jsonl> [--parser rules|llm] [--mode json_schema|json_object|tools]");
  const lines = parseJsonl(readFileSync(values.file, "utf8"));
  const summary = await evaluate(buildParser(values.parser ?? "rules", values.mode), lines);
  console.log(formatReport(summary));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
