// Bundles one TypeScript entry for test/support/ts-entry.ts: `node ts-entry-build.mjs <entry.ts> <out.mjs>`.
// Our sources only (packages stay imports from node_modules, resolved from the bundle's folder inside it); every
// module's import.meta.url is its own source file's, except the entry's (the bundle's own: its main-module check).
// (Not inside quotes: chart-pool.ts names "import.meta.url" as a key of esbuild's own `define`.)
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [entry, out] = process.argv.slice(2);
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"))("esbuild");
const sep = path.sep;
const result = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  write: false,
  logLevel: "error",
  plugins: [
    {
      name: "own-import-meta-url",
      setup(b) {
        b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
          if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
          let contents = readFileSync(args.path, "utf8");
          if (args.path !== entry) contents = contents.replace(/(?<![\w."'`])import\.meta\.url(?![\w"'`])/g, JSON.stringify(pathToFileURL(args.path).href));
          return { contents, loader: "ts" };
        });
      },
    },
  ],
});
mkdirSync(path.dirname(out), { recursive: true });
// Under a temporary name, then renamed: a worker making the same bundle at the same time never reads half a file.
const tmp = `${out}.${process.pid}.${randomBytes(4).toString("hex")}`;
writeFileSync(tmp, result.outputFiles[0].contents);
renameSync(tmp, out);
