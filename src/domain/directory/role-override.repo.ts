// 设置 角色: an admin's roles for one person, kept as an override that wins over the org file and the directory
// (both read roleOverride when they load people), until cleared with 设置 角色 <name> 恢复.
import { z } from "zod";
import type { Tx } from "../tx.ts";

export async function setRoleOverride(tx: Tx, userId: string, roles: string[]): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { roles, roleOverride: roles } });
}

/**
 * Clears the override and gives back the roles the person had before it (the first override of the streak, read
 * from its audit row): what an admin who says 恢复 expects to see at once. The next start or sync then writes the
 * file's or the directory's roles as usual. Returns the roles now in force.
 */
export async function clearRoleOverride(tx: Tx, userId: string, current: string[]): Promise<string[]> {
  const rows = await tx.auditLog.findMany({
    where: { action: "user.role_override", entityType: "user", entityId: userId },
    orderBy: { id: "desc" },
    select: { before: true },
  });
  const before = z.object({ roles: z.array(z.string()), roleOverride: z.array(z.string()) });
  // Newest first: the row whose override was empty before it started the streak now ending.
  const start = rows.map((r) => before.safeParse(r.before)).find((p) => p.success && p.data.roleOverride.length === 0);
  const roles = start?.success ? start.data.roles : current;
  await tx.user.update({ where: { id: userId }, data: { roles, roleOverride: [] } });
  return roles;
}

export async function roleOverrideOf(tx: Tx, userId: string): Promise<string[]> {
  return (await tx.user.findUnique({ where: { id: userId }, select: { roleOverride: true } }))?.roleOverride ?? [];
}
