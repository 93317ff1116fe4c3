// The scheduled metrics cards: each active manager or director gets their team's numbers (evening: today so
// far; Monday: last week). Keyed (job, period, person) in the same transaction as the message, so a re-run of
// the same period never sends a second card. Everyone's figures are read once for the run (metrics-source.ts) and
// the leads are served a batch per unit of work (runJobBatchUnit), each card with its picture right after it.
import type { Range } from "../../domain/metrics/metrics.repo.ts";
import { isTeamLead, type MetricsScope } from "../../domain/metrics/metrics.service.ts";
import { loadMetricsTable, teamScopes, type MetricsSource } from "../../domain/metrics/metrics-source.ts";
import { getUsers, listUsers, type UserInfo } from "../../domain/users/user.repo.ts";
import type { OutboundBody } from "../../core/outbound-message.ts";
import type { Card } from "../../core/card.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { subjectsNotDone } from "../engine/job-run.ts";
import { runJobBatchUnit } from "../engine/unit-of-work.ts";
import { prepareMetricsCard, type PreparedMetricsCard } from "./show-metrics.handler.ts";
import { metricsChartAsync, type MetricsChart } from "../../../cards/metrics/metrics.chart.ts";
import { warmChartThreads } from "../../core/charts/chart-pool.ts";
import type { Logger } from "../../core/logger.ts";
import { inBatches, type BatchCounts } from "../engine/batches.ts";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Leads per unit of work: each card's picture takes tens of milliseconds, so keep the transaction short. */
export const METRICS_BATCH_SIZE = 50;

/** Active managers and directors: the people who get a team card. */
export async function teamLeads(deps: AppDeps): Promise<string[]> {
  return (await listUsers(deps.db)).filter(isTeamLead).map((u) => u.id);
}

interface RunInput {
  job: string;
  period: string;
  periodLabel: string;
  range: Range;
  now: Date;
  source: MetricsSource;
  scopes: Map<string, MetricsScope>;
  /** The leads in run order, and everyone as read at the start: what the next batch is drawn ahead from. */
  leads: string[];
  known: Map<string, UserInfo>;
  batchSize: number;
  /** Cards composed and pictures being drawn ahead of their batch, by lead (taken when the batch comes). */
  ahead: Map<string, { user: UserInfo; drawn: Promise<Drawn> }>;
}

interface Drawn {
  p: PreparedMetricsCard;
  /**
   * The picture as PNG bytes (off V8's heap) until its batch writes it: made base64 (chartBody) only then. Made at
   * drawing time, the batch's 80 KB strings lived through the batch before, were promoted to the old generation and
   * left for a full collection.
   */
  chart: Promise<MetricsChart | null>;
}

type Counts = BatchCounts;

/** One card per team lead; a failed batch is retried lead by lead, so one failure does not stop the rest. */
export async function sendMetricsCards(deps: AppDeps, job: string, period: string, periodLabel: string, range: Range, now: Date, batchSize = METRICS_BATCH_SIZE): Promise<Counts> {
  warmChartThreads(); // they start while the figures are read
  const everyone = await listUsers(deps.db);
  const leads = everyone.filter(isTeamLead).map((u) => u.id);
  const input: RunInput = {
    ...{ job, period, periodLabel, range, now, source: await loadMetricsTable(deps.db, range, now, deps.timeZone), scopes: teamScopes(everyone) },
    ...{ leads, known: new Map(everyone.map((u) => [u.id, u])), batchSize, ahead: new Map() },
  };
  return inBatches(leads, batchSize, (batch) => sendMetricsBatch(deps, input, batch).finally(collect), deps.log, "metrics card", { job });
}

/**
 * A full collection started after each batch: a batch leaves megabytes of garbage in V8's large-object space (its
 * pictures as base64, the outbox insert's JSON document), which V8 let grow by about 30 MB a batch (the main heap
 * 260 -> 820 MB over the evening job, RSS 1.4 GB; with this 300 MB and 877 MB). Started, not run: a collection run
 * on the spot held this thread 0.3-0.6 s a batch (the heap holds everyone's figures), and this thread is what the
 * next batch waits on (the chart threads sat idle a fifth of the job); V8 marks concurrently and finishes it in
 * small steps. Measured under load 21-25: peak RSS 663 MB, the same as with a full collection on the spot.
 */
let gc: ((options: { type: "major"; execution: "async" }) => void) | null = null;
function collect(): void {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as (options: { type: "major"; execution: "async" }) => void;
  }
  gc({ type: "major", execution: "async" });
}

function compose(deps: AppDeps, input: RunInput, user: UserInfo, scope: MetricsScope): Promise<Drawn> {
  return prepareMetricsCard(deps.db, user, input.periodLabel, input.range, input.now, deps.timeZone, deps.log, { scope, source: input.source }).then((p) => ({
    p,
    chart: drawChart(p, deps.log),
  }));
}

/** The picture on a chart thread; null when there is none or it could not be drawn (logged: the card goes alone). */
async function drawChart(p: PreparedMetricsCard, log: Logger): Promise<MetricsChart | null> {
  if (!p.chart) return null;
  try {
    return await metricsChartAsync(p.chart);
  } catch (err) {
    log.warn("metrics chart could not be drawn; the card goes without it", { err });
    return null;
  }
}

