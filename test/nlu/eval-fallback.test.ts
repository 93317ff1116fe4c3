/** An LLM evaluation says how often the rule parser answered instead, and can count those lines as misses. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countingFallback, fallbackNote } from "../../src/nlu/eval/fallback-counter.ts";
import { evaluate, formatReport } from "../../src/nlu/eval/run.ts";
import type { EvalLine } from "../../src/nlu/eval/score.ts";
import { createLlmParser } from "../../src/nlu/llm/llm-parser.ts";
import { createRulesParser } from "../../src/nlu/rules/index.ts";
import { startOpenAiSimulator, type OpenAiSimulator } from "../simulators/openai-server.ts";

const lines: EvalLine[] = [
  { text: "领取 华东机电", now: "2026-11-23T10:00:00+08:00", expect: { intent: "claim_customer", customer: "华东机电" } },
  { text: "我的待办", now: "2026-11-23T10:00:00+08:00", expect: { intent: "list_todos" } },
];

let sim: OpenAiSimulator;
beforeAll(async () => { sim = await startOpenAiSimulator(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => sim.reset());

function llmWith(failInstead: boolean) {
  const fallback = countingFallback(createRulesParser(), failInstead);
  const parser = createLlmParser({ baseURL: sim.baseURL, apiKey: sim.apiKey, model: "m", mode: "json_object", timeoutMs: 2000, fallback, log: () => {} });
  return { fallback, parser };
}

describe("eval with --parser llm", () => {
  it("counts the lines the rule parser answered", async () => {
    sim.enqueue({ kind: "content", content: "not json" }, { kind: "intent", value: { intent: "list_todos" } });
    const { fallback, parser } = llmWith(false);
    const summary = await evaluate(parser, lines);
    expect(fallback.count).toBe(1);
    expect(summary.intentAccuracy).toBe(1);
    const report = formatReport(summary, [fallbackNote(fallback.count, lines.length, false)]).split("\n");
    expect(report.slice(-4)).toEqual(["llm fallbacks: 1 of 2 lines answered by the rule parser", "", "intent accuracy: 1.000", "field accuracy: 1.000"]);
  });

  it("--no-fallback: a failed LLM answer is a miss, not the rule parser's score", async () => {
    sim.enqueue({ kind: "content", content: "not json" }, { kind: "intent", value: { intent: "list_todos" } });
    const { fallback, parser } = llmWith(true);
    const summary = await evaluate(parser, lines);
    expect(fallback.count).toBe(1);
    expect(summary.intentAccuracy).toBe(0.5);
    expect(summary.fieldAccuracy).toBe(0);
    expect(summary.misses[0]?.error).toMatch(/no-fallback/);
    expect(formatReport(summary).split("\n").at(-2)).toBe("intent accuracy: 0.500");
  });
});
