// What a role may do, said once. Warehouse staff confirm shipments; they do not log visits, place orders, or see
// customers' histories, prices or sales figures.
import { AppError } from "../../core/app-error.ts";
import type { UserInfo } from "./user.repo.ts";

const SALES_SIDE = ["rep", "manager", "director", "admin"];

/** Anyone who sells or manages sales (a warehouse person with no such role is not). */
export function isSalesSide(user: UserInfo): boolean {
  return user.roles.some((r) => SALES_SIDE.includes(r));
}

export function isWarehouse(user: UserInfo): boolean {
  return user.roles.includes("warehouse");
}

/** Refuses a sales action to warehouse-only staff, saying what they can do instead. */
export function assertSalesSide(user: UserInfo, what: string): void {
  if (!isSalesSide(user)) throw new AppError("not_sales_side", `仓库同事不能${what}，这条消息没有记录任何内容。发送「帮助」查看你能用的功能。`);
}
