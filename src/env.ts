// Configuration: environment variables (and an optional .env), parsed once at boot. A wrong value stops
// start-up with a message that names the variable and says what is expected.
import { existsSync } from "node:fs";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");
const optionalString = z.string().trim().min(1).optional();
const url = (d: string) => z.string().url({ message: "expected a URL such as " + d }).default(d).transform((u) => u.replace(/\/+$/, ""));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number({ message: "expected a port number" }).int().min(0).max(65535).default(3000),
  /** Interface to listen on. Default: loopback unless a platform channel is configured. */
  HOST: optionalString,
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: "expected postgresql://user:password@host:5432/database" })
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** How long a query waits for a pooled PostgreSQL connection before it fails instead of hanging. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number({ message: "expected milliseconds, e.g. 3000" }).int().min(100).max(60_000).default(3000),
  /** A callback whose inbox write is not stored within this time gets 503 (WeCom gives up after 5 s, then retries). */
  INBOX_ACCEPT_TIMEOUT_MS: z.coerce.number({ message: "expected milliseconds below 5000, e.g. 3000" }).int().min(100).max(4500).default(3000),
  /**
   * On SIGTERM/SIGINT the server stops taking callbacks, finishes or hands back its work, and exits; after this
   * long it exits anyway (code 1): what it still held is taken over after one lease, and unanswered callbacks are
   * retried by the platform. Keep it below the orchestrator's own limit (docker stop: 10 s, Kubernetes: 30 s).
   */
  SHUTDOWN_GRACE_MS: z.coerce.number({ message: "expected milliseconds, e.g. 8000" }).int().min(100).max(600_000).default(8000),
  ORG_FILE: optionalString,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Include message texts (what people wrote, card contents) in the logs; secrets and tokens stay redacted. */
  LOG_MESSAGES: bool.default(false),
  /** When set, GET /metrics answers anyone sending `Authorization: Bearer <token>`; unset: loopback only. */
  METRICS_TOKEN: z.string().trim().min(16, { message: "expected a random token of at least 16 characters" }).optional(),
  /** Time zone for due dates, schedules and messages. */
  BOT_TIMEZONE: z
    .string()
    .default("Asia/Shanghai")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "expected an IANA time zone such as Asia/Shanghai"),
  /** The playground web chat; default on only in development with no platform channel configured. */
  PLAYGROUND: bool.optional(),
  /** Let other machines reach the playground (it has no login: only for a trusted network). */
  PLAYGROUND_ALLOW_REMOTE: bool.default(false),
  /** Run cron jobs in this process (several instances may; each run happens once). */
  JOBS: bool.default(true),
  /**
   * Threads that draw the metrics cards' pictures (ECharts + resvg, tens of milliseconds of CPU each). Unset: one per
   * core, at most 4 (none on one core); 0 draws on the main thread. Each thread holds its own copy of ECharts and the
   * glyph cache (about 60–80 MB).
   */
  CHART_THREADS: z.coerce.number({ message: "expected a number of threads from 0 to 8" }).int().min(0).max(8).optional(),
  /** Members per page when reading DingTalk's address book (topapi/v2/user/list takes at most 100). */
  DIRECTORY_PAGE_SIZE: z.coerce.number({ message: "expected a page size from 1 to 100" }).int().min(1).max(100).default(100),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),

  WECOM_CORP_ID: optionalString,
  WECOM_AGENT_ID: z.coerce.number({ message: "expected the app's numeric AgentId" }).int().positive().optional(),
  WECOM_SECRET: optionalString,
  WECOM_TOKEN: optionalString,
  WECOM_ENCODING_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, { message: "expected the 43-character EncodingAESKey from the WeCom console" })
    .optional(),
  WECOM_API_BASE: url("https://qyapi.weixin.qq.com"),

  DINGTALK_CLIENT_ID: optionalString,
  DINGTALK_CLIENT_SECRET: optionalString,
  DINGTALK_ROBOT_CODE: optionalString,
  DINGTALK_MODE: z.enum(["stream", "http"]).default("stream"),
  DINGTALK_CARD_TEMPLATE_ID: optionalString,
  /** The robot's display name, so "@销售助手 …" is stripped exactly; colleagues' @-mentions stay in the text. */
  DINGTALK_ROBOT_NAME: optionalString,
  /** Calls per second this instance makes to DingTalk's OpenAPI (the app's limit is shared: use ~20 / instances). */
  DINGTALK_QPS: z.coerce.number({ message: "expected calls per second, e.g. 20" }).int().min(1).max(200).default(20),
  DINGTALK_API_BASE: url("https://api.dingtalk.com"),
  DINGTALK_OAPI_BASE: url("https://oapi.dingtalk.com"),

  OPENAI_BASE_URL: z.string().url({ message: "expected the OpenAI-compatible base URL, e.g. https://api.deepseek.com" }).optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: optionalString,
  OPENAI_MODE: z.enum(["json_schema", "json_object", "tools"]).default("json_schema"),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(500).max(30_000).default(4000),
});

export type RawEnv = z.infer<typeof EnvSchema>;

export interface WecomConfig {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  apiBase: string;
}
export interface DingtalkConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  mode: "stream" | "http";
  cardTemplateId?: string;
  robotName?: string;
  qps?: number;
  apiBase: string;
  oapiBase: string;
}
export interface LlmConfig {
  baseURL: string;
  apiKey: string;
  model: string;
  mode: "json_schema" | "json_object" | "tools";
  timeoutMs: number;
}

