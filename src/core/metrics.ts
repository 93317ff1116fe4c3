// Prometheus metrics (prom-client): the registry and every metric the bot exports, in one place. One registry per
// running bot (tests run several in one process); main.ts wires the counters to the inbox, handlers, jobs and
// platform API clients, and gives the queue gauges a probe that reads the database at scrape time.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export interface QueueState {
  /** Pending rows. */
  depth: number;
  /** Age of the oldest pending row in seconds (0 when empty). */
  oldestAgeSeconds: number;
}
export type QueueProbe = () => Promise<{ inbox: QueueState; outbox: QueueState }>;

/** What a platform API client reports per call; endpoint is a path without ids, query or credentials. */
export type ApiCallObserver = (call: { endpoint: string; seconds: number; error?: string }) => void;

export interface Metrics {
  readonly registry: Registry;
  readonly eventsReceived: Counter<"platform" | "kind" | "outcome">;
  readonly eventsProcessed: Counter<"platform" | "kind">;
  readonly eventsFailed: Counter<"platform" | "kind" | "final">;
  readonly eventDuration: Histogram<"platform" | "kind">;
  readonly apiDuration: Histogram<"platform" | "endpoint">;
  readonly apiErrors: Counter<"platform" | "endpoint" | "error">;
  readonly jobRuns: Counter<"job" | "outcome">;
  readonly jobDuration: Histogram<"job">;
  readonly nluFallbacks: Counter<"parser">;
  /** A per-platform observer for an API client. */
  apiObserver(platform: string): ApiCallObserver;
  /** Read queue depth and age at every scrape. */
  setQueueProbe(probe: QueueProbe): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export const METRIC_PREFIX = "salesbot_";

export function createMetrics(opts: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const p = METRIC_PREFIX;
  let probe: QueueProbe | null = null;
  // One probe call per scrape, shared by the four gauges.
  let pending: Promise<Awaited<ReturnType<QueueProbe>>> | null = null;
  const read = async () => {
    if (!probe) return null;
    pending ??= probe().finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
  const queueGauge = (name: string, help: string, pick: (s: Awaited<ReturnType<QueueProbe>>) => number) =>
    new Gauge({
      name, help, registers,
      async collect() {
        const s = await read().catch(() => null);
        if (s) this.set(pick(s));
      },
    });
  queueGauge(`${p}inbox_depth`, "Inbox events waiting to be handled (pending).", (s) => s.inbox.depth);
  queueGauge(`${p}inbox_oldest_age_seconds`, "Age of the oldest pending inbox event, in seconds.", (s) => s.inbox.oldestAgeSeconds);
  queueGauge(`${p}outbox_depth`, "Outbox messages waiting to be sent (pending).", (s) => s.outbox.depth);
  queueGauge(`${p}outbox_oldest_age_seconds`, "Age of the oldest pending outbox message, in seconds.", (s) => s.outbox.oldestAgeSeconds);

  const apiDuration = new Histogram({
    name: `${p}platform_api_duration_seconds`, help: "WeCom / DingTalk API call latency by endpoint.", labelNames: ["platform", "endpoint"] as const, registers,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const apiErrors = new Counter({ name: `${p}platform_api_errors_total`, help: "WeCom / DingTalk API calls that failed, by endpoint and error.", labelNames: ["platform", "endpoint", "error"] as const, registers });
  return {
    registry,
    eventsReceived: new Counter({ name: `${p}events_received_total`, help: "Inbound events accepted by a receiver, by outcome (accepted, duplicate, unknown_sender).", labelNames: ["platform", "kind", "outcome"] as const, registers }),
    eventsProcessed: new Counter({ name: `${p}events_processed_total`, help: "Inbound events handled successfully.", labelNames: ["platform", "kind"] as const, registers }),
    eventsFailed: new Counter({ name: `${p}events_failed_total`, help: "Inbound event handling failures (final=true: given up).", labelNames: ["platform", "kind", "final"] as const, registers }),
    eventDuration: new Histogram({ name: `${p}event_duration_seconds`, help: "Time to handle one inbound event (parse, handler, commit).", labelNames: ["platform", "kind"] as const, registers, buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] }),
    apiDuration,
    apiErrors,
    jobRuns: new Counter({ name: `${p}job_runs_total`, help: "Scheduled job runs by outcome (ok, failed).", labelNames: ["job", "outcome"] as const, registers }),
    jobDuration: new Histogram({ name: `${p}job_duration_seconds`, help: "Scheduled job run duration.", labelNames: ["job"] as const, registers, buckets: [0.1, 0.5, 1, 5, 15, 60, 300] }),
    nluFallbacks: new Counter({ name: `${p}nlu_fallbacks_total`, help: "Messages the LLM parser could not read (timeout, error, bad output), answered by the fallback parser.", labelNames: ["parser"] as const, registers }),
    apiObserver: (platform) => ({ endpoint, seconds, error }) => {
      apiDuration.observe({ platform, endpoint }, seconds);
      if (error) apiErrors.inc({ platform, endpoint, error });
    },
    setQueueProbe(fn) {
      probe = fn;
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** A platform path as a metric label: query dropped, ids and long tokens replaced. */
export function endpointLabel(pathOrUrl: string): string {
  const path = pathOrUrl.replace(/^[a-z]+:\/\/[^/]+/i, "").split("?")[0] ?? "";
  return path
    .split("/")
    .map((seg) => (/^[0-9]+$/.test(seg) || seg.length > 40 || /^[A-Za-z0-9_-]{24,}$/.test(seg) ? ":id" : seg))
    .join("/") || "/";
}
