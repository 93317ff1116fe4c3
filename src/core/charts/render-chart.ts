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

const fontOptions = (font: boolean) => ({
  loadSystemFonts: false,
  fontFiles: font ? [CHART_FONT_FILE] : [],
  defaultFontFamily: CHART_FONT_FAMILY,
  sansSerifFamily: CHART_FONT_FAMILY,
});

/**
 * Laying out text is what a chart's render time goes on: resvg shapes every <text> element against the 8 MB CJK
 * font (about 2–3 ms each, 50–70 labels a chart), while the rest of the picture takes a few milliseconds. The same
 * labels recur from chart to chart (axis numbers, dates, stage names, titles, people's names), so each distinct
 * label (its element without its position) is laid out once, alone, and kept as the outlines resvg made of it
 * (`toString()` gives the SVG with text turned into paths, in the label's own coordinates). A chart then draws those
 * outlines at each label's position, the same pixels as laying the text out in place: layout of one <text> does not
 * depend on anything else in the picture. Bounded; an element it cannot read stays text and is laid out as before.
 */
const OUTLINES_MAX = 20_000;
const outlines = new Map<string, string | null>();
let outlineStats = { hits: 0, misses: 0 };

/** Cache hits and misses since start (the benchmark prints them). */
export function textOutlineStats(): { hits: number; misses: number; size: number } {
  return { ...outlineStats, size: outlines.size };
}

export function clearTextOutlines(): void {
  outlines.clear();
  outlineStats = { hits: 0, misses: 0 };
}

function outlineOf(key: string): string | null {
  const cached = outlines.get(key);
  if (cached !== undefined) {
    outlineStats.hits++;
    return cached;
  }
  outlineStats.misses++;
  let shape: string | null = null;
  try {
    const alone = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${key}</svg>`, { font: fontOptions(true) }).toString();
    // Plain outlines only: anything needing definitions (gradients, patterns) is left as text.
    const m = /<defs\/>([\s\S]*)<\/svg>\s*$/.exec(alone);
    shape = m ? m[1]!.trim() : null;
  } catch {
    shape = null;
  }
  if (outlines.size >= OUTLINES_MAX) outlines.clear();
  outlines.set(key, shape);
  return shape;
}

const TEXT_ELEMENT = /<text\b([^>]*)>([^<]*)<\/text>/g;
const TRANSFORM = /\stransform="([^"]*)"/;

/** The SVG with every label replaced by its cached outlines, placed where the label was. */
export function outlineText(svg: string): string {
  return svg.replace(TEXT_ELEMENT, (element: string, attrs: string) => {
    const t = TRANSFORM.exec(attrs);
    const key = t ? element.replace(TRANSFORM, "") : element;
    const shape = outlineOf(key);
    if (shape === null) return element;
    return t ? `<g transform="${t[1]}">${shape}</g>` : shape;
  });
}

/**
 * Rasterise at `scale` × the SVG size on white. `font: false` renders with no font at all (tests compare);
 * `outlines: false` lays every label out in place instead of drawing the cached outlines (tests compare).
 */
export function svgToPng(svg: string, opts: { scale?: number; font?: boolean; outlines?: boolean } = {}): Uint8Array {
  const font = opts.font !== false;
  const useOutlines = font && opts.outlines !== false;
  const resvg = new Resvg(useOutlines ? outlineText(svg) : svg, {
    background: "#ffffff",
    fitTo: { mode: "zoom", value: opts.scale ?? 1 },
    font: fontOptions(font),
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
