// Schema and migrations agree, checked two ways:
// 1. exactly, by Prisma itself: `prisma migrate diff` from the migrations folder to schema.prisma is empty
//    (types, defaults, indexes, unique constraints, foreign keys), run offline on the WASM engine;
// 2. on the database under test (PGlite, or PostgreSQL in CI) after our own migrator ran: every column with
//    its nullability, every key, unique constraint, index and foreign key schema.prisma declares, and no other.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrationsDiff, type SchemaDiff } from "../../src/db/schema-diff.ts";
import { MIGRATIONS_DIR, ROOT } from "../../src/paths.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

const RUNTIME = readFileSync(new URL("../../src/generated/prisma/internal/class.ts", import.meta.url), "utf8");
const SCHEMA = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");

/** The generated client's own data model (what queries will touch). */
function clientModel(): Record<string, { name: string; kind: string; type: string }[]> {
  const m = /config\.runtimeDataModel = JSON\.parse\("((?:[^"\\]|\\.)*)"\)/.exec(RUNTIME);
  if (!m) throw new Error("runtimeDataModel not found in the generated client; run npm run db:generate");
  const model = JSON.parse(JSON.parse(`"${m[1]}"`)) as { models: Record<string, { fields: { name: string; kind: string; type: string }[] }> };
  return Object.fromEntries(Object.entries(model.models).map(([k, v]) => [k, v.fields]));
}

const models = () => [...SCHEMA.matchAll(/^model (\w+) \{([\s\S]*?)\n\}/gm)].map((m) => ({ name: m[1]!, body: m[2]! }));
const list = (s: string) => s.split(",").map((x) => x.trim().replace(/\(.*\)$/, ""));

/** Each field's declared shape in schema.prisma: `Type?` is optional, `Type[]` a list. */
function declaredFields(model: string): Map<string, { optional: boolean; list: boolean }> {
  const block = models().find((m) => m.name === model)?.body ?? "";
  const out = new Map<string, { optional: boolean; list: boolean }>();
  for (const line of block.split("\n")) {
    const m = /^\s+(\w+)\s+(\w+)(\?|\[\])?/.exec(line);
    if (m) out.set(m[1]!, { optional: m[3] === "?", list: m[3] === "[]" });
  }
  return out;
}

/** Keys, unique constraints and indexes as "Table pk|unique|index (cols)"; foreign keys as "Table(cols) -> Ref(cols)". */
function declaredKeys(): { indexes: string[]; foreignKeys: string[] } {
  const indexes: string[] = [];
  const foreignKeys: string[] = [];
  for (const { name, body } of models()) {
    for (const line of body.split("\n")) {
      const field = /^\s+(\w+)\s+(\w+)/.exec(line);
      const block = /^\s+@@(id|unique|index)\(\[([^\]]+)\]/.exec(line);
      if (block) indexes.push(`${name} ${{ id: "pk", unique: "unique", index: "index" }[block[1] as "id"]} (${list(block[2]!).join(",")})`);
      else if (field) {
        if (/\s@id\b/.test(line)) indexes.push(`${name} pk (${field[1]})`);
        if (/\s@unique\b/.test(line)) indexes.push(`${name} unique (${field[1]})`);
        const rel = /@relation\([^)]*fields:\s*\[([^\]]+)\],\s*references:\s*\[([^\]]+)\]/.exec(line);
        if (rel) foreignKeys.push(`${name}(${list(rel[1]!).join(",")}) -> ${field[2]}(${list(rel[2]!).join(",")})`);
      }
    }
  }
  return { indexes: indexes.sort(), foreignKeys: foreignKeys.sort() };
}

/**
 * `prisma migrate diff` reads only files (the migrations, schema.prisma, the diff's config and shadow adapter) and
 * the installed Prisma and PGlite, never the database under test; it takes ~20 s. Its answer is kept on disk under
 * a hash of all of them (the lock file stands for the installed versions), so CI's second run of the suite (on
 * PostgreSQL) reuses the first run's answer for the very same inputs; any change to one of them runs it again.
 */
async function migrationsDiffOnce(): Promise<SchemaDiff> {
  const hash = createHash("sha256");
  const add = (file: string) => hash.update(`${path.relative(ROOT, file)}\0`).update(readFileSync(file)).update("\0");
  const walk = (dir: string): string[] =>
    readdirSync(dir).sort().flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? walk(path.join(dir, name)) : [path.join(dir, name)]));
  for (const file of walk(MIGRATIONS_DIR)) add(file);
  for (const file of ["prisma/schema.prisma", "src/db/schema-diff.ts", "src/db/prisma-diff.config.ts", "src/db/shadow-adapter.ts", "package-lock.json"]) add(path.join(ROOT, file));
  const file = path.join(os.tmpdir(), `sales-desk-migrate-diff-${hash.digest("hex").slice(0, 16)}.json`);
  const lock = `${file}.lock`;
  // CI runs the suite on both databases at once: the second to get here waits for the first one's answer.
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as SchemaDiff;
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch {
      if (stale(lock)) rmSync(lock, { force: true }); // its owner died
      else await new Promise((r) => setTimeout(r, 200)); // polls for the answer; the test's own timeout bounds it
    }
  }
  try {
    const diff = await migrationsDiff();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(tmp, JSON.stringify(diff));
    renameSync(tmp, file);
    return diff;
  } finally {
    rmSync(lock, { force: true });
  }
}

