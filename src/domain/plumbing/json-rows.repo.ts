// Many rows in one statement: the batch goes as one JSON document (one parameter) read back by
// jsonb_to_recordset, so the cost does not grow with Prisma's per-row query building (createMany of a job's batch of
// cards and pending questions was about two thirds of the morning job's CPU). Values become JSON as JSON.stringify
// makes them (Dates → ISO strings, undefined properties dropped), as a Json column stores them.
import type { Tx } from "../tx.ts";

/** Column name → PostgreSQL type, in the order written; `extra` adds columns computed in SQL (`"updatedAt": "now()"`). */
export async function insertJsonRows(tx: Tx, table: string, columns: Record<string, string>, rows: object[], extra: Record<string, string> = {}): Promise<void> {
  if (rows.length === 0) return;
  const q = (name: string) => `"${name}"`;
  const names = Object.keys(columns);
  const extras = Object.keys(extra);
  await tx.$executeRawUnsafe(
    `INSERT INTO ${q(table)} (${[...names, ...extras].map(q).join(", ")})
     SELECT ${[...names.map((n) => `r.${q(n)}`), ...extras.map((n) => extra[n]!)].join(", ")}
     FROM jsonb_to_recordset($1::jsonb) AS r(${names.map((n) => `${q(n)} ${columns[n]}`).join(", ")})`,
    JSON.stringify(rows),
  );
}
