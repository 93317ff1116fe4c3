// Observe with the platform channels: /readyz follows the DingTalk Stream connection, /metrics has the WeCom and
// DingTalk API calls by endpoint (never a query, a token or a secret), the LLM fallback count, job runs.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/logger.ts";
import { createMetrics, endpointLabel } from "../../src/core/metrics.ts";
import { DingtalkApi } from "../../src/channels/dingtalk/api-client.ts";
import { observedJobs } from "../../src/observe.ts";
import type { JobDefinition } from "../../jobs/job.ts";
import { startDingtalkGateway, type DingtalkGateway } from "../simulators/dingtalk-gateway.ts";
import { startWecomApiSim, type WecomApiSim } from "../simulators/wecom-api.ts";
import { randomAesKey, WecomDriver } from "../simulators/wecom-driver.ts";
import { eventually, FIXED_NOW, startTestBot, type TestBot } from "../support/test-bot.ts";
import { bothPlatformsEnv } from "../support/platform-env.ts";

/** Generous: the tests may share two cores with others. */
const SLOW = 40_000;

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("observe with WeCom and DingTalk", { timeout: 90_000 }, () => {
  const wecom = { corpId: "ww0123456789abcdef", agentId: 1000002, secret: randomBytes(16).toString("hex"), token: "tok", encodingAesKey: randomAesKey() };
  const llmKey = `sk-${randomBytes(12).toString("hex")}`;
  let sim: WecomApiSim;
  let gw: DingtalkGateway;
  let bot: TestBot;
  let driver: WecomDriver;
  const metricsText = async () => (await fetch(`${bot.url}/metrics`)).text();

  beforeAll(async () => {
    sim = await startWecomApiSim({ corpId: wecom.corpId, secret: wecom.secret, agentId: wecom.agentId });
    gw = await startDingtalkGateway({ now: () => FIXED_NOW.getTime() });
    bot = await startTestBot({
      ...bothPlatformsEnv(wecom, sim, gw),
      // An LLM nobody answers: every free-text message falls back to the rule parser.
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      OPENAI_API_KEY: llmKey,
      OPENAI_MODEL: "test-model",
      OPENAI_TIMEOUT_MS: "1000",
    });
    driver = new WecomDriver({ botUrl: bot.url, ...wecom });
    await eventually(() => gw.stream.sockets.size === 1, "the bot's Stream connection", SLOW);
  });
  afterAll(async () => {
    await bot?.close();
    await sim?.close();
    await gw?.close().catch(() => undefined);
  });

  it("/readyz is ready with both channels up", async () => {
    const res = await fetch(`${bot.url}/readyz`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ ok: true, channels: { wecom: { ok: true }, dingtalk: { ok: true, detail: "stream open" } } });
  });

  it("counts events and API calls by platform and endpoint, and the LLM fallbacks", async () => {
    gw.sendRobot(gw.robotMessage({ staffId: "0101", nick: "张三", text: "今天拜访了华东机电的王经理，下周三再去", msgId: "obs-1" }));
    expect((await driver.deliver(driver.textXml("ZhangSan", "我的待办"))).status).toBe(200);
    const text = await eventually(async () => {
      const t = await metricsText();
      const dt = sample(t, 'salesbot_events_processed_total{platform="dingtalk",kind="message"}') ?? 0;
      const wc = sample(t, 'salesbot_events_processed_total{platform="wecom",kind="message"}') ?? 0;
      const sent = /^salesbot_platform_api_duration_seconds_count\{platform="wecom",endpoint="\/cgi-bin\/message\/send"\} [1-9]/m.test(t);
      const dsent = /^salesbot_platform_api_duration_seconds_count\{platform="dingtalk",endpoint="\/v1\.0\/[^"]+"\} [1-9]/m.test(t);
      return dt >= 1 && wc >= 1 && sent && dsent ? t : undefined;
    }, "both platforms' events handled and answered", SLOW);
    expect(sample(text, 'salesbot_events_received_total{platform="dingtalk",kind="message",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'salesbot_events_received_total{platform="wecom",kind="message",outcome="accepted"}')).toBe(1);
    expect(text).toMatch(/^salesbot_platform_api_duration_seconds_count\{platform="wecom",endpoint="\/cgi-bin\/gettoken"\} 1$/m);
    expect(text).toMatch(/^salesbot_platform_api_duration_seconds_count\{platform="dingtalk",endpoint="\/v1\.0\/oauth2\/accessToken"\} [1-9]/m);
    expect(sample(text, 'salesbot_nlu_fallbacks_total{parser="rules"}')).toBeGreaterThanOrEqual(1);
    for (const secret of [wecom.secret, gw.api.clientSecret, llmKey, "access_token", "corpsecret"]) expect(text).not.toContain(secret);
  });

  it("/readyz says not ready while the DingTalk Stream connection is down", async () => {
    await gw.close();
    const res = await eventually(async () => {
      const r = await fetch(`${bot.url}/readyz`);
      return r.status === 503 ? r : undefined;
    }, "not ready", SLOW);
    const body = (await res.json()) as { ok: boolean; channels: Record<string, { ok: boolean; detail: string }> };
    expect(body.ok).toBe(false);
    expect(body.channels.dingtalk!.ok).toBe(false);
    expect(body.channels.dingtalk!.detail).toMatch(/^stream (connecting|waiting)/);
    expect(body.channels.wecom!.ok).toBe(true);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});

describe("metric helpers", () => {
  it("an API call that fails is counted by endpoint and error", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const api = new DingtalkApi({ clientId: "x", clientSecret: "y", apiBase: "http://127.0.0.1:9", log: createLogger("silent"), clock: systemClock, observe: metrics.apiObserver("dingtalk") });
    await expect(api.accessToken()).rejects.toThrow();
    const { body } = await metrics.scrape();
    expect(body).toContain('salesbot_platform_api_errors_total{platform="dingtalk",endpoint="/v1.0/oauth2/accessToken",error="network"} 1');
  });

  it("endpoint labels carry no query, ids or tokens", () => {
    expect(endpointLabel("/cgi-bin/gettoken?corpid=a&corpsecret=b")).toBe("/cgi-bin/gettoken");
    expect(endpointLabel("https://oapi.dingtalk.com/robot/sendBySession?session=abc")).toBe("/robot/sendBySession");
    expect(endpointLabel("/v1.0/card/instances/12345")).toBe("/v1.0/card/instances/:id");
  });

  it("job runs and durations by job and outcome", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const job = (name: string, fail: boolean): JobDefinition => ({
      name, description: "", schedule: () => "0 9 * * *", period: () => "p",
      run: async () => {
        if (fail) throw new Error("boom");
        return { sent: 1 };
      },
    });
    const [ok, bad] = observedJobs([job("good", false), job("bad", true)], metrics);
    const deps = {} as Parameters<JobDefinition["run"]>[0];
    await ok!.run(deps, new Date(), "p");
    await expect(bad!.run(deps, new Date(), "p")).rejects.toThrow("boom");
    const { body } = await metrics.scrape();
    expect(body).toContain('salesbot_job_runs_total{job="good",outcome="ok"} 1');
    expect(body).toContain('salesbot_job_runs_total{job="bad",outcome="failed"} 1');
    expect(body).toContain('salesbot_job_duration_seconds_count{job="good"} 1');
  });
});