/** The image message sent right after the card: as renderMetricsChart (show-metrics.handler.ts) makes it. */
function chartBody(p: PreparedMetricsCard, chart: MetricsChart): OutboundBody {
  return { type: "image", png: Buffer.from(chart.png.buffer, chart.png.byteOffset, chart.png.byteLength).toString("base64"), alt: `${p.card.title}：${chart.alt}`, name: `${p.card.ref}.png` };
}

/**
 * Batches drawn ahead of the one being written. With one, the threads drew the next batch in about the time this
 * one took to write and then sat idle whenever the write took longer (a fifth to a third of a 2-second stretch, every
 * few batches, in a profile of the whole job); with two they always have a batch queued. A batch ahead is its cards
 * and 50 PNGs (about 3 MB), held off V8's heap.
 */
const AHEAD_BATCHES = 2;

/**
 * The batches after `batch` are composed and their pictures started on the chart threads now, so the threads draw
 * while this batch's unit of work writes (the picture threads are what the job waits on). Drawn from the people as
 * read at the start; a lead changed since is composed again when the batch comes.
 */
function drawNextAhead(deps: AppDeps, input: RunInput, batch: string[]): void {
  const at = input.leads.indexOf(batch[batch.length - 1]!);
  if (at < 0) return;
  for (const id of input.leads.slice(at + 1, at + 1 + AHEAD_BATCHES * input.batchSize)) {
    const user = input.known.get(id);
    const scope = input.scopes.get(id);
    if (!user || !scope || input.ahead.has(id)) continue;
    const drawn = compose(deps, input, user, scope);
    drawn.catch(() => {}); // awaited (and its failure met) when its batch comes; never an unhandled rejection
    input.ahead.set(id, { user, drawn });
  }
}

/**
 * A batch of leads: their cards are composed and their pictures drawn first (reads only, outside any transaction:
 * drawing takes tens of milliseconds a picture and must not hold one open), then one short unit of work claims
 * them and writes the cards and pictures to the outbox. A lead claimed by an earlier or concurrent run is left out
 * by the claim; one no longer a lead (or gone) is released, as a skipped unit would be.
 */
async function sendMetricsBatch(deps: AppDeps, input: RunInput, userIds: string[]): Promise<Omit<Counts, "failed">> {
  const todo = await subjectsNotDone(deps, input.job, input.period, userIds);
  if (todo.length === 0) return { sent: 0, nothing: 0, already: userIds.length };
  const users = await getUsers(deps.db, todo);
  const started: { userId: string; drawn: Promise<Drawn> }[] = [];
  for (const id of todo) {
    const user = users.get(id);
    const scope = input.scopes.get(id);
    const early = input.ahead.get(id);
    input.ahead.delete(id);
    if (!user || !isTeamLead(user) || !scope) continue; // gone or no longer a lead since the run began
    const same = early && JSON.stringify(early.user) === JSON.stringify(user);
    started.push({ userId: id, drawn: same ? early.drawn : compose(deps, input, user, scope) });
  }
  drawNextAhead(deps, input, userIds);
  // The batch's pictures all at once, on the chart threads.
  const prepared = await Promise.all(started.map(async ({ userId, drawn }) => ({ userId, ...(await drawn) })));
  const charts = await Promise.all(prepared.map(({ chart }) => chart));
  const ready = new Map(
    prepared.map(({ userId, p }, i) => {
      const key = `job:${input.job}:${input.period}:${userId}`;
      const chart = charts[i];
      // The picture right after the card, to the same address.
      return [userId, { userId, card: p.card, dedupeKey: key, after: chart ? [{ body: chartBody(p, chart), dedupeKey: `${key}:chart` }] : [] }] as const;
    }),
  );
  let claimedCount = 0;
  let sentCount = 0;
  const r = await runJobBatchUnit(deps, { job: input.job, period: input.period, subjects: todo }, async (ctx, claimed) => {
    claimedCount = claimed.length;
    const still = await getUsers(ctx.tx, claimed);
    const items: { userId: string; card: Card; dedupeKey: string; after: { body: OutboundBody; dedupeKey: string }[] }[] = claimed.flatMap((id) => {
      const item = ready.get(id);
      const user = still.get(id);
      return item && user && isTeamLead(user) ? [item] : [];
    });
    const reached = await ctx.out.sendCardsTo(items);
    // Released (not marked), so a later run (another platform up) can send it.
    for (const it of items) if (!reached.has(it.userId)) ctx.log.warn("manager cannot be reached on any enabled platform", { job: input.job, userId: it.userId });
    sentCount = reached.size;
    return { sent: [...reached] };
  });
  const skippedBefore = userIds.length - todo.length;
  if (r.status !== "done") return { sent: 0, nothing: 0, already: skippedBefore + (r.status === "already" ? todo.length : 0) };
  return { sent: sentCount, nothing: claimedCount - sentCount, already: skippedBefore + todo.length - claimedCount };
}
