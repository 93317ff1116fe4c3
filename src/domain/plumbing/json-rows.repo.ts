// Many rows in one statement: the batch goes as one JSON document (one parameter) read back by
// jsonb_to_recordset, so the cost does not grow with Prisma's per-row query building (createMany of a job's batch of
// cards and pending questions was about two thirds of the morning job's CPU). Values become JSON as JSON.stringify
// makes them (Dates → ISO strings, undefined properties dropped), as a Json column stores them.
import { deferInsert, jsonRowsInsertSql, sql } from "../../db/tx-sql.ts";
import type { Tx } from "../tx.ts";

/** Column name → PostgreSQL type, in the order written; `extra` adds columns computed in SQL (`"updatedAt": "now()"`). */
export async function insertJsonRows(tx: Tx, table: string, columns: Record<string, string>, rows: object[], extra: Record<string, string> = {}): Promise<void> {
  if (rows.length === 0) return;
  await sql(tx).execute(jsonRowsInsertSql(table, columns, extra, 1), [JSON.stringify(rows)]);
}

/**
 * insertJsonRows without a round trip of its own where the transaction allows it (PostgreSQL): the rows are written
 * by a later statement (the unit of work's last one takes them into its outbox insert), and before any statement
 * that names the table or one of `references` (the tables its foreign keys point to), so nothing in the
 * transaction can miss them or slip past their constraints. On PGlite, written now.
 */
export async function insertJsonRowsSoon(tx: Tx, table: string, columns: Record<string, string>, rows: object[], opts: { extra?: Record<string, string>; references: string[] }): Promise<void> {
  if (rows.length === 0) return;
  const extra = opts.extra ?? {};
  // Serialised now, as insertJsonRows would: a row changed by the caller afterwards is written as it was.
  const deferred = deferInsert(tx, { table, columns, extra, rows: rows.map((r) => JSON.stringify(r)), flushOn: [table, ...opts.references] });
  if (!deferred) await insertJsonRows(tx, table, columns, rows, extra);
}
