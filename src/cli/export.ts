// `npm run export -- customers|orders|activities|products [--format xlsx|csv] [--out <file>|-]`: the whole table as Excel
// (typed columns) or CSV (UTF-8 with BOM). The format follows --out's extension when --format is not given; the
// default file is ./<kind>-<yyyymmdd>.<format>. With the embedded database and the server running, the server
// reads the data and sends the file over loopback (see data-io-cli.ts).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { exportData, type ExportFormat, type ExportKind } from "../domain/data-io/export.service.ts";
import { askServer, CliExit, cliEnv, openOrAskServer, parseArgs, runCli } from "./data-io-cli.ts";

const USAGE = "usage: npm run export -- <customers|orders|activities|products> [--format xlsx|csv] [--out <file>|-]";
const KINDS: readonly ExportKind[] = ["customers", "orders", "activities", "products"];

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), ["--format", "--out"], []);
  const [kind, ...extra] = args.words;
  const out = args.values["--out"];
  const format = args.values["--format"] ?? (out && /\.csv$/i.test(out) ? "csv" : "xlsx");
  if (!KINDS.includes(kind as ExportKind) || extra.length || args.unknown.length || (format !== "csv" && format !== "xlsx")) throw new CliExit(USAGE, 2);
  const env = cliEnv();
  const opened = await openOrAskServer(env, "export");
  let bytes: Buffer;
  let rows: number;
  let fileName: string;
  let via = "";
  if (opened.kind === "server") {
    const res = await askServer(opened, `/admin/data/export/${kind}?format=${format}`, { method: "GET" });
    bytes = Buffer.from(await res.arrayBuffer());
    rows = Number(res.headers.get("x-rows") ?? "0");
    fileName = res.headers.get("x-file-name") ?? `${kind}.${format}`;
    via = `（由运行中的服务进程 ${opened.holder.pid} 读取）`;
  } else {
    const { db } = opened.data;
    try {
      ({ bytes, rows, fileName } = await exportData(db.prisma, kind as ExportKind, format as ExportFormat, env.BOT_TIMEZONE, new Date()));
    } finally {
      await db.close();
    }
  }
  if (out === "-") {
    await new Promise<void>((resolve) => process.stdout.write(bytes, () => resolve()));
    return 0;
  }
  const target = path.resolve(out ?? fileName);
  writeFileSync(target, bytes);
  console.log(`已导出 ${rows} 行到 ${target}${via}`);
  return 0;
}

runCli(main);
