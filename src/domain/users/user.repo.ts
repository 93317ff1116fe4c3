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
  const row = await tx.identity.findUnique({
    where: { platform_externalId: { platform, externalId } },
    select: { user: { select: { ...select, active: true } } },
  });
  if (!row || !row.user.active) return null;
  const { active: _active, ...user } = row.user;
  return user;
}

export async function getUser(tx: Tx, id: string): Promise<UserInfo | null> {
  return tx.user.findFirst({ where: { id, active: true }, select });
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
