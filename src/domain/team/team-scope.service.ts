// Whose records a person may list: a rep their own, a manager themselves and everyone below them (all levels,
// by the managerId chains), a director or an admin everyone. Warehouse staff list nothing of the sales side.
import type { Tx } from "../tx.ts";
import { listUsers, teamOf, type UserInfo } from "../users/user.repo.ts";

export interface ListScope {
  kind: "self" | "team" | "all";
  /** null = everyone. */
  userIds: string[] | null;
  /** How a card names it: 张三, 王五团队, 全公司. */
  label: string;
}

export const seesEveryone = (u: UserInfo) => u.roles.includes("admin") || u.roles.includes("director");
export const leadsATeam = (u: UserInfo) => u.roles.includes("manager");

export async function listScope(tx: Tx, viewer: UserInfo): Promise<ListScope> {
  if (seesEveryone(viewer)) return { kind: "all", userIds: null, label: "全公司" };
  if (leadsATeam(viewer)) return { kind: "team", userIds: [viewer.id, ...(await teamOf(tx, viewer.id)).map((u) => u.id)], label: `${viewer.name}团队` };
  return { kind: "self", userIds: [viewer.id], label: viewer.name };
}

/** Only the person themselves. */
export const ownScope = (viewer: UserInfo): ListScope => ({ kind: "self", userIds: [viewer.id], label: viewer.name });

export function inScope(scope: ListScope, userId: string): boolean {
  return scope.userIds === null || scope.userIds.includes(userId);
}

/** Active people with exactly this name (two people may share one). */
export async function usersNamed(tx: Tx, name: string): Promise<UserInfo[]> {
  return (await listUsers(tx)).filter((u) => u.name === name);
}
