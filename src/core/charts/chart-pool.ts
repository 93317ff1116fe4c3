// Charts rendered on worker threads: a picture takes tens of milliseconds of CPU (ECharts SVG, then resvg), and the
// evening job draws one per team lead, so they are spread over the machine's cores instead of queueing on the main
// thread. Threads start on first use and never keep the process alive (unref). Where a thread cannot start (a
// runner that cannot load the worker's source, CHART_THREADS=0, one core), pictures render inline, the same bytes;
// chartPoolStats() tells which happened (the benchmark prints it).
// Memory: each thread collects its garbage every few pictures (chart-worker.ts: resvg's pixels are native memory that
// V8 does not count), and is replaced after RECYCLE_AFTER pictures anyway, which gives back whatever that missed
// (a new thread lays its glyphs out afresh, about a second of CPU, so not often).
// How many: CHART_THREADS (src/env.ts, parsed at start-up and handed in with configureChartThreads).
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ChartJob, ChartWorkerData, GlyphNews } from "./chart-worker.ts";
import { renderChartPng, type ChartOption, type ChartSize, type SharedGlyph } from "./render-chart.ts";

type Reply = { id: number; png?: Uint8Array; error?: string; glyphs?: SharedGlyph[] } | { ready: true };

/**
 * Every glyph a thread has laid out (its outlines as text, a few KB each), handed to the other threads as it comes
 * and to each new one as it starts: each character is shaped once for the process rather than once a thread (a
 * replacement thread spent 1-2 s of CPU shaping again what its predecessor knew). Bounded like a thread's own cache.
 */
const knownGlyphs = new Map<string, string | null>();
const KNOWN_GLYPHS_MAX = 20_000;

/** Pictures a thread draws before it is replaced: its memory given back, whatever the collections above missed. */
export const RECYCLE_AFTER = 500;

interface Slot {
  worker: Worker;
  busy: number;
  /** Pictures handed to this thread so far. */
  taken: number;
  /** Being ended on purpose (stopChartThreads): its exit is no failure. */
  stopping?: boolean;
}

const pending = new Map<number, { resolve: (png: Uint8Array) => void; reject: (err: Error) => void; job: ChartJob; slot: Slot }>();
let slots: Slot[] | null = null;
let broken = false;
let nextId = 1;
const stats = { threaded: 0, inline: 0, threadsStarted: 0, glyphsShaped: 0 };
/**
 * Threads idle this long are stopped (the next picture starts them again): a thread started from source (tsx's
 * loader registered in it) keeps the process alive even unref'd, so a job run from the command line never exited.
 */
const IDLE_MS = 2000;
let idleTimer: NodeJS.Timeout | null = null;

let configured: number | undefined;
let recycleAfter = RECYCLE_AFTER;

/**
 * Sets the number of threads (CHART_THREADS from the environment; undefined: the default) and the pictures a thread
 * draws before it is replaced (tests lower it). Takes effect when the threads next start (after stopChartThreads,
 * or at the first picture).
 */
export function configureChartThreads(threads: number | undefined, picturesPerThread = RECYCLE_AFTER): void {
  configured = threads;
  recycleAfter = picturesPerThread;
}

/** Threads to use: as configured, else one per core up to 4 (none on a single core). */
export function chartThreads(): number {
  if (configured !== undefined) return configured;
  const cores = os.availableParallelism();
  return cores > 1 ? Math.min(4, cores) : 0;
}

/**
 * Pictures drawn on threads and inline since start, threads started (recycled ones included) and glyphs the threads
 * laid out with resvg (each character and style once for all threads, when they share as they should).
 */
export function chartPoolStats(): { threaded: number; inline: number; threadsStarted: number; glyphsShaped: number } {
  return { ...stats };
}

function newWorker(): Worker {
  const workerData: ChartWorkerData = { glyphs: [...knownGlyphs] };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./chart-worker.js", import.meta.url), { execArgv: process.execArgv, workerData });
  const bundle = workerBundle();
  if (bundle) return new Worker(bundle, { eval: true, execArgv: withoutTsx(process.execArgv), workerData });
  // Without the bundle, the thread registers tsx itself (Node 20 starts a worker's entry before --import hooks
  // apply, so it does not inherit the parent's TypeScript loader), then loads the worker's source.
  const tsx = tsxApi();
  const entry = new URL("./chart-worker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, {
    eval: true,
    execArgv: process.execArgv,
    workerData,
  });
}

/**
 * From source (tsx, vitest), the worker's code is bundled once per process into one CommonJS script, with the
 * esbuild that tsx itself compiles with: a thread that registered tsx and loaded ECharts' few hundred modules
 * through its loader took about 2.5 s of CPU and a loader thread of its own to start (1.2 s of it the kernel's),
 * the bundle about 0.2 s once and 0.2 s a thread. import.meta.url is render-chart.ts's own (the font is found
 * from it) and require resolves from there (resvg's native module is loaded, not bundled). Null when esbuild
 * cannot be found or fails: the thread then loads the source through tsx as before.
 */
let bundled: string | null | undefined;
function workerBundle(): string | null {
  if (bundled !== undefined) return bundled;
  try {
    const fromTsx = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
    const esbuild = fromTsx("esbuild") as typeof import("esbuild");
    const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
    const out = esbuild.buildSync({
      entryPoints: [here("./chart-worker.ts")],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      write: false,
      external: ["@resvg/resvg-js"],
      define: { "import.meta.url": JSON.stringify(new URL("./render-chart.ts", import.meta.url).href) },
      logLevel: "silent",
    });
    const code = out.outputFiles[0]!.text;
    bundled = `(function (require, module, exports) {\n${code}\n})(require("node:module").createRequire(${JSON.stringify(here("./render-chart.ts"))}), { exports: {} }, {});`;
  } catch {
    bundled = null;
  }
  return bundled;
}

