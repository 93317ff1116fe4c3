// `npm run import -- customers|products <file.csv|file.xlsx> [--dry-run] [--as <admin id>]`: checks every row and,
// only when the whole file is clean, writes it in one transaction (audited, as the admin named by --as or the org
// file's first admin). Exit code 0: imported, unchanged, or a clean dry run; 1: bad rows or a refusal; 2: usage.
// With the embedded database and the server running, the server does the work (see data-io-cli.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { formatImportReport, ImportReportSchema, type ImportReport } from "../domain/data-io/import-report.ts";
import { importFile } from "../domain/data-io/import.service.ts";
import { MAX_IMPORT_BYTES } from "../domain/data-io/read-table.ts";
import { normalizeCompanyName } from "../nlu/index.ts";
import { askServer, CliExit, cliEnv, openOrAskServer, parseArgs, runCli } from "./data-io-cli.ts";
import { importDeps } from "./data-io.routes.ts";

const USAGE = "usage: npm run import -- <customers|products> <file.csv|file.xlsx> [--dry-run] [--as <admin user id>]";

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), ["--as"], ["--dry-run"]);
  const [kind, file, ...extra] = args.words;
  if ((kind !== "customers" && kind !== "products") || !file || extra.length || args.unknown.length) throw new CliExit(USAGE, 2);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CliExit(`Cannot read ${file}: ${(err as Error).message}`, 2);
  }
  if (bytes.length > MAX_IMPORT_BYTES) throw new CliExit(`${file} is ${Math.round(bytes.length / 1024 / 1024)} MB; an import takes at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into several files.`, 2);
  const env = cliEnv();
  const request = { kind, bytes, fileName: path.basename(file), dryRun: args.on.has("--dry-run"), ...(args.values["--as"] ? { as: args.values["--as"] } : {}) } as const;
  const opened = await openOrAskServer(env, "import");
  let report: ImportReport;
  let via = "";
  if (opened.kind === "server") {
    const q = new URLSearchParams({ file: request.fileName, ...(request.dryRun ? { dryRun: "1" } : {}), ...(request.as ? { as: request.as } : {}) });
    const res = await askServer(opened, `/admin/data/import/${kind}?${q}`, { method: "POST", body: bytes });
    const parsed = ImportReportSchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new CliExit(`The bot server (pid ${opened.holder.pid}) answered with something that is not an import report.`, 1);
    report = parsed.data;
    via = `（由运行中的服务进程 ${opened.holder.pid} 执行）`;
  } else {
    const { db, org } = opened.data;
    try {
      report = await importFile(importDeps(db.prisma, org, normalizeCompanyName), request);
    } finally {
      await db.close();
    }
  }
  const lines = formatImportReport(report);
  if (via) lines[lines.length - 1] += via;
  for (const line of lines) console.log(line);
  return report.problems.length || report.status === "refused" ? 1 : 0;
}

runCli(main);
