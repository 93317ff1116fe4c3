// Observability wiring (README "Observe"): GET /healthz, /readyz and /metrics, and the hooks that feed the
// metrics — the inbox (events received), the event handler (processed / failed, one log line per event), the
// jobs, the LLM parser's fallback — plus the database probes the endpoints read at request time.
// Metric definitions live in core/metrics.ts; main.ts calls what is here.
import { timingSafeEqual } from "node:crypto";
import express, { type Request, type Router } from "express";
import type { Channel } from "./channels/channel.ts";
import type { Platform } from "./core/inbound-event.ts";
import { INBOX_MAX_ATTEMPTS } from "./core/inbox-worker.ts";
import type { Logger } from "./core/logger.ts";
import type { Metrics, QueueProbe } from "./core/metrics.ts";
import type { ClaimedInboxEvent, InboxPort } from "./core/ports.ts";
import { readMigrations } from "./db/migrator.ts";
import type { SqlRunner } from "./db/sql-runner.ts";
import type { IntentParser } from "./nlu/index.ts";
import type { JobDefinition } from "../jobs/job.ts";

/** Counts every event a receiver hands to the inbox, by what became of it. */
export function countingInbox<T extends InboxPort>(inbox: T, metrics: Metrics): InboxPort {
  return {
    async accept(event) {
      const outcome = await inbox.accept(event);
      metrics.eventsReceived.inc({ platform: event.platform, kind: event.kind, outcome });
      return outcome;
    },
  };
}

/**
 * The event handler with its metrics and one log line per event (its id, kind, duration; the text only with
 * LOG_MESSAGES=true — the logger redacts `text` otherwise).
 */
export function observedHandler(handle: (item: ClaimedInboxEvent) => Promise<void>, metrics: Metrics, log: Logger) {
  return async (item: ClaimedInboxEvent): Promise<void> => {
    const { event } = item;
    const labels = { platform: event.platform, kind: event.kind };
    const started = performance.now();
    const lineFields = () => ({
      kind: event.kind,
      attempts: item.attempts,
      durationMs: Math.round(performance.now() - started),
      ...(event.kind === "message" ? { text: event.text } : {}),
      ...(event.kind === "action" ? { action: event.actionKey.split(":")[0] } : {}),
    });
    const elog = log.child({ eventId: event.eventId, platform: event.platform });
    try {
      await handle(item);
    } catch (err) {
      metrics.eventsFailed.inc({ ...labels, final: String(item.attempts >= INBOX_MAX_ATTEMPTS) });
      metrics.eventDuration.observe(labels, (performance.now() - started) / 1000);
      elog.warn("event not handled", lineFields());
      throw err;
    }
    metrics.eventsProcessed.inc(labels);
    metrics.eventDuration.observe(labels, (performance.now() - started) / 1000);
    elog.info("event handled", lineFields());
  };
}

/** The rule parser as the LLM parser's fallback, counted: each call is one message the LLM could not read. */
export function countedFallback(inner: IntentParser, metrics: Metrics): IntentParser {
  return {
    name: inner.name,
    parse(text, ctx) {
      metrics.nluFallbacks.inc({ parser: inner.name });
      return inner.parse(text, ctx);
    },
  };
}

/** Jobs with run counts and durations (a run that found its period already done is not a run). */
export function observedJobs(jobs: JobDefinition[], metrics: Metrics): JobDefinition[] {
  return jobs.map((job) => ({
    ...job,
    async run(deps, now, period) {
      const end = metrics.jobDuration.startTimer({ job: job.name });
      try {
        const r = await job.run(deps, now, period);
        metrics.jobRuns.inc({ job: job.name, outcome: "ok" });
        return r;
      } catch (err) {
        metrics.jobRuns.inc({ job: job.name, outcome: "failed" });
        throw err;
      } finally {
        end();
      }
    },
  }));
}

