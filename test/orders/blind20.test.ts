// Price questions and resubmissions of rejected orders on a held-out set, scored the way the dispatcher meets them
// (blind20-score.ts). blind20.jsonl (120 lines: 45 price questions, 40 resubmissions, 35 look-alikes) was written by a
// helper who never saw the code, the day both features were built; it first ran at 54.2% (65/120): price questions
// 24/45, resubmissions 8/40, look-alikes 33/35. After one round on the general causes of its misses (described to a helper who did not see the set; their own
// sentences are test/fixtures/nlu/blind20-classes.jsonl) 85.8% (103/120): price questions 38/45 (two of the misses,
// 变平器 and 电揽, are answered by the look-up's one-character typo rule, which this parser-level score does not apply),
// resubmissions 31/40, look-alikes 34/35. No longer held out once read.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBlind20, scoreBlind20 } from "./blind20-score.ts";

describe("price questions and resubmissions on the held-out set", () => {
  it("blind20.jsonl: at least 103/120", async () => {
    const lines = parseBlind20(readFileSync(new URL("../fixtures/orders/blind20.jsonl", import.meta.url), "utf8"));
    expect(lines).toHaveLength(120);
    const results = await scoreBlind20(lines);
    const misses = results.filter((r) => !r.ok).map((r) => `${r.line.id} [${r.line.expect}] ${r.line.text} → ${r.route} ${r.detail}`);
    expect(results.filter((r) => r.ok).length, misses.join("\n")).toBeGreaterThanOrEqual(103);
  });
});
