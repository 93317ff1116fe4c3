// A fresh database with an organisation loaded, and the import's dependencies as the CLI and the server build them.
import ExcelJS from "exceljs";
import { importDeps } from "../../src/cli/data-io.routes.ts";
import { importFile, type ImportRequest } from "../../src/domain/data-io/import.service.ts";
import { loadOrgFile, type OrgFile } from "../../src/domain/org/org-file.ts";
import { syncOrg } from "../../src/domain/org/org.repo.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { DEMO_ORG_FILE } from "../../src/paths.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

export const NOW = new Date("2026-11-23T10:00:00+08:00");

export interface OrgDb {
  db: TestDatabase;
  org: OrgFile;
  run(req: Omit<ImportRequest, "bytes"> & { bytes: Uint8Array | string }): ReturnType<typeof importFile>;
}

export async function orgDb(orgFile = DEMO_ORG_FILE): Promise<OrgDb> {
  const db = await freshDatabase();
  const org = loadOrgFile(orgFile);
  await syncOrg(db.prisma, org, NOW);
  const deps = importDeps(db.prisma, org, normalizeCompanyName, () => NOW);
  return {
    db, org,
    run: (req) => importFile(deps, { ...req, bytes: typeof req.bytes === "string" ? Buffer.from(req.bytes, "utf8") : req.bytes }),
  };
}

/** An .xlsx as Excel would save it, rows as given (null = empty cell). */
export async function xlsxOf(rows: (string | number | Date | null)[][], sheet = "Sheet1"): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every audit row, for "nothing was written" checks. */
export const auditCount = (db: TestDatabase) => db.prisma.auditLog.count();
