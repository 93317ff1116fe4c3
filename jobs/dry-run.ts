// `npm run job -- <name> --dry-run`: the job runs for real, every unit of work included, inside one outer
// transaction that is always rolled back. Each unit's own transaction becomes a savepoint of it (so a unit that
// skips or fails rolls back alone, as it would), and before the rollback the messages the job queued are read
// back from the outbox. Nothing it did can survive: outbox rows, job-run marks, audit rows, task claims all go
// with the rollback (only the outbox id sequence moves on, as sequences do).
import type { OutboundMessage } from "../src/core/outbound-message.ts";
import { OutboundMessageSchema } from "../src/core/outbound-message.ts";
import type { AppDeps } from "../src/handlers/engine/app-deps.ts";
import type { DbClient, Tx } from "../src/domain/tx.ts";
import type { JobDefinition } from "./job.ts";
import { runJob, type JobRunAnswer } from "./scheduler.ts";

export interface DryRunMessage {
  platform: string;
  recipient: string;
  userId: string | null;
  kind: string;
  /** One line: a card's title and subtitle, a text's first line. */
  summary: string;
}

export interface DryRunAnswer extends JobRunAnswer {
  dryRun: true;
  messages: DryRunMessage[];
}

class Rollback extends Error {
  constructor(readonly answer: DryRunAnswer) {
    super("dry run: rolled back");
  }
}

/** Long enough for a big organisation's run; the job holds its one transaction throughout. */
const DRY_TX_OPTIONS = { timeout: 30 * 60_000, maxWait: 30_000 };

/** The open transaction, seen as a client: `$transaction(fn)` runs fn in a savepoint of it. */
function nestedClient(tx: Tx): DbClient {
  let n = 0;
  const $transaction = async (fn: unknown) => {
    if (typeof fn !== "function") throw new Error("dry run: only interactive transactions are supported");
    const sp = `dry_run_${++n}`;
    await tx.$executeRawUnsafe(`SAVEPOINT ${sp}`);
    try {
      const value: unknown = await (fn as (t: Tx) => Promise<unknown>)(tx);
      await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${sp}`);
      return value;
    } catch (err) {
      await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${sp}`);
      throw err;
    }
  };
  return new Proxy(tx, { get: (target, key, receiver) => (key === "$transaction" ? $transaction : Reflect.get(target, key, receiver)) }) as unknown as DbClient;
}

export function summarize(m: OutboundMessage): string {
  const b = m.body;
  const line = (s: string) => s.split("\n").find((l) => l.trim())?.trim() ?? "";
  const text =
    b.type === "text" ? line(b.text)
    : b.type === "markdown" ? `${b.title}: ${line(b.text.replace(/^#+\s*/gm, ""))}`
    : b.type === "image" ? `[图片] ${b.alt}`
    : [b.card.title, b.card.subtitle].filter(Boolean).join(" · ");
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function readMessage(row: { platform: string; recipient: string; userId: string | null; kind: string; payload: unknown }): DryRunMessage {
  let payload = row.payload;
  if (typeof payload === "string") {
    try {
      payload = JSON.parse(payload);
    } catch {
      // shown as unreadable below
    }
  }
  const parsed = OutboundMessageSchema.safeParse(payload);
  return { platform: row.platform, recipient: row.recipient, userId: row.userId, kind: row.kind, summary: parsed.success ? summarize(parsed.data) : "(unreadable message)" };
}

/** What the job would send at `now`, to whom; the database is left exactly as it was. */
export async function dryRunJob(deps: AppDeps, job: JobDefinition, now: Date): Promise<DryRunAnswer> {
  try {
    await deps.db.$transaction(async (tx: Tx) => {
      const before = (await tx.outboxMessage.aggregate({ _max: { id: true } }))._max.id ?? 0n;
      const r = await runJob({ ...deps, db: nestedClient(tx) }, job, now);
      const rows = await tx.outboxMessage.findMany({ where: { id: { gt: before } }, orderBy: { id: "asc" }, select: { platform: true, recipient: true, userId: true, kind: true, payload: true } });
      throw new Rollback({ ...r, dryRun: true, messages: rows.map(readMessage) });
    }, DRY_TX_OPTIONS);
  } catch (err) {
    if (err instanceof Rollback) return err.answer;
    throw err;
  }
  throw new Error("dry run: the transaction was not rolled back");
}

/** The lines `npm run job -- <name> --dry-run` prints. */
export function formatDryRun(name: string, a: DryRunAnswer): string[] {
  const head = a.skipped
    ? `${name} ${a.period}: dry run: would skip (${a.skipped})`
    : !a.ran
      ? `${name} ${a.period}: dry run: already ran for this period, nothing would be sent`
      : `${name} ${a.period}: dry run: would send ${a.messages.length} message(s) ${JSON.stringify(a.result)}; nothing was sent or recorded`;
  return [head, ...a.messages.map((m) => `  → ${m.userId ?? m.recipient} (${m.platform}:${m.recipient}) ${m.kind}: ${m.summary}`)];
}
