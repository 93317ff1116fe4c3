// The hostile-input suites' bot: the real app with WeCom, DingTalk (HTTP or Stream mode) and the playground on,
// the WeCom API simulator and the DingTalk gateway behind it, distinctive secrets, and every log line captured
// (a pino destination, so redaction runs exactly as in production). Plus a raw HTTP/1.1 client (to send what
// fetch refuses to: lying content-lengths, bad UTF-8, odd headers) and a row count of every table.
import { randomBytes } from "node:crypto";
import net from "node:net";
import { FIXED_NOW, startTestBot, type TestBot } from "../support/test-bot.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";
import { randomAesKey, WecomDriver } from "../simulators/wecom-driver.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { eventually } from "../support/eventually.ts";
import type { StartOptions } from "../../src/main.ts";

export interface Secrets {
  wecomSecret: string;
  wecomToken: string;
  wecomAesKey: string;
  dingtalkSecret: string;
  metricsToken: string;
}

export function distinctiveSecrets(): Secrets {
  const hex = () => randomBytes(12).toString("hex");
  return {
    wecomSecret: `WxSecret${hex()}`,
    wecomToken: `WxToken${hex()}`,
    // 43 characters of [A-Za-z0-9], as the console makes; starts with a marker so a leak is easy to read.
    wecomAesKey: `AesKey${randomAesKey().slice(6)}`,
    dingtalkSecret: `DtSecret${hex()}`,
    metricsToken: `MetricsTok${hex()}`,
  };
}

export interface LogLine {
  level: string;
  msg: string;
  [k: string]: unknown;
}

export interface HostileBot {
  bot: TestBot;
  sim: WecomApiSim;
  gw: DingtalkGateway;
  driver: WecomDriver;
  secrets: Secrets;
  corpId: string;
  agentId: number;
  /** Every line the bot wrote, raw (as it would reach a file) and parsed. */
  raw: string[];
  lines: LogLine[];
  close(): Promise<void>;
}

export interface HostileOptions {
  dingtalkMode: "http" | "stream";
  /** Inbox/outbox workers (off: accepted events wait in the inbox, so row counts move only with accepts). */
  workers?: boolean;
  env?: Record<string, string>;
  logLevel?: string;
  secrets?: Secrets;
  start?: StartOptions;
}

export async function startHostileBot(o: HostileOptions): Promise<HostileBot> {
  const secrets = o.secrets ?? distinctiveSecrets();
  const corpId = "ww0123456789abcdef";
  const agentId = 1000002;
  const sim = await startWecomApiSim({ corpId, secret: secrets.wecomSecret, agentId });
  const gw = await startDingtalkGateway({ clientSecret: secrets.dingtalkSecret, now: () => FIXED_NOW.getTime() });
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const bot = await startTestBot(
    {
      LOG_LEVEL: o.logLevel ?? "warn",
      WECOM_CORP_ID: corpId,
      WECOM_AGENT_ID: String(agentId),
      WECOM_SECRET: secrets.wecomSecret,
      WECOM_TOKEN: secrets.wecomToken,
      WECOM_ENCODING_AES_KEY: secrets.wecomAesKey,
      WECOM_API_BASE: sim.url,
      DINGTALK_CLIENT_ID: gw.api.clientId,
      DINGTALK_CLIENT_SECRET: secrets.dingtalkSecret,
      DINGTALK_MODE: o.dingtalkMode,
      DINGTALK_API_BASE: gw.url,
      DINGTALK_OAPI_BASE: gw.url,
      METRICS_TOKEN: secrets.metricsToken,
      HOST: "127.0.0.1",
      ...o.env,
    },
    {
      workers: o.workers ?? false,
      // The logger made from env, writing here: the real redaction, the real serializers.
      log: undefined,
      logDestination: { write: (s: string) => void (raw.push(s), lines.push(JSON.parse(s) as LogLine)) },
      ...o.start,
    },
  );
  if (o.dingtalkMode === "stream") await eventually(() => gw.stream.sockets.size === 1, "the bot's Stream connection");
  const driver = new WecomDriver({ botUrl: bot.url, corpId, agentId, token: secrets.wecomToken, encodingAesKey: secrets.wecomAesKey });
  return {
    bot, sim, gw, driver, secrets, corpId, agentId, raw, lines,
    async close() {
      await bot.close();
      await sim.close();
      await gw.close();
    },
  };
}

