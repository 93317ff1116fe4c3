// Chart figures for `npm run bench`: render time per chart (ECharts SSR + resvg with the CJK font) and PNG size,
// as `name: value unit` lines. Each panel alone, then the whole picture a team card carries.
import type { BenchPart } from "./bench-part.ts";
import { metricsChart, type MetricsChartData, type MetricsPanel } from "../../cards/metrics/metrics.chart.ts";

const RUNS = Number(process.env.BENCH_CHART_RUNS ?? 10);

const data: MetricsChartData = {
  periodLabel: "本周",
  trend: Array.from({ length: 14 }, (_, i) => ({ day: `2026-11-${String(10 + i).padStart(2, "0")}`, visits: (i * 7) % 23, orders: (i * 3) % 5 })),
  funnel: [
    { stage: "lead", count: 42 },
    { stage: "contacted", count: 25 },
    { stage: "qualified", count: 14 },
    { stage: "proposal", count: 9 },
    { stage: "negotiation", count: 5 },
    { stage: "won", count: 7 },
    { stage: "lost", count: 3 },
  ],
  reps: ["张三", "李四", "王五", "赵六", "陈七", "孙八", "周九", "吴十", "郑一", "冯二"].map((name, i) => ({ name, count: (i * 5) % 17 })),
};

export function chartFigures(): string[] {
  const lines: string[] = [];
  metricsChart(data); // warm-up: module init, first font load
  const cases: [string, MetricsPanel[] | undefined][] = [
    ["trend (14 days)", ["trend"]],
    ["funnel", ["funnel"]],
    ["per-rep bars (10 people)", ["reps"]],
    ["team card picture (all three)", undefined],
  ];
  for (const [name, only] of cases) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      bytes = metricsChart(data, only).png.length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    lines.push(`chart render ${name}, median of ${RUNS}: ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms`);
    lines.push(`chart PNG size ${name}: ${(bytes / 1024).toFixed(1)} KB`);
  }
  return lines;
}

export const part: BenchPart = {
  name: "charts",
  order: 10,
  database: false,
  async run(print) {
    for (const line of chartFigures()) print(line);
  },
};
