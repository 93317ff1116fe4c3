// Observe (issue 15): /healthz, /readyz, /metrics through the real app over real HTTP, and the JSON log lines.
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { parseEnv } from "../../src/env.ts";
import { startBot, type Bot } from "../../src/main.ts";
import { metricsAllowed } from "../../src/observe.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";
import { PlaygroundClient } from "../support/playground-client.ts";
import { eventually, FIXED_NOW } from "../support/test-bot.ts";

/** Generous: the tests may share two cores with others. */
const SLOW = 40_000;
type Line = Record<string, unknown>;
const TOKEN = "metrics-token-0123456789abcdef";

async function start(extra: Record<string, string>): Promise<{ bot: Bot; db: TestDatabase; lines: Line[]; raw: string[] }> {
  const db = await freshDatabase();
  const lines: Line[] = [];
  const raw: string[] = [];
  const env = parseEnv({ NODE_ENV: "test", PORT: "0", LOG_LEVEL: "info", PLAYGROUND: "true", JOBS: "false", ...extra });
  const bot = await startBot(env, {
    database: db,
    clock: new ManualClock(FIXED_NOW),
    logDestination: { write: (s: string) => (raw.push(s), lines.push(JSON.parse(s) as Line)) },
  });
  return { bot, db, lines, raw };
}

