// Charts rendered on worker threads: a picture takes tens of milliseconds of CPU (ECharts SVG, then resvg), and the
// evening job draws one per team lead, so they are spread over the machine's cores instead of queueing on the main
// thread. Threads start on first use and never keep the process alive (unref). Where a thread cannot start (a
// runner that cannot load the worker's source, CHART_THREADS=0, one core), pictures render inline, the same bytes.
// How many: CHART_THREADS (src/env.ts, parsed at start-up and handed in with configureChartThreads).
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { ChartJob } from "./chart-worker.ts";
import { renderChartPng, type ChartOption, type ChartSize } from "./render-chart.ts";

type Reply = { id: number; png?: Uint8Array; error?: string } | { ready: true };

interface Slot {
  worker: Worker;
  ready: boolean;
  busy: number;
}

const pending = new Map<number, { resolve: (png: Uint8Array) => void; reject: (err: Error) => void; job: ChartJob; slot: Slot }>();
let slots: Slot[] | null = null;
let broken = false;
let nextId = 1;

let configured: number | undefined;

/**
 * Sets the number of threads (CHART_THREADS from the environment; undefined: the default). Takes effect when the
 * threads next start (after stopChartThreads, or at the first picture).
 */
export function configureChartThreads(threads: number | undefined): void {
  configured = threads;
}

/** Threads to use: as configured, else one per core up to 4 (none on a single core). */
export function chartThreads(): number {
  if (configured !== undefined) return configured;
  const cores = os.availableParallelism();
  return cores > 1 ? Math.min(4, cores) : 0;
}

function workerUrl(): URL {
  // Built (dist/…/chart-pool.js) the worker is .js beside it; from source (tsx) it is .ts.
  return new URL(import.meta.url.endsWith(".ts") ? "./chart-worker.ts" : "./chart-worker.js", import.meta.url);
}

/** A thread died or never started: everything it held renders inline, and so does everything after. */
function giveUp(): void {
  broken = true;
  for (const [id, p] of pending) {
    pending.delete(id);
    try {
      p.resolve(renderChartPng(p.job.option, p.job.size, p.job.scale));
    } catch (err) {
      p.reject(err as Error);
    }
  }
  for (const s of slots ?? []) void s.worker.terminate();
  slots = [];
}

function start(n: number): Slot[] {
  const out: Slot[] = [];
  for (let i = 0; i < n; i++) {
    let worker: Worker;
    try {
      worker = new Worker(workerUrl(), { execArgv: process.execArgv });
    } catch {
      giveUp();
      return [];
    }
    worker.unref();
    const slot: Slot = { worker, ready: false, busy: 0 };
    worker.on("message", (m: Reply) => {
      if ("ready" in m) {
        slot.ready = true;
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      slot.busy--;
      if (m.png) p.resolve(new Uint8Array(m.png));
      else p.reject(new Error(m.error ?? "chart thread failed"));
    });
    worker.on("error", giveUp);
    worker.on("exit", (code) => {
      if (code !== 0 && !broken) giveUp();
    });
    out.push(slot);
  }
  return out;
}

/** The PNG, rendered on the least busy thread (or inline when there are none). */
export function renderChartPngAsync(option: ChartOption, size: ChartSize, scale = 1): Promise<Uint8Array> {
  if (slots === null && !broken) slots = chartThreads() > 0 ? start(chartThreads()) : [];
  if (broken || !slots || slots.length === 0) return Promise.resolve().then(() => renderChartPng(option, size, scale));
  const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  const job: ChartJob = { id: nextId++, option, size, scale };
  return new Promise((resolve, reject) => {
    pending.set(job.id, { resolve, reject, job, slot });
    slot.busy++;
    slot.worker.postMessage(job);
  });
}

/** Stops the threads (tests, a clean shutdown); the next render starts them again. */
export async function stopChartThreads(): Promise<void> {
  const s = slots ?? [];
  slots = null;
  broken = false;
  await Promise.all(s.map((x) => x.worker.terminate()));
}
