// Who may see a customer: its owner, anyone when it is in the public pool, the owner's managers up the line,
// and admins. Enforced after parsing, never by the model.
import type { UserInfo } from "../users/user.repo.ts";

export function canSeeCustomer(viewer: UserInfo, ownerId: string | null, ownerChain: string[]): boolean {
  if (ownerId === null) return true;
  if (ownerId === viewer.id) return true;
  if (viewer.roles.includes("admin")) return true;
  return ownerChain.includes(viewer.id);
}
