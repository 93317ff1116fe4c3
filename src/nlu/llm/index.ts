export { createLlmParser, buildRequest, extractJsonText, DEFAULT_TIMEOUT_MS, type LlmMode, type LlmParserOptions } from "./llm-parser.ts";
export { systemPrompt, userMessage } from "./prompt.ts";
export { intentJsonSchema, coerceModelOutput } from "./schema.ts";
