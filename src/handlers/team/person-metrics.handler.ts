// 李四本周业绩 (今天/本月 too): one colleague's own numbers on the metrics card, for the people allowed to see
// them — the person themselves, their managers up the line, a director or an admin.
import { periodRange, type MetricsPeriod } from "../../domain/metrics/metrics.service.ts";
import type { HandlerContext } from "../engine/handler-context.ts";
import { buildPersonMetricsCard } from "../metrics/show-metrics.handler.ts";
import { personInScope } from "./team-lists.handler.ts";

const LABELS: Record<MetricsPeriod, string> = { today: "今天", week: "本周", month: "本月" };

export async function handlePersonMetrics(ctx: HandlerContext, name: string, period: MetricsPeriod): Promise<void> {
  const person = await personInScope(ctx, name, "业绩", `${LABELS[period]}业绩`);
  await ctx.out.replyCard(await buildPersonMetricsCard(ctx.tx, person, LABELS[period], periodRange(period, ctx.now, ctx.timeZone), ctx.now, ctx.timeZone));
}
