// A migrated template database, made once per run, so each test file copies it instead of creating and
// migrating its own (issue #9: that was most of the suite's time).
// - PGlite: a dump of a migrated data folder, cached on disk under a name keyed by the migrations and the PGlite
//   version, so it is made again only when either changes. Each file loads it with `new PGlite({ loadDataDir })`.
// - PostgreSQL: a database migrated once by the vitest globalSetup (test/global-setup.ts), named in
//   TEMPLATE_ENV; each file runs `CREATE DATABASE … TEMPLATE` from it. No connection to it may stay open.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Database } from "../../src/db/database.ts";
import { migrate, readMigrations } from "../../src/db/migrator.ts";
import { pgliteRunner, pgRunner } from "../../src/db/sql-runner.ts";
import { PrismaClient } from "../../src/generated/prisma/client.ts";
import { MIGRATIONS_DIR, ROOT } from "../../src/paths.ts";

/** Where the globalSetup tells the test files which PostgreSQL template to copy. */
export const TEMPLATE_ENV = "TEST_DATABASE_TEMPLATE";

/** Changes whenever a migration or the PGlite build changes: a dump from another version must not be loaded. */
function templateKey(): string {
  const hash = createHash("sha256");
  for (const m of readMigrations(MIGRATIONS_DIR)) hash.update(`${m.name}\0${m.checksum}\0`);
  // Its package.json is not in the package's exports, so read it from the installed folder.
  const pgliteVersion = (JSON.parse(readFileSync(path.join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json"), "utf8")) as { version: string }).version;
  hash.update(pgliteVersion);
  return hash.digest("hex").slice(0, 16);
}

/**
 * The PGlite dump of a migrated database (or, for tests of the migrator, an empty one: initdb alone costs seconds),
 * made on first use. Written under a temporary name and renamed, so a second process making it at the same time
 * (without globalSetup, e.g. `npm run bench`) never reads half a file.
 */
export async function pgliteTemplate(kind: "migrated" | "empty" = "migrated"): Promise<Blob> {
  const cached = loaded.get(kind);
  if (cached) return new TarBlob(cached);
  const file = path.join(os.tmpdir(), `sales-desk-pglite-${kind}-${templateKey()}.tar`);
  if (!existsSync(file)) {
    const lite = new PGlite();
    await lite.waitReady;
    if (kind === "migrated") await migrate(pgliteRunner(lite), MIGRATIONS_DIR);
    const dump = await lite.dumpDataDir("none"); // uncompressed: loading it is faster than gunzipping it
    await lite.close();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  const bytes = readFileSync(file);
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  loaded.set(kind, data);
  return new TarBlob(data);
}

/** The dumps this process has read (about 40 MB each), read once: a worker opens one database per test file. */
const loaded = new Map<"migrated" | "empty", ArrayBuffer>();

/**
 * A dump as the Blob PGlite's loadDataDir takes, handing PGlite the bytes already in memory. Node's own
 * Blob#arrayBuffer() streams 40 MB through a reader and concatenates the chunks: about 0.7 s of CPU at every
 * open, a third of what opening a database cost. PGlite only reads the bytes (untar copies each file into its
 * in-memory file system), so every open shares the one buffer; nothing may transfer or write to it. (`size`
 * stays 0: PGlite does not read it.)
 */
class TarBlob extends Blob {
  constructor(private readonly data: ArrayBuffer) {
    super([], { type: "application/x-tar" });
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.data);
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(new Uint8Array(this.data));
  }
  override slice(start?: number, end?: number, type?: string): Blob {
    return new Blob([this.data.slice(start ?? 0, end)], { type: type ?? this.type });
  }
  override stream(): ReturnType<Blob["stream"]> {
    return new Blob([this.data], { type: this.type }).stream();
  }
  override text(): Promise<string> {
    return Promise.resolve(new TextDecoder().decode(this.data));
  }
}

/**
 * PGlite's own start parameters with a small buffer pool. initdb wrote shared_buffers = 128MB, and postgres sets up
 * all of it at every start: about half of an open's CPU (1.6–1.9 s → 0.8–1.0 s on the loaded 2-core machine). A
 * test database holds a few hundred rows and its "disk" is memory too: the pool's size changes nothing a test sees.
 */
const TEST_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=8MB"];

/**
 * An in-memory PGlite started from the dump `data`, wrapped as openDatabase wraps one. openDatabase has no
 * option to pass loadDataDir through, so this mirrors its PGlite branch; keep the two alike.
 */
export async function openPglite(data: Blob): Promise<Database> {
  const lite = new PGlite({ loadDataDir: data, startParams: TEST_START_PARAMS });
  await lite.waitReady;
  const adapter = new PrismaPGlite(lite) as unknown as PrismaPg; // same cast as openDatabase: older adapter types
  const prisma = new PrismaClient({ adapter });
  return {
    kind: "pglite",
    prisma,
    sql: pgliteRunner(lite),
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}

/**
 * A migrated in-memory test database, as `openPglite(await pgliteTemplate("migrated"))` gives, but made from a
 * database an earlier test file of this worker (vitest runs files one after another in a worker process) closed:
 * loading the 40 MB dump and starting postgres cost 0.6–1.0 s of CPU per database (load 10–16 on 2 cores), emptying
 * one about 0.05–0.1 s. A closed database is kept only when it is again exactly what the template is (recycle()):
 * the same schema (every catalog row a test could have changed, compared with a fresh copy's), the template's own
 * rows (the migrations table) unchanged, every other table truncated (physically empty, as in the template), every
 * sequence back at its start, and the session reset (DISCARD ALL: settings, prepared statements, temporary tables,
 * advisory locks, LISTEN). Anything else — or a reset that fails or hangs — and it is closed as before. The test
 * gets the database through a handle that stops working when it closes it: a query left running by a stopped bot
 * fails as on a closed database instead of landing in the next file's. TEST_PGLITE_REUSE=0 closes every one
 * (to rule reuse out when chasing a leak between files).
 */
export async function openMigratedPglite(): Promise<Database> {
  let lite = idle.pop();
  if (!lite) {
    lite = await startPglite(await pgliteTemplate("migrated"));
    // The first fresh copy of this process is the reference every recycled one is compared with.
    reference ??= describeTemplate(lite);
    await reference;
  }
  const { handle, release } = guarded(lite);
  const adapter = new PrismaPGlite(handle) as unknown as PrismaPg;
  const prisma = new PrismaClient({ adapter });
  const raw = lite;
  let closed = false;
  return {
    kind: "pglite",
    prisma,
    sql: pgliteRunner(handle),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      release();
      await recycle(raw);
    },
  };
}

async function startPglite(data: Blob): Promise<PGlite> {
  const lite = new PGlite({ loadDataDir: data, startParams: TEST_START_PARAMS });
  await lite.waitReady;
  return lite;
}

/** Closed migrated databases of this process, ready for the next file (a file rarely holds more than two at once). */
const idle: PGlite[] = [];
const MAX_IDLE = 2;

interface TemplateShape {
  fingerprint: string;
  /** Tables with rows in the template (the migrations' own table): kept, and compared. */
  kept: Map<string, string>;
}
let reference: Promise<TemplateShape> | undefined;

/**
 * Every catalog row a test could change with DDL, ALTER … SET, CREATE ROLE, ANALYZE or COMMENT: user objects
 * (OIDs from 16384) and the shared catalogs. Not the storage (relfilenode, relpages): TRUNCATE changes those.
 */
const CATALOG_FINGERPRINT = `SELECT md5(string_agg(x, E'\n' ORDER BY x)) AS fp FROM (
  SELECT concat_ws(':', 'n', oid, nspname, nspowner, nspacl::text) AS x FROM pg_namespace
  UNION ALL SELECT concat_ws(':', 'c', oid, relname, relnamespace, relkind, relnatts, relhastriggers, relpersistence, relrowsecurity, relforcerowsecurity, relreplident, relispartition, reloptions::text, relacl::text) FROM pg_class WHERE oid >= 16384
  UNION ALL SELECT concat_ws(':', 'a', attrelid, attnum, attname, atttypid, atttypmod, attnotnull, atthasdef, attisdropped, attgenerated, attidentity, attcollation, attstattarget, attoptions::text) FROM pg_attribute WHERE attrelid >= 16384
  UNION ALL SELECT concat_ws(':', 'd', oid, adrelid, adnum, pg_get_expr(adbin, adrelid)) FROM pg_attrdef
  UNION ALL SELECT concat_ws(':', 'p', oid, proname, pronamespace, md5(prosrc), proconfig::text, provolatile, prosecdef) FROM pg_proc WHERE oid >= 16384
  UNION ALL SELECT concat_ws(':', 't', oid, tgrelid, tgname, tgenabled, tgfoid, tgtype) FROM pg_trigger
  UNION ALL SELECT concat_ws(':', 'k', oid, conname, conrelid, contype, convalidated, pg_get_constraintdef(oid)) FROM pg_constraint WHERE oid >= 16384
  UNION ALL SELECT concat_ws(':', 'i', indexrelid, indrelid, indisunique, indisvalid, indisready, indislive, indisclustered) FROM pg_index WHERE indexrelid >= 16384
  UNION ALL SELECT concat_ws(':', 'y', oid, typname, typnamespace) FROM pg_type WHERE oid >= 16384
  UNION ALL SELECT concat_ws(':', 'e', oid, enumtypid, enumsortorder, enumlabel) FROM pg_enum
  UNION ALL SELECT concat_ws(':', 's', seqrelid, seqtypid, seqstart, seqincrement, seqmax, seqmin, seqcache, seqcycle) FROM pg_sequence
  UNION ALL SELECT concat_ws(':', 'x', oid, extname, extversion) FROM pg_extension
  UNION ALL SELECT concat_ws(':', 'r', oid, ev_class, rulename, ev_enabled) FROM pg_rewrite WHERE oid >= 16384
  UNION ALL SELECT concat_ws(':', 'o', oid, polname, polrelid) FROM pg_policy
  UNION ALL SELECT concat_ws(':', 'm', objoid, classoid, objsubid, md5(description)) FROM pg_description WHERE objoid >= 16384
  UNION ALL SELECT concat_ws(':', 'st', starelid, staattnum, stainherit) FROM pg_statistic WHERE starelid >= 16384
  UNION ALL SELECT concat_ws(':', 'u', oid, rolname, rolsuper, rolcanlogin) FROM pg_authid
  UNION ALL SELECT concat_ws(':', 'g', setdatabase, setrole, setconfig::text) FROM pg_db_role_setting
  UNION ALL SELECT concat_ws(':', 'b', oid, datname, datallowconn, datconnlimit, datacl::text) FROM pg_database
  UNION ALL SELECT concat_ws(':', 'v', oid, evtname, evtenabled) FROM pg_event_trigger
) f`;

const TABLES = `SELECT c.oid::int AS oid, format('%I.%I', n.nspname, c.relname) AS name, pg_relation_size(c.oid)::float8 AS size
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'`;

async function rowsOf<T>(lite: PGlite, sql: string): Promise<T[]> {
  return (await lite.query<T>(sql)).rows;
}

async function tableDigest(lite: PGlite, name: string): Promise<string> {
  const [row] = await rowsOf<{ d: string | null }>(lite, `SELECT md5(string_agg(t::text, E'\n' ORDER BY t::text)) AS d FROM ${name} t`);
  return row?.d ?? "";
}

async function describeTemplate(lite: PGlite): Promise<TemplateShape> {
  const [fp] = await rowsOf<{ fp: string }>(lite, CATALOG_FINGERPRINT);
  const kept = new Map<string, string>();
  for (const t of await rowsOf<{ name: string; size: number }>(lite, TABLES)) if (t.size > 0) kept.set(t.name, await tableDigest(lite, t.name));
  return { fingerprint: fp!.fp, kept };
}

/** Back to the template's state and into `idle`, or closed (see openMigratedPglite). */
async function recycle(lite: PGlite): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)));
  const ok = await Promise.race([resetToTemplate(lite).catch(() => false), timedOut]).finally(() => clearTimeout(timer));
  if (ok && idle.length < MAX_IDLE && !lite.closed && process.env.TEST_PGLITE_REUSE !== "0") idle.push(lite);
  else void lite.close().catch(() => undefined); // as before: a closed database is gone (a hung one closes when it can)
}