/** Rows in every table of the schema, one query (the migrations' own table left out). */
export async function rowCounter(bot: TestBot): Promise<() => Promise<Record<string, number>>> {
  const tables = (
    await bot.db.sql.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`,
    )
  ).map((r) => r.t);
  const sql = tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM "${t}"`).join(" UNION ALL ");
  return async () => Object.fromEntries((await bot.db.sql.query<{ t: string; n: number }>(sql)).map((r) => [r.t, Number(r.n)]));
}

/** The tables whose counts differ, with the change. */
export function changed(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) if ((after[k] ?? 0) !== (before[k] ?? 0)) out[k] = (after[k] ?? 0) - (before[k] ?? 0);
  return out;
}

export interface RawAnswer {
  /** 0 when nothing came back before the socket closed or the time ran out. */
  status: number;
  head: string;
  body: string;
  timedOut: boolean;
}

/**
 * One request as raw bytes on a fresh connection; resolves once the final status line and the response are in
 * (or, for an event stream, once the headers are), or the server closes, or `timeoutMs` passes. `halfClose` ends
 * our side after writing (a body shorter than its content-length then cannot keep the request open forever).
 */
export function rawRequest(port: number, bytes: Buffer, o: { timeoutMs?: number; halfClose?: boolean; head?: boolean } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (timedOut = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...parseAnswer(buf), timedOut });
    };
    const timer = setTimeout(() => finish(true), o.timeoutMs ?? 5000);
    sock.on("connect", () => {
      sock.write(bytes);
      if (o.halfClose) sock.end();
    });
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const a = parseAnswer(buf);
      // A HEAD answer (and a 204/304) has headers only.
      const headersOnly = (o.head || a.status === 204 || a.status === 304) && a.head.length > 0 && buf.includes("\r\n\r\n");
      if (a.status >= 200 && (a.complete || headersOnly || /content-type: text\/event-stream/i.test(a.head))) finish();
    });
    sock.on("error", () => finish());
    sock.on("end", () => finish());
    sock.on("close", () => finish());
  });
}

function parseAnswer(buf: Buffer): RawAnswer & { complete: boolean } {
  let text = buf.toString("latin1");
  // Skip interim answers (100 Continue).
  while (/^HTTP\/1\.1 1\d\d /.test(text) && text.includes("\r\n\r\n")) text = text.slice(text.indexOf("\r\n\r\n") + 4);
  const end = text.indexOf("\r\n\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!m || end < 0) return { status: m ? Number(m[1]) : 0, head: text, body: "", timedOut: false, complete: false };
  const head = text.slice(0, end);
  const bodyBytes = Buffer.from(text.slice(end + 4), "latin1");
  const len = /\r\ncontent-length: (\d+)/i.exec(head);
  const complete = len ? bodyBytes.length >= Number(len[1]) : false;
  return { status: Number(m[1]), head, body: bodyBytes.toString("utf8"), timedOut: false, complete };
}

/** Builds request bytes; `headers` in order, exactly as given (no content-length added unless asked). */
export function httpBytes(method: string, target: string, headers: [string, string][], body: Buffer = Buffer.alloc(0), o: { contentLength?: number | "none" } = {}): Buffer {
  const host: [string, string][] = headers.some(([k]) => k.toLowerCase() === "host") ? [] : [["host", "127.0.0.1"]];
  const lines = [`${method} ${target} HTTP/1.1`, ...[...host, ["connection", "close"], ...headers].map(([k, v]) => `${k}: ${v}`)];
  if (o.contentLength !== "none") lines.push(`content-length: ${o.contentLength ?? body.length}`);
  return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"), body]);
}
