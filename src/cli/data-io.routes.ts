// The running server's side of `npm run import` / `npm run export` on the embedded database: the CLI cannot open
// the data directory while the server holds it (PGlite is single-process), so it sends the file here over
// loopback, with the token the server wrote in its lock file (mode 0600: only someone who can read the data
// directory has it). Mounted by main.ts only on the embedded database; on PostgreSQL the CLI runs itself.
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { AppError } from "../core/app-error.ts";
import type { Clock } from "../core/clock.ts";
import type { DataDirLock } from "../db/data-dir-lock.ts";
import { fromLocalCli } from "./local-admin.ts";
import { exportData } from "../domain/data-io/export.service.ts";
import { importFile, type ImportDeps } from "../domain/data-io/import.service.ts";
import { MAX_IMPORT_BYTES } from "../domain/data-io/read-table.ts";
import type { OrgFile } from "../domain/org/org-file.ts";
import type { DbClient } from "../domain/tx.ts";
import { normalizeCompanyName } from "../nlu/index.ts";
import { z } from "zod";

/** What an import runs with, from the org file: who keeps the price list, and the admins in the file's order. */
export function importDeps(db: DbClient, org: OrgFile, normalize: (name: string) => string, now: () => Date = () => new Date()): ImportDeps {
  return {
    db, normalize, now, priceList: org.priceList ?? "file", adminIds: org.users.filter((u) => u.roles.includes("admin")).map((u) => u.id), maxOwnedPerRep: org.rules.pool.maxOwnedPerRep,
  };
}

export interface DataIoRouteDeps {
  lock: DataDirLock;
  db: DbClient;
  org: OrgFile;
  clock: Clock;
  timeZone: string;
}

const ImportQuery = z.object({ file: z.string().min(1).max(255), dryRun: z.enum(["1", "true"]).optional(), as: z.string().min(1).max(64).optional() });
const ExportQuery = z.object({ format: z.enum(["csv", "xlsx"]).default("xlsx") });

export function dataIoRouter(deps: DataIoRouteDeps): Router {
  const r = express.Router();
  r.use(localCliOnly(deps.lock));
  r.post("/admin/data/import/:kind", express.raw({ type: () => true, limit: MAX_IMPORT_BYTES + 1024 }), async (req, res, next) => {
    const kind = req.params.kind;
    const q = ImportQuery.safeParse(req.query);
    if ((kind !== "customers" && kind !== "products") || !q.success || !Buffer.isBuffer(req.body)) {
      return void res.status(400).json({ error: "bad_request", message: "expected POST /admin/data/import/<customers|products>?file=<name> with the file as the body" });
    }
    try {
      const report = await importFile(importDeps(deps.db, deps.org, normalizeCompanyName, () => deps.clock.now()), {
        kind, bytes: req.body, fileName: q.data.file, dryRun: Boolean(q.data.dryRun), ...(q.data.as ? { as: q.data.as } : {}),
      });
      res.json(report);
    } catch (err) {
      if (err instanceof AppError) return void res.status(422).json({ error: err.code, message: err.userMessage });
      next(err);
    }
  });
  r.get("/admin/data/export/:kind", async (req, res, next) => {
    const kind = req.params.kind;
    const q = ExportQuery.safeParse(req.query);
    if ((kind !== "customers" && kind !== "orders" && kind !== "activities" && kind !== "products") || !q.success) {
      return void res.status(400).json({ error: "bad_request", message: "expected GET /admin/data/export/<customers|orders|activities|products>?format=<xlsx|csv>" });
    }
    try {
      const out = await exportData(deps.db, kind, q.data.format, deps.timeZone, deps.clock.now());
      res.setHeader("content-type", q.data.format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      res.setHeader("x-rows", String(out.rows));
      res.setHeader("x-file-name", out.fileName);
      res.send(out.bytes);
    } catch (err) {
      next(err);
    }
  });
  return r;
}

/** Only the CLI on this machine: a loopback peer, no proxy headers, and the token from the lock file. */
function localCliOnly(lock: DataDirLock) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith("/admin/data/")) return next();
    if (fromLocalCli(req, lock)) return next();
    res.status(403).json({ error: "forbidden", message: "admin endpoints answer only `npm run import` / `npm run export` on this machine" });
  };
}
