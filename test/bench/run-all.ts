// `npm run bench`: prints the figures the issues set targets for, one `name: value unit` line each. Every
// `*.bench.ts` file beside this one is a part (see bench-part.ts); `BENCH_PART=charts,ingest` runs only those.
// Run on this machine against its PostgreSQL (BENCH_DATABASE_URL, default postgresql://root@127.0.0.1:5432/test);
// parts that can also measure the embedded database do so side by side. Figures are printed, never asserted:
// timing belongs here, not in the test suite.
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import type { BenchPart } from "./bench-part.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const url = process.env.BENCH_DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";
const only = process.env.BENCH_PART?.split(",").map((s) => s.trim()).filter(Boolean);

async function reachable(u: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: u, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const parts: BenchPart[] = [];
  for (const file of readdirSync(here).filter((f) => f.endsWith(".bench.ts")).sort()) {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { part?: BenchPart };
    if (!mod.part) throw new Error(`${file} exports no \`part\``);
    parts.push(mod.part);
  }
  parts.sort((a, b) => a.order - b.order);
  const unknown = only?.filter((n) => !parts.some((p) => p.name === n)) ?? [];
  if (unknown.length) {
    console.error(`unknown bench part ${unknown.join(", ")}; parts: ${parts.map((p) => p.name).join(", ")}`);
    process.exit(2);
  }
  const postgresUrl = (await reachable(url)) ? url : undefined;
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(`sales-desk-bot benchmarks — ${new Date().toISOString()} — node ${process.version} — ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  console.log(`PostgreSQL: ${postgresUrl ? url.replace(/\/\/[^@]*@/, "//") : "unreachable (parts that need it measure the embedded database only)"}\n`);
  for (const p of parts) {
    if (only && !only.includes(p.name)) continue;
    console.log(`== ${p.name}`);
    await p.run((line) => console.log(line), { postgresUrl });
    console.log("");
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
