// 设置 角色: an admin's roles for one person, kept as an override that wins over the org file and the directory
// (both read roleOverride when they load people), until cleared with 设置 角色 <name> 恢复.
import type { Tx } from "../tx.ts";

export async function setRoleOverride(tx: Tx, userId: string, roles: string[]): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { roles, roleOverride: roles } });
}

/** Clears the override; the roles stay as they are until the next start or sync writes the file's or directory's. */
export async function clearRoleOverride(tx: Tx, userId: string): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { roleOverride: [] } });
}

export async function roleOverrideOf(tx: Tx, userId: string): Promise<string[]> {
  return (await tx.user.findUnique({ where: { id: userId }, select: { roleOverride: true } }))?.roleOverride ?? [];
}