/** The value of one sample line, e.g. sample(text, 'salesbot_events_processed_total{platform="playground",kind="message"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

describe("default: loopback metrics, messages redacted in logs", { timeout: 90_000 }, () => {
  let a: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    a = await start({});
  });
  afterAll(async () => {
    await a.bot.stop();
    await a.db.destroy().catch(() => undefined);
  });

  it("/healthz answers while the process is up", async () => {
    const res = await get(`${a.bot.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, channels: ["playground"] });
  });

  it("/readyz: database reachable, migrations applied, no platform channel to wait for", async () => {
    const res = await get(`${a.bot.url}/readyz`);
    const body = (await res.json()) as Record<string, { ok: boolean }>;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ ok: true, database: { ok: true }, migrations: { ok: true }, channels: {} });
  });

  it("/metrics counts playground messages; queue gauges and process metrics are there", async () => {
    const before = await (await get(`${a.bot.url}/metrics`)).text();
    const processed = 'salesbot_events_processed_total{platform="playground",kind="message"}';
    const received = 'salesbot_events_received_total{platform="playground",kind="message",outcome="accepted"}';
    expect(sample(before, processed) ?? 0).toBe(0);

    const pg = new PlaygroundClient(a.bot.url);
    for (const text of ["我的待办", "我的客户", "公海客户"]) expect((await pg.say("zhangsan", text)).status).toBe(202);
    await eventually(async () => ((await pg.botItems("zhangsan")).length >= 3 ? true : undefined), "three answers", SLOW);

    const res = await eventually(async () => {
      const r = await get(`${a.bot.url}/metrics`);
      const t = await r.text();
      return (sample(t, processed) ?? 0) >= 3 ? { r, t } : undefined;
    }, "three events processed", SLOW);
    expect(res.r.status).toBe(200);
    expect(res.r.headers.get("content-type")).toContain("text/plain");
    const text = res.t;
    expect(sample(text, received)).toBe(3);
    expect(sample(text, processed)).toBe(3);
    expect(text).toContain("# TYPE salesbot_events_failed_total counter");
    expect(sample(text, 'salesbot_event_duration_seconds_count{platform="playground",kind="message"}')).toBe(3);
    for (const g of ["salesbot_inbox_depth", "salesbot_inbox_oldest_age_seconds", "salesbot_outbox_depth", "salesbot_outbox_oldest_age_seconds"]) {
      expect(sample(text, g), g).toBeGreaterThanOrEqual(0);
    }
    expect(text).toContain("# TYPE salesbot_platform_api_duration_seconds histogram");
    expect(text).toContain("# TYPE salesbot_job_runs_total counter");
    expect(text).toContain("# TYPE salesbot_nlu_fallbacks_total counter");
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it("the inbox depth gauge reads the database at scrape time", async () => {
    await a.bot.inboxWorker.stop();
    try {
      await new PlaygroundClient(a.bot.url).say("lisi", "我的待办");
      const text = await (await get(`${a.bot.url}/metrics`)).text();
      expect(sample(text, "salesbot_inbox_depth")).toBe(1);
    } finally {
      a.bot.inboxWorker.start();
    }
    await eventually(async () => (sample(await (await get(`${a.bot.url}/metrics`)).text(), "salesbot_inbox_depth") === 0 ? true : undefined), "inbox drained", SLOW);
  });

  it("/metrics refuses a relayed request (X-Forwarded-For is never believed) and any bearer when no token is set", async () => {
    const relayed: Record<string, string>[] = [{ "x-forwarded-for": "127.0.0.1" }, { forwarded: "for=127.0.0.1" }, { "x-real-ip": "127.0.0.1" }];
    for (const headers of relayed) {
      expect((await get(`${a.bot.url}/metrics`, headers)).status).toBe(403);
    }
    expect((await get(`${a.bot.url}/healthz`, { "x-forwarded-for": "10.1.2.3" })).status).toBe(200);
  });

  it("one JSON line per event with its id; the text redacted", async () => {
    expect(a.raw.every((s) => s.endsWith("\n") && !s.slice(0, -1).includes("\n"))).toBe(true);
    const handled = a.lines.filter((l) => l.msg === "event handled");
    expect(handled.length).toBeGreaterThanOrEqual(4);
    for (const l of handled) {
      expect(l).toMatchObject({ level: "info", platform: "playground", kind: "message", text: "[redacted]" });
      expect(l.eventId).toEqual(expect.any(String));
      expect(typeof l.time).toBe("string");
    }
    expect(new Set(handled.map((l) => l.eventId)).size).toBe(handled.length);
    const all = a.raw.join("");
    for (const text of ["我的待办", "我的客户", "公海客户"]) expect(all).not.toContain(text);
  });

  it("/readyz fails when a migration is missing, then when the database is gone; /healthz still answers", async () => {
    const [last] = await a.db.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`);
    await a.db.sql.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [last!.migration_name]);
    let res = await get(`${a.bot.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, database: { ok: true }, migrations: { ok: false, detail: `not applied: ${last!.migration_name}` } });
    await a.db.sql.query(`UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE migration_name = $1`, [last!.migration_name]);
    expect((await get(`${a.bot.url}/readyz`)).status).toBe(200);

    await a.bot.inboxWorker.stop();
    await a.bot.outboxWorker.stop();
    await a.db.close();
    res = await get(`${a.bot.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, database: { ok: false } });
    expect((await get(`${a.bot.url}/healthz`)).status).toBe(200);
  });
});

describe("LOG_MESSAGES=true and METRICS_TOKEN", { timeout: 90_000 }, () => {
  let b: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    b = await start({ LOG_MESSAGES: "true", METRICS_TOKEN: TOKEN, HOST: "0.0.0.0" });
  });
  afterAll(async () => {
    await b.bot.stop();
    await b.db.destroy();
  });

  it("with LOG_MESSAGES=true the event line has the text", async () => {
    const pg = new PlaygroundClient(b.bot.url);
    await pg.say("zhangsan", "我的客户");
    await eventually(async () => ((await pg.botItems("zhangsan")).length >= 1 ? true : undefined), "an answer", SLOW);
    const line = await eventually(async () => b.lines.find((l) => l.msg === "event handled"), "event line", SLOW);
    expect(line).toMatchObject({ eventId: expect.any(String), text: "我的客户", kind: "message" });
  });

  it("with a token, /metrics wants the bearer, also on loopback", async () => {
    expect((await get(`${b.bot.url}/metrics`)).status).toBe(403);
    expect((await get(`${b.bot.url}/metrics`, { authorization: `Bearer ${TOKEN}x` })).status).toBe(403);
    const ok = await get(`${b.bot.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("salesbot_events_received_total");
  });

  it("from another address: the token works, nothing else does (real connection over a non-loopback interface)", async () => {
    const ip = Object.values(networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    if (!ip) return; // no non-loopback interface on this machine: the unit checks below cover the rule
    const url = `http://${ip}:${b.bot.port}`;
    expect((await get(`${url}/healthz`)).status).toBe(200);
    expect((await get(`${url}/metrics`, { "x-forwarded-for": "127.0.0.1" })).status).toBe(403);
    expect((await get(`${url}/metrics`, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it("secrets are never logged, whatever LOG_MESSAGES says", () => {
    const all = b.raw.join("");
    expect(all).not.toContain(TOKEN);
  });
});

describe("configuration", () => {
  it("LOG_MESSAGES is off unless set; METRICS_TOKEN must be long enough", () => {
    expect(parseEnv({}).LOG_MESSAGES).toBe(false);
    expect(parseEnv({ LOG_MESSAGES: "true" }).LOG_MESSAGES).toBe(true);
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ METRICS_TOKEN: TOKEN }).METRICS_TOKEN).toBe(TOKEN);
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN: expected a random token of at least 16 characters/);
    expect(() => parseEnv({ LOG_MESSAGES: "maybe" })).toThrow(/LOG_MESSAGES: expected true or false/);
  });
});

describe("who may read /metrics", () => {
  const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers });
  it("without a token: a direct loopback peer only", () => {
    expect(metricsAllowed(req("127.0.0.1"))).toBe(true);
    expect(metricsAllowed(req("::1"))).toBe(true);
    expect(metricsAllowed(req("::ffff:127.0.0.1"))).toBe(true);
    expect(metricsAllowed(req("10.0.0.5"))).toBe(false);
    expect(metricsAllowed(req("10.0.0.5", { "x-forwarded-for": "127.0.0.1" }))).toBe(false);
    expect(metricsAllowed(req("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }))).toBe(false);
    expect(metricsAllowed(req("10.0.0.5", { authorization: `Bearer ${TOKEN}` }))).toBe(false);
  });
  it("with a token: the bearer from anywhere, nothing without it", () => {
    expect(metricsAllowed(req("10.0.0.5", { authorization: `Bearer ${TOKEN}` }), TOKEN)).toBe(true);
    expect(metricsAllowed(req("127.0.0.1", { "x-forwarded-for": "1.2.3.4", authorization: `Bearer ${TOKEN}` }), TOKEN)).toBe(true);
    expect(metricsAllowed(req("127.0.0.1"), TOKEN)).toBe(false);
    expect(metricsAllowed(req("10.0.0.5", { authorization: `Bearer nope` }), TOKEN)).toBe(false);
  });
});
