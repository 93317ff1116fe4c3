// A chart-rendering thread (chart-pool.ts): an ECharts option in, PNG bytes out, so pictures render on every core
// while the main thread goes on with the database. Each thread keeps its own glyph cache (render-chart.ts).
import { parentPort } from "node:worker_threads";
import { renderChartPng, type ChartOption, type ChartSize } from "./render-chart.ts";

export interface ChartJob {
  id: number;
  option: ChartOption;
  size: ChartSize;
  scale: number;
}

parentPort?.on("message", (job: ChartJob) => {
  try {
    const png = renderChartPng(job.option, job.size, job.scale);
    parentPort!.postMessage({ id: job.id, png }, [png.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort?.postMessage({ ready: true });
