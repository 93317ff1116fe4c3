// The metrics card's picture: the last 14 days' visits and orders, the customer funnel by stage and, for a team, a
// bar per person. Pure: numbers in, PNG bytes out (src/core/charts renders). One image per card, so each platform
// uploads once.
import { renderChartPngAsync } from "../../src/core/charts/chart-pool.ts";
import { pngSize, renderChartPng, renderChartSvg, type ChartOption, type ChartSize } from "../../src/core/charts/render-chart.ts";
import { STAGES } from "../customers/customer-profile.card.ts";

/** The funnel's stages in order; 输单 is not a step of it (said under the funnel instead). */
const FUNNEL = ["lead", "contacted", "qualified", "proposal", "negotiation", "won"];
/** Bars shown for a team; the card's text names everyone. */
export const MAX_REP_BARS = 15;
const WIDTH = 720;
const TREND_HEIGHT = 250;
/**
 * Rasterised at 1.25× (900 px wide): every label still readable on a phone (10 px axis digits become 12.5 px, names
 * 15 px), with 30% fewer pixels than 1.5× to draw, encode and hold (resvg's time and memory go with the pixels).
 */
export const CHART_SCALE = 1.25;

const BLUE = "#3b6fd8";
const ORANGE = "#f08a24";
const GREY = "#666666";

export interface MetricsChartData {
  /** The last 14 days, oldest first: local date (MM-DD shown) and counts. */
  trend: { day: string; visits: number; orders: number }[];
  /** Customers now by stage key (lead, contacted, …). */
  funnel: { stage: string; count: number }[];
  /** Visits per person over the card's period, for a team card. */
  reps?: { name: string; count: number }[];
  /** The card's period, for the bars' title: 本周, 今天… */
  periodLabel: string;
}

export type MetricsPanel = "trend" | "funnel" | "reps";

export interface MetricsChart {
  png: Uint8Array;
  alt: string;
  size: ChartSize;
}

/** All panels that apply (reps only for a team) in one picture. */
export function metricsChart(d: MetricsChartData, only?: MetricsPanel[]): MetricsChart {
  const { option, size, alt } = metricsChartOption(d, only);
  const png = renderChartPng(option, size, CHART_SCALE);
  return { png, alt, size: pngSize(png) };
}

/** The same picture rendered on a chart thread (src/core/charts/chart-pool.ts): what the cards send. */
export async function metricsChartAsync(d: MetricsChartData, only?: MetricsPanel[]): Promise<MetricsChart> {
  const { option, size, alt } = metricsChartOption(d, only);
  const png = await renderChartPngAsync(option, size, CHART_SCALE);
  return { png, alt, size: pngSize(png) };
}

/** The same picture as SVG text (tests look for the labels there). */
export function metricsChartSvg(d: MetricsChartData, only?: MetricsPanel[]): string {
  const { option, size } = metricsChartOption(d, only);
  return renderChartSvg(option, size);
}

