import { sql } from "../../db/tx-sql.ts";
import type { Tx } from "../tx.ts";

export interface UserInfo {
  id: string;
  name: string;
  roles: string[];
  managerId: string | null;
}

const select = { id: true, name: true, roles: true, managerId: true } as const;

/** The active user behind a platform account, or null for a stranger. */
export async function findUserByIdentity(tx: Tx, platform: string, externalId: string): Promise<UserInfo | null> {
  // One statement (a join), not an identity lookup followed by a user lookup: this runs for every event.
  return tx.user.findFirst({ where: { active: true, identities: { some: { platform, externalId } } }, select });
}

/**
 * findUserByIdentity for many accounts at once (the events the inbox worker hands over together): one statement.
 * Keyed by `platform + "\u0000" + externalId`; strangers are absent. Account by account (OFFSET 0 keeps each a probe
 * of Identity's and User's keys), with the accounts read through a subquery: so the prepared statement keeps one
 * plan instead of being planned on every call, and that plan cannot be the hash join over all of Identity that the
 * planner picks when it assumes 10 accounts (outbox.repo.ts, enqueueMessages, says why).
 */
export async function findUsersByIdentities(tx: Tx, accounts: { platform: string; externalId: string }[]): Promise<Map<string, UserInfo>> {
  const out = new Map<string, UserInfo>();
  if (accounts.length === 0) return out;
  const rows = await sql(tx).query<UserInfo & { platform: string; externalId: string }>(
    `SELECT p.platform, p."externalId", p.id, p.name, p.roles, p."managerId"
     FROM unnest((SELECT $1::text[]), (SELECT $2::text[])) AS a(platform, "externalId")
     CROSS JOIN LATERAL (SELECT d.platform, d."externalId", u.id, u.name, u.roles, u."managerId"
                         FROM "Identity" d JOIN "User" u ON u.id = d."userId" AND u.active
                         WHERE d.platform = a.platform AND d."externalId" = a."externalId" OFFSET 0) p`,
    [accounts.map((a) => a.platform), accounts.map((a) => a.externalId)],
  );
  for (const r of rows) out.set(`${r.platform}\u0000${r.externalId}`, { id: r.id, name: r.name, roles: r.roles ?? [], managerId: r.managerId ?? null });
  return out;
}

export async function getUser(tx: Tx, id: string): Promise<UserInfo | null> {
  return tx.user.findFirst({ where: { id, active: true }, select });
}

/** The active ones among these people (a job's batch), by id. */
export async function getUsers(tx: Tx, ids: readonly string[]): Promise<Map<string, UserInfo>> {
  const rows = await tx.user.findMany({ where: { id: { in: [...ids] }, active: true }, select });
  return new Map(rows.map((u) => [u.id, u]));
}

export async function identitiesOf(tx: Tx, userId: string): Promise<{ platform: string; externalId: string }[]> {
  return tx.identity.findMany({ where: { userId }, select: { platform: true, externalId: true }, orderBy: { platform: "asc" } });
}

/** Everyone who reports to `managerId`, directly or not (a manager sees the whole subtree). */
export async function teamOf(tx: Tx, managerId: string): Promise<UserInfo[]> {
  const all = await tx.user.findMany({ where: { active: true }, select });
  const out: UserInfo[] = [];
  const queue = [managerId];
  const seen = new Set(queue);
  while (queue.length) {
    const boss = queue.shift()!;
    for (const u of all) {
      if (u.managerId === boss && !seen.has(u.id)) {
        seen.add(u.id);
        out.push(u);
        queue.push(u.id);
      }
    }
  }
  return out;
}

export async function listUsers(tx: Tx): Promise<UserInfo[]> {
  return tx.user.findMany({ where: { active: true }, select, orderBy: { id: "asc" } });
}

/** The accounts of many people at once (a job's batch), by user id, each list ordered by platform. */
export async function identitiesOfMany(tx: Tx, userIds: readonly string[]): Promise<Map<string, { platform: string; externalId: string }[]>> {
  const rows = await tx.identity.findMany({ where: { userId: { in: [...userIds] } }, select: { userId: true, platform: true, externalId: true }, orderBy: [{ userId: "asc" }, { platform: "asc" }] });
  const out = new Map<string, { platform: string; externalId: string }[]>();
  for (const r of rows) (out.get(r.userId) ?? out.set(r.userId, []).get(r.userId)!).push({ platform: r.platform, externalId: r.externalId });
  return out;
}
