// A chart-rendering thread (chart-pool.ts): an ECharts option in, PNG bytes out, so pictures render on every core
// while the main thread goes on with the database. Each thread keeps its own glyph cache (render-chart.ts).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort, workerData } from "node:worker_threads";
import { addGlyphs, renderChartPng, takeLearntGlyphs, type ChartOption, type ChartSize, type SharedGlyph } from "./render-chart.ts";

export interface ChartJob {
  id: number;
  option: ChartOption;
  size: ChartSize;
  scale: number;
}

/** From the pool: glyphs the other threads laid out (render-chart.ts addGlyphs). */
export interface GlyphNews {
  glyphs: SharedGlyph[];
}

/** What a thread starts with: the glyphs laid out so far by the threads before it. */
export interface ChartWorkerData {
  glyphs?: SharedGlyph[];
}

/**
 * resvg-js keeps each picture's pixels (a few MB) in native memory that V8 does not see, freed only when the
 * JavaScript object holding them is collected, and a thread that allocates little JavaScript is seldom collected:
 * measured, memory grew by the picture's size on every render (thx/resvg-js#216). A young-generation collection
 * after every picture (the finalisers then run on the next turn of the loop, between messages) frees them before
 * the next picture, which then reuses the same memory (native-memory.ts) instead of faulting in fresh pages; it
 * costs well under a millisecond, where the full collection every 5 pictures it replaced cost more and left up to
 * 5 pictures' pixels to fault in afresh. V8 still runs its own full collections as the heap grows.
 */
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as (options?: { type: "minor" | "major" }) => void;

/**
 * One picture a turn of the event loop: a port hands over every queued message in one go, and resvg's finalisers
 * (which free the pixels of collected pictures) only run between turns, so a batch drawn in one go held them all.
 */
const queue: ChartJob[] = [];
function drawNext(): void {
  const job = queue.shift();
  if (!job) return;
  try {
    // Transferred, not copied, when the bytes own their memory (png-encode.ts builds them so); else a copy.
    const drawn = renderChartPng(job.option, job.size, job.scale);
    const png = drawn.byteOffset === 0 && drawn.byteLength === drawn.buffer.byteLength ? drawn : new Uint8Array(drawn);
    // With the glyphs this picture laid out, for the other threads.
    const glyphs = takeLearntGlyphs();
    parentPort!.postMessage({ id: job.id, png, ...(glyphs.length ? { glyphs } : {}) }, [png.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
  collect({ type: "minor" });
  if (queue.length) setImmediate(drawNext);
}

addGlyphs((workerData as ChartWorkerData | undefined)?.glyphs ?? []);
takeLearntGlyphs(); // from now on this thread keeps what it lays out, to send it on

parentPort?.on("message", (m: ChartJob | GlyphNews) => {
  if (!("id" in m)) return addGlyphs(m.glyphs);
  if (queue.push(m) === 1) setImmediate(drawNext);
});
parentPort?.postMessage({ ready: true });
