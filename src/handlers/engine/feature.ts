// A feature (visits, customers, pool, tasks, metrics, help, soon orders and dispatch) declares what it answers:
// the intents it handles, its card kinds with their actions, the questions it may be waiting on, and any
// message it recognises before the parser. The dispatcher only iterates these declarations.
import type { IntentName, IntentOf } from "../../nlu/index.ts";
import type { CardKind } from "./card-kind.ts";
import type { HandlerContext } from "./handler-context.ts";
import type { PendingKind, TextPendingKind } from "./pending.ts";

export type IntentRoutes = { [N in IntentName]?: (ctx: HandlerContext, intent: IntentOf<N>, text: string) => Promise<void> | void };

export interface TextCommand {
  /** Recognised before the parser runs (so no LLM call is spent on it). */
  matches: (text: string) => boolean;
  /** "pass" when it turns out not to be for this command after all (e.g. no draft open): the next one is tried. */
  run: (ctx: HandlerContext, text: string) => Promise<void | "pass"> | void | "pass";
}

export interface Feature {
  name: string;
  intents?: IntentRoutes;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind has its own verbs
  cards?: CardKind<any>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind parses its own data
  pending?: PendingKind<any, any>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  questions?: TextPendingKind<any>[];
  commands?: TextCommand[];
}