/** The parent's flags less tsx's loader (--require/--import of tsx's files): a bundled thread needs none. */
function withoutTsx(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inlineValue] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (flag === "--require" || flag === "-r" || flag === "--import" || flag === "--loader" || flag === "--experimental-loader") {
      const value = inlineValue ?? argv[i + 1] ?? "";
      if (/[\\/]tsx[\\/]/.test(value)) {
        if (inlineValue === undefined) i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

/** tsx's ESM entry (its CommonJS one cannot register the ESM hooks). */
function tsxApi(): string {
  if (typeof import.meta.resolve === "function") return import.meta.resolve("tsx/esm/api");
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
}

function inline(job: ChartJob): Uint8Array {
  stats.inline++;
  return renderChartPng(job.option, job.size, job.scale);
}

/** A thread died or never started: everything it held renders inline, and so does everything after. */
function giveUp(): void {
  broken = true;
  for (const [id, p] of pending) {
    pending.delete(id);
    try {
      p.resolve(inline(p.job));
    } catch (err) {
      p.reject(err as Error);
    }
  }
  for (const s of slots ?? []) void s.worker.terminate();
  slots = [];
}

function startOne(): Slot | null {
  let worker: Worker;
  try {
    worker = newWorker();
  } catch {
    giveUp();
    return null;
  }
  stats.threadsStarted++;
  worker.unref();
  const slot: Slot = { worker, busy: 0, taken: 0 };
  let retiring = false;
  worker.on("message", (m: Reply) => {
    if ("ready" in m) return;
    if (m.glyphs) shareGlyphs(slot, m.glyphs);
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    slot.busy--;
    if (pending.size === 0) {
      idleTimer = setTimeout(() => {
        idleTimer = null;
        if (pending.size === 0) void stopChartThreads();
      }, IDLE_MS);
      idleTimer.unref();
    }
    if (m.png) {
      stats.threaded++;
      p.resolve(new Uint8Array(m.png));
    } else p.reject(new Error(m.error ?? "chart thread failed"));
    // A retired thread (replaced in the pool) ends once its last picture is back.
    if (slot.busy === 0 && slot.taken >= recycleAfter) {
      retiring = true;
      void worker.terminate();
    }
  });
  worker.on("error", giveUp);
  worker.on("exit", (code) => {
    // A thread ended by stopChartThreads exits with code 1 too, after the stop returned: taken for a failure, it
    // sent every later picture (the next day's job, the next test) to the main thread.
    if (!retiring && !slot.stopping && code !== 0 && !broken) giveUp();
  });
  return slot;
}

/** Keeps a thread's new glyphs and hands them to the other running threads. */
function shareGlyphs(from: Slot, list: SharedGlyph[]): void {
  stats.glyphsShaped += list.length;
  const fresh = list.filter(([key]) => !knownGlyphs.has(key) && knownGlyphs.size < KNOWN_GLYPHS_MAX);
  for (const [key, shape] of fresh) knownGlyphs.set(key, shape);
  if (!fresh.length) return;
  const news: GlyphNews = { glyphs: fresh };
  for (const s of slots ?? []) if (s !== from) s.worker.postMessage(news);
}

/** The PNG, rendered on the least busy thread (or inline when there are none). */
export function renderChartPngAsync(option: ChartOption, size: ChartSize, scale = 1): Promise<Uint8Array> {
  const job: ChartJob = { id: nextId++, option, size, scale };
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  startSlots();
  if (broken || !slots || slots.length === 0) return Promise.resolve().then(() => inline(job));
  const at = slots.reduce((a, b, i) => (b.busy < slots![a]!.busy ? i : a), 0);
  const slot = slots[at]!;
  slot.taken++;
  if (slot.taken >= recycleAfter) {
    // Its last picture: a fresh thread takes its place for the next ones.
    const fresh = startOne();
    if (broken || !fresh) return Promise.resolve().then(() => inline(job));
    slots[at] = fresh;
  }
  return new Promise((resolve, reject) => {
    pending.set(job.id, { resolve, reject, job, slot });
    slot.busy++;
    slot.worker.postMessage(job);
  });
}

function startSlots(): void {
  if (slots !== null || broken) return;
  slots = [];
  for (let i = 0; i < chartThreads() && !broken; i++) {
    const s = startOne();
    if (s) slots.push(s);
  }
}

/**
 * Starts the threads ahead of the first picture (a job, before it reads its figures): from source the worker's
 * bundle is built on this thread (about a second under load) and each thread loads ECharts and the font's metrics,
 * all while the job waits on the database instead of before its first pictures. Stopped again if no picture comes.
 */
export function warmChartThreads(): void {
  if (slots !== null || broken || chartThreads() === 0) return;
  startSlots();
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (pending.size === 0) void stopChartThreads();
  }, IDLE_MS * 10);
  idleTimer.unref();
}

/** Stops the threads (tests, a clean shutdown); the next render starts them again. */
export async function stopChartThreads(): Promise<void> {
  const s = slots ?? [];
  slots = null;
  broken = false;
  for (const x of s) x.stopping = true;
  await Promise.all(s.map((x) => x.worker.terminate()));
}
