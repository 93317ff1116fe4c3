// The features' declarations, checked as a whole: every intent the parser can produce has exactly one handler,
// every card kind with buttons is registered, and a duplicate declaration stops the start.
import { describe, expect, it } from "vitest";
import { buildRegistry } from "../../src/handlers/engine/registry.ts";
import { FEATURES, REGISTRY } from "../../src/handlers/features.ts";
import { INTENT_NAMES } from "../../src/nlu/index.ts";

describe("feature registry", () => {
  it("routes every intent", () => {
    const missing = INTENT_NAMES.filter((n) => !REGISTRY.intents[n]);
    expect(missing).toEqual([]);
  });

  it("registers the card kinds that have buttons, each verb with an action", () => {
    for (const purpose of ["visit_confirm", "pick_customer", "reminder"]) {
      const kind = REGISTRY.cards.get(purpose);
      expect(kind, purpose).toBeDefined();
      for (const verb of kind!.spec.verbs) expect(typeof kind!.actions[verb]?.run, `${purpose}.${verb}`).toBe("function");
    }
  });

  it("refuses two handlers for one intent or two declarations of one card kind", () => {
    const visits = FEATURES.find((f) => f.name === "visits")!;
    expect(() => buildRegistry([...FEATURES, { name: "again", intents: { log_visit: visits.intents!.log_visit! } }])).toThrow(/log_visit/);
    expect(() => buildRegistry([...FEATURES, { name: "again", cards: visits.cards! }])).toThrow(/visit_confirm/);
  });
});
