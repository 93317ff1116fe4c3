// The customer search's candidates through the name-piece index (Customer.nameGrams, kept by a trigger) are exactly
// the ones the scan it replaced found — a LIKE per two-character piece over `normalizedName|alias|…` of every row —
// in the same order, for random names, aliases and queries, and stay so after names and aliases change by any path
// (Prisma, raw SQL, the alias helpers). Runs on PGlite and on PostgreSQL.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findCustomerCandidates, type CustomerCandidate } from "../../src/domain/customers/customer.repo.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { freshDatabase, type TestDatabase } from "../support/fresh-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await db.sql.query(`INSERT INTO "User" (id, name, roles, active, source, "updatedAt") VALUES ('u1', '甲', '{rep}', true, 'org-file', now())`);
});
afterAll(async () => db?.destroy());

/** The search as it was before the index (the reference). */
async function scanned(query: string, limit: number): Promise<CustomerCandidate[]> {
  const q = query.trim();
  if (!q) return [];
  const grams = new Set<string>();
  if ([...q].length <= 2) grams.add(q);
  const chars = [...q];
  for (let i = 0; i + 2 <= chars.length && grams.size < 12; i++) grams.add(chars[i]! + chars[i + 1]!);
  const patterns = [...grams].map((g) => `%${g.replace(/[\\%_]/g, (c) => "\\" + c)}%`);
  const rows = await db.sql.query<CustomerCandidate>(
    `SELECT c.id, c.name, c.aliases, c."ownerId"
    FROM "Customer" c,
         LATERAL (SELECT c."normalizedName" || '|' || coalesce(array_to_string(c.aliases, '|'), '') AS hay) h,
         LATERAL (SELECT count(*) AS hits FROM unnest($1::text[]) p WHERE h.hay LIKE p) m
    WHERE c."deletedAt" IS NULL AND m.hits > 0
    ORDER BY m.hits DESC, c."updatedAt" DESC
    LIMIT $2::int`,
    [patterns, limit],
  );
  return rows.map((r) => ({ ...r, aliases: r.aliases ?? [] }));
}

// Few characters, so names share pieces often; a character outside the BMP, LIKE's specials and a letter pair too.
const CHARS = [..."华东机电恒力鑫源苏州科技有限公司ab1_%\\"].concat("𠀀");
const piece = (max: number) => fc.array(fc.constantFrom(...CHARS), { minLength: 0, maxLength: max }).map((a) => a.join(""));
const customer = fc.record({ normalizedName: piece(8), aliases: fc.array(piece(6), { maxLength: 3 }), deleted: fc.boolean() });

let seq = 0;
async function seed(rows: { normalizedName: string; aliases: string[]; deleted: boolean }[]): Promise<void> {
  await db.sql.query(`DELETE FROM "Customer"`);
  // Distinct updatedAt: the order among equally good candidates is then defined, as the limit needs.
  await db.sql.query(
    `INSERT INTO "Customer" (id, name, "normalizedName", aliases, tags, "ownerId", "createdById", "updatedAt", "deletedAt")
     SELECT 'c' || ($1::int + n), nn, nn, coalesce((SELECT array_agg(x) FROM jsonb_array_elements_text(al) x), '{}'), '{}', 'u1', 'u1',
            timestamptz '2026-01-01' + make_interval(secs => n), CASE WHEN del THEN now() END
     FROM jsonb_to_recordset($2::jsonb) AS t(nn text, al jsonb, del boolean, n int)`,
    [seq, JSON.stringify(rows.map((r, i) => ({ nn: r.normalizedName, al: r.aliases, del: r.deleted, n: i + 1 })))],
  );
  seq += rows.length + 1;
}

async function same(query: string, limit: number): Promise<void> {
  const viaIndex = await db.prisma.$transaction((tx) => findCustomerCandidates(tx, query, limit));
  expect(viaIndex, `query ${JSON.stringify(query)}`).toEqual(await scanned(query, limit));
}

it("finds the same candidates in the same order as the LIKE scan, for random names, aliases and queries", { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(customer, { minLength: 1, maxLength: 25 }), fc.array(piece(9), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 8 }), async (rows, queries, limit) => {
      await seed(rows);
      for (const q of queries) await same(q, limit);
    }),
    { numRuns: 60, seed: 14 },
  );
});

it("keeps the pieces when a name or an alias changes, through Prisma or plain SQL", async () => {
  await seed([{ normalizedName: "华东机电", aliases: [], deleted: false }, { normalizedName: "恒力", aliases: ["鑫源"], deleted: false }]);
  const [a, b] = (await db.sql.query<{ id: string }>(`SELECT id FROM "Customer" ORDER BY "updatedAt"`)).map((r) => r.id);
  await db.prisma.customer.update({ where: { id: a! }, data: { normalizedName: "苏州科技", aliases: ["华东"] } });
  await db.sql.query(`UPDATE "Customer" SET aliases = array_append(aliases, '机电') WHERE id = $1`, [b!]);
  // Written by hand, it is put right again.
  await db.sql.query(`UPDATE "Customer" SET "nameGrams" = '{xx}' WHERE id = $1`, [b!]);
  const created = await db.prisma.customer.create({ data: { name: "杭州恒力泵业有限公司", normalizedName: normalizeCompanyName("杭州恒力泵业有限公司"), aliases: [], tags: [] } });
  for (const q of ["华东机电", "苏州科技", "机电", "鑫源", "恒力泵业", "xx", "华东"]) await same(q, 10);
  expect((await db.prisma.$transaction((tx) => findCustomerCandidates(tx, "恒力泵业"))).map((c) => c.id)).toContain(created.id);
  expect(await db.sql.query(`SELECT "nameGrams" FROM "Customer" WHERE id = $1`, [b!])).toEqual([{ nameGrams: expect.arrayContaining(["恒力", "鑫源", "机电"]) }]);
});
