// Schema and migrations agree: after migrating an empty database, every scalar field of every model in the
// generated client exists as a column with the nullability schema.prisma declares, and nothing else does.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
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

/** Each field's declared shape in schema.prisma: `Type?` is optional, `Type[]` a list. */
function declaredFields(model: string): Map<string, { optional: boolean; list: boolean }> {
  const block = new RegExp(`model ${model} \\{([\\s\\S]*?)\\n\\}`).exec(SCHEMA)?.[1] ?? "";
  const out = new Map<string, { optional: boolean; list: boolean }>();
  for (const line of block.split("\n")) {
    const m = /^\s+(\w+)\s+(\w+)(\?|\[\])?/.exec(line);
    if (m) out.set(m[1]!, { optional: m[3] === "?", list: m[3] === "[]" });
  }
  return out;
}

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db?.destroy());

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

it("records migrations in Prisma's ledger with sha256 checksums", async () => {
  const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(`SELECT * FROM "_prisma_migrations"`);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) {
    expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(r.finished_at).not.toBeNull();
  }
});
