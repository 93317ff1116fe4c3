/**
 * A local OpenAI-compatible server (POST /v1/chat/completions) for tests, driven by a script.
 *
 * Each request takes the next scripted answer (or the default responder). An `intent` answer is shaped
 * the way the request asked for it, like a real provider would: a forced tool call when the request has
 * `tools`, JSON content for response_format json_schema / json_object. Other answers produce raw content,
 * a raw tool call, an HTTP error, a body that is not JSON, or no answer at all; any of them can be delayed.
 * Requests are validated like the real API (auth, model, messages, "json" in the prompt for JSON mode)
 * and recorded so tests can assert what was sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptedAnswer = { delayMs?: number } & (
  | { kind: "intent"; value: unknown }
  | { kind: "content"; content: string | null }
  | { kind: "tool_call"; name?: string; arguments: string }
  | { kind: "http_error"; status: number; message?: string }
  | { kind: "non_json_body"; body: string }
  | { kind: "hang" }
);

/** The parts of a chat-completions request body the simulator looks at. */
export interface ChatBody {
  model?: unknown;
  messages?: { role?: string; content?: unknown }[];
  response_format?: { type?: string; json_schema?: { name?: string; schema?: Record<string, unknown>; strict?: boolean } };
  tools?: { type?: string; function?: { name?: string; parameters?: Record<string, unknown> } }[];
  tool_choice?: { type?: string; function?: { name?: string } } | string;
  temperature?: number;
  max_tokens?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  /** Parsed JSON body, undefined when it was not JSON. */
  body: ChatBody | undefined;
  receivedAt: number;
}

export type Responder = (req: RecordedRequest) => ScriptedAnswer;

export interface OpenAiSimulator {
  /** e.g. http://127.0.0.1:54321/v1 — pass as baseURL to the openai client. */
  baseURL: string;
  apiKey: string;
  requests: RecordedRequest[];
  enqueue(...answers: ScriptedAnswer[]): void;
  /** Used when the queue is empty; by default the server answers 500 "no scripted answer". */
  setDefault(responder: Responder | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

/** The rep's message text as sent by the parser (user message content is {"message": "..."}). */
export function userText(req: RecordedRequest): string {
  const user = (req.body?.messages ?? []).filter((m) => m.role === "user").at(-1);
  const content = typeof user?.content === "string" ? user.content : "";
  try {
    return String((JSON.parse(content) as { message?: unknown }).message ?? "");
  } catch {
    return content;
  }
}

export function systemText(req: RecordedRequest): string {
  return (req.body?.messages ?? []).filter((m) => m.role === "system").map((m) => String(m.content)).join("\n");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(data) });
  res.end(data);
}

function apiError(res: ServerResponse, status: number, message: string, type = "invalid_request_error"): void {
  sendJson(res, status, { error: { message, type, param: null, code: null } });
}

let seq = 0;
function completion(body: ChatBody, message: Record<string, unknown>, finish: string) {
  return {
    id: `chatcmpl-sim-${++seq}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", refusal: null, ...message }, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  };
}

function answer(res: ServerResponse, body: ChatBody, a: ScriptedAnswer): void {
  switch (a.kind) {
    case "http_error":
      return apiError(res, a.status, a.message ?? `simulated HTTP ${a.status}`, a.status >= 500 ? "server_error" : "invalid_request_error");
    case "non_json_body":
      res.writeHead(200, { "content-type": "application/json" });
      res.end(a.body);
      return;
    case "hang":
      return;
    case "content":
      return sendJson(res, 200, completion(body, { content: a.content }, "stop"));
    case "tool_call":
      return sendJson(res, 200, completion(body, {
        content: null,
        tool_calls: [{ id: `call_${++seq}`, type: "function", function: { name: a.name ?? "record_intent", arguments: a.arguments } }],
      }, "tool_calls"));
    case "intent": {
      const payload = JSON.stringify({ result: a.value });
      if (Array.isArray(body.tools) && body.tools.length > 0) {
        const choice = typeof body.tool_choice === "object" ? body.tool_choice.function?.name : undefined;
        const forced = choice ?? body.tools[0]?.function?.name ?? "record_intent";
        return sendJson(res, 200, completion(body, {
          content: null,
          tool_calls: [{ id: `call_${++seq}`, type: "function", function: { name: forced, arguments: payload } }],
        }, "tool_calls"));
      }
      return sendJson(res, 200, completion(body, { content: payload }, "stop"));
    }
  }
}

export async function startOpenAiSimulator(opts: { apiKey?: string } = {}): Promise<OpenAiSimulator> {
  const apiKey = opts.apiKey ?? "sk-test";
  const queue: ScriptedAnswer[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: Responder | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: ChatBody | undefined;
      try {
        const parsed: unknown = raw ? JSON.parse(raw) : undefined;
        body = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as ChatBody) : undefined;
      } catch {
        body = undefined;
      }
      const rec: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, receivedAt: Date.now() };
      requests.push(rec);
      if (req.method !== "POST" || !/^\/v1\/chat\/completions\/?$/.test(req.url ?? "")) return apiError(res, 404, `Unknown request URL: ${req.method} ${req.url}`);
      if (req.headers.authorization !== `Bearer ${apiKey}`) return apiError(res, 401, "Incorrect API key provided.", "authentication_error");
      const b = body;
      if (!b) return apiError(res, 400, "We could not parse the JSON body of your request.");
      if (typeof b.model !== "string" || !b.model) return apiError(res, 400, "you must provide a model parameter");
      if (!Array.isArray(b.messages) || b.messages.length === 0) return apiError(res, 400, "'messages' must be a non-empty array");
      if (b.response_format?.type === "json_object" && !JSON.stringify(b.messages).toLowerCase().includes("json")) {
        return apiError(res, 400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.");
      }
      if (b.response_format?.type === "json_schema" && typeof b.response_format.json_schema?.schema !== "object") {
        return apiError(res, 400, "Missing required parameter: 'response_format.json_schema.schema'.");
      }
      const next = queue.shift() ?? fallback?.(rec) ?? { kind: "http_error", status: 500, message: "simulator: no scripted answer" };
      if (!next.delayMs) return answer(res, b, next);
      const timer = setTimeout(() => answer(res, b, next), next.delayMs);
      res.on("close", () => clearTimeout(timer)); // the client gave up
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    enqueue: (...answers) => void queue.push(...answers),
    setDefault: (r) => void (fallback = r),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      fallback = undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
