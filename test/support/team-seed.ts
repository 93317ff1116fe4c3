// The team the channel suites for managers' lists work on: twelve of 张三's customers idle 1–12 days, 宁波东方轴承
// with a follow-up, two pool customers released 2 and 3 days ago, and three of 李四's to-dos.
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import type { TestBot } from "./test-bot.ts";
import { FIXED_NOW } from "./test-bot.ts";

const DAY = 86_400_000;
export const daysAgo = (days: number) => new Date(FIXED_NOW.getTime() - days * DAY);
const pad = (n: number) => String(n).padStart(2, "0");

type Db = TestBot["db"]["prisma"];

/** A customer created `createdAt` (its idle days count from there), owned by `ownerId` or in the pool (null). */
export function teamCustomer(db: Db, name: string, ownerId: string | null, createdAt: Date, extra: Record<string, unknown> = {}) {
  return db.customer.create({ data: { name, normalizedName: normalizeCompanyName(name), ownerId, createdById: ownerId, createdAt, aliases: [], tags: [], ...extra } });
}

export async function seedTeam(db: Db): Promise<void> {
  const customer = (name: string, ownerId: string | null, createdAt: Date, extra: Record<string, unknown> = {}) => teamCustomer(db, name, ownerId, createdAt, extra);
  for (let i = 0; i < 12; i++) await customer(`张三客户${pad(i + 1)}`, "zhangsan", daysAgo(i + 1));
  const nb = await customer("宁波东方轴承有限公司", "zhangsan", daysAgo(20));
  await db.task.create({ data: { ownerId: "zhangsan", customerId: nb.id, title: "带报价回访周经理", dueAt: new Date(FIXED_NOW.getTime() + 2 * DAY) } });
  await customer("甲辰机电", null, daysAgo(60), { releasedAt: daysAgo(3) });
  await customer("乙巳电气", null, daysAgo(60), { releasedAt: daysAgo(2) });
  for (const [title, days] of [["寄样品", 1], ["催款", 3], ["约技术交流", 5]] as const) {
    await db.task.create({ data: { ownerId: "lisi", title, dueAt: new Date(FIXED_NOW.getTime() + days * DAY) } });
  }
}