export interface Env extends RawEnv {
  host: string;
  playground: boolean;
  wecom?: WecomConfig;
  dingtalk?: DingtalkConfig;
  llm?: LlmConfig;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** A channel is on when all of its variables are set, off when none are; a partial set is an error. */
function group<K extends keyof RawEnv>(raw: RawEnv, name: string, keys: K[], problems: string[]): boolean {
  const missing = keys.filter((k) => raw[k] === undefined);
  if (missing.length === keys.length) return false;
  if (missing.length > 0) {
    problems.push(`${name} is partly configured: set ${missing.join(", ")} too (or unset ${keys.filter((k) => !missing.includes(k)).join(", ")})`);
    return false;
  }
  return true;
}

function orphans(input: Record<string, unknown>, enabled: boolean, name: string, keys: string[], needs: string, problems: string[]): void {
  if (enabled || problems.some((p) => p.startsWith(name))) return;
  const set = keys.filter((k) => input[k] !== undefined);
  if (set.length) problems.push(`${set.join(", ")} ${set.length > 1 ? "are" : "is"} set but ${name} is not configured: set ${needs} too (or unset ${set.join(", ")})`);
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const input = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(input);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}${"received" in i ? "" : ""}`));
  }
  const raw = parsed.data;
  const problems: string[] = [];
  const hasWecom = group(raw, "WeCom", ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_ENCODING_AES_KEY"], problems);
  const hasDing = group(raw, "DingTalk", ["DINGTALK_CLIENT_ID", "DINGTALK_CLIENT_SECRET"], problems);
  const hasLlm = group(raw, "The LLM parser", ["OPENAI_BASE_URL", "OPENAI_API_KEY", "OPENAI_MODEL"], problems);
  // Settings that only mean something with their channel: set alone, they are a mistake, not a no-op.
  orphans(input, hasWecom, "WeCom", ["WECOM_API_BASE"], "WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_ENCODING_AES_KEY", problems);
  orphans(input, hasDing, "DingTalk", ["DINGTALK_ROBOT_CODE", "DINGTALK_MODE", "DINGTALK_CARD_TEMPLATE_ID", "DINGTALK_ROBOT_NAME", "DINGTALK_QPS", "DINGTALK_API_BASE", "DINGTALK_OAPI_BASE"], "DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET", problems);
  orphans(input, hasLlm, "The LLM parser", ["OPENAI_MODE", "OPENAI_TIMEOUT_MS"], "OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL", problems);
  if (problems.length) throw new EnvError(problems);

  // The playground has no login. Once a real platform is configured the bot is a deployment, usually behind a
  // reverse proxy (which makes every request look local), so the playground must then be asked for explicitly.
  const playground = raw.PLAYGROUND ?? (raw.NODE_ENV !== "production" && !hasWecom && !hasDing);
  return {
    ...raw,
    host: raw.HOST ?? (hasWecom || (hasDing && raw.DINGTALK_MODE === "http") ? "0.0.0.0" : "127.0.0.1"),
    playground,
    wecom: hasWecom
      ? {
          corpId: raw.WECOM_CORP_ID!,
          agentId: raw.WECOM_AGENT_ID!,
          secret: raw.WECOM_SECRET!,
          token: raw.WECOM_TOKEN!,
          encodingAesKey: raw.WECOM_ENCODING_AES_KEY!,
          apiBase: raw.WECOM_API_BASE,
        }
      : undefined,
    dingtalk: hasDing
      ? {
          clientId: raw.DINGTALK_CLIENT_ID!,
          clientSecret: raw.DINGTALK_CLIENT_SECRET!,
          robotCode: raw.DINGTALK_ROBOT_CODE ?? raw.DINGTALK_CLIENT_ID!,
          mode: raw.DINGTALK_MODE,
          cardTemplateId: raw.DINGTALK_CARD_TEMPLATE_ID,
          robotName: raw.DINGTALK_ROBOT_NAME,
          qps: raw.DINGTALK_QPS,
          apiBase: raw.DINGTALK_API_BASE,
          oapiBase: raw.DINGTALK_OAPI_BASE,
        }
      : undefined,
    llm: hasLlm
      ? { baseURL: raw.OPENAI_BASE_URL!, apiKey: raw.OPENAI_API_KEY!, model: raw.OPENAI_MODEL!, mode: raw.OPENAI_MODE, timeoutMs: raw.OPENAI_TIMEOUT_MS }
      : undefined,
  };
}

/**
 * What a production start (NODE_ENV=production) still lacks: its own organisation file (not the demo one) and at
 * least one platform channel. Checked by the server at start-up, not by parseEnv, so tests and tools may still
 * parse a production environment.
 */
export function productionProblems(env: Env): string[] {
  if (env.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (!env.ORG_FILE) {
    problems.push("ORG_FILE: production needs your organisation file (people, roles, products, rules); the demo organisation (prisma/org.demo.yaml) is for trying the bot only");
  }
  if (!env.wecom && !env.dingtalk) {
    problems.push(
      "no channel configured: production needs WeCom (WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_ENCODING_AES_KEY) " +
        "or DingTalk (DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET), or both",
    );
  }
  return problems;
}

/** Load ./.env if present (Node's own parser); real environment variables win. */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
