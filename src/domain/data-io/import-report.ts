// What an import says back: every bad row with its line and reason, the columns understood, the duplicates merged,
// and what was (or, on a dry run, would be) written. One shape for the CLI and the server's loopback answer (zod,
// so the CLI checks what the server sent), and one formatter into the Chinese lines the administrator reads.
import { z } from "zod";

export const ImportReportSchema = z.object({
  kind: z.enum(["customers", "products"]),
  file: z.string(),
  format: z.enum(["csv", "xlsx"]),
  encoding: z.string().optional(),
  sheet: z.string().optional(),
  headerLine: z.number().int(),
  /** dry_run: nothing written on purpose; refused: bad rows (or a file-level problem), nothing written; unchanged: a clean file that changes nothing. */
  status: z.enum(["applied", "dry_run", "refused", "unchanged"]),
  rows: z.number().int(),
  columns: z.array(z.object({ header: z.string(), field: z.string().nullable(), note: z.string().optional() })),
  unknownColumns: z.array(z.string()),
  /** Bad rows (line) and file-level problems (line null). Any one of them blocks a real run. */
  problems: z.array(z.object({ line: z.number().int().nullable(), message: z.string() })),
  /** Rows that are the same customer (or product) as another row or an existing one. */
  merges: z.array(z.object({ lines: z.array(z.number().int()), name: z.string(), into: z.enum(["file", "existing"]), existingName: z.string().optional() })),
  warnings: z.array(z.object({ line: z.number().int().nullable(), message: z.string() })),
  counts: z.object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    contactsCreated: z.number().int().default(0),
    contactsUpdated: z.number().int().default(0),
    reassigned: z.number().int().default(0),
    pricesChanged: z.number().int().default(0),
  }),
  /** The first changes, for the administrator to check (the audit log has them all). */
  changes: z.array(z.object({ lines: z.array(z.number().int()), name: z.string(), action: z.enum(["create", "update"]), fields: z.array(z.string()) })),
  actor: z.object({ id: z.string(), name: z.string() }),
  /** Audit log eventId of an applied import. */
  runId: z.string().optional(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const MAX_LISTED_CHANGES = 50;

const KIND_TEXT = { customers: "客户", products: "产品" } as const;

/** The report as the administrator reads it (Chinese, one fact per line). */
export function formatImportReport(r: ImportReport): string[] {
  const what = KIND_TEXT[r.kind];
  const out: string[] = [];
  const source = r.format === "xlsx" ? `Excel，工作表「${r.sheet ?? ""}」` : `CSV，${r.encoding ?? "utf-8"} 编码`;
  out.push(`导入${what}：${r.file}（${source}），表头在第 ${r.headerLine} 行，数据 ${r.rows} 行。`);
  const used = r.columns.filter((c) => c.field).map((c) => c.header);
  out.push(`识别的列：${used.join("、") || "（无）"}`);
  for (const c of r.columns.filter((c) => !c.field)) out.push(`未导入的列「${c.header}」：${c.note ?? "不认识"}`);
  if (r.problems.length) {
    out.push("", `有 ${r.problems.length} 个问题：`);
    for (const p of r.problems) out.push(p.line === null ? `  - ${p.message}` : `  - 第 ${p.line} 行：${p.message}`);
  }
  if (r.warnings.length) {
    out.push("", "提醒：");
    for (const w of r.warnings) out.push(w.line === null ? `  - ${w.message}` : `  - 第 ${w.line} 行：${w.message}`);
  }
  if (r.merges.length) {
    out.push("", `合并的重复${what}（${r.merges.length} 处）：`);
    for (const m of r.merges.slice(0, MAX_LISTED_CHANGES)) {
      const lines = m.lines.map((l) => `第 ${l} 行`).join("、");
      out.push(m.into === "existing" ? `  - ${lines}「${m.name}」并入已有${what}「${m.existingName ?? m.name}」` : `  - ${lines}是同一${what}「${m.name}」，合为一条`);
    }
    if (r.merges.length > MAX_LISTED_CHANGES) out.push(`  - ……另有 ${r.merges.length - MAX_LISTED_CHANGES} 处`);
  }
  const c = r.counts;
  const tally = r.kind === "customers"
    ? `新建 ${c.created} 个客户，更新 ${c.updated} 个（其中换负责人 ${c.reassigned} 个），不变 ${c.unchanged} 个；新联系人 ${c.contactsCreated} 个，联系人更新 ${c.contactsUpdated} 个`
    : `新建 ${c.created} 个产品，更新 ${c.updated} 个（其中改价 ${c.pricesChanged} 个），不变 ${c.unchanged} 个`;
  if (r.changes.length) {
    out.push("", r.status === "applied" ? "写入的变化：" : r.problems.length ? "问题改好后将写入的变化：" : "将写入的变化：");
    for (const ch of r.changes) out.push(`  - ${ch.action === "create" ? "新建" : "更新"}「${ch.name}」${ch.fields.length ? `：${ch.fields.join("、")}` : ""}（第 ${ch.lines.join("、")} 行）`);
    const total = c.created + c.updated;
    if (total > r.changes.length) out.push(`  - ……共 ${total} 个，其余见审计日志`);
  }
  out.push("");
  switch (r.status) {
    case "applied":
      out.push(`已导入：${tally}。操作人 ${r.actor.name}（${r.actor.id}），审计记录 ${r.runId ?? ""}。`);
      break;
    case "unchanged":
      out.push(`没有变化：文件里的${what}都已是最新（${c.unchanged} 个），什么也没有写。`);
      break;
    case "dry_run":
      out.push(r.problems.length
        ? `试运行：有 ${r.problems.length} 个问题，改好后才能导入。什么也没有写。`
        : c.created + c.updated === 0
          ? `试运行通过：文件里的${what}都已是最新（${c.unchanged} 个），导入不会改变什么。`
          : `试运行通过：导入将${tally}。什么也没有写；去掉 --dry-run 即可导入。`);
      break;
    case "refused":
      out.push(`没有导入：有 ${r.problems.length} 个问题，整份文件一行也没有写入。改好后再导入（可先加 --dry-run 检查）。`);
      break;
  }
  return out;
}