export function metricsChartOption(d: MetricsChartData, only?: MetricsPanel[]): { option: ChartOption; size: ChartSize; alt: string } {
  const want = (p: MetricsPanel) => !only || only.includes(p);
  const reps = want("reps") && d.reps?.length ? [...d.reps].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "zh-CN")).slice(0, MAX_REP_BARS) : [];
  const title: object[] = [];
  const grid: object[] = [];
  const xAxis: object[] = [];
  const yAxis: object[] = [];
  const series: object[] = [];
  const legend: object[] = [];
  const alt: string[] = [];
  let top = 0;

  if (want("trend")) {
    const total = (k: "visits" | "orders") => d.trend.reduce((n, t) => n + t[k], 0);
    title.push({ text: "近14天 拜访与订单", left: 16, top: top + 10, textStyle: { fontSize: 15, fontWeight: "normal", color: "#222" } });
    legend.push({ data: ["拜访跟进", "订单"], right: 16, top: top + 12, textStyle: { fontSize: 12, color: GREY } });
    grid.push({ left: 44, right: 44, top: top + 50, height: TREND_HEIGHT - 90 });
    const g = grid.length - 1;
    xAxis.push({ type: "category", gridIndex: g, data: d.trend.map((t) => t.day.slice(5)), axisLabel: { interval: 0, fontSize: 10, color: GREY }, axisTick: { alignWithLabel: true } });
    const xi = xAxis.length - 1;
    // An all-zero series gets a fixed 0–1 axis: ECharts' tick search never ends on an empty extent with minInterval.
    const span = (k: "visits" | "orders") => (total(k) === 0 ? { min: 0, max: 1 } : { min: 0 });
    yAxis.push({ type: "value", gridIndex: g, minInterval: 1, ...span("visits"), axisLabel: { fontSize: 10, color: GREY }, splitLine: { lineStyle: { color: "#eeeeee" } } });
    yAxis.push({ type: "value", gridIndex: g, minInterval: 1, ...span("orders"), position: "right", axisLabel: { fontSize: 10, color: ORANGE }, splitLine: { show: false } });
    series.push({ name: "拜访跟进", type: "bar", xAxisIndex: xi, yAxisIndex: yAxis.length - 2, data: d.trend.map((t) => t.visits), itemStyle: { color: BLUE }, barMaxWidth: 22 });
    series.push({ name: "订单", type: "line", xAxisIndex: xi, yAxisIndex: yAxis.length - 1, data: d.trend.map((t) => t.orders), itemStyle: { color: ORANGE }, lineStyle: { width: 2 }, symbolSize: 6 });
    alt.push(`近14天拜访跟进 ${total("visits")} 次、订单 ${total("orders")} 单`);
    top += TREND_HEIGHT;
  }

  const bottomHeight = Math.max(240, reps.length * 22 + 70);
  const funnelWidth = reps.length ? WIDTH / 2 : WIDTH;
  if (want("funnel")) {
    const counts = new Map(d.funnel.map((s) => [s.stage, s.count]));
    const lost = counts.get("lost") ?? 0;
    const hasAny = FUNNEL.some((s) => (counts.get(s) ?? 0) > 0);
    title.push({
      text: "客户阶段",
      subtext: hasAny ? `条宽：到达该阶段及以后的客户${lost ? `；输单 ${lost}` : ""}` : "还没有客户",
      left: 16,
      top: top + 6,
      textStyle: { fontSize: 15, fontWeight: "normal", color: "#222" },
      subtextStyle: { fontSize: 11, color: GREY },
    });
    if (hasAny) {
      // Width = customers who reached the stage or went beyond (a true funnel); the label says how many are at it now.
      const reached = FUNNEL.map((_, i) => FUNNEL.slice(i).reduce((n, s) => n + (counts.get(s) ?? 0), 0));
      series.push({
        name: "客户阶段",
        type: "funnel",
        sort: "none",
        left: reps.length ? 24 : WIDTH / 2 - 200,
        width: reps.length ? funnelWidth - 48 : 400,
        top: top + 58,
        height: bottomHeight - 74,
        min: 0,
        max: Math.max(1, reached[0] ?? 1),
        minSize: "42%", // room for the longest label (已确认需求 12) on the narrowest step
        gap: 2,
        label: { show: true, position: "inside", formatter: "{b}", fontSize: 12, color: "#ffffff" },
        itemStyle: { borderWidth: 0 },
        color: ["#9db8ee", "#7fa2e6", "#5f8bdf", "#3b6fd8", "#2a58b8", "#2e9e62"],
        data: FUNNEL.map((s, i) => ({ name: `${STAGES[s] ?? s} ${counts.get(s) ?? 0}`, value: reached[i] })),
      });
      alt.push(`客户阶段 ${FUNNEL.map((s) => `${STAGES[s] ?? s} ${counts.get(s) ?? 0}`).join("、")}`);
    }
  }

  if (reps.length) {
    const left = want("funnel") ? WIDTH / 2 : 0;
    title.push({ text: `${d.periodLabel}拜访跟进 · 按人`, left: left + 16, top: top + 6, textStyle: { fontSize: 15, fontWeight: "normal", color: "#222" } });
    grid.push({ left: left + 72, width: (want("funnel") ? WIDTH / 2 : WIDTH) - 72 - 40, top: top + 44, height: bottomHeight - 64 });
    const g = grid.length - 1;
    xAxis.push({ type: "value", gridIndex: g, minInterval: 1, min: 0, ...(reps.every((r) => r.count === 0) ? { max: 1 } : {}), axisLabel: { fontSize: 10, color: GREY }, splitLine: { lineStyle: { color: "#eeeeee" } } });
    yAxis.push({ type: "category", gridIndex: g, inverse: true, data: reps.map((r) => r.name), axisLabel: { interval: 0, fontSize: 12, color: "#333" }, axisTick: { show: false } });
    series.push({
      name: "拜访",
      type: "bar",
      xAxisIndex: xAxis.length - 1,
      yAxisIndex: yAxis.length - 1,
      data: reps.map((r) => r.count),
      itemStyle: { color: BLUE },
      barMaxWidth: 16,
      label: { show: true, position: "right", fontSize: 11, color: "#333" },
    });
    alt.push(`${d.periodLabel}拜访 ${reps.map((r) => `${r.name} ${r.count}`).join("、")}`);
  }
  if (want("funnel") || reps.length) top += bottomHeight;

  return {
    option: { backgroundColor: "#ffffff", title, legend, grid, xAxis, yAxis, series },
    size: { width: WIDTH, height: Math.max(top, 120) },
    alt: alt.join("；") || "业绩图表",
  };
}