/** Inbox and outbox: pending rows and the oldest one's age, read from the database at scrape time. */
export function queueProbe(sql: SqlRunner): QueueProbe {
  return async () => {
    const rows = await sql.query<{ q: string; depth: number; age: number }>(
      `SELECT 'inbox' AS q, count(*)::int AS depth, COALESCE(EXTRACT(EPOCH FROM (now() - min("receivedAt"))), 0)::float8 AS age
         FROM "InboxEvent" WHERE status = 'pending'
       UNION ALL
       SELECT 'outbox', count(*)::int, COALESCE(EXTRACT(EPOCH FROM (now() - min("createdAt"))), 0)::float8
         FROM "OutboxMessage" WHERE status = 'pending'`,
    );
    const pick = (q: string) => {
      const r = rows.find((x) => x.q === q);
      return { depth: Number(r?.depth ?? 0), oldestAgeSeconds: Math.max(0, Number(r?.age ?? 0)) };
    };
    return { inbox: pick("inbox"), outbox: pick("outbox") };
  };
}

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ok: boolean;
  database: ReadinessCheck;
  migrations: ReadinessCheck;
  channels: Record<string, ReadinessCheck>;
}

export interface ObserveDeps {
  sql: SqlRunner;
  dbKind: string;
  migrationsDir: string;
  channels: Channel[];
  enabledPlatforms: () => Platform[];
  metrics: Metrics;
  /** METRICS_TOKEN: when set, /metrics wants `Authorization: Bearer <token>` (from anywhere). */
  metricsToken?: string;
  /** How long the readiness query may take. Default 2 s. */
  readyTimeoutMs?: number;
}

export async function checkReadiness(deps: ObserveDeps, expectedMigrations: string[]): Promise<Readiness> {
  const timeoutMs = deps.readyTimeoutMs ?? 2000;
  const database: ReadinessCheck = { ok: false, detail: "" };
  const migrations: ReadinessCheck = { ok: false, detail: "not checked: database unreachable" };
  try {
    await withTimeout(deps.sql.query("SELECT 1"), timeoutMs);
    database.ok = true;
    database.detail = `${deps.dbKind} reachable`;
    const done = await withTimeout(
      deps.sql.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`),
      timeoutMs,
    );
    const applied = new Set(done.map((r) => r.migration_name));
    const missing = expectedMigrations.filter((m) => !applied.has(m));
    migrations.ok = missing.length === 0;
    migrations.detail = missing.length ? `not applied: ${missing.join(", ")}` : `${expectedMigrations.length} applied`;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!database.ok) database.detail = `unreachable: ${message.slice(0, 200)}`;
    else migrations.detail = `cannot read the migrations table: ${message.slice(0, 200)}`;
  }
  const channels: Record<string, ReadinessCheck> = {};
  for (const c of deps.channels) {
    try {
      channels[c.platform] = c.ready();
    } catch (err) {
      channels[c.platform] = { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }
  const ok = database.ok && migrations.ok && Object.values(channels).every((c) => c.ok);
  return { ok, database, migrations, channels };
}

/**
 * Who may read /metrics. With METRICS_TOKEN: whoever sends it as a bearer token. Without: only a loopback peer
 * that is not a reverse proxy on this host relaying someone else (any forwarding header refuses; the header's
 * value is never believed).
 */
export function metricsAllowed(req: Pick<Request, "headers"> & { socket: { remoteAddress?: string } }, token?: string): boolean {
  if (token) {
    const given = Buffer.from(String(req.headers.authorization ?? ""));
    const wanted = Buffer.from(`Bearer ${token}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
  const ip = req.socket.remoteAddress ?? "";
  const loopback = ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1";
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
  return loopback && !proxied;
}

/** GET /healthz (process up, no database), /readyz (database, migrations, channels), /metrics (Prometheus). */
export function observeRouter(deps: ObserveDeps): Router {
  const expected = readMigrations(deps.migrationsDir).map((m) => m.name);
  deps.metrics.setQueueProbe(queueProbe(deps.sql));
  const r = express.Router();
  // Answered without the database, so it still answers when the pool is exhausted.
  r.get("/healthz", (_req, res) => {
    res.json({ ok: true, db: deps.dbKind, channels: deps.enabledPlatforms() });
  });
  r.get("/readyz", async (_req, res) => {
    const readiness = await checkReadiness(deps, expected);
    res.status(readiness.ok ? 200 : 503).json(readiness);
  });
  r.get("/metrics", async (req, res) => {
    if (!metricsAllowed(req, deps.metricsToken)) {
      res.status(403).json({ error: "forbidden", message: deps.metricsToken ? "send Authorization: Bearer <METRICS_TOKEN>" : "metrics answer only on this machine (set METRICS_TOKEN to scrape from elsewhere)" });
      return;
    }
    const { contentType, body } = await deps.metrics.scrape();
    res.set("content-type", contentType).send(body);
  });
  return r;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
