// 李四本周业绩 (今天/本月 too): one colleague's own numbers on the metrics card, for the people allowed to see
// them — the person themselves, their managers up the line, a director or an admin — followed, like every metrics
// card, by its picture: that person's last 14 days' visits and orders and their customers by stage. A picture that
// cannot be drawn is left out; the card goes alone.
import { periodRange, personScope, type MetricsPeriod } from "../../domain/metrics/metrics.service.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { buildMetricsCardWithChart, PERSON_PENDING_LABEL } from "../metrics/show-metrics.handler.ts";
import { personInScope } from "./team-lists.handler.ts";

const LABELS: Record<MetricsPeriod, string> = { today: "今天", week: "本周", month: "本月" };

export async function handlePersonMetrics(ctx: HandlerContext, name: string, period: MetricsPeriod): Promise<void> {
  const person = await personInScope(ctx, name, "业绩", `${LABELS[period]}业绩`);
  const range = periodRange(period, ctx.now, ctx.timeZone);
  const { card, chart } = await buildMetricsCardWithChart(ctx.tx, person, LABELS[period], range, ctx.now, ctx.timeZone, ctx.log, { scope: personScope(person), pendingLabel: PERSON_PENDING_LABEL });
  await ctx.out.replyCard(card);
  if (chart) ctx.out.reply(chart);
}
