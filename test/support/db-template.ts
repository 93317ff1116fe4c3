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
