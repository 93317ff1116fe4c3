// One import, start to end: read the file, find the header row, check every row, merge duplicates (in the file and
// against the database), and, only when nothing is wrong and it is not a dry run, write it all in one transaction
// with an audit entry per change and one for the run. The same file imported again plans no change and writes
// nothing. Used by `npm run import` directly (PostgreSQL, or no server running) and by the server's loopback route.
import { createHash } from "node:crypto";
import { AppError } from "../../core/app-error.ts";
import { audit } from "../audit/audit.repo.ts";
import type { DbClient, Tx } from "../tx.ts";
import { countOwnedCustomers } from "../customers/pool.repo.ts";
import { applyCustomerPlan, loadExistingCustomers, planCustomers, type CustomerPlan } from "./customer-import.service.ts";
import { mergeFileRows, readCustomerRow, type CustomerIn, type NormalizeName, type Problem } from "./customer-rows.ts";
import { nearDuplicates } from "./near-duplicates.ts";
import { matchHeaders, type HeaderMatch, type ImportKind } from "./headers.ts";
import { MAX_LISTED_CHANGES, type ImportReport } from "./import-report.ts";
import { applyProductPlan, loadExistingProducts, planProducts } from "./product-import.service.ts";
import { mergeProductRows, readProductRow, type ProductIn } from "./product-rows.ts";
import { readTable, type Table, type TableRow } from "./read-table.ts";

export interface ImportDeps {
  db: DbClient;
  /** The matcher's company-name normaliser (src/nlu), so import and chat find the same customer. */
  normalize: NormalizeName;
  now: () => Date;
  /** Who keeps the price list: the org file (products import refused) or the database. */
  priceList: "file" | "database";
  /** Admins in the org file's order: the default actor is the first active one. */
  adminIds: readonly string[];
  /** rules.pool.maxOwnedPerRep: an import that takes someone over it is warned about (not refused). */
  maxOwnedPerRep?: number;
}

export interface ImportRequest {
  kind: ImportKind;
  bytes: Uint8Array;
  fileName: string;
  dryRun: boolean;
  /** The admin the audit log names; default the org's first admin. */
  as?: string;
}

export const PRICE_LIST_IN_ORG_FILE =
  "价格表由组织文件（ORG_FILE 里的 products:）管理，每次启动都会按它重置，所以不能导入。要改用导入管理价格表，请删掉组织文件里的 products: 一节后重启；或者直接改组织文件。";

