// Collects the features' declarations once at start; a duplicate (two handlers for one intent or one card
// kind) is a programming error found at boot, not a coin toss at run time.
import type { IntentName } from "../../nlu/index.ts";
import type { CardKind, TypedTwin } from "./card-kind.ts";
import type { Feature, IntentRoutes, TextCommand } from "./feature.ts";
import type { TextPendingKind } from "./pending.ts";

export interface Registry {
  intents: IntentRoutes;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cards: Map<string, CardKind<any>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  typed: { kind: CardKind<any>; twin: TypedTwin<string> }[];
  questions: TextPendingKind<unknown>[];
  commands: TextCommand[];
}

export function buildRegistry(features: Feature[]): Registry {
  const reg: Registry = { intents: {}, cards: new Map(), typed: [], questions: [], commands: [] };
  for (const f of features) {
    for (const [name, handler] of Object.entries(f.intents ?? {})) {
      if (reg.intents[name as IntentName]) throw new Error(`intent ${name} is handled by two features (${f.name})`);
      (reg.intents as Record<string, unknown>)[name] = handler;
    }
    for (const kind of f.cards ?? []) {
      if (reg.cards.has(kind.spec.purpose)) throw new Error(`card kind ${kind.spec.purpose} is declared twice (${f.name})`);
      reg.cards.set(kind.spec.purpose, kind);
      for (const twin of kind.typed ?? []) reg.typed.push({ kind, twin });
    }
    reg.questions.push(...((f.questions ?? []) as TextPendingKind<unknown>[]));
    reg.commands.push(...(f.commands ?? []));
  }
  return reg;
}
