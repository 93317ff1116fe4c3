// 同步通讯录 typed in chat becomes a request row in the chat's own transaction; the server's directory worker claims
// it (SKIP LOCKED, so one instance does it), runs the sync outside any chat transaction, and answers the admin.
// A claim older than 10 minutes (its instance died mid-sync) is taken again.
import type { DbClient, Tx } from "../tx.ts";

export async function requestDirectorySync(tx: Tx, requestedBy: string, eventId: string): Promise<"queued" | "already"> {
  const open = await tx.directorySyncRequest.findFirst({ where: { status: { in: ["pending", "running"] } }, select: { id: true } });
  if (open) return "already";
  await tx.directorySyncRequest.create({ data: { requestedBy, eventId } });
  return "queued";
}

export async function claimDirectorySyncRequest(db: DbClient): Promise<{ id: string; requestedBy: string } | null> {
  const rows = await db.$queryRaw<{ id: string; requestedBy: string }[]>`
    UPDATE "DirectorySyncRequest" SET status = 'running', "claimedAt" = now()
    WHERE id = (
      SELECT id FROM "DirectorySyncRequest"
      WHERE status = 'pending' OR (status = 'running' AND "claimedAt" < now() - interval '10 minutes')
      ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, "requestedBy"`;
  return rows[0] ?? null;
}

/** Done or failed, with what to tell; false when the request is no longer this claim's (taken over meanwhile). */
export async function finishDirectorySyncRequest(tx: Tx, id: string, status: "done" | "failed", result: unknown, now: Date): Promise<boolean> {
  const r = await tx.directorySyncRequest.updateMany({ where: { id, status: "running" }, data: { status, result: result as object, finishedAt: now } });
  return r.count === 1;
}