/** A lock whose process is gone (or left an hour ago, its pid maybe reused since). Empty: still being written. */
function stale(lock: string): boolean {
  let owner: string;
  try {
    owner = readFileSync(lock, "utf8");
    if (Date.now() - statSync(lock).mtimeMs > 3600_000) return true;
  } catch {
    return false; // gone already: try again
  }
  const pid = Number(owner);
  if (!owner || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "EPERM";
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.destroy());

it("builds exactly what schema.prisma declares from the migrations (prisma migrate diff is empty)", { timeout: 180_000 }, async () => {
  const diff = await migrationsDiffOnce();
  expect(diff.empty, `prisma/migrations and prisma/schema.prisma differ; add a migration (npm run db:diff -- <name>):\n${diff.sql}`).toBe(true);
});

it("has a table and matching columns for every model", async () => {
  const cols = await db.sql.query<{ table_name: string; column_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const byTable = new Map<string, Map<string, boolean>>();
  for (const c of cols) {
    if (!byTable.has(c.table_name)) byTable.set(c.table_name, new Map());
    byTable.get(c.table_name)!.set(c.column_name, c.is_nullable === "YES");
  }
  const model = clientModel();
  expect(Object.keys(model).length).toBeGreaterThan(15);
  for (const [name, fields] of Object.entries(model)) {
    const table = byTable.get(name);
    expect(table, `table ${name}`).toBeDefined();
    const declared = declaredFields(name);
    const scalars = fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
    for (const f of scalars) {
      expect(table!.has(f.name), `${name}.${f.name} exists`).toBe(true);
      const d = declared.get(f.name);
      expect(d, `${name}.${f.name} declared in schema.prisma`).toBeDefined();
      // Prisma creates scalar lists (TEXT[]) without NOT NULL; it treats them as required lists itself.
      if (d!.list) continue;
      expect(table!.get(f.name), `${name}.${f.name} nullable`).toBe(d!.optional);
    }
    expect([...table!.keys()].sort(), `${name} has no extra columns`).toEqual(scalars.map((f) => f.name).sort());
  }
  expect([...byTable.keys()].sort()).toEqual(Object.keys(model).sort());
});

it("has every key, unique constraint, index and foreign key the schema declares, and no others", async () => {
  const cols = (rel: string, keys: string) =>
    `(SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(${keys}) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n)`;
  const indexes = await db.sql.query<{ t: string; kind: string; cols: string }>(
    `SELECT t.relname AS t, CASE WHEN ix.indisprimary THEN 'pk' WHEN ix.indisunique THEN 'unique' ELSE 'index' END AS kind, ${cols("t.oid", "ix.indkey::int2[]")} AS cols
     FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid
     WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> '_prisma_migrations'`,
  );
  const fks = await db.sql.query<{ t: string; cols: string; ref: string; refcols: string }>(
    `SELECT t.relname AS t, ${cols("c.conrelid", "c.conkey")} AS cols, r.relname AS ref, ${cols("c.confrelid", "c.confkey")} AS refcols
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
     WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
  );
  const actual = {
    indexes: indexes.map((i) => `${i.t} ${i.kind} (${i.cols})`).sort(),
    foreignKeys: fks.map((f) => `${f.t}(${f.cols}) -> ${f.ref}(${f.refcols})`).sort(),
  };
  expect(actual).toEqual(declaredKeys());
  // The ones exactly-once and the data model depend on, spelled out.
  expect(actual.indexes).toEqual(
    expect.arrayContaining(["InboxEvent unique (platform,eventId)", "OutboxMessage unique (dedupeKey)", "JobRun unique (job,period,subject)"]),
  );
  expect(actual.foreignKeys).toEqual(
    expect.arrayContaining([
      "Card(recipientId) -> User(id)",
      "Activity(contactId) -> Contact(id)",
      "Approval(requestedById) -> User(id)",
      "ApprovalStep(approverId) -> User(id)",
      "Shipment(createdById) -> User(id)",
      "Customer(createdById) -> User(id)",
      "ProductPrice(sku) -> Product(sku)",
    ]),
  );
});

it("records migrations in Prisma's ledger with sha256 checksums", async () => {
  const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(`SELECT * FROM "_prisma_migrations"`);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) {
    expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(r.finished_at).not.toBeNull();
  }
});
