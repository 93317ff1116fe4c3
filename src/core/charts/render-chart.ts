// Server-side charts: an ECharts option in, PNG bytes out. Apache ECharts renders to an SVG string (SSR, no DOM),
// resvg rasterises it with the bundled CJK font so Chinese labels render without any system font. Pure apart from
// reading the font file: no network, no database. Every chart instance is disposed before returning.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import "./native-memory.ts"; // before resvg loads: its allocator reads the setting once
import { Resvg } from "@resvg/resvg-js";
import { BarChart, FunnelChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { readFontMetrics, type FontMetrics } from "./font-metrics.ts";
import { encodePng } from "./png-encode.ts";

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
 * Laying out text is what a chart's render time went on: resvg shapes every <text> element against the 8 MB CJK
 * font (several milliseconds a label, whatever its length), while the rest of the picture takes a few. So labels
 * are laid out here, a glyph at a time: each distinct character of each text style (size, colour, baseline) is
 * turned into outlines by resvg once — all of a chart's new ones in one call — and kept; a label is then its
 * characters' outlines side by side, each advanced by the font's own advance width (font-metrics.ts; no kerning),
 * anchored start, middle or end as the label says. Names, numbers and dates recur across a thousand team cards
 * as characters even where they never recur as labels (every team's names are new), so after the first cards
 * nothing is shaped at all. The cache is bounded (a few thousand distinct characters in practice, a few KB each);
 * a label it cannot read (an attribute it does not know) stays text and is laid out by resvg as before.
 */
const GLYPHS_MAX = 20_000;
interface Glyph {
  id: number;
  /** The glyph's outlines at the origin, or null when resvg's output could not be read (the label stays text). */
  shape: string | null;
}
const glyphs = new Map<string, Glyph>();
let nextGlyph = 1;
let glyphStats = { hits: 0, misses: 0 };
let fontMetrics: FontMetrics | null = null;
const metricsOfFont = () => (fontMetrics ??= readFontMetrics(readFileSync(CHART_FONT_FILE)));

/** Glyph cache hits and misses since start (the benchmark prints them). */
export function textOutlineStats(): { hits: number; misses: number; size: number } {
  return { ...glyphStats, size: glyphs.size };
}

export function clearTextOutlines(): void {
  glyphs.clear();
  if (learnt) learnt = [];
  glyphStats = { hits: 0, misses: 0 };
}

/** A laid-out glyph as threads hand it on: its key (style and character) and its outlines (null: stays text). */
export type SharedGlyph = [key: string, shape: string | null];

/** Glyphs laid out here since the last takeLearntGlyphs, for the other chart threads; null: not kept (inline). */
let learnt: SharedGlyph[] | null = null;

/** The glyphs laid out since the last call (kept from the first call on): a chart thread sends them with its picture. */
export function takeLearntGlyphs(): SharedGlyph[] {
  const out = learnt ?? [];
  learnt = [];
  return out;
}

/**
 * Glyphs another thread laid out: the same outlines this thread would get from resvg (same font, same style), so the
 * pictures are the same, without shaping each character again on every thread (about 2.5 ms a character and style;
 * a fresh thread spent 1-2 s of an evening job on it). Ones already here are kept; nothing past the cache's bound.
 */
export function addGlyphs(list: SharedGlyph[]): void {
  for (const [key, shape] of list) {
    if (glyphs.size >= GLYPHS_MAX) return;
    if (!glyphs.has(key)) glyphs.set(key, { id: nextGlyph++, shape });
  }
}

interface Label {
  /** The attributes that shape a glyph (style, fill, baseline…), as written. */
  style: string;
  size: number;
  x: number;
  y: number;
  transform: string | null;
  anchor: string;
  text: string;
}

const TEXT_ELEMENT = /<text\b([^>]*)>([^<]*)<\/text>/g;
const ATTR = /\s([\w:-]+)="([^"]*)"/g;
/** Attributes that move or space glyphs in ways this layout does not do: such a label stays text. */
const UNSUPPORTED = new Set(["dx", "dy", "rotate", "textLength", "lengthAdjust", "letter-spacing", "word-spacing", "font-size", "writing-mode", "direction"]);
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === "#" ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m),
  );
