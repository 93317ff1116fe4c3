// One-line JSON logs; a child logger carries the event id so every line of one event can be found.
export type LogLevel = "debug" | "info" | "warn" | "error";
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export function createLogger(level: LogLevel | "silent" = "info", bindings: Record<string, unknown> = {}): Logger {
  const min = level === "silent" ? Infinity : order[level];
  const write = (lvl: LogLevel, msg: string, extra?: Record<string, unknown>) => {
    if (order[lvl] < min) return;
    const line = { t: new Date().toISOString(), level: lvl, msg, ...bindings, ...serialize(extra) };
    (lvl === "error" || lvl === "warn" ? process.stderr : process.stdout).write(JSON.stringify(line) + "\n");
  };
  return {
    debug: (m, e) => write("debug", m, e),
    info: (m, e) => write("info", m, e),
    warn: (m, e) => write("warn", m, e),
    error: (m, e) => write("error", m, e),
    child: (b) => createLogger(level, { ...bindings, ...b }),
  };
}

function serialize(extra?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!extra) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extra)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  }
  return out;
}
