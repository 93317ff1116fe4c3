// The metrics picture: ECharts SSR → SVG → resvg PNG with the bundled CJK font. Checks the PNG itself (signature,
// size), the words in the SVG, and that Chinese glyphs are really drawn (with the font vs with no font at all).
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { MAX_REP_BARS, metricsChart, metricsChartSvg, type MetricsChartData } from "../../cards/metrics/metrics.chart.ts";
import { CHART_FONT_FAMILY, CHART_FONT_FILE, isPng, pngSize, svgToPng } from "../../src/core/charts/render-chart.ts";

const trend = Array.from({ length: 14 }, (_, i) => ({ day: `2026-11-${String(10 + i).padStart(2, "0")}`, visits: (i * 5) % 9, orders: i % 3 }));
const funnel = [
  { stage: "lead", count: 12 },
  { stage: "contacted", count: 8 },
  { stage: "proposal", count: 3 },
  { stage: "won", count: 2 },
  { stage: "lost", count: 1 },
];
const team: MetricsChartData = { periodLabel: "本周", trend, funnel, reps: [{ name: "张三", count: 9 }, { name: "李四", count: 4 }, { name: "王五", count: 0 }] };

/** Dark pixels in a rasterised SVG (RGBA, white background). */
function inked(svg: string, withFont: boolean): number {
  const img = new Resvg(svg, {
    background: "#ffffff",
    font: { loadSystemFonts: false, fontFiles: withFont ? [CHART_FONT_FILE] : [], defaultFontFamily: CHART_FONT_FAMILY },
  }).render();
  let n = 0;
  for (let i = 0; i < img.pixels.length; i += 4) if (img.pixels[i]! < 128) n++;
  return n;
}

describe("metrics chart", () => {
  it("is a PNG of the expected size, a few tens of KB", () => {
    const c = metricsChart(team);
    expect(isPng(c.png)).toBe(true);
    expect(pngSize(c.png)).toEqual({ width: 1080, height: 735 });
    expect(c.size).toEqual({ width: 1080, height: 735 });
    expect(c.png.length).toBeGreaterThan(15_000);
    expect(c.png.length).toBeLessThan(150_000);
  });

  it("names the days, the series, the stages and every person in the SVG", () => {
    const svg = metricsChartSvg(team);
    for (const word of ["近14天 拜访与订单", "拜访跟进", "订单", "11-10", "11-23", "客户阶段", "线索 12", "已接触 8", "已确认需求 0", "方案报价 3", "成交 2", "输单 1", "本周拜访跟进 · 按人", "张三", "李四", "王五"]) {
      expect(svg, word).toContain(word);
    }
    expect(svg).toContain(CHART_FONT_FAMILY);
  });

  it("draws Chinese text with the bundled font (nothing without it)", () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><text x="10" y="40" font-size="28" font-family="${CHART_FONT_FAMILY}">线索成交</text></svg>`;
    expect(inked(svg, false)).toBe(0);
    expect(inked(svg, true)).toBeGreaterThan(300);
    // The chart's own labels, through the same rasteriser the cards use.
    const label = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><text x="10" y="40" style="font-size:24px;font-family:${CHART_FONT_FAMILY};">本周拜访跟进</text></svg>`;
    expect(Buffer.from(svgToPng(label)).equals(Buffer.from(svgToPng(label, { font: false })))).toBe(false);
  });

  it("leaves the per-person bars out of a rep's own picture and caps a big team's bars", () => {
    const own = metricsChartSvg({ periodLabel: "本周", trend, funnel });
    expect(own).not.toContain("按人");
    expect(pngSize(metricsChart({ periodLabel: "本周", trend, funnel }).png)).toEqual({ width: 1080, height: 735 });
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `销售${i + 1}`, count: 30 - i }));
    const svg = metricsChartSvg({ periodLabel: "本月", trend, funnel, reps: many });
    expect(svg).toContain(`销售${MAX_REP_BARS}`);
    expect(svg).not.toContain(`销售${MAX_REP_BARS + 1}<`);
  });

  it("says so when there are no customers and no activity yet", () => {
    const empty = { periodLabel: "今天", trend: trend.map((t) => ({ ...t, visits: 0, orders: 0 })), funnel: [] };
    const svg = metricsChartSvg(empty);
    expect(svg).toContain("还没有客户");
    const c = metricsChart(empty);
    expect(isPng(c.png)).toBe(true);
    expect(c.alt).toContain("拜访跟进 0 次");
  });
});
