// One real bot (fresh database, WeCom channel on) + the WeCom API simulator + the callback driver, per test file.
import { createLogger, type Logger } from "../../src/core/logger.ts";
import { startTestBot, type TestBot } from "../support/test-bot.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";
import { randomAesKey, WecomDriver } from "../simulators/wecom-driver.ts";
import { newWecomConfig, wecomEnv } from "../support/platform-env.ts";

export { randomAesKey };

export interface WecomHarness {
  bot: TestBot;
  sim: WecomApiSim;
  driver: WecomDriver;
  config: { corpId: string; agentId: number; secret: string; token: string; encodingAesKey: string };
  /** Every line the bot logged (also the ones TEST_LOG_LEVEL does not print). */
  logs: LogLine[];
  close(): Promise<void>;
}

export interface LogLine {
  level: string;
  msg: string;
  [key: string]: unknown;
}

/** Keeps every line in `lines` and prints as TEST_LOG_LEVEL says (silent by default). */
function capturingLogger(lines: LogLine[], print: Logger, bindings: Record<string, unknown> = {}): Logger {
  const at = (level: "debug" | "info" | "warn" | "error") => (msg: string, extra?: Record<string, unknown>) => {
    lines.push({ ...bindings, ...extra, level, msg });
    print[level](msg, extra);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (b) => capturingLogger(lines, print.child(b), { ...bindings, ...b }) };
}

/** `env`: more environment for the bot (an ORG_FILE, …); `simOpts`: the simulator's options beyond the app's. */
export async function startWecomHarness(env: Record<string, string> = {}, simOpts: { memberPerMinute?: number } = {}): Promise<WecomHarness> {
  const config = newWecomConfig();
  const sim = await startWecomApiSim({ corpId: config.corpId, secret: config.secret, agentId: config.agentId, ...simOpts });
  const logs: LogLine[] = [];
  const log = capturingLogger(logs, createLogger((process.env.TEST_LOG_LEVEL as Parameters<typeof createLogger>[0]) ?? "silent"));
  const bot = await startTestBot({
    ...wecomEnv(config, sim.url),
    ...env,
  }, { log });
  const driver = new WecomDriver({ botUrl: bot.url, ...config });
  return {
    bot, sim, driver, config, logs,
    async close() {
      await bot.close();
      await sim.close();
    },
  };
}

type Json = Record<string, unknown>;
export interface SentCard {
  taskId: string;
  title: string;
  buttons: { text: string; key: string }[];
}

/** The template cards the simulator delivered to `user`, in order. */
export function cardsSentTo(sim: WecomApiSim, user: string): SentCard[] {
  return sim.sentTo(user, "template_card").map((m) => {
    const c = m.template_card as Json;
    return { taskId: String(c.task_id), title: String((c.main_title as Json).title), buttons: c.button_list as SentCard["buttons"] };
  });
}

export function textsSentTo(sim: WecomApiSim, user: string): string[] {
  return sim.sentTo(user).map((m) => String(((m.text ?? m.markdown) as Json | undefined)?.content ?? ""));
}
