// CPU the PostgreSQL server spends for one database, read from /proc: on a shared 2-core machine the server's share
// per event matters as much as the bot's own (both come out of the same two cores).
import { readFileSync } from "node:fs";
import pg from "pg";

/**
 * CPU ms used so far by the PostgreSQL backends serving `database`, read from /proc (so only for a server on this
 * machine, as the bench's default is); null when they cannot be read. Backends that ended in between are missed.
 */
export async function postgresCpuMs(postgresUrl: string, database: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: postgresUrl });
  try {
    await c.connect();
    const { rows } = await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
    const tick = 1000 / 100; // USER_HZ
    let ms = 0;
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ms += (Number(fields[11]) + Number(fields[12])) * tick;
    }
    return ms;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}