export async function importFile(deps: ImportDeps, req: ImportRequest): Promise<ImportReport> {
  const table = await readTable(req.bytes, req.fileName);
  const match = matchHeaders(req.kind, table.rows);
  const rows = table.rows.filter((r) => r.line > match.line);
  const now = deps.now();
  const runId = `import:${req.kind}:${now.toISOString()}:${createHash("sha256").update(req.bytes).digest("hex").slice(0, 12)}`;
  return deps.db.$transaction(
    async (tx) => {
      // One import at a time (several instances, or the CLI and the server on PostgreSQL): each plans against what the last one wrote.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('data-import'))::text`;
      const actor = await resolveActor(tx, req.as, deps.adminIds);
      const base = reportBase(req, table, match, rows.length, actor);
      return req.kind === "customers" ? importCustomers(tx, deps, req, rows, match, base, runId) : importProducts(tx, deps, req, rows, match, base, runId, now);
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}

async function importCustomers(tx: Tx, deps: ImportDeps, req: ImportRequest, rows: TableRow[], match: HeaderMatch, report: ImportReport, runId: string): Promise<ImportReport> {
  const people = await tx.user.findMany({ select: { id: true, name: true, roles: true, active: true }, orderBy: { id: "asc" } });
  const valid: CustomerIn[] = [];
  for (const row of rows) {
    const r = readCustomerRow(match, row, people, deps.normalize);
    for (const message of r.problems) report.problems.push({ line: row.line, message });
    if (r.customer) valid.push(r.customer);
  }
  const merged = mergeFileRows(valid);
  report.problems.push(...merged.problems);
  const existing = await loadExistingCustomers(tx);
  const plan = planCustomers(merged.customers, existing, new Map(people.map((p) => [p.id, p.name])));
  report.problems.push(...plan.problems);
  report.warnings.push(...plan.warnings);
  report.warnings.push(...likelyDuplicates(plan.steps, existing));
  if (deps.maxOwnedPerRep) report.warnings.push(...(await overLimit(tx, plan.steps, deps.maxOwnedPerRep, new Map(people.map((p) => [p.id, p.name])))));
  sortProblems(report.problems);
  const existingLines = new Set(plan.merges.flatMap((m) => m.lines));
  report.merges = [
    ...merged.merges.filter((m) => !existingLines.has(m.lines[0]!)).map((m) => ({ ...m, into: "file" as const })),
    ...plan.merges.map((m) => ({ lines: m.lines, name: m.name, into: "existing" as const, existingName: m.existingName })),
  ];
  const created = plan.steps.filter((s) => !s.existing).length;
  report.counts = { ...report.counts, created, updated: plan.steps.length - created, unchanged: plan.unchanged,
    contactsCreated: plan.steps.reduce((n, s) => n + s.contacts.filter((c) => c.kind === "create").length, 0),
    contactsUpdated: plan.steps.reduce((n, s) => n + s.contacts.filter((c) => c.kind === "update").length, 0),
    reassigned: plan.steps.filter((s) => s.existing && s.ownerChange).length };
  report.changes = plan.steps.slice(0, MAX_LISTED_CHANGES).map((s) => ({ lines: s.lines, name: s.name, action: s.existing ? "update" : "create", fields: s.summary }));
  if (!decide(report, req, plan.steps.length)) return report;
  const counts = await applyCustomerPlan(tx, plan, report.actor.id, runId);
  report.counts = { ...report.counts, ...counts };
  await auditRun(tx, report, runId, req);
  return report;
}

async function importProducts(tx: Tx, deps: ImportDeps, req: ImportRequest, rows: TableRow[], match: HeaderMatch, report: ImportReport, runId: string, now: Date): Promise<ImportReport> {
  if (deps.priceList === "file") report.problems.push({ line: null, message: PRICE_LIST_IN_ORG_FILE });
  const valid: ProductIn[] = [];
  for (const row of rows) {
    const r = readProductRow(match, row);
    for (const message of r.problems) report.problems.push({ line: row.line, message });
    if (r.product) valid.push(r.product);
  }
  const merged = mergeProductRows(valid);
  report.problems.push(...merged.problems);
  sortProblems(report.problems);
  const plan = planProducts(merged.products, await loadExistingProducts(tx));
  report.merges = [
    ...merged.merges.map((m) => ({ ...m, into: "file" as const })),
    ...plan.merges.filter((m) => m.lines.length > 1).map((m) => ({ lines: m.lines, name: m.name, into: "existing" as const, existingName: m.existingName })),
  ];
  if (plan.notInFile) report.warnings.push({ line: null, message: `数据库里另有 ${plan.notInFile} 个在售产品不在这个文件里，保持不变（导入不停用产品）` });
  const created = plan.steps.filter((s) => !s.existing).length;
  report.counts = { ...report.counts, created, updated: plan.steps.length - created, unchanged: plan.unchanged, pricesChanged: plan.steps.filter((s) => s.after.price !== undefined).length };
  report.changes = plan.steps.slice(0, MAX_LISTED_CHANGES).map((s) => ({ lines: s.lines, name: s.name, action: s.existing ? "update" : "create", fields: s.summary }));
  if (!decide(report, req, plan.steps.length)) return report;
  const counts = await applyProductPlan(tx, plan, report.actor.id, runId, now);
  report.counts = { ...report.counts, ...counts };
  await auditRun(tx, report, runId, req);
  return report;
}

/** Sets the outcome; true when the plan is to be written. */
function decide(report: ImportReport, req: ImportRequest, steps: number): boolean {
  if (req.dryRun) report.status = "dry_run";
  else if (report.problems.length) report.status = "refused";
  else if (!steps) report.status = "unchanged";
  else report.status = "applied";
  return report.status === "applied";
}

async function auditRun(tx: Tx, report: ImportReport, runId: string, req: ImportRequest): Promise<void> {
  report.runId = runId;
  const sha256 = createHash("sha256").update(req.bytes).digest("hex");
  await audit(tx, { actorId: report.actor.id, eventId: runId, action: `import.${req.kind}`, entityType: "import", entityId: runId, after: { file: req.fileName, sha256, rows: report.rows, counts: report.counts } });
}

/** New customers whose name contains, or is inside, another's (a 简称): named, never merged on a guess. */
function likelyDuplicates(steps: CustomerPlan["steps"], existing: Awaited<ReturnType<typeof loadExistingCustomers>>): Problem[] {
  const fresh = steps.filter((s) => !s.existing).map((s) => ({ key: s.input.normalizedName, name: s.input.name, line: s.lines[0]! }));
  const lineOf = new Map(fresh.map((f) => [f.key, f.line]));
  const known = [...existing.flatMap((c) => [c.normalizedName, ...c.aliases].map((key) => ({ key, name: c.name }))), ...fresh];
  const near = nearDuplicates(fresh, known);
  return fresh.flatMap((f) => {
    // Two new rows: said once, on the later one.
    const others = (near.get(f.key) ?? []).filter((k) => (lineOf.get(k.key) ?? 0) < f.line);
    if (!others.length) return [];
    const what = others.map((k) => (lineOf.has(k.key) ? `第 ${lineOf.get(k.key)} 行的「${k.name}」` : `已有客户「${k.name}」`)).join("、");
    return [{ line: f.line, message: `「${f.name}」可能和${what}是同一家（名称互相包含），没有合并；如果是同一家，把客户名称改成一样的再导入` }];
  });
}

/**
 * Owners the import takes over the per-rep limit. A warning, not a refusal: moving a team's list in is the
 * administrator's call, but 领取 and 转交 to them are refused until they are back under it.
 */
async function overLimit(tx: Tx, steps: CustomerPlan["steps"], max: number, names: ReadonlyMap<string, string>): Promise<Problem[]> {
  const gained = new Map<string, number>();
  for (const s of steps) if (s.ownerChange) gained.set(s.ownerChange.to, (gained.get(s.ownerChange.to) ?? 0) + 1);
  const lost = new Map<string, number>();
  for (const s of steps) if (s.ownerChange?.from) lost.set(s.ownerChange.from, (lost.get(s.ownerChange.from) ?? 0) + 1);
  const out: Problem[] = [];
  for (const [id, n] of gained) {
    const total = (await countOwnedCustomers(tx, id)) + n - (lost.get(id) ?? 0);
    if (total > max) out.push({ line: null, message: `${names.get(id) ?? id}导入后将负责 ${total} 个客户，超过每人上限 ${max}（rules.pool.maxOwnedPerRep）：降到上限以下之前，领取和转交给${names.get(id) ?? id}都会被拒绝` });
  }
  return out;
}

const sortProblems = (p: Problem[]) => p.sort((a, b) => (a.line ?? -1) - (b.line ?? -1));

function reportBase(req: ImportRequest, table: Table, match: HeaderMatch, rows: number, actor: { id: string; name: string }): ImportReport {
  return {
    kind: req.kind, file: req.fileName, format: table.format,
    ...(table.encoding ? { encoding: table.encoding } : {}), ...(table.sheet ? { sheet: table.sheet } : {}),
    headerLine: match.line, status: "dry_run", rows,
    columns: match.columns.map((c) => ({ header: c.header, field: c.field, ...(c.note ? { note: c.note } : {}) })),
    unknownColumns: match.unknown, problems: [], merges: [], warnings: [],
    counts: { created: 0, updated: 0, unchanged: 0, contactsCreated: 0, contactsUpdated: 0, reassigned: 0, pricesChanged: 0 },
    changes: [], actor,
  };
}

/** The admin the audit log names: `--as <id>` (must be an active admin), else the org file's first active admin. */
async function resolveActor(tx: Tx, as: string | undefined, adminIds: readonly string[]): Promise<{ id: string; name: string }> {
  const admins = await tx.user.findMany({ where: { active: true, roles: { has: "admin" } }, select: { id: true, name: true }, orderBy: { id: "asc" } });
  if (as) {
    const a = admins.find((u) => u.id === as);
    if (!a) throw new AppError("import_actor", `--as ${as}：不是在职的管理员（roles 里要有 admin）。导入只能由管理员操作。`);
    return a;
  }
  const first = adminIds.map((id) => admins.find((u) => u.id === id)).find(Boolean) ?? admins[0];
  if (!first) throw new AppError("import_no_admin", "组织里没有在职的管理员：在组织文件里给操作人加上 roles: [admin]，再用 --as <账号> 指定。");
  return first;
}
