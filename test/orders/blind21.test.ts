// Price questions with counts and units, orders and look-alikes on a held-out set, scored the way the dispatcher meets
// them (blind21-score.ts). blind21.jsonl (120 lines: 50 price questions with counts, 20 without, 25 orders, 25
// look-alikes) was written by a helper who never saw the code, the day counts and two-unit products were built; it first
// ran at 57.5% (69/120): price questions with counts 11/50, without 13/20, orders 20/25, look-alikes 25/25. After one
// round on the general causes of its misses (described to a helper who did not see the set; their own sentences are
// test/fixtures/nlu/blind21-classes.jsonl) 91.7% (110/120): with counts 42/50, without 19/20, orders 24/25, look-alikes
// 25/25. Five of the ten misses are one-character slips in a product's name (电鸡A, 电揽, 变平器, 变频气), which the
// price look-up answers with its typo rule (said so in the answer) and an order never guesses; this parser-level score
// does not apply that rule. No longer held out once read.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBlind21, scoreBlind21 } from "./blind21-score.ts";

describe("price questions with counts and units, orders and look-alikes on the held-out set", () => {
  it("blind21.jsonl: at least 110/120", async () => {
    const lines = parseBlind21(readFileSync(new URL("../fixtures/orders/blind21.jsonl", import.meta.url), "utf8"));
    expect(lines).toHaveLength(120);
    const results = await scoreBlind21(lines);
    const misses = results.filter((r) => !r.ok).map((r) => `${r.line.id} [${r.line.expect}] ${r.line.text} → ${r.route} ${r.detail}`);
    expect(results.filter((r) => r.ok).length, misses.join("\n")).toBeGreaterThanOrEqual(110);
  });
});
