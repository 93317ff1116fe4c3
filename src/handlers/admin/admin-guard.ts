import { AppError } from "../../core/app-error.ts";
import type { UserInfo } from "../../domain/users/user.repo.ts";

/** Admin commands answer admins only; anyone else is told who can, and nothing changes. */
export function assertAdmin(user: UserInfo, what: string): void {
  if (user.roles.includes("admin")) return;
  throw new AppError("admin_only", `只有管理员可以${what}，这条消息没有做任何改动。如需调整，请联系管理员。发送「帮助」查看你能用的功能。`);
}
