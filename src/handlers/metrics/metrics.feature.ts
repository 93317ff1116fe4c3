// 今天/本周/本月业绩 for one's own scope; the evening and weekly cards are jobs (metrics-cards.handler.ts).
import type { Feature } from "../engine/feature.ts";
import { handleShowMetrics } from "./show-metrics.handler.ts";

export const metricsFeature: Feature = {
  name: "metrics",
  intents: { show_metrics: handleShowMetrics },
};
