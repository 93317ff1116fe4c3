// EXPLAIN (ANALYZE, BUFFERS) of the jobs' hot queries, printed as one line per plan node (without costs) plus
// the execution time and buffers: enough to see which index each uses and what it costs at this size.
import type pg from "pg";

export interface ExplainCase {
  name: string;
  sql: string;
  params: unknown[];
  /** Run inside a transaction that is rolled back (for writes). */
  write?: boolean;
}

export async function explain(pool: pg.Pool, c: ExplainCase): Promise<string[]> {
  const client = await pool.connect();
  try {
    if (c.write) await client.query("BEGIN");
    const rows = (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, c.params)).rows.map((r) => r["QUERY PLAN"]);
    if (c.write) await client.query("ROLLBACK");
    const out: string[] = [];
    let buffers = "";
    for (const line of rows) {
      const node = /^(\s*)(?:->\s*)?([A-Z][^(]*?)(?:\s+\(cost=.*?\))?\s*\(actual time=[\d.]+\.\.([\d.]+) rows=(\d+) loops=(\d+)\)/.exec(line);
      if (node) out.push(`${"  ".repeat(Math.floor(node[1]!.length / 4))}${node[2]!.trim()} — ${node[4]} rows × ${node[5]} loops, ${node[3]} ms`);
      else if (/^\s*Buffers:/.test(line) && !buffers) buffers = line.trim();
      else if (/^(Execution|Planning) Time/.test(line.trim())) out.push(line.trim());
    }
    if (buffers) out.splice(out.length - 1, 0, `top node ${buffers}`);
    return out;
  } finally {
    client.release();
  }
}
