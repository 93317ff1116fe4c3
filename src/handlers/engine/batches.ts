// A job's people, a batch per unit of work: one failure must not stop the rest, so a failed batch is retried
// person by person and only the people that still fail are counted as failed (and logged).
import type { Logger } from "../../core/logger.ts";

export interface BatchCounts {
  sent: number;
  nothing: number;
  already: number;
  failed: number;
}

export async function inBatches(
  ids: readonly string[],
  size: number,
  run: (batch: string[]) => Promise<Omit<BatchCounts, "failed">>,
  log: Logger,
  what: string,
  logFields: Record<string, unknown> = {},
): Promise<BatchCounts> {
  const counts: BatchCounts = { sent: 0, nothing: 0, already: 0, failed: 0 };
  const add = (c: Omit<BatchCounts, "failed">) => {
    counts.sent += c.sent;
    counts.nothing += c.nothing;
    counts.already += c.already;
  };
  for (let i = 0; i < ids.length; i += size) {
    const batch = ids.slice(i, i + size);
    try {
      add(await run(batch));
    } catch (err) {
      log.warn(`${what} batch failed; retrying its people one by one`, { err, ...logFields, people: batch.length });
      for (const userId of batch) {
        try {
          add(await run([userId]));
        } catch (e) {
          counts.failed++;
          log.error(`${what} failed for one person`, { err: e, ...logFields, userId });
        }
      }
    }
  }
  return counts;
}
