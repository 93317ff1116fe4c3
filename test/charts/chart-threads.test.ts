// CHART_THREADS is read with the rest of the environment (src/env.ts), not by the chart pool itself: a wrong value
// stops start-up naming the variable, and the parsed number is what the pool uses.
import { afterEach, describe, expect, it } from "vitest";
import { metricsChartOption } from "../../cards/metrics/metrics.chart.ts";
import { chartPoolStats, chartThreads, configureChartThreads, renderChartPngAsync, stopChartThreads } from "../../src/core/charts/chart-pool.ts";
import { renderChartPng } from "../../src/core/charts/render-chart.ts";
import { EnvError, parseEnv } from "../../src/env.ts";

describe("CHART_THREADS", () => {
  afterEach(async () => {
    await stopChartThreads();
    configureChartThreads(undefined);
  });

  it("is parsed with the environment: a number of threads, or unset for the default", () => {
    expect(parseEnv({ CHART_THREADS: "0" }).CHART_THREADS).toBe(0);
    expect(parseEnv({ CHART_THREADS: "3" }).CHART_THREADS).toBe(3);
    expect(parseEnv({}).CHART_THREADS).toBeUndefined();
    for (const bad of ["two", "-1", "1.5", "99"]) {
      expect(() => parseEnv({ CHART_THREADS: bad }), bad).toThrow(EnvError);
      expect(() => parseEnv({ CHART_THREADS: bad }), bad).toThrow(/CHART_THREADS/);
    }
  });

  it("sets the pool's thread count; unset goes back to one per core", () => {
    configureChartThreads(parseEnv({ CHART_THREADS: "0" }).CHART_THREADS);
    expect(chartThreads()).toBe(0);
    configureChartThreads(parseEnv({ CHART_THREADS: "2" }).CHART_THREADS);
    expect(chartThreads()).toBe(2);
    configureChartThreads(undefined);
    expect(chartThreads()).toBeGreaterThanOrEqual(0);
    expect(chartThreads()).toBeLessThanOrEqual(4);
  });

  it("draws on worker threads, run from source too, the same bytes as inline; a thread is replaced after its share", async () => {
    // From source the worker must register the TypeScript loader itself: before it did, every picture silently
    // fell back to the main thread.
    configureChartThreads(2, 3);
    const charts = Array.from({ length: 8 }, (_, i) =>
      metricsChartOption({ periodLabel: "今天", trend: [{ day: "2026-11-23", visits: i, orders: 1 }], funnel: [{ stage: "lead", count: i + 1 }], reps: [{ name: `张${i}`, count: i }] }),
    );
    const before = chartPoolStats();
    const pngs = await Promise.all(charts.map((c) => renderChartPngAsync(c.option, c.size, 1)));
    const after = chartPoolStats();
    expect(after.threaded - before.threaded).toBe(8);
    expect(after.inline - before.inline).toBe(0);
    // 8 pictures, 3 a thread: the first two threads and at least two replacements.
    expect(after.threadsStarted - before.threadsStarted).toBeGreaterThanOrEqual(4);
    pngs.forEach((png, i) => expect(Buffer.from(png).equals(Buffer.from(renderChartPng(charts[i]!.option, charts[i]!.size, 1))), `picture ${i}`).toBe(true));
    expect(Buffer.from(pngs[0]!).equals(Buffer.from(pngs[1]!))).toBe(false);
  }, 60_000);

  it("shapes each character once for all threads: a replacement thread starts with what the others laid out", async () => {
    configureChartThreads(1, 2);
    const chart = (name: string) => metricsChartOption({ periodLabel: "本周", trend: [{ day: "2026-11-23", visits: 3, orders: 1 }], funnel: [{ stage: "won", count: 2 }], reps: [{ name, count: 4 }] });
    const first = chart("欧阳锋");
    const before = chartPoolStats();
    const a = await renderChartPngAsync(first.option, first.size, 1);
    const shaped = chartPoolStats().glyphsShaped - before.glyphsShaped;
    expect(shaped).toBeGreaterThanOrEqual(3); // 欧, 阳, 锋 at least (digits may be known from earlier pictures)
    // Three more pictures with the same characters, on the thread's replacement (2 pictures a thread): nothing new.
    const again = await Promise.all([chart("锋欧阳"), chart("阳锋"), chart("欧阳锋")].map((c) => renderChartPngAsync(c.option, c.size, 1)));
    const after = chartPoolStats();
    expect(after.threadsStarted - before.threadsStarted).toBeGreaterThanOrEqual(2);
    expect(after.glyphsShaped - before.glyphsShaped).toBe(shaped);
    // And the same pictures as drawn inline.
    expect(Buffer.from(again[2]!).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(renderChartPng(first.option, first.size, 1)))).toBe(true);
  }, 60_000);
});
