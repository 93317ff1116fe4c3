// How a test starts one of the project's TypeScript entry points (src/main.ts, a CLI) in a child `node`:
// `spawn(process.execPath, [...tsEntry("src/main.ts"), ...args], { cwd: ROOT })`.
//
// `node --import tsx src/main.ts` (what `npm start` does) registers tsx's loader, which starts a loader thread and
// compiles or reads from its cache every one of the few hundred source files: about 1.2 s of CPU before the first
// line runs, in every child, and the fault, CLI and data-folder tests start dozens. Here the entry is bundled once
// (our sources only; every package stays an ordinary import from node_modules) with the esbuild tsx itself compiles
// with, into node_modules/.cache/test-entries/, and the child runs `node <bundle>`. The bundle is keyed by the
// sources it was made from (path, size and modification time of every file under src/, cards/ and jobs/), so an
// edit makes a new one, and it is shared by the workers and later runs. The same code runs: each module's
// `import.meta.url` is its own source file's (paths next to it — the playground page, the migrations, the chart
// font — resolve as from the sources), except the entry's, which is the bundle's own, so its "am I the script
// node was started with" check still holds. If esbuild cannot be loaded or the bundle fails, tsx as before.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "../../src/paths.ts";

const SOURCE_DIRS = ["src", "cards", "jobs"];
const OUT_DIR = path.join(ROOT, "node_modules", ".cache", "test-entries");
const built = new Map<string, string | null>();

/** Arguments for `node` that run `entry` (a path from the project folder, e.g. "src/main.ts"); script arguments go after. */
export function tsEntry(entry: string): string[] {
  const bundle = bundleOf(entry);
  return bundle ? [bundle] : ["--import", "tsx", entry];
}

function bundleOf(entry: string): string | null {
  if (process.env.TEST_TS_ENTRY_BUNDLE === "0") return null; // tsx, as `npm start` runs it
  let out = built.get(entry);
  if (out !== undefined) return out;
  try {
    const file = path.join(OUT_DIR, `${entry.replace(/[^\w.-]+/g, "_").replace(/\.ts$/, "")}-${sourcesKey(entry)}.mjs`);
    if (!existsSync(file)) build(entry, file);
    out = file;
  } catch {
    out = null;
  }
  built.set(entry, out);
  return out;
}

function sourcesKey(entry: string): string {
  const hash = createHash("sha256").update(`${entry}\0`);
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        hash.update(`${path.relative(ROOT, p)}\0${st.size}\0${st.mtimeMs}\0`);
      }
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  // The esbuild tsx brings (and with it this file's own bundling rules) is part of what made the bundle.
  const fromTsx = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
  hash.update(readFileSync(fromTsx.resolve("esbuild/package.json")));
  hash.update(readFileSync(new URL("./ts-entry-build.mjs", import.meta.url)));
  return hash.digest("hex").slice(0, 16);
}

/**
 * esbuild runs plugins (the per-module import.meta.url) only in its asynchronous API, and tsEntry is called where a
 * test spawns synchronously: the bundle is made by a short node process (ts-entry-build.mjs), once per change.
 */
function build(entry: string, file: string): void {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL("./ts-entry-build.mjs", import.meta.url)), path.join(ROOT, entry), file], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0 || !existsSync(file)) throw new Error(`bundling ${entry} failed: ${r.stderr}`);
}
