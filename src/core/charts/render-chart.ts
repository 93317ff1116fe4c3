// Server-side charts: an ECharts option in, PNG bytes out. Apache ECharts renders to an SVG string (SSR, no DOM),
// resvg rasterises it with the bundled CJK font so Chinese labels render without any system font. Pure apart from
// reading the font file: no network, no database. Every chart instance is disposed before returning.
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { BarChart, FunnelChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, FunnelChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * Noto Sans Hans Regular (Noto Sans CJK SC's GB2312 cut, SIL OFL 1.1) from the npm package @embedpdf/fonts-sc:
 * installed with the other dependencies, nothing downloaded at run time.
 */
export const CHART_FONT_FAMILY = "Noto Sans S Chinese";
export const CHART_FONT_FILE = createRequire(import.meta.url)
  .resolve("@embedpdf/fonts-sc")
  .replace(/dist[\\/]index\.c?js$/, "fonts/NotoSansHans-Regular.otf");

export interface ChartSize {
  width: number;
  height: number;
}

/** The chart as SVG text (labels as <text> elements): what tests read for the expected words. */
export function renderChartSvg(option: ChartOption, size: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT_FAMILY }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Rasterise at `scale` × the SVG size on white. `font: false` renders with no font at all (tests compare). */
export function svgToPng(svg: string, opts: { scale?: number; font?: boolean } = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    background: "#ffffff",
    fitTo: { mode: "zoom", value: opts.scale ?? 1 },
    font: {
      loadSystemFonts: false,
      fontFiles: opts.font === false ? [] : [CHART_FONT_FILE],
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

export function renderChartPng(option: ChartOption, size: ChartSize, scale = 1): Uint8Array {
  return svgToPng(renderChartSvg(option, size), { scale });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Width and height from the IHDR chunk. */
export function pngSize(bytes: Uint8Array): ChartSize {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}
