// The metrics picture: ECharts SSR → SVG → resvg PNG with the bundled CJK font. Checks the PNG itself (signature,
// size), the words in the SVG, and that Chinese glyphs are really drawn (with the font vs with no font at all).
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { MAX_REP_BARS, metricsChart, metricsChartSvg, type MetricsChartData } from "../../cards/metrics/metrics.chart.ts";
import zlib from "node:zlib";
import { crc32Table, encodePng } from "../../src/core/charts/png-encode.ts";
import { CHART_FONT_FAMILY, CHART_FONT_FILE, isPng, outlineText, pngSize, svgToPng, textOutlineStats } from "../../src/core/charts/render-chart.ts";

const trend = Array.from({ length: 14 }, (_, i) => ({ day: `2026-11-${String(10 + i).padStart(2, "0")}`, visits: (i * 5) % 9, orders: i % 3 }));
const funnel = [
  { stage: "lead", count: 12 },
  { stage: "contacted", count: 8 },
  { stage: "proposal", count: 3 },
  { stage: "won", count: 2 },
  { stage: "lost", count: 1 },
];
const team: MetricsChartData = { periodLabel: "本周", trend, funnel, reps: [{ name: "张三", count: 9 }, { name: "李四", count: 4 }, { name: "王五", count: 0 }] };

/** Pixels of two same-sized pictures whose red channel differs by more than a quarter of the range. */
function differing(a: Uint8Array, b: Uint8Array): { n: number; of: number } {
  const pa = Buffer.from(a);
  const pb = Buffer.from(b);
  expect(pa.length).toBe(pb.length);
  let n = 0;
  for (let i = 0; i < pa.length; i += 4) if (Math.abs(pa[i]! - pb[i]!) > 64) n++;
  return { n, of: pa.length / 4 };
}

/** Dark pixels in a rasterised SVG (RGBA, white background). */
function inked(svg: string, withFont: boolean): number {
  const img = new Resvg(svg, {
    background: "#ffffff",
    font: { loadSystemFonts: false, fontFiles: withFont ? [CHART_FONT_FILE] : [], defaultFontFamily: CHART_FONT_FAMILY },
  }).render();
  const pixels = img.pixels; // a copy on every read of the property: read it once
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128) n++;
  return n;
}

describe("metrics chart", () => {
  it("is a PNG of the expected size, a few tens of KB", () => {
    const c = metricsChart(team);
    expect(isPng(c.png)).toBe(true);
    expect(pngSize(c.png)).toEqual({ width: 900, height: 613 });
    expect(c.size).toEqual({ width: 900, height: 613 });
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

  it("draws labels glyph by glyph as resvg lays them out (anchors, spaces, escaped names), from a cache", () => {
    const svg = metricsChartSvg({ ...team, reps: [...team.reps!, { name: "欧阳&小明", count: 2 }] });
    expect(svg).toContain("欧阳&amp;小明");
    const outlined = outlineText(svg);
    expect(outlined).not.toContain("<text");
    // The same picture as resvg laying each label out in place, but for anti-aliasing at a few glyph edges.
    const raster = (s: string, font: boolean) =>
      new Resvg(s, { background: "#ffffff", fitTo: { mode: "zoom", value: 1.5 }, font: { loadSystemFonts: false, fontFiles: font ? [CHART_FONT_FILE] : [], defaultFontFamily: CHART_FONT_FAMILY } }).render().pixels;
    const d = differing(raster(outlined, false), raster(svg, true));
    expect(d.n / d.of).toBeLessThan(0.001);
    // Characters are laid out once: a second team with the same characters in other names shapes nothing new.
    const before = textOutlineStats();
    outlineText(metricsChartSvg({ ...team, reps: [{ name: "李三", count: 9 }, { name: "张五", count: 4 }, { name: "王四", count: 0 }, { name: "小明&欧阳", count: 2 }] }));
    const after = textOutlineStats();
    expect(after.misses).toBe(before.misses);
    expect(after.hits).toBeGreaterThan(before.hits);
  });

  it("writes a PNG that decodes to exactly the pixels drawn, on white", () => {
    const svg = metricsChartSvg(team);
    const drawn = new Resvg(outlineText(svg), { background: "#ffffff", font: { loadSystemFonts: false } }).render();
    const png = svgToPng(svg);
    expect(isPng(png)).toBe(true);
    expect(pngSize(png)).toEqual({ width: drawn.width, height: drawn.height });
    const back = new Resvg(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${drawn.width}" height="${drawn.height}"><image width="${drawn.width}" height="${drawn.height}" href="data:image/png;base64,${Buffer.from(png).toString("base64")}"/></svg>`,
    ).render();
    expect(Buffer.from(back.pixels).equals(Buffer.from(drawn.pixels))).toBe(true);
    // Not trivially so: another picture decodes to other pixels.
    const other = new Resvg(outlineText(metricsChartSvg({ ...team, reps: [{ name: "赵六", count: 1 }] })), { background: "#ffffff", font: { loadSystemFonts: false } }).render();
    expect(Buffer.from(back.pixels).equals(Buffer.from(other.pixels))).toBe(false);
  });

  it("leaves a label it cannot lay out as text, drawn by resvg", () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><text x="10" y="40" letter-spacing="4" style="font-size:24px;font-family:${CHART_FONT_FAMILY};">本周拜访</text></svg>`;
    expect(outlineText(svg)).toContain("<text");
    expect(Buffer.from(svgToPng(svg)).equals(Buffer.from(svgToPng(svg, { font: false })))).toBe(false);
  });

  it("leaves the per-person bars out of a rep's own picture and caps a big team's bars", () => {
    const own = metricsChartSvg({ periodLabel: "本周", trend, funnel });
    expect(own).not.toContain("按人");
    expect(pngSize(metricsChart({ periodLabel: "本周", trend, funnel }).png)).toEqual({ width: 900, height: 613 });
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

describe("PNG encoding (png-encode.ts)", () => {
  it("decodes to exactly the pixels given, for odd sizes and every byte value", () => {
    const w = 7;
    const h = 5;
    const pixels = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37 + (i >> 3)) & 255);
    // Straight alpha does not survive resvg's premultiplied decoding, so the round trip is checked opaque.
    for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
    const png = encodePng(pixels, w, h);
    expect(isPng(png)).toBe(true);
    expect(pngSize(png)).toEqual({ width: w, height: h });
    const back = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><image width="${w}" height="${h}" href="data:image/png;base64,${Buffer.from(png).toString("base64")}"/></svg>`).render();
    expect(Buffer.from(back.pixels).equals(Buffer.from(pixels))).toBe(true);
    expect(() => encodePng(pixels.subarray(4), w, h)).toThrow(/RGBA/);
  });

  it("checksums its chunks with the CRC-32 zlib computes", () => {
    const bytes = Buffer.from("IHDR and some bytes \u00ff\u0000", "latin1");
    const native = (zlib as { crc32?: (b: Uint8Array) => number }).crc32;
    if (native) expect(crc32Table(bytes)).toBe(native(bytes) >>> 0);
    expect(crc32Table(Buffer.from("123456789"))).toBe(0xcbf43926);
  });
});
