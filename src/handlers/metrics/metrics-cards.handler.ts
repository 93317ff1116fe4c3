// The scheduled metrics cards: each active manager or director gets their team's numbers (evening: today so
// far; Monday: last week). Keyed (job, period, person) in the same transaction as the message, so a re-run of
// the same period never sends a second card. Everyone's figures are read once for the run (metrics-source.ts) and
// the leads are served a batch per unit of work (runJobBatchUnit), each card with its picture right after it.
import type { Range } from "../../domain/metrics/metrics.repo.ts";
import { isTeamLead, type MetricsScope } from "../../domain/metrics/metrics.service.ts";
import { loadMetricsTable, teamScopes, type MetricsSource } from "../../domain/metrics/metrics-source.ts";
import { getUsers, listUsers } from "../../domain/users/user.repo.ts";
import type { OutboundBody } from "../../core/outbound-message.ts";
import type { Card } from "../../core/card.ts";
import type { AppDeps } from "../engine/app-deps.ts";
import { subjectsNotDone } from "../engine/job-run.ts";
import { runJobBatchUnit } from "../engine/unit-of-work.ts";
import { prepareMetricsCard, renderMetricsChart, type PreparedMetricsCard } from "./show-metrics.handler.ts";
import { inBatches, type BatchCounts } from "../engine/batches.ts";

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
}

type Counts = BatchCounts;

/** One card per team lead; a failed batch is retried lead by lead, so one failure does not stop the rest. */
export async function sendMetricsCards(deps: AppDeps, job: string, period: string, periodLabel: string, range: Range, now: Date, batchSize = METRICS_BATCH_SIZE): Promise<Counts> {
  const everyone = await listUsers(deps.db);
  const input: RunInput = { job, period, periodLabel, range, now, source: await loadMetricsTable(deps.db, range, now, deps.timeZone), scopes: teamScopes(everyone) };
  const leads = everyone.filter(isTeamLead).map((u) => u.id);
  return inBatches(leads, batchSize, (batch) => sendMetricsBatch(deps, input, batch), deps.log, "metrics card", { job });
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
  const prepared: { userId: string; p: PreparedMetricsCard }[] = [];
  for (const id of todo) {
    const user = users.get(id);
    const scope = input.scopes.get(id);
    if (!user || !isTeamLead(user) || !scope) continue; // gone or no longer a lead since the run began
    prepared.push({ userId: id, p: await prepareMetricsCard(deps.db, user, input.periodLabel, input.range, input.now, deps.timeZone, deps.log, { scope, source: input.source }) });
  }
  // The batch's pictures all at once, on the chart threads.
  const charts = await Promise.all(prepared.map(({ p }) => renderMetricsChart(p, deps.log, true)));
  const ready = new Map(
    prepared.map(({ userId, p }, i) => {
      const key = `job:${input.job}:${input.period}:${userId}`;
      const chart = charts[i];
      // The picture right after the card, to the same address.
      return [userId, { userId, card: p.card, dedupeKey: key, after: chart ? [{ body: chart, dedupeKey: `${key}:chart` }] : [] }] as const;
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
