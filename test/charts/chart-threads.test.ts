// CHART_THREADS is read with the rest of the environment (src/env.ts), not by the chart pool itself: a wrong value
// stops start-up naming the variable, and the parsed number is what the pool uses.
import { afterEach, describe, expect, it } from "vitest";
import { chartThreads, configureChartThreads } from "../../src/core/charts/chart-pool.ts";
import { EnvError, parseEnv } from "../../src/env.ts";

describe("CHART_THREADS", () => {
  afterEach(() => configureChartThreads(undefined));

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
});
