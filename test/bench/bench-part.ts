// One part of `npm run bench`: each `*.bench.ts` file in this folder exports `part`, and run-all.ts runs them in
// `order`. A part prints `name: value unit` lines through `print`; `BENCH_PART=a,b` runs only the parts named.
export interface BenchContext {
  /** postgresql://… of this machine's PostgreSQL, or undefined when it is unreachable. */
  postgresUrl: string | undefined;
}

export interface BenchPart {
  name: string;
  /** Lower runs first. */
  order: number;
  /** Whether the part needs a database (parts that don't run even when PostgreSQL is down). */
  database: boolean;
  run(print: (line: string) => void, ctx: BenchContext): Promise<void>;
}