async function resetToTemplate(lite: PGlite): Promise<boolean> {
  if (lite.closed || !reference || lite.isInTransaction()) return false;
  const ref = await reference;
  await lite.exec("DISCARD ALL"); // refuses inside a transaction block: such a database is not kept
  const [fp] = await rowsOf<{ fp: string }>(lite, CATALOG_FINGERPRINT);
  if (fp?.fp !== ref.fingerprint) return false;
  const touched: string[] = [];
  for (const t of await rowsOf<{ name: string; size: number }>(lite, TABLES)) {
    const keptDigest = ref.kept.get(t.name);
    if (keptDigest !== undefined) {
      if ((await tableDigest(lite, t.name)) !== keptDigest) return false;
    } else if (t.size > 0) touched.push(t.name);
  }
  if (touched.length) await lite.exec(`TRUNCATE ${touched.join(", ")} CASCADE`);
  // CASCADE may only reach tables that hold rows in no template: check nothing kept went with it.
  for (const [name, digest] of ref.kept) if ((await tableDigest(lite, name)) !== digest) return false;
  // Every sequence as a fresh copy has it (the template's are all unused: last_value null).
  await lite.exec(`SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) FROM pg_sequences WHERE last_value IS NOT NULL`);
  return true;
}

/** `lite` for one test file: every method refuses once `release()` is called (the file closed its database). */
function guarded(lite: PGlite): { handle: PGlite; release(): void } {
  let released = false;
  const handle = new Proxy(lite, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (released) throw new Error("PGlite is closed (this test database was closed by its test file)");
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { handle, release: () => void (released = true) };
}

/**
 * An embedded data folder at `dir` (as the server keeps in $DATA_DIR/pglite) holding the migrated template: what
 * initdb and the migrations would make, without their seconds of CPU. For tests whose processes open a real folder.
 */
export async function migratedDataFolder(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const lite = new PGlite(dir, { loadDataDir: await pgliteTemplate("migrated") });
  await lite.waitReady;
  await lite.close();
}

/** Runs `fn` on a short-lived connection to the server's base database (never to a template). */
export async function withAdmin<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates and migrates this run's PostgreSQL template; returns its name. Unique per run: others share the server. */
export async function createPgTemplate(base: string): Promise<string> {
  const name = `t_template_${randomBytes(6).toString("hex")}`;
  await withAdmin(base, (a) => a.query(`CREATE DATABASE ${name}`));
  const pool = new pg.Pool({ connectionString: databaseUrl(base, name), max: 1 });
  try {
    await migrate(pgRunner(pool), MIGRATIONS_DIR);
  } finally {
    await pool.end(); // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template
  }
  // Nobody connects to it by mistake (that would make every copy fail); DROP … WITH (FORCE) still works.
  await withAdmin(base, (a) => a.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`));
  return name;
}

export async function dropPgTemplate(base: string, name: string): Promise<void> {
  await withAdmin(base, (a) => a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** A test database of the run whose template is `template` (t_template_<run> → t_<run>_<random>). */
export function runDatabaseName(template: string): string {
  return `${template.replace(/^t_template_/, "t_")}_${randomBytes(6).toString("hex")}`;
}

/**
 * Drops what is left of a run's test databases (files drop theirs in the background; a worker may end first).
 * Only names of this run's pattern: other runs share the server.
 */
export async function dropRunDatabases(base: string, template: string): Promise<void> {
  const prefix = template.replace(/^t_template_/, "t_");
  if (!/^t_[0-9a-f]{12}$/.test(prefix)) return;
  await withAdmin(base, async (a) => {
    const { rows } = await a.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}\\_%`]);
    for (const { datname } of rows) await a.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
  });
}
