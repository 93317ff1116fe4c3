/**
 * Intent parsing with any OpenAI-compatible chat-completions endpoint (OpenAI, DeepSeek, Qwen/DashScope…).
 *
 * Modes: "json_schema" (response_format json_schema), "json_object" (JSON mode + schema in the prompt),
 * "tools" (one forced function call). Whatever comes back is validated with IntentSchema; a timeout,
 * HTTP error, unparsable or invalid answer yields the fallback parser's result, and the reason is logged.
 * The whole call, retries included, is bounded by timeoutMs (default 4000), so the rep never waits
 * much longer than that.
 */
import OpenAI from "openai";
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { IntentSchema, type Intent } from "../intent.ts";
import type { IntentParser, ParseContext } from "../parser.ts";
import { systemPrompt, userMessage } from "./prompt.ts";
import { coerceModelOutput, intentJsonSchema } from "./schema.ts";

export type LlmMode = "json_schema" | "json_object" | "tools";

export interface LlmParserOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /** Budget for the whole call including retries. Default 4000 ms. */
  timeoutMs?: number;
  mode?: LlmMode;
  fallback: IntentParser;
  log?: (msg: string, extra?: object) => void;
  /** Starts a call's time budget. Default: the real clock (AbortSignal.timeout); tests pass one they fire by hand. */
  budget?: BudgetTimer;
}

/** A signal that aborts when `ms` have passed; the parser asks for one per call. */
export type BudgetTimer = (ms: number) => AbortSignal;
export const realBudget: BudgetTimer = (ms) => AbortSignal.timeout(ms);

export const DEFAULT_TIMEOUT_MS = 4000;
const TOOL_NAME = "record_intent";

export function buildRequest(text: string, ctx: ParseContext, model: string, mode: LlmMode): ChatCompletionCreateParamsNonStreaming {
  const schema = intentJsonSchema();
  const base: ChatCompletionCreateParamsNonStreaming = {
    model,
    temperature: 0,
    max_tokens: 800,
    messages: [
      { role: "system", content: systemPrompt(ctx, mode) },
      { role: "user", content: userMessage(text) },
    ],
  };
  if (mode === "json_schema") {
    return { ...base, response_format: { type: "json_schema", json_schema: { name: "intent_result", schema, strict: false } } };
  }
  if (mode === "json_object") return { ...base, response_format: { type: "json_object" } };
  return {
    ...base,
    tools: [{ type: "function", function: { name: TOOL_NAME, description: "Record the intent of the rep's message.", parameters: schema } }],
    tool_choice: { type: "function", function: { name: TOOL_NAME } },
  };
}

/** The JSON text the model produced: message content, or the forced tool call's arguments. */
export function extractJsonText(completion: ChatCompletion, mode: LlmMode): string {
  const message = completion.choices?.[0]?.message;
  if (!message) throw new Error("no choices in the completion");
  if (mode === "tools") {
    const call = message.tool_calls?.find((c) => c.type === "function");
    if (call && call.type === "function") return call.function.arguments;
    // Some endpoints ignore tool_choice and answer in content; accept JSON there too.
    if (message.content) return message.content;
    throw new Error("no tool call in the completion");
  }
  if (message.refusal) throw new Error(`model refused: ${message.refusal}`);
  if (!message.content) throw new Error("empty content");
  return message.content;
}

/** Strip ```json fences some models add even in JSON mode. */
function unfence(s: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(s);
  return m ? m[1]! : s;
}

export function createLlmParser(opts: LlmParserOptions): IntentParser {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mode = opts.mode ?? "json_schema";
  const log = opts.log ?? (() => {});
  const budget = opts.budget ?? realBudget;
  // One retry at most (connection errors, 429, 5xx); the AbortSignal below caps the total time anyway.
  const client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey, timeout: timeoutMs, maxRetries: 1 });

  async function fallback(text: string, ctx: ParseContext, reason: string, extra?: object): Promise<Intent> {
    log(`llm parser fell back to ${opts.fallback.name}: ${reason}`, { model: opts.model, mode, ...extra });
    return opts.fallback.parse(text, ctx);
  }

  return {
    name: "llm",
    async parse(text: string, ctx: ParseContext): Promise<Intent> {
      const started = Date.now();
      const signal = budget(timeoutMs);
      let completion: ChatCompletion;
      try {
        completion = await client.chat.completions.create(buildRequest(text, ctx, opts.model, mode), { signal, timeout: timeoutMs });
      } catch (err) {
        const timedOut = signal.aborted || err instanceof OpenAI.APIConnectionTimeoutError || err instanceof OpenAI.APIUserAbortError;
        const status = err instanceof OpenAI.APIError ? err.status : undefined;
        return fallback(text, ctx, timedOut ? `timeout after ${timeoutMs} ms` : `request failed${status ? ` (HTTP ${status})` : ""}`, {
          error: err instanceof Error ? err.message.slice(0, 300) : String(err),
          elapsedMs: Date.now() - started,
        });
      }
      let json: unknown;
      try {
        json = JSON.parse(unfence(extractJsonText(completion, mode)));
      } catch (err) {
        return fallback(text, ctx, "unparsable output", { error: err instanceof Error ? err.message.slice(0, 300) : String(err) });
      }
      const result = IntentSchema.safeParse(coerceModelOutput(json, text, ctx.timeZone));
      if (!result.success) {
        return fallback(text, ctx, "output failed the schema", {
          issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
        });
      }
      return result.data;
    },
  };
}