const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const num = (s: string | undefined) => (s === undefined ? 0 : /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(s.trim()) ? Number(s) : NaN);

function parseLabel(attrs: string, body: string): Label | null {
  let style = "";
  let x = 0;
  let y = 0;
  let transform: string | null = null;
  let anchor = "start";
  let preserve = false;
  for (const [, name, value] of attrs.matchAll(ATTR)) {
    if (name === "x") x = num(value);
    else if (name === "y") y = num(value);
    else if (name === "transform") transform = value!;
    else if (name === "text-anchor") anchor = value!;
    else if (name === "xml:space") preserve = value === "preserve";
    else if (UNSUPPORTED.has(name!)) return null;
    else style += ` ${name}="${value}"`;
  }
  const size = /(?:^|[;"\s])font-size:\s*([\d.]+)px/.exec(style);
  if (!size || !Number.isFinite(x) || !Number.isFinite(y) || !["start", "middle", "end"].includes(anchor)) return null;
  if (/letter-spacing|word-spacing|text-anchor|baseline-shift|font-variant|text-decoration/.test(style)) return null;
  // SVG's white-space handling: without xml:space="preserve", newlines go, tabs become spaces, runs of spaces
  // collapse and the ends are trimmed; with it, newlines and tabs become spaces.
  const raw = decode(body);
  const text = preserve ? raw.replace(/[\n\r\t]/g, " ") : raw.replace(/[\n\r]/g, "").replace(/\t/g, " ").replace(/ +/g, " ").trim();
  return { style, size: Number(size[1]), x, y, transform, anchor, text };
}

const isBlank = (ch: string) => ch === " " || ch === "\u00a0" || ch === "\u3000";
const glyphKey = (style: string, ch: string) => `${style}\u0000${ch}`;

/** Lays out each (style, character) alone at the origin, all in one resvg call, and caches their outlines. */
function layOutGlyphs(wanted: Map<string, { style: string; ch: string }>): void {
  if (glyphs.size + wanted.size > GLYPHS_MAX) glyphs.clear();
  const list = [...wanted];
  const body = list.map(([, g], i) => `<g id="k${i}"><text${g.style} x="0" y="0" text-anchor="start" xml:space="preserve">${escapeXml(g.ch)}</text></g>`).join("");
  let shapes: (string | null)[] = list.map(() => null);
  try {
    const out = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${body}</svg>`, { font: fontOptions(true) }).toString();
    shapes = list.map(() => "");
    // Each glyph is its own group (kept by its id); a glyph with nothing to draw may have no group at all.
    const parts = out.replace(/<\/svg>\s*$/, "").split(/<g id="k(\d+)"(\/?)>/);
    for (let i = 1; i + 2 < parts.length; i += 3) {
      const index = Number(parts[i]);
      const selfClosing = parts[i + 1] === "/";
      const seg = (parts[i + 2] ?? "").trim();
      const shape = selfClosing ? "" : seg.replace(/<\/g>$/, "").trim();
      // Plain outlines only: anything that refers to definitions (gradients, patterns) stays text.
      shapes[index] = /url\(#|<g id=/.test(shape) || (selfClosing && seg.includes("<")) ? null : compact(shape);
    }
  } catch {
    shapes = list.map(() => null);
  }
  list.forEach(([key], i) => {
    glyphs.set(key, { id: nextGlyph++, shape: shapes[i] ?? null });
    learnt?.push([key, shapes[i] ?? null]);
  });
}

const fmt = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * resvg writes outlines with float noise (3.9300003) and indentation: a fifth of a picture's SVG, parsed again on
 * every picture. To a thousandth of a pixel, without the spaces between elements: the same pixels on 40 varied charts
 * (to a hundredth they were not), 129 -> 103 KB a picture.
 */
const compact = (shape: string) => shape.replace(/>\s+</g, "><").replace(/-?\d+\.\d{4,}/g, (m) => fmt(Number(m)));

/** The SVG with every label it can read drawn as cached glyph outlines (defined once, used where they stand). */
export function outlineText(svg: string): string {
  const metrics = metricsOfFont();
  const found: { element: string; label: Label | null }[] = [];
  const missing = new Map<string, { style: string; ch: string }>();
  for (const m of svg.matchAll(TEXT_ELEMENT)) {
    const label = parseLabel(m[1]!, m[2]!);
    found.push({ element: m[0], label });
    if (!label) continue;
    for (const ch of label.text) {
      if (isBlank(ch)) continue;
      const key = glyphKey(label.style, ch);
      if (glyphs.has(key)) glyphStats.hits++;
      else if (!missing.has(key)) {
        glyphStats.misses++;
        missing.set(key, { style: label.style, ch });
      }
    }
  }
  if (missing.size) layOutGlyphs(missing);
  const used = new Map<number, string>();
  let i = 0;
  const out = svg.replace(TEXT_ELEMENT, (element) => {
    const { label } = found[i++]!;
    if (!label) return element;
    const chars = [...label.text];
    const placed: Glyph[] = [];
    for (const ch of chars) {
      if (isBlank(ch)) continue;
      const g = glyphs.get(glyphKey(label.style, ch));
      if (!g || g.shape === null) return element;
      placed.push(g);
    }
    const scale = label.size / metrics.unitsPerEm;
    const width = chars.reduce((w, ch) => w + metrics.advance(ch.codePointAt(0)!) * scale, 0);
    let pen = label.anchor === "middle" ? label.x - width / 2 : label.anchor === "end" ? label.x - width : label.x;
    let p = 0;
    let uses = "";
    for (const ch of chars) {
      if (!isBlank(ch)) {
        const g = placed[p++]!;
        if (g.shape) {
          used.set(g.id, g.shape);
          uses += `<use href="#cg${g.id}" x="${fmt(pen)}" y="${fmt(label.y)}"/>`;
        }
      }
      pen += metrics.advance(ch.codePointAt(0)!) * scale;
    }
    return label.transform ? `<g transform="${label.transform}">${uses}</g>` : `<g>${uses}</g>`;
  });
  if (!used.size) return out;
  const defs = `<defs>${[...used].map(([id, shape]) => `<g id="cg${id}">${shape}</g>`).join("")}</defs>`;
  return out.replace(/<\/svg>\s*$/, `${defs}</svg>`);
}

/**
 * Rasterise at `scale` × the SVG size on white. `font: false` renders with no font at all (tests compare);
 * `outlines: false` lets resvg lay every label out in place instead of drawing the cached glyphs (tests compare).
 * Encoded here (png-encode.ts: zlib at a low level, 4 ms where resvg's asPng took 8-9 ms, files the same size). The
 * `pixels` read is a copy in memory resvg-js allocates; like the picture itself it is freed only once collected
 * (thx/resvg-js#216), which the chart threads do after every picture (chart-worker.ts).
 */
export function svgToPng(svg: string, opts: { scale?: number; font?: boolean; outlines?: boolean } = {}): Uint8Array {
  const font = opts.font !== false;
  const useOutlines = font && opts.outlines !== false;
  const drawn = useOutlines ? outlineText(svg) : svg;
  // With every label turned into outlines the font is not needed (not loaded) for the picture itself.
  const resvg = new Resvg(drawn, {
    background: "#ffffff",
    fitTo: { mode: "zoom", value: opts.scale ?? 1 },
    font: fontOptions(font && (!useOutlines || drawn.includes("<text"))),
  });
  const image = resvg.render();
  return encodePng(image.pixels, image.width, image.height);
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
