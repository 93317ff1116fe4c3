// 本周业绩 / 今天业绩 / 本月业绩: the asker's numbers — their own, their team's (manager, director) or everyone's
// (admin) — for the period so far, in the bot's time zone, with the dispatch of those people's orders.
import { newCardRef } from "../../../cards/card-ref.ts";
import { metricsCard, type MetricsView } from "../../../cards/metrics/metrics.card.ts";
import { metricsChart, metricsChartAsync, type MetricsChartData } from "../../../cards/metrics/metrics.chart.ts";
import type { Card } from "../../core/card.ts";
import type { Logger } from "../../core/logger.ts";
import type { OutboundBody } from "../../core/outbound-message.ts";
import type { Range } from "../../domain/metrics/metrics.repo.ts";
import { liveMetrics, type MetricsSource } from "../../domain/metrics/metrics-source.ts";
import { metricsScope, periodRange, personScope, visitRanking, type MetricsPeriod, type MetricsScope } from "../../domain/metrics/metrics.service.ts";
import type { Tx } from "../../domain/tx.ts";
import type { UserInfo } from "../../domain/users/user.repo.ts";
import { assertSalesSide } from "../../domain/users/roles.ts";
import type { HandlerContext } from "../engine/handler-context.ts";

const LABELS: Record<MetricsPeriod, string> = { today: "今天", week: "本周", month: "本月" };

export async function handleShowMetrics(ctx: HandlerContext, intent: { period?: MetricsPeriod }): Promise<void> {
  assertSalesSide(ctx.user, "查看销售业绩");
  const period = intent.period ?? "week";
  const { card, chart } = await buildMetricsCardWithChart(ctx.tx, ctx.user, LABELS[period], periodRange(period, ctx.now, ctx.timeZone), ctx.now, ctx.timeZone, ctx.log);
  await ctx.out.replyCard(card);
  if (chart) ctx.out.reply(chart);
}

/** On a colleague's card (李四本周业绩): the approvals waiting for them, not for the one asking. */
export const PERSON_PENDING_LABEL = "待其审批";

/** One colleague's own numbers (李四本周业绩), as a team lead or admin sees them (without the picture). */
export async function buildPersonMetricsCard(tx: Tx, person: UserInfo, periodLabel: string, range: Range, now: Date, timeZone: string): Promise<Card> {
  return buildMetricsCard(tx, person, periodLabel, range, now, timeZone, { scope: personScope(person), pendingLabel: PERSON_PENDING_LABEL });
}

/** The metrics card of `viewer`'s scope over `range`; scheduled jobs send the same card. */
export async function buildMetricsCard(
  tx: Tx,
  viewer: UserInfo,
  periodLabel: string,
  range: Range,
  now: Date,
  timeZone: string,
  opts: { scope?: MetricsScope; pendingLabel?: string } = {},
): Promise<Card> {
  return metricsCard((await metricsViewOf(tx, viewer, periodLabel, range, now, timeZone, opts)).view);
}

/**
 * The card and its picture (cards/metrics/metrics.chart.ts): the last 14 days' visits and orders, the funnel and, for
 * a team, a bar per person, as an image message to send right after the card. A picture that cannot be drawn is
 * logged and left out: the card goes alone.
 */
export async function buildMetricsCardWithChart(...args: Parameters<typeof prepareMetricsCard>): Promise<{ card: Card; chart: OutboundBody | null }> {
  const prepared = await prepareMetricsCard(...args);
  return { card: prepared.card, chart: await renderMetricsChart(prepared, args[6]) };
}

export interface PreparedMetricsCard {
  card: Card;
  /** The picture's numbers, or null when they could not be read (the card goes alone). */
  chart: MetricsChartData | null;
}

/** The card and the picture's numbers, read in the unit's transaction; the picture is drawn apart (renderMetricsChart). */
export async function prepareMetricsCard(
  tx: Tx,
  viewer: UserInfo,
  periodLabel: string,
  range: Range,
  now: Date,
  timeZone: string,
  log: Logger,
  /** A job passes the figures it read for everyone and the lead's team (metrics-source.ts); default: live queries. */
  opts: { scope?: MetricsScope; source?: MetricsSource; pendingLabel?: string } = {},
): Promise<PreparedMetricsCard> {
  const source = opts.source ?? liveMetrics(tx);
  const { view, scope } = await metricsViewOf(tx, viewer, periodLabel, range, now, timeZone, { ...opts, source });
  const card = metricsCard(view);
  try {
    const trend = await source.trend(scope.userIds, now, timeZone);
    return { card, chart: { periodLabel, trend, funnel: view.funnel, ...(view.topReps ? { reps: view.topReps } : {}) } };
  } catch (err) {
    log.warn("metrics chart data could not be read; the card goes without a picture", { err });
    return { card, chart: null };
  }
}

/**
 * Draws the picture: here, or with `threads` on a chart thread (a job's batch: many cards' pictures at once on all
 * cores; one picture alone is not worth a thread's start). Null when there is none or it could not be drawn
 * (logged): a failed picture never holds the card back.
 */
export async function renderMetricsChart(p: PreparedMetricsCard, log: Logger, threads = false): Promise<OutboundBody | null> {
  if (!p.chart) return null;
  try {
    const chart = threads ? await metricsChartAsync(p.chart) : metricsChart(p.chart);
    return { type: "image", png: Buffer.from(chart.png).toString("base64"), alt: `${p.card.title}：${chart.alt}`, name: `${p.card.ref}.png` };
  } catch (err) {
    log.warn("metrics chart could not be drawn; the card goes without it", { err });
    return null;
  }
}

async function metricsViewOf(
  tx: Tx,
  viewer: UserInfo,
  periodLabel: string,
  range: Range,
  now: Date,
  timeZone: string,
  opts: { scope?: MetricsScope; pendingLabel?: string; source?: MetricsSource },
): Promise<{ view: MetricsView; scope: MetricsScope }> {
  const scope = opts.scope ?? (await metricsScope(tx, viewer));
  const source = opts.source ?? liveMetrics(tx);
  const m = await source.collect(viewer, scope.userIds, range, now);
  // Dispatch of the same people's orders: latency over the period, what waits now; a team lead also sees the problems.
  const dispatch = await source.dispatch(scope.userIds, range);
  const problems = scope.kind === "self" ? [] : await source.problems(scope.userIds);
  const scopeLabel = scope.kind === "all" ? "全公司" : scope.kind === "team" ? `${viewer.name}团队` : viewer.name;
  const view: MetricsView = {
    ref: newCardRef(),
    periodLabel,
    scopeLabel,
    ...(scope.kind === "team" ? { people: scope.names.size } : {}),
    from: range.from,
    to: range.to,
    visitsByKind: m.visitsByKind,
    newCustomers: m.newCustomers,
    orders: m.orders,
    approvals: m.approvals,
    pendingApprovals: m.pendingApprovals,
    overdue: m.overdue,
    funnel: m.funnel,
    dispatch,
    ...(scope.kind === "self"
      ? {}
      : { problemsWaiting: problems }),
    ...(scope.kind === "self" ? {} : { topReps: visitRanking(scope, m.visitsByUser) }),
    ...(opts.pendingLabel ? { pendingLabel: opts.pendingLabel } : {}),
    timeZone,
  };
  return { view, scope };
}
