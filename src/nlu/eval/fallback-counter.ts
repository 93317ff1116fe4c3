/**
 * The rule parser as the LLM parser's fallback, counting how often it answered, so an LLM evaluation
 * never silently reports the rule parser's score. With `failInstead`, a failed LLM answer throws and
 * evaluate() counts the line as a miss.
 */
import type { Intent } from "../intent.ts";
import type { IntentParser, ParseContext } from "../parser.ts";

export interface CountingFallback extends IntentParser {
  readonly count: number;
}

export function countingFallback(inner: IntentParser, failInstead = false): CountingFallback {
  let count = 0;
  return {
    name: inner.name,
    get count() { return count; },
    async parse(text: string, ctx: ParseContext): Promise<Intent> {
      count++;
      if (failInstead) throw new Error("the LLM answer failed (--no-fallback)");
      return inner.parse(text, ctx);
    },
  };
}

/** The report line about fallbacks. */
export function fallbackNote(count: number, lines: number, failInstead: boolean): string {
  return `llm fallbacks: ${count} of ${lines} lines ${failInstead ? "counted as misses (--no-fallback)" : "answered by the rule parser"}`;
}
