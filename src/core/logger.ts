// One-line JSON logs through pino; a child logger carries the event id so every line of one event can be found.
// Secrets and tokens are always redacted; what people wrote (message texts, card contents) too unless
// LOG_MESSAGES=true. Call sites only see this small interface: `log.info("msg", { fields })`.
import { pino, stdSerializers, type DestinationStream, type Logger as PinoLogger } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** Include message texts and card contents (LOG_MESSAGES=true). Secrets stay redacted. Default false. */
  logMessages?: boolean;
  /** Where lines go (tests capture them); default stdout, warnings and errors on stderr. */
  destination?: DestinationStream;
}

export const REDACTED = "[redacted]";

/** Credentials, wherever they appear (top level or one level down, e.g. `headers.authorization`). */
const SECRET_KEYS = [
  "secret", "token", "accessToken", "access_token", "appSecret", "clientSecret", "corpsecret", "password", "apiKey",
  "authorization", "cookie", "encodingAesKey", "sessionWebhook", "webhook", "signature", "sign", "msg_signature",
];
/** What people wrote or were sent: message texts, raw bodies, card contents, addresses they typed. */
const MESSAGE_KEYS = ["text", "content", "body", "payload", "markdown", "reason", "address", "phone", "raw", "xml"];

const paths = (keys: string[]) => keys.flatMap((k) => [k, `*.${k}`]);

export function createLogger(level: LogLevel | "silent" = "info", bindings: Record<string, unknown> = {}, opts: LoggerOptions = {}): Logger {
  const root = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: errorSerializer, error: errorSerializer },
      redact: { paths: paths(opts.logMessages ? SECRET_KEYS : [...SECRET_KEYS, ...MESSAGE_KEYS]), censor: REDACTED },
    },
    opts.destination ?? defaultDestination(),
  );
  return wrap(Object.keys(bindings).length ? root.child(prepare(bindings)) : root);
}

function wrap(p: PinoLogger): Logger {
  const at = (lvl: LogLevel) => (msg: string, extra?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(lvl)) return;
    if (extra) p[lvl](prepare(extra), msg);
    else p[lvl](msg);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (b) => lazyChild(p, b) };
}

/**
 * A child logger made only when it first writes a line: every event makes several (its id on each line) and most
 * of them write nothing at the configured level, while making a pino child (its bindings serialised and redacted)
 * costs about what writing a line does. A child's child merges the bindings, later ones winning, as pino would.
 */
function lazyChild(parent: PinoLogger, bindings: Record<string, unknown>): Logger {
  let made: Logger | null = null;
  const real = () => (made ??= wrap(parent.child(prepare(bindings))));
  const at = (lvl: LogLevel) => (msg: string, extra?: Record<string, unknown>) => {
    if (parent.isLevelEnabled(lvl)) real()[lvl](msg, extra);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (b) => lazyChild(parent, { ...bindings, ...b }) };
}

/** An Error under any key is written as { type, message, stack, code… } (pino serializes only `err` itself). */
function prepare(extra: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(extra)) {
    if (v instanceof Error) (out ??= { ...extra })[k] = errorSerializer(v);
  }
  return out ?? extra;
}

function errorSerializer(v: unknown): unknown {
  return v instanceof Error ? stdSerializers.err(v) : v;
}

let shared: DestinationStream | undefined;
/** One per process: info and below to stdout, warnings and errors to stderr (as before pino). */
function defaultDestination(): DestinationStream {
  shared ??= pino.multistream(
    [
      { level: "trace", stream: process.stdout },
      { level: "warn", stream: process.stderr },
    ],
    { dedupe: true },
  );
  return shared;
}
